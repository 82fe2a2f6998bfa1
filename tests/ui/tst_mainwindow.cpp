#include "appservices.h"
#include "../common/loopbackpair.h"
#include "../common/tryuntil.h"
#include "../common/widgetlookup.h"

#include "mainwindow.h"
#include "panes/tcpclientpane.h"
#include "panes/tcpserverpane.h"
#include "panes/udppane.h"
#include "panes/unixpane.h"
#include "widgets/composer.h"
#include "widgets/connectionview.h"
#include "widgets/connectionwatch.h"
#include "widgets/ladderpanel.h"

#include "engine/lookupservice.h"
#include "engine/sessionmanager.h"

#include <QAbstractButton>
#include <QCheckBox>
#include <QDirIterator>
#include <QRandomGenerator>
#include <QSettings>
#include <QStandardPaths>
#include <QAction>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QStatusBar>
#include <QTimer>
#include <QAbstractItemView>
#include <QAbstractSpinBox>
#include <QComboBox>
#include <QHeaderView>
#include <QLineEdit>
#include <QTabBar>
#include <QPlainTextEdit>
#include <QLabel>
#include <QMenuBar>
#include <QRegularExpression>
#include <QTabWidget>
#include <QMap>
#include <QTest>
#include <QTreeView>

#include <unistd.h>

using namespace sockscope;
using namespace sockscope::core;
using sockscope::tests::named;

class tst_MainWindow : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void starterSessionsAreReady();
    void everyControlIsDescribedAndReachable_data();
    void everyControlIsDescribedAndReachable();
    void closingAPaneClosesItsSessions();
    void treeListsAcceptedConnections();
    void watchDockFollowsTheSelectedConnection();
    void mnemonicsAreUnique_data();
    void mnemonicsAreUnique();
    void oneTimerPerWindow();
    void rootWarningOnlyAsRoot();
    void hmacKeysAreNeverSaved();
};

namespace {

// The controls a user operates: not the parts Qt builds inside its own widgets (the line
// edit of a spin box, a combo box's popup, a table's headers, a tab bar's scroll arrows).
bool isControl(QWidget *w)
{
    for (QWidget *p = w->parentWidget(); p; p = p->parentWidget()) {
        if (qobject_cast<QAbstractSpinBox *>(p) || qobject_cast<QComboBox *>(p) || qobject_cast<QAbstractItemView *>(p)
            || qobject_cast<QLineEdit *>(p) || qobject_cast<QTabBar *>(p))
            return false;
    }
    if (qobject_cast<QHeaderView *>(w))
        return false;
    return qobject_cast<QAbstractButton *>(w) || qobject_cast<QLineEdit *>(w) || qobject_cast<QComboBox *>(w)
        || qobject_cast<QAbstractSpinBox *>(w) || qobject_cast<QPlainTextEdit *>(w) || qobject_cast<QAbstractItemView *>(w);
}


// The first start: a shown 1280x800 window with the starter server and client, the client
// aimed at the server once it listens. Null when that does not happen.
ui::TcpClientPane *openWorkbench(ui::MainWindow &window)
{
    window.resize(1280, 800);
    window.show();
    if (!tests::tryUntil([&] { return tests::isExposed(window); }))
        return nullptr;
    window.openStarterSessions();
    auto *client = qobject_cast<ui::TcpClientPane *>(window.currentPane());
    if (!client || !tests::tryUntil([client] { return !client->portEdit()->text().isEmpty(); }))
        return nullptr;
    return client;
}

} // namespace

// Settings go to ~/.qttest, never the user's own: QSettings fixes its path at first use,
// so this comes before any window reads a preference.
void tst_MainWindow::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("sockscope-tests"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_mainwindow"));
}

