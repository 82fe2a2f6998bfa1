#include "mainwindow.h"

#include "appservices.h"

#include "models/calltracemodel.h"
#include "models/workbenchmodel.h"
#include "panes/lessonpane.h"
#include "preferencesdialog.h"
#include "panes/lookuppane.h"
#include "panes/optionspane.h"
#include "panes/socketspane.h"
#include "panes/tcpclientpane.h"
#include "panes/tcpserverpane.h"
#include "panes/toolpane.h"
#include "panes/udppane.h"
#include "panes/unixpane.h"
#include "widgets/accessiblelabel.h"
#include "widgets/connectionwatch.h"
#include "widgets/formhelpers.h"
#include "widgets/itemviewaccess.h"
#include "widgets/panestack.h"

#include "engine/sessionmanager.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QScrollArea>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTableView>
#include <QTimer>
#include <QToolBar>
#include <QTreeView>

#include <unistd.h>

namespace sockscope::ui {

using namespace sockscope::core;

MainWindow::MainWindow(AppServices &services, QWidget *parent)
    : QMainWindow(parent)
    , m_services(services)
    , m_sessions(services.sessions)
    , m_lookups(services.lookups)
    , m_kernel(services.kernel)
    , m_captures(services.captures)
{
    setWindowTitle(QStringLiteral("%1 %2").arg(QApplication::applicationDisplayName(), QApplication::applicationVersion()));
    PreferencesDialog::apply(m_sessions);
    resize(1280, 800);

    m_model = new WorkbenchModel(m_sessions, this);
    m_tree = new QTreeView(this);
    m_tree->setObjectName(QStringLiteral("sessionTree"));
    m_tree->setModel(m_model);
    makeItemViewAccessible(m_tree);
    m_tree->setHeaderHidden(true);
    m_tree->setUniformRowHeights(true);
    m_tree->setMinimumWidth(160);
    describe(m_tree, tr("Sessions"), tr("Every pane and the connections its servers accepted. Select one to drive it."));
    connect(m_tree->selectionModel(), &QItemSelectionModel::currentChanged, this, &MainWindow::onTreeSelection);

    m_stack = new PaneStack(this);
    auto *placeholder = new QLabel(tr("Create a session from the Session menu or the toolbar."), m_stack);
    placeholder->setTextFormat(Qt::PlainText);
    placeholder->setAlignment(Qt::AlignCenter);
    m_stack->addWidget(placeholder);

    auto *split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(m_tree);
    split->addWidget(m_stack);
    split->setStretchFactor(1, 1);
    split->setSizes({250, 1030});
    split->setChildrenCollapsible(false);
    setCentralWidget(split);

    m_traceModel = new CallTraceModel(this);
    m_traceModel->setObjectName(QStringLiteral("callTraceModel"));
    m_traceView = new QTableView(this);
    m_traceView->setModel(m_traceModel);
    makeItemViewAccessible(m_traceView);
    m_traceView->verticalHeader()->hide();
    m_traceView->verticalHeader()->setDefaultSectionSize(m_traceView->fontMetrics().height() + 6);
    m_traceView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_traceView->setWordWrap(false);
    m_traceView->horizontalHeader()->setStretchLastSection(true);
    m_traceView->setColumnWidth(CallTraceModel::Time, 110);
    m_traceView->setColumnWidth(CallTraceModel::Call, 430);
    m_traceView->setColumnWidth(CallTraceModel::Result, 200);
    m_traceView->setColumnWidth(CallTraceModel::Errno, 140);
    describe(m_traceView, tr("Call trace"), tr("Every call the selected session made, as it reads in Python, with its result or errno"));
    auto *traceDock = new QDockWidget(tr("Call trace"), this);
    traceDock->setObjectName(QStringLiteral("callTraceDock"));
    traceDock->setWidget(m_traceView);
    addDockWidget(Qt::BottomDockWidgetArea, traceDock);
    // Docks take their size once the window is laid out.
    QTimer::singleShot(0, this, [this, traceDock] { resizeDocks({traceDock}, {150}, Qt::Vertical); });

    m_options = new OptionsPane(m_sessions, this);
    m_options->setObjectName(QStringLiteral("optionsPane"));
    auto *optionsDock = new QDockWidget(tr("Socket options"), this);
    optionsDock->setObjectName(QStringLiteral("socketOptionsDock"));
    // The options pane is tall; in a dock it scrolls rather than push the window off screen.
    auto *optionsScroll = new QScrollArea(optionsDock);
    optionsScroll->setWidgetResizable(true);
    optionsScroll->setFrameShape(QFrame::NoFrame);
    optionsScroll->setWidget(m_options);
    optionsDock->setWidget(optionsScroll);
    addDockWidget(Qt::BottomDockWidgetArea, optionsDock);
    tabifyDockWidget(traceDock, optionsDock);
    traceDock->raise();

    m_totals = new QLabel(this);

    nameStatusLabel(m_totals, tr("Totals"));
    m_totals->setTextFormat(Qt::PlainText);
    statusBar()->addPermanentWidget(m_totals);
    // Nothing here needs root: only the capture helper needs a privilege, CAP_NET_RAW, as
    // a file capability. A GUI run as root puts every pane's parser and widget in a root
    // process, which the helper exists to avoid: say so while it is running.
    auto *rootWarning = makeWarningLabel(this);
    rootWarning->setObjectName(QStringLiteral("rootWarning"));
    rootWarning->setWordWrap(false);
    // Short on the bar, where the status messages need the room; the how in the tooltip,
    // which a screen reader reads as the label's description.
    const QString why = tr("sockscope and sockscope-cli need no privilege. Only packet capture does, and only its "
                           "helper: run sockscope as yourself after giving the helper CAP_NET_RAW with\n"
                           "sudo setcap cap_net_raw+ep sockscope-capture");
    rootWarning->setToolTip(why);
    showError(rootWarning, geteuid() == 0 ? tr("⚠ Running as root: not needed") : QString());
    if (geteuid() == 0) // set once: the text never changes while the app runs
        rootWarning->setAccessibleDescription(rootWarning->text() + QStringLiteral(". ") + why);
    statusBar()->insertPermanentWidget(0, rootWarning);

    createActions();
    createWatchDock();
    if (auto *view = menuBar()->findChild<QMenu *>(QStringLiteral("viewMenu"))) {
        view->addAction(m_watchDock->toggleViewAction());
        view->addAction(traceDock->toggleViewAction());
        view->addAction(optionsDock->toggleViewAction());
        optionsDock->toggleViewAction()->setShortcut(QKeySequence(tr("Ctrl+Shift+O")));
    }

    // The window's one tick: the pane, the session tree, the trace and the status bar are
    // pulled when the session manager rings (a change, a read), at most every kRefreshMs.
    m_tick = UiTick::subscribe(this, kRefreshMs, [this] {
        refresh();
        return false;
    });
    m_tick->setWhileHidden(true);
    m_tick->listen(m_sessions.doorbells());
}

MainWindow::~MainWindow() = default;

void MainWindow::createActions()
{
    auto *sessionMenu = menuBar()->addMenu(tr("&Session"));
    auto *toolbar = addToolBar(tr("Sessions"));
    toolbar->setObjectName(QStringLiteral("sessionsToolbar"));
    toolbar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    struct Entry
    {
        QString text;
        QKeySequence keys;
        QString icon;
        QString tip;
        std::function<void()> run;
    };
    const Entry entries[] = {
        {tr("New TCP &client"), QKeySequence(tr("Ctrl+Shift+C")), QStringLiteral("network-wired"),
         tr("Connect to a TCP server"), [this] { newTcpClient(); }},
        {tr("New TCP &server"), QKeySequence(tr("Ctrl+Shift+S")), QStringLiteral("network-server"),
         tr("Listen for TCP connections"), [this] { newTcpServer(); }},
        {tr("New &UDP socket"), QKeySequence(tr("Ctrl+Shift+U")), QStringLiteral("network-transmit-receive"),
         tr("Send and receive datagrams"), [this] { newUdp(); }},
        {tr("New Uni&x socket"), QKeySequence(tr("Ctrl+Shift+X")), QStringLiteral("folder-remote"),
         tr("Unix domain sockets and socketpair()"), [this] { newUnix(); }},
    };
    for (const Entry &e : entries) {
        QAction *a = sessionMenu->addAction(QIcon::fromTheme(e.icon), e.text, this, e.run);
        a->setShortcut(e.keys);
        a->setToolTip(QStringLiteral("%1 (%2)").arg(e.tip, e.keys.toString(QKeySequence::NativeText)));
        toolbar->addAction(a);
    }
    sessionMenu->addSeparator();
    QAction *closePane = sessionMenu->addAction(tr("Close &pane"), this, &MainWindow::closeCurrentPane);
    closePane->setShortcut(QKeySequence::Close);
    closePane->setToolTip(tr("Close the selected pane and its sessions"));
    sessionMenu->addSeparator();
    sessionMenu->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

    auto *toolsMenu = menuBar()->addMenu(tr("&Tools"));
    QAction *lookup = toolsMenu->addAction(QIcon::fromTheme(QStringLiteral("edit-find")), tr("&Lookup"), this, &MainWindow::showLookup);
    lookup->setShortcut(QKeySequence(tr("Ctrl+L")));
    lookup->setToolTip(tr("getaddrinfo, getnameinfo and the address converters (Ctrl+L)"));
    QAction *sockets = toolsMenu->addAction(QIcon::fromTheme(QStringLiteral("network-workgroup")), tr("&System sockets"), this,
                                            &MainWindow::showSystemSockets);
    sockets->setShortcut(QKeySequence(tr("Ctrl+Shift+L")));
    sockets->setToolTip(tr("Every TCP, UDP and Unix socket of this host, live, as ss -anp shows them (Ctrl+Shift+L)"));
    QAction *lessons = toolsMenu->addAction(QIcon::fromTheme(QStringLiteral("help-contents")), tr("Guided l&essons"), this,
                                            &MainWindow::showLessons);
    lessons->setShortcut(QKeySequence(tr("Ctrl+Shift+G")));
    lessons->setToolTip(tr("Step through the handshake, teardown, TIME_WAIT, RST and more on real sockets (Ctrl+Shift+G)"));
    toolsMenu->addSeparator();
    QAction *preferences = toolsMenu->addAction(tr("&Preferences…"), this, &MainWindow::showPreferences);
    preferences->setShortcut(QKeySequence(tr("Ctrl+,")));
    preferences->setMenuRole(QAction::PreferencesRole);
    toolbar->addSeparator();
    toolbar->addAction(lookup);
    toolbar->addAction(sockets);
    toolbar->addAction(lessons);

    auto *viewMenu = menuBar()->addMenu(tr("&View"));
    viewMenu->setObjectName(QStringLiteral("viewMenu"));
    auto *helpMenu = menuBar()->addMenu(tr("&Help"));
    helpMenu->addAction(tr("&About sockscope"), this, &MainWindow::showAbout);
}

void MainWindow::createWatchDock()
{
    m_watch = new ConnectionWatch(m_sessions, m_kernel, m_captures, this);
    m_watch->setObjectName(QStringLiteral("connectionWatch"));
    m_watchDock = new QDockWidget(tr("Watch TCP"), this);
    m_watchDock->setObjectName(QStringLiteral("watchTcpDock"));
    m_watchDock->setWidget(m_watch);
    addDockWidget(Qt::RightDockWidgetArea, m_watchDock);
    setCorner(Qt::BottomRightCorner, Qt::RightDockWidgetArea); // the diagram and the ladder get the full height
    m_watchDock->hide(); // on demand: it takes half the window
    QAction *toggle = m_watchDock->toggleViewAction();
    toggle->setIcon(QIcon::fromTheme(QStringLiteral("view-statistics")));
    toggle->setShortcut(QKeySequence(tr("Ctrl+Shift+W")));
    toggle->setToolTip(tr("The selected connection's TCP states, timeline and packet ladder, live (Ctrl+Shift+W)"));
    connect(m_watchDock, &QDockWidget::visibilityChanged, this, [this](bool visible) {
        if (!visible)
            return;
        if (Pane *pane = currentPane())
            m_watch->follow(pane->currentSession(), pane->watchPort());
    });
    // The dock follows the action's checked state, however it was checked: a screen
    // reader's Toggle on the toolbar button (QAccessibleButton::doAction -> toggle())
    // checks the action without triggering it, which left the toggle checked and the dock
    // hidden when the dock listened to triggered() alone.
    connect(toggle, &QAction::toggled, m_watchDock, [this](bool on) {
        if (on != m_watchDock->isHidden())
            return; // already so (the dock itself shown or closed)
        if (!on) {
            m_watchDock->close();
            return;
        }
        m_watchDock->show();
        if (m_watchDock->isFloating())
            return;
        // Opened from the menu, toolbar or keyboard: give it room for the diagram, as wide
        // as the pane beside it allows (asking for more would widen the window).
        const int room = width() - centralWidget()->minimumSizeHint().width() - 16;
        resizeDocks({m_watchDock}, {std::max(m_watch->minimumSizeHint().width(), std::min(width() * 45 / 100, room))},
                    Qt::Horizontal);
    });
    if (auto *toolbar = findChild<QToolBar *>(QStringLiteral("sessionsToolbar")))
        toolbar->addAction(toggle);
}

void MainWindow::addPane(Pane *pane)
{
    m_stack->addWidget(pane);
    m_model->addPane(pane);
    connect(pane, &Pane::currentSessionChanged, this, [this, pane](SessionId id) {
        if (currentPane() == pane)
            showTraceOf(id);
    });
    selectPane(pane);
}

TcpClientPane *MainWindow::newTcpClient()
{
    auto *pane = new TcpClientPane(m_sessions, m_lookups, m_stack);
    pane->setTimeoutMs(PreferencesDialog::savedTimeoutMs());
    addPane(pane);
    pane->hostEdit()->setFocus();
    return pane;
}

TcpServerPane *MainWindow::newTcpServer()
{
    auto *pane = new TcpServerPane(m_sessions, m_kernel, m_stack);
    addPane(pane);
    return pane;
}

UdpPane *MainWindow::newUdp()
{
    auto *pane = new UdpPane(m_sessions, m_stack);
    addPane(pane);
    return pane;
}

UnixPane *MainWindow::newUnix()
{
    auto *pane = new UnixPane(m_sessions, m_stack);
    addPane(pane);
    return pane;
}

void MainWindow::showLookup()
{
    if (!m_lookupPane) {
        auto *lookup = new LookupPane(m_lookups);
        // "Connect to this row" opens a TCP client aimed at the address and connects.
        connect(lookup, &LookupPane::connectRequested, this, [this](const Address &address) {
            TcpClientPane *client = newTcpClient();
            client->setTarget(address.host(), address.port());
            client->connectToTarget();
        });
        m_lookupPane = new ToolPane(m_sessions, lookup, tr("Lookup"), QStringLiteral("edit-find"), m_stack);
        addPane(m_lookupPane);
        return;
    }
    selectPane(m_lookupPane);
}

void MainWindow::showSystemSockets()
{
    if (!m_socketsPane) {
        m_socketsPane = new ToolPane(m_sessions, new SocketsPane(m_sessions, m_kernel), tr("System sockets"),
                                     QStringLiteral("network-workgroup"), m_stack);
        addPane(m_socketsPane);
        return;
    }
    selectPane(m_socketsPane);
}

void MainWindow::showLessons()
{
    if (!m_lessonsPane) {
        // A Pane itself: the trace and options docks follow the lesson's sessions.
        m_lessonsPane = new LessonPane(m_services, m_stack);
        addPane(m_lessonsPane);
        return;
    }
    selectPane(m_lessonsPane);
}

void MainWindow::showPreferences()
{
    PreferencesDialog dialog(this);
    if (dialog.exec() == QDialog::Accepted)
        PreferencesDialog::apply(m_sessions);
}

void MainWindow::openStarterSessions()
{
    m_starterServer = newTcpServer();
    m_starterServer->startWith(QStringLiteral("127.0.0.1"), 0, ServiceMode::Upper);
    m_starterClient = newTcpClient();
    statusBar()->showMessage(tr("A local upper-case server is listening; the client is aimed at it: press Connect."), 10000);
}

Pane *MainWindow::currentPane() const
{
    return qobject_cast<Pane *>(m_stack->currentWidget());
}

void MainWindow::selectPane(Pane *pane)
{
    m_tree->setCurrentIndex(m_model->indexOf(pane));
}

void MainWindow::onTreeSelection()
{
    const QModelIndex index = m_tree->currentIndex();
    Pane *pane = m_model->paneAt(index);
    if (!pane)
        return;
    m_stack->setCurrentWidget(pane);
    if (const SessionId child = m_model->childAt(index))
        pane->selectChild(child);
    showTraceOf(pane->currentSession());
}

void MainWindow::showTraceOf(SessionId id)
{
    if (m_tick)
        m_tick->poke(); // another pane or session: the watch dock and the tree follow
    m_options->setSession(id);
    m_traceModel->setTrace(id ? m_sessions.trace(id) : nullptr);
    m_traceView->scrollToBottom();
}

void MainWindow::closeCurrentPane()
{
    Pane *pane = currentPane();
    if (!pane)
        return;
    pane->shutdownSessions();
    m_model->removePane(pane);
    m_stack->removeWidget(pane);
    if (pane == m_lookupPane)
        m_lookupPane = nullptr;
    if (pane == m_socketsPane)
        m_socketsPane = nullptr;
    if (pane == m_lessonsPane)
        m_lessonsPane = nullptr;
    if (pane == m_starterClient)
        m_starterClient = nullptr;
    if (pane == m_starterServer)
        m_starterServer = nullptr;
    pane->deleteLater();
    if (m_model->rowCount() > 0)
        m_tree->setCurrentIndex(m_model->index(0, 0));
    else
        showTraceOf(0);
}

void MainWindow::refresh()
{
    if (Pane *pane = currentPane())
        pane->refresh();
    m_model->refresh();
    const int before = m_traceModel->rowCount();
    m_traceModel->refresh();
    if (m_traceModel->rowCount() != before)
        m_traceView->scrollToBottom();
    if (m_starterClient && m_starterServer && m_starterClient->portEdit()->text().isEmpty()) {
        const auto info = m_sessions.info(m_starterServer->listener());
        if (info && info->state == SessionState::Listening)
            m_starterClient->setTarget(info->local.host(), info->local.port());
    }
    if (m_watchDock->isVisible()) {
        Pane *pane = currentPane();
        m_watch->follow(pane ? pane->currentSession() : 0, pane ? pane->watchPort() : 0);
    }
    updateStatusBar();
}

void MainWindow::updateStatusBar()
{
    const SessionManager::Totals t = m_sessions.totals();
    setStatusText(m_totals, tr("%n open socket(s)  ·  received %1  ·  sent %2", nullptr, t.open).arg(humanBytes(t.bytesIn), humanBytes(t.bytesOut)));
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    delete m_tick; // nothing is pulled while the panes shut down
    m_tick = nullptr;
    for (int i = 0; i < m_stack->count(); ++i) {
        if (auto *pane = qobject_cast<Pane *>(m_stack->widget(i)))
            pane->shutdownSessions();
    }
    event->accept();
}

void MainWindow::showAbout()
{
    QMessageBox box(this);
    box.setWindowTitle(tr("About sockscope"));
    box.setTextFormat(Qt::PlainText);
    box.setText(tr("sockscope %1\nA Qt workbench for the BSD socket API: drive real sockets by hand and "
                   "watch every call the kernel answers.").arg(QApplication::applicationVersion()));
    box.exec();
}

} // namespace sockscope::ui