void tst_MainWindow::starterSessionsAreReady()
{
    core::AppServices services;
    core::SessionManager &sessions = services.sessions;
    ui::MainWindow window(services);
    window.openStarterSessions();
    QCOMPARE(named<QTreeView>(window, u"sessionTree")->model()->rowCount(), 2);
    auto *client = qobject_cast<ui::TcpClientPane *>(window.currentPane());
    QVERIFY(client);
    // The window's refresh aims the client at the server once it listens.
    QTRY_VERIFY(!client->portEdit()->text().isEmpty());
    client->connectToTarget();
    QTRY_VERIFY(client->currentSession() && sessions.info(client->currentSession())->state == SessionState::Connected);
}

void tst_MainWindow::everyControlIsDescribedAndReachable_data()
{
    QTest::addColumn<int>("kind");
    QTest::newRow("TCP client") << 0;
    QTest::newRow("TCP server") << 1;
    QTest::newRow("UDP") << 2;
    QTest::newRow("Unix") << 3;
    QTest::newRow("Lookup") << 4;
    QTest::newRow("System sockets") << 5;
    QTest::newRow("Lessons") << 6;
}

void tst_MainWindow::everyControlIsDescribedAndReachable()
{
    QFETCH(int, kind);
    core::AppServices services;
    ui::MainWindow window(services);
    QWidget *pane = nullptr;
    switch (kind) {
    case 0: pane = window.newTcpClient(); break;
    case 1: pane = window.newTcpServer(); break;
    case 2: pane = window.newUdp(); break;
    case 3: pane = window.newUnix(); break;
    case 4: window.showLookup(); pane = window.currentPane(); break;
    case 5: window.showSystemSockets(); pane = window.currentPane(); break;
    default: window.showLessons(); pane = window.currentPane(); break;
    }
    QVERIFY(pane);
    QStringList undescribed, unreachable;
    const auto widgets = pane->findChildren<QWidget *>();
    int checked = 0;
    for (QWidget *w : widgets) {
        if (!isControl(w))
            continue;
        ++checked;
        const QString what = QStringLiteral("%1 \"%2\"").arg(QString::fromLatin1(w->metaObject()->className()),
                                                            w->accessibleName().isEmpty() ? w->objectName() : w->accessibleName());
        if (w->accessibleName().isEmpty() || w->toolTip().isEmpty())
            undescribed << what;
        if (!(w->focusPolicy() & Qt::TabFocus))
            unreachable << what;
    }
    QVERIFY(checked > 5);
    QVERIFY2(undescribed.isEmpty(), qPrintable(QStringLiteral("no accessible name or tooltip: ") + undescribed.join(QLatin1String(", "))));
    QVERIFY2(unreachable.isEmpty(), qPrintable(QStringLiteral("not reachable by Tab: ") + unreachable.join(QLatin1String(", "))));
}

void tst_MainWindow::closingAPaneClosesItsSessions()
{
    core::AppServices services;
    core::SessionManager &sessions = services.sessions;
    ui::MainWindow window(services);
    ui::TcpServerPane *server = window.newTcpServer();
    server->startWith(QStringLiteral("127.0.0.1"), 0, ServiceMode::Echo);
    const SessionId listener = server->listener();
    QTRY_COMPARE(sessions.info(listener)->state, SessionState::Listening);
    window.selectPane(server);
    const int before = named<QTreeView>(window, u"sessionTree")->model()->rowCount();
    window.closeCurrentPane(); // what Session > Close pane (Ctrl+W) does
    QCOMPARE(named<QTreeView>(window, u"sessionTree")->model()->rowCount(), before - 1);
    QTRY_COMPARE(sessions.info(listener)->state, SessionState::Closed);
}

void tst_MainWindow::treeListsAcceptedConnections()
{
    core::AppServices services;
    core::SessionManager &sessions = services.sessions;
    ui::MainWindow window(services);
    ui::TcpServerPane *server = window.newTcpServer();
    server->startWith(QStringLiteral("127.0.0.1"), 0, ServiceMode::Echo);
    QTRY_COMPARE(sessions.info(server->listener())->state, SessionState::Listening);
    const Address at = sessions.info(server->listener())->local;
    const auto clients = tests::connectClients(at, 3);
    QVERIFY(clients);
    QAbstractItemModel *model = named<QTreeView>(window, u"sessionTree")->model();
    const QModelIndex serverRow = model->index(0, 0);
    QTRY_COMPARE(model->rowCount(serverRow), 3);
    QVERIFY(model->index(0, 0, serverRow).data().toString().contains(QLatin1String("connected")));
    // Selecting a child drives that connection in the server pane.
    named<QTreeView>(window, u"sessionTree")->setCurrentIndex(model->index(1, 0, serverRow));
    QCOMPARE(named<ui::ConnectionView>(*server, u"connectionView")->session(), server->childSessions().at(1));
}

// Watch TCP (Ctrl+Shift+W) opens beside the pane without widening a 1280 px window, aims
// at the client's Port field before it connects, then follows its connection and, in the
// server pane, the accepted end of it.
void tst_MainWindow::watchDockFollowsTheSelectedConnection()
{
    core::AppServices services;
    core::SessionManager &sessions = services.sessions;
    ui::MainWindow window(services);
    ui::TcpClientPane *client = openWorkbench(window);
    QVERIFY(client);
    const quint16 port = client->portEdit()->text().toUShort();
    QVERIFY(!window.watchDock()->isVisible());
    QAction *toggle = window.watchDock()->toggleViewAction();
    QCOMPARE(toggle->shortcut(), QKeySequence(QStringLiteral("Ctrl+Shift+W")));
    named<ui::LadderPanel>(*named<ui::ConnectionWatch>(window, u"connectionWatch"), u"ladder")->setCaptureEnabled(false);
    toggle->trigger();
    QTRY_VERIFY(window.watchDock()->isVisible());
    QTRY_COMPARE(named<ui::ConnectionWatch>(window, u"connectionWatch")->port(), port);
    QTest::qWait(100); // a fixed wait is the point: the window may not grow as the dock settles
    QCOMPARE(window.width(), 1280);

    client->connectToTarget();
    QTRY_VERIFY(client->currentSession() && sessions.info(client->currentSession())->state == SessionState::Connected);
    QTRY_COMPARE(named<ui::ConnectionWatch>(window, u"connectionWatch")->session(), client->currentSession());
    QTRY_VERIFY(named<ui::ConnectionWatch>(window, u"connectionWatch")->flow());
    QCOMPARE(named<ui::ConnectionWatch>(window, u"connectionWatch")->flow()->client(), sessions.info(client->currentSession())->local);

    // The server pane's accepted end of the same connection.
    auto *server = window.findChild<ui::TcpServerPane *>();
    QVERIFY(server);
    window.selectPane(server);
    QTRY_COMPARE(server->childSessions().size(), 1);
    server->selectChild(server->childSessions().first());
    QTRY_COMPARE(named<ui::ConnectionWatch>(window, u"connectionWatch")->session(), server->childSessions().first());
    QTRY_VERIFY(named<ui::ConnectionWatch>(window, u"connectionWatch")->headline().contains(QStringLiteral("server end")));
    QTest::qWait(100); // a fixed wait is the point: the window may not grow as the dock settles
    QCOMPARE(window.width(), 1280);
}

void tst_MainWindow::mnemonicsAreUnique_data()
{
    everyControlIsDescribedAndReachable_data();
}

// Alt+letter leads to one place: in each pane, with the Watch TCP dock open beside it, no
// letter is claimed twice by the menu bar and the labels, buttons and tabs on screen (Qt
// would only cycle the focus between them).
void tst_MainWindow::mnemonicsAreUnique()
{
    QFETCH(int, kind);
    core::AppServices services;
    ui::MainWindow window(services);
    window.resize(1280, 800);
    window.show();
    QTRY_VERIFY(tests::isExposed(window));
    switch (kind) {
    case 0: window.newTcpClient(); break;
    case 1: window.newTcpServer(); break;
    case 2: window.newUdp(); break;
    case 3: window.newUnix(); break;
    case 4: window.showLookup(); break;
    case 5: window.showSystemSockets(); break;
    default: window.showLessons(); break;
    }
    named<ui::LadderPanel>(*named<ui::ConnectionWatch>(window, u"connectionWatch"), u"ladder")->setCaptureEnabled(false);
    window.watchDock()->toggleViewAction()->trigger();
    QTRY_VERIFY(window.watchDock()->isVisible());

    static const QRegularExpression mnemonic(QStringLiteral("(?<!&)&([^&\\s])"));
    QMap<QChar, QStringList> owners;
    int claims = 0;
    const auto claim = [&](const QString &text) {
        const QRegularExpressionMatch m = mnemonic.match(text);
        if (!m.hasMatch())
            return;
        ++claims;
        owners[m.captured(1).at(0).toLower()] << QString(text).remove(u'&');
    };
    for (QWidget *w : window.findChildren<QWidget *>()) {
        if (!w->isVisibleTo(&window))
            continue;
        if (auto *label = qobject_cast<QLabel *>(w); label && label->buddy())
            claim(label->text());
        else if (auto *button = qobject_cast<QAbstractButton *>(w))
            claim(button->text());
        else if (auto *tabs = qobject_cast<QTabWidget *>(w)) {
            for (int i = 0; i < tabs->count(); ++i)
                claim(tabs->tabText(i));
        }
    }
    for (QAction *menu : window.menuBar()->actions())
        claim(menu->text());
    QVERIFY(claims > 4); // the menu bar's and the pane's own
    QStringList clashes;
    for (auto it = owners.cbegin(); it != owners.cend(); ++it) {
        if (it.value().size() > 1)
            clashes << QStringLiteral("Alt+%1: %2").arg(it.key().toUpper(), it.value().join(QStringLiteral(", ")));
    }
    QVERIFY2(clashes.isEmpty(), qPrintable(clashes.join(QStringLiteral("; "))));
}

// DESIGN.md: one UI tick per window. A running workbench (the starter server and client,
// a second listening server pane on screen, Watch TCP and the system sockets pane open)
// never has more than one active QTimer (the composer's repeat timer, the user's send
// pacing, runs only while repeating), and once nothing moves it has none: the tick sleeps
// until the core rings.
void tst_MainWindow::oneTimerPerWindow()
{
    core::AppServices services;
    ui::MainWindow window(services);
    QVERIFY(openWorkbench(window));
    named<ui::LadderPanel>(*named<ui::ConnectionWatch>(window, u"connectionWatch"), u"ladder")->setCaptureEnabled(false); // no capture helper here
    window.watchDock()->toggleViewAction()->trigger();
    window.showSystemSockets();
    ui::TcpServerPane *server = window.newTcpServer();
    server->startWith(QStringLiteral("127.0.0.1"), 0, ServiceMode::Upper);
    QTRY_VERIFY(window.watchDock()->isVisible());

    const auto activeTimers = [&window] {
        QStringList names;
        for (const QTimer *t : window.findChildren<QTimer *>()) {
            // QStatusBar::showMessage(text, timeout) clears the message once: not a poll.
            if (t->isActive() && !qobject_cast<QStatusBar *>(t->parent()))
                names.append(t->objectName().isEmpty() ? QString::fromLatin1(t->parent()->metaObject()->className())
                                                       : t->objectName());
        }
        return names;
    };
    QStringList most;
    QElapsedTimer clock;
    clock.start();
    while (clock.elapsed() < 1500) {
        const QStringList now = activeTimers();
        if (now.size() > most.size())
            most = now;
        QTest::qWait(10); // a fixed wait is the point: sampling the timers over 1.5 s
    }
    QVERIFY2(most.size() <= 1, qPrintable(most.join(QStringLiteral(", "))));
    QTRY_VERIFY2_WITH_TIMEOUT(activeTimers().isEmpty(), qPrintable(activeTimers().join(QStringLiteral(", "))), 5000);
}

void tst_MainWindow::rootWarningOnlyAsRoot()
{
    core::AppServices services;
    ui::MainWindow window(services);
    auto *warning = named<QLabel>(window, u"rootWarning");
    QCOMPARE(warning->isVisibleTo(&window), geteuid() == 0);
    QVERIFY(!warning->accessibleName().isEmpty());
    QVERIFY(warning->toolTip().contains(u"setcap cap_net_raw+ep sockscope-capture"));
    QCOMPARE(warning->textFormat(), Qt::PlainText);
    if (geteuid() == 0) {
        QCOMPARE(warning->text(), QStringLiteral("⚠ Running as root: not needed"));
        QVERIFY(warning->accessibleDescription().contains(u"setcap cap_net_raw+ep sockscope-capture"));
    }
}

namespace {

// Every file the app may write to in QStandardPaths' test mode (~/.qttest/...).
QList<QByteArray> savedFiles()
{
    QStringList roots;
    for (const auto location : {QStandardPaths::AppConfigLocation, QStandardPaths::GenericConfigLocation, QStandardPaths::AppDataLocation,
                                QStandardPaths::GenericDataLocation, QStandardPaths::CacheLocation, QStandardPaths::GenericCacheLocation,
                                QStandardPaths::AppLocalDataLocation})
        roots << QStandardPaths::writableLocation(location);
    roots.removeDuplicates();
    QList<QByteArray> contents;
    for (const QString &root : std::as_const(roots)) {
        QDirIterator it(root, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            QFile f(it.next());
            if (f.open(QIODevice::ReadOnly))
                contents << f.readAll();
        }
    }
    return contents;
}

bool anyContains(const QList<QByteArray> &files, const QByteArray &needle)
{
    return std::any_of(files.cbegin(), files.cend(), [&](const QByteArray &f) { return f.contains(needle); });
}

} // namespace

// The key typed in the server's gate and in the client is used, then the window goes:
// nothing on disk may hold it, in any spelling QSettings or a careless save would use. A
// snippet saved in the same run must be found there: the scan looks where saving goes.
void tst_MainWindow::hmacKeysAreNeverSaved()
{
    QSettings().clear();
    const QByteArray key = "gate-key-" + QByteArray::number(QRandomGenerator::global()->generate64(), 36);
    const QString control = QStringLiteral("snippet-%1").arg(QRandomGenerator::global()->generate64(), 0, 36);
    {
        core::AppServices services;
        ui::MainWindow window(services);
        window.show();
        QVERIFY(tests::tryUntil([&] { return tests::isExposed(window); }));
        ui::TcpServerPane *server = window.newTcpServer();
        named<QCheckBox>(*server, u"gateBox")->setChecked(true);
        QTest::keyClicks(named<QLineEdit>(*server, u"gateKeyEdit"), QString::fromUtf8(key));
        server->startWith(QStringLiteral("127.0.0.1"), 0, ServiceMode::Echo);
        QVERIFY(tests::tryUntil([&] { return server->portEdit()->text() != u"0"; }));
        QVERIFY(services.sessions.info(server->currentSession()));

        ui::TcpClientPane *client = window.newTcpClient();
        QTest::keyClicks(named<QLineEdit>(*client, u"keyEdit"), QString::fromUtf8(key));
        auto *composer = client->findChild<ui::Composer *>();
        QVERIFY(composer);
        composer->setText(QStringLiteral("sent by hand"));
        composer->saveSnippet(control);
        window.close();
    }
    QSettings().sync();
    const QList<QByteArray> files = savedFiles();
    QVERIFY2(anyContains(files, control.toUtf8()), "the saved snippet is not where the scan looks");
    QVERIFY(!anyContains(files, key));
    QVERIFY(!anyContains(files, key.toHex()));
    QVERIFY(!anyContains(files, key.toBase64()));
}

QTEST_MAIN(tst_MainWindow)
#include "tst_mainwindow.moc"
