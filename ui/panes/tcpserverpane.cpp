#include "tcpserverpane.h"

#include "models/connectionlistmodel.h"
#include "widgets/accessiblelabel.h"
#include "widgets/backlogview.h"
#include "widgets/bindexposure.h"
#include "widgets/connectionview.h"
#include "widgets/formhelpers.h"
#include "widgets/itemviewaccess.h"
#include "widgets/presetoptionslist.h"
#include "widgets/replymodes.h"
#include "widgets/ruleeditor.h"

#include "engine/sessionmanager.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QEvent>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

namespace sockscope::ui {

using namespace sockscope::core;

TcpServerPane::TcpServerPane(SessionManager &sessions, KernelWatch &kernel, QWidget *parent)
    : Pane(sessions, parent)
    , m_kernel(kernel)
{
    // ---- listen form
    m_bind = new QComboBox(this);
    m_bind->setObjectName(QStringLiteral("bindAddressBox"));
    m_bind->setEditable(true);
    m_bind->addItems({QStringLiteral("127.0.0.1"), QStringLiteral("::1"), QStringLiteral("0.0.0.0"), QStringLiteral("::")});
    describe(m_bind, tr("Bind address"), tr("The address bind() uses. 127.0.0.1 and ::1 are reachable only from this machine; 0.0.0.0 and :: listen on every interface."));
    m_port = new QLineEdit(QStringLiteral("0"), this);
    m_port->setMaximumWidth(90);
    describe(m_port, tr("Port"), tr("0 to 65535. 0 lets the system pick a free port, shown once listening. Ports below 1024 need privileges."));
    m_backlog = new QSpinBox(this);
    m_backlog->setObjectName(QStringLiteral("backlogBox"));
    m_backlog->setRange(0, 65535);
    m_backlog->setValue(5);
    describe(m_backlog, tr("Backlog"), tr("listen(backlog): how many completed connections may wait in the kernel's accept queue (capped by net.core.somaxconn)."));
    m_reuse = new QCheckBox(tr("SO_&REUSEADDR"), this);
    m_reuse->setChecked(true);
    describe(m_reuse, tr("SO_REUSEADDR"), tr("Set before bind(): lets the server rebind its port while old connections sit in TIME_WAIT."));
    m_autoAccept = new QCheckBox(tr("Accept a&utomatically"), this);
    m_autoAccept->setObjectName(QStringLiteral("autoAcceptBox"));
    m_autoAccept->setChecked(true);
    describe(m_autoAccept, tr("Accept automatically"), tr("Off: connections wait in the kernel's accept queue until you press Accept one."));
    m_mode = new QComboBox(this);
    m_mode->setObjectName(QStringLiteral("modeBox"));
    addReplyModes(m_mode);
    m_mode->setCurrentIndex(m_mode->findData(int(ServiceMode::Upper)));
    describe(m_mode, tr("Reply mode"), tr("What the server does with what it receives"));

    m_gate = new QCheckBox(tr("HMAC &gate"), this);
    m_gate->setObjectName(QStringLiteral("gateBox"));
    describe(m_gate, tr("HMAC gate"), tr("Verify each client first: send 32 random bytes; the client must answer HMAC(key, challenge) or be closed."));
    m_gateKey = new QLineEdit(this);
    m_gateKey->setObjectName(QStringLiteral("gateKeyEdit"));
    m_gateKey->setEchoMode(QLineEdit::Password);
    m_gateKey->setPlaceholderText(tr("shared key"));
    describe(m_gateKey, tr("HMAC key"), tr("The shared secret. It is never logged or shown in the call trace."));
    m_gateDigest = new QComboBox(this);
    m_gateDigest->setObjectName(QStringLiteral("gateDigestBox"));
    m_gateDigest->addItem(QStringLiteral("HMAC-SHA256"), int(HmacDigest::Sha256));
    m_gateDigest->addItem(QStringLiteral("HMAC-MD5"), int(HmacDigest::Md5));
    describe(m_gateDigest, tr("HMAC digest"), tr("MD5 is what the classic tutorial's clients use; SHA-256 is the sound choice."));
    m_gateKey->setEnabled(false);
    m_gateDigest->setEnabled(false);
    connect(m_gate, &QCheckBox::toggled, m_gateKey, &QWidget::setEnabled);
    connect(m_gate, &QCheckBox::toggled, m_gateDigest, &QWidget::setEnabled);

    m_start = new QPushButton(tr("Liste&n"), this);
    m_start->setObjectName(QStringLiteral("startButton"));
    describe(m_start, tr("Listen"), tr("socket(), setsockopt(SO_REUSEADDR), bind(), listen(backlog)"));
    m_start->setDefault(true);
    m_stop = new QPushButton(tr("St&op"), this);
    m_stop->setObjectName(QStringLiteral("stopButton"));
    describe(m_stop, tr("Stop listening"), tr("Close the listening socket; accepted connections stay open."));
    m_stop->setEnabled(false);
    m_listenStatus = new QLabel(tr("Not listening"), this);
    m_listenStatus->setObjectName(QStringLiteral("listenStatus"));
    nameStatusLabel(m_listenStatus, tr("Listening status"));
    m_listenStatus->setTextFormat(Qt::PlainText);
    m_listenStatus->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_warning = makeWarningLabel(this);
    m_warning->setObjectName(QStringLiteral("bindWarning"));
    m_error = makeErrorLabel(this);

    auto *form = new QGridLayout;
    form->addWidget(buddyLabel(tr("&Bind address"), m_bind), 0, 0);
    form->addWidget(m_bind, 0, 1);
    form->addWidget(buddyLabel(tr("&Port"), m_port), 0, 2);
    form->addWidget(m_port, 0, 3);
    form->addWidget(buddyLabel(tr("Bac&klog"), m_backlog), 0, 4);
    form->addWidget(m_backlog, 0, 5);
    form->addWidget(buddyLabel(tr("Reply &mode"), m_mode), 1, 0);
    form->addWidget(m_mode, 1, 1);
    form->addWidget(m_reuse, 1, 2, 1, 2);
    form->addWidget(m_autoAccept, 1, 4, 1, 2);
    form->addWidget(m_gate, 2, 0);
    form->addWidget(m_gateKey, 2, 1);
    form->addWidget(m_gateDigest, 2, 2, 1, 2);
    form->setColumnStretch(1, 1);

    auto *actions = new QHBoxLayout;
    actions->addWidget(m_start);
    actions->addWidget(m_stop);
    actions->addWidget(m_listenStatus, 1);

    m_rules = new RuleEditor(true, this);
    m_rules->setObjectName(QStringLiteral("responderRules"));
    m_rulesToggle = makeExpander(tr("Responder rules"), m_rules, this);
    describe(m_rulesToggle, tr("Responder rules"),
             tr("Auto-replies for the Rules reply mode: framing, then rules tried in order, each with its hit count"));

    m_presets = new PresetOptionsList(this);
    m_presets->setObjectName(QStringLiteral("presetOptions"));
    m_presets->setSocketKind(AF_INET, SOCK_STREAM);
    m_presetsToggle = makeExpander(tr("Options before listen()"), m_presets, this);
    describe(m_presetsToggle, tr("Options before listen"),
             tr("setsockopt() calls made right after socket() (and SO_REUSEADDR), before bind() and listen(), in this order"));
    auto *listenBox = new QGroupBox(tr("Listen"), this);
    auto *listenLayout = new QVBoxLayout(listenBox);
    listenLayout->addLayout(form);
    listenLayout->addWidget(m_warning); // under the bind address it is about
    listenLayout->addWidget(m_presetsToggle, 0, Qt::AlignLeft);
    listenLayout->addWidget(m_presets);
    listenLayout->addWidget(m_rulesToggle, 0, Qt::AlignLeft);
    listenLayout->addWidget(m_rules);
    listenLayout->addLayout(actions);
    listenLayout->addWidget(m_error);

    // ---- connections
    m_acceptOne = new QPushButton(tr("&Accept one"), this);
    m_acceptOne->setObjectName(QStringLiteral("acceptOneButton"));
    describe(m_acceptOne, tr("Accept one"), tr("accept(): take the next connection waiting in the kernel's queue"));
    m_closeAll = new QPushButton(tr("Close all"), this);
    describe(m_closeAll, tr("Close all"), tr("close() every accepted connection (FIN)"));
    m_abortAll = new QPushButton(tr("Abort all"), this);
    describe(m_abortAll, tr("Abort all"), tr("Abort every accepted connection (RST)"));
    m_sendToAll = new QCheckBox(tr("Send to all"), this);
    describe(m_sendToAll, tr("Send to all"), tr("The composer sends to every open connection instead of the selected one"));
    m_counts = new QLabel(this);
    nameStatusLabel(m_counts, tr("Connection counts"));
    m_counts->setObjectName(QStringLiteral("connectionCounts"));
    m_counts->setTextFormat(Qt::PlainText);

    m_model = new ConnectionListModel(m_sessions, this);
    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("connectionTable"));
    m_table->setModel(m_model);
    makeItemViewAccessible(m_table);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    m_table->horizontalHeader()->setStretchLastSection(true);
    // Fixed widths: sizing columns to their contents would read every row of a server that
    // holds thousands of connections on each refresh.
    const int digit = m_table->fontMetrics().horizontalAdvance(QLatin1Char('0'));
    for (const auto &[column, digits] : {std::pair{ConnectionListModel::Id, 7}, std::pair{ConnectionListModel::Peer, 22},
                                         std::pair{ConnectionListModel::Received, 10}})
        m_table->setColumnWidth(column, digit * digits);
    // The state after a transfer, "connected · peer closed (EOF)", is read whole.
    SessionInfo afterTransfer;
    afterTransfer.state = SessionState::Connected;
    afterTransfer.peerClosed = true;
    m_table->setColumnWidth(ConnectionListModel::State, columnWidthFor(m_table, describeState(afterTransfer)));
    describe(m_table, tr("Accepted connections"), tr("Each connection accepted by this server; select one to drive it below"));
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &TcpServerPane::onSelectionChanged);

    // The connection list sits beside the selected connection, so the traffic view keeps
    // the pane's full height.
    auto *connButtons = new QGridLayout;
    connButtons->addWidget(m_acceptOne, 0, 0);
    connButtons->addWidget(m_sendToAll, 0, 1);
    connButtons->addWidget(m_closeAll, 1, 0);
    connButtons->addWidget(m_abortAll, 1, 1);
    m_counts->setWordWrap(true);
    auto *connBox = new QGroupBox(tr("Connections"), this);
    connBox->setMinimumWidth(260);
    auto *connLayout = new QVBoxLayout(connBox);
    connLayout->addLayout(connButtons);
    connLayout->addWidget(m_counts);
    connLayout->addWidget(m_table, 1);

    m_view = new ConnectionView(m_sessions, this);
    m_view->setObjectName(QStringLiteral("connectionView"));
    m_backlogView = new BacklogView(m_sessions, m_kernel, this);
    m_backlogView->setObjectName(QStringLiteral("backlogView"));
    describe(m_backlogView, tr("Accept queue"),
             tr("Connections the kernel completed that wait for accept(), against listen()'s backlog; once it is full, "
                "new clients are left in SYN_SENT, retrying"));
    // The queue shares the right-hand side with the selected connection: beside the list and
    // Accept one, so a press is seen to take a connection out of the queue and into the list.
    m_detailTabs = new QTabWidget(this);
    m_detailTabs->setObjectName(QStringLiteral("detailTabs"));
    m_detailTabs->setDocumentMode(true);
    m_view->setContentsMargins(0, 4, 0, 0); // its own layout has none: keep it off the tab bar
    m_detailTabs->addTab(m_view, tr("Selected &connection"));
    m_detailTabs->addTab(m_backlogView, tr("Accept &queue"));
    m_detailTabs->setTabToolTip(0, tr("The connection selected in the list: its traffic and the composer"));
    m_detailTabs->setTabToolTip(1, m_backlogView->toolTip());
    describe(m_detailTabs, tr("Connection details"), tr("The selected connection, or the listener's accept queue"));

    auto *split = m_split = new QSplitter(Qt::Horizontal, this);
    m_connBox = connBox;
    split->addWidget(connBox);
    split->addWidget(m_detailTabs);
    split->setStretchFactor(0, 0);
    split->setStretchFactor(1, 1);
    split->setSizes({330, 700});
    split->setChildrenCollapsible(false);
    // In a narrow pane (the Watch TCP dock open beside it) the list gives way to the
    // connection: the session tree lists the same connections, and a drag brings it back.
    split->setCollapsible(0, true);
    split->setMinimumWidth(m_detailTabs->minimumSizeHint().width()); // not the sum of both
    split->installEventFilter(this); // folds the list when both do not fit

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(listenBox);
    layout->addWidget(split, 1);

    connect(m_start, &QPushButton::clicked, this, &TcpServerPane::start);
    connect(m_stop, &QPushButton::clicked, this, &TcpServerPane::stop);
    connect(m_bind, &QComboBox::currentTextChanged, this, &TcpServerPane::updateBindWarning);
    connect(m_port, &QLineEdit::textEdited, this, [this] { showError(m_error, {}); });
    connect(m_acceptOne, &QPushButton::clicked, this, [this] { m_sessions.acceptOne(m_listener); });
    connect(m_autoAccept, &QCheckBox::toggled, this, [this](bool on) {
        if (m_listener)
            m_sessions.setAutoAccept(m_listener, on);
        // Turning accept off is asking to watch clients pile up in the queue.
        if (!on)
            m_detailTabs->setCurrentWidget(m_backlogView);
    });
    followReplyControls(m_mode, m_rulesToggle, m_rules, this, [this] { applyService(); });
    connect(m_closeAll, &QPushButton::clicked, this, [this] { m_sessions.closeChildren(m_listener, false); });
    connect(m_abortAll, &QPushButton::clicked, this, [this] { m_sessions.closeChildren(m_listener, true); });
    connect(m_sendToAll, &QCheckBox::toggled, this, [this](bool on) { m_view->setSendToAll(on, m_listener); });
    refresh();
}

void TcpServerPane::applyService()
{
    if (!m_listener)
        return;
    const auto choice = chosenService(m_mode, m_rules);
    if (!choice)
        return; // the editor says what is wrong; the server keeps what it had
    m_rules->setServing(choice->rules);
    // The pane's connections follow too: the next message is answered the new way.
    m_sessions.setService(m_listener, choice->mode, choice->rules);
    for (const SessionId child : childSessions())
        m_sessions.setService(child, choice->mode, choice->rules);
}

void TcpServerPane::startWith(const QString &bindAddress, quint16 port, ServiceMode mode)
{
    m_bind->setCurrentText(bindAddress);
    m_port->setText(QString::number(port));
    m_mode->setCurrentIndex(m_mode->findData(int(mode)));
    start();
}

void TcpServerPane::start()
{
    auto port = Address::parsePort(m_port->text());
    if (!port) {
        showError(m_error, tr("Port: %1").arg(port.error().message()));
        m_port->setFocus();
        return;
    }
    auto bind = Address::ip(m_bind->currentText(), *port);
    if (!bind) {
        showError(m_error, tr("Bind address: %1").arg(bind.error().message()));
        m_bind->setFocus();
        return;
    }
    m_presets->setSocketKind(bind->family(), SOCK_STREAM);
    if (!m_presets->isValid()) {
        m_presetsToggle->setChecked(true);
        showError(m_error, tr("Options before listen(): correct the option shown in red"));
        return;
    }
    if (m_gate->isChecked() && m_gateKey->text().isEmpty()) {
        showError(m_error, tr("HMAC key: give the shared key, or turn the gate off"));
        m_gateKey->setFocus();
        return;
    }
    const auto choice = chosenService(m_mode, m_rules);
    if (!choice) {
        m_rulesToggle->setChecked(true);
        showError(m_error, tr("Responder rules: %1").arg(m_rules->errorText()));
        return;
    }
    showError(m_error, {});
    ListenSpec spec;
    spec.bind = *bind;
    spec.backlog = m_backlog->value();
    spec.reuseAddr = m_reuse->isChecked();
    spec.autoAccept = m_autoAccept->isChecked();
    spec.options = m_presets->settings();
    spec.service = choice->mode;
    spec.responder = choice->rules;
    m_rules->setServing(choice->rules);
    if (m_gate->isChecked())
        spec.gate = HmacGateConfig{m_gateKey->text().toUtf8(), HmacDigest(m_gateDigest->currentData().toInt())};
    m_listener = m_sessions.listen(spec);
    m_model->setListener(m_listener);
    m_view->setSendToAll(m_sendToAll->isChecked(), m_listener);
    m_shownVersion = ~quint64(0);
    emit currentSessionChanged(currentSession());
    refresh();
}

void TcpServerPane::stop()
{
    if (m_listener)
        m_sessions.close(m_listener);
}

void TcpServerPane::shutdownSessions()
{
    if (!m_listener)
        return;
    m_sessions.closeChildren(m_listener, false);
    m_sessions.close(m_listener);
}

void TcpServerPane::updateBindWarning()
{
    showError(m_warning, bindExposureWarning(m_bind->currentText(), Exposed::Connections));
}

void TcpServerPane::onSelectionChanged()
{
    const SessionId id = m_model->idAt(m_table->currentIndex().row());
    m_view->setSession(id);
    if (id && !m_showingNewest) // the accept queue may be what the user is watching
        m_detailTabs->setCurrentWidget(m_view);
    emit currentSessionChanged(currentSession());
}

SessionId TcpServerPane::currentSession() const
{
    return m_view->session() ? m_view->session() : m_listener;
}

QList<SessionId> TcpServerPane::childSessions() const
{
    return m_listener ? m_sessions.children(m_listener) : QList<SessionId>();
}

void TcpServerPane::selectChild(SessionId id)
{
    m_model->refresh();
    const int row = m_model->rowOf(id);
    if (row >= 0)
        m_table->selectRow(row);
}

QString TcpServerPane::title() const
{
    const auto info = m_listener ? m_sessions.info(m_listener) : std::nullopt;
    if (info && info->local.isValid())
        return tr("TCP server %1").arg(info->local.toString());
    return tr("TCP server");
}

QString TcpServerPane::status() const
{
    const auto info = m_listener ? m_sessions.info(m_listener) : std::nullopt;
    if (!info)
        return tr("not listening");
    if (info->error)
        return info->error->name();
    if (info->acceptStalled)
        return tr("%1, accept paused: %2").arg(sessionStateName(info->state), info->acceptStalled->name());
    return sessionStateName(info->state);
}

void TcpServerPane::refresh()
{
    m_model->refresh();
    // Until one is chosen, the newest connection is shown (after a transfer, the one that
    // made it) rather than "No connection"; a connection the user chose stays chosen.
    if (!m_table->currentIndex().isValid() && m_model->rowCount() > 0) {
        m_showingNewest = true;
        m_table->selectRow(m_model->rowCount() - 1);
        m_showingNewest = false;
    }
    m_view->refresh();
    m_rules->refreshHits();
    const auto info = m_listener ? m_sessions.info(m_listener) : std::nullopt;
    const bool listening = info && info->state == SessionState::Listening;
    const int open = m_model->openCount();
    // The kernel's accept queue (TCP_INFO of the listener: tcpi_unacked / tcpi_sacked)
    // grows without any call of ours, so ask for a fresh sample a few times a second.
    if (listening && ++m_ticks % 8 == 0)
        m_sessions.sampleKernel(m_listener);
    QString counts = tr("%n open connection(s)", nullptr, open) + (info ? tr(", %1 accepted in all").arg(info->accepted) : QString());
    if (listening && info->tcpInfo)
        counts += tr("\naccept queue: %1 waiting / backlog %2").arg(info->tcpInfo->acceptQueue()).arg(info->tcpInfo->backlog());
    setStatusText(m_counts, counts);
    m_acceptOne->setEnabled(listening && !m_autoAccept->isChecked());
    m_closeAll->setEnabled(open > 0);
    m_abortAll->setEnabled(open > 0);
    if (info && info->version == m_shownVersion)
        return;
    m_shownVersion = info ? info->version : ~quint64(0);
    m_start->setEnabled(!listening);
    m_stop->setEnabled(listening);
    m_backlogView->setListener(listening ? m_listener : 0);
    for (QWidget *w : {static_cast<QWidget *>(m_bind), static_cast<QWidget *>(m_port), static_cast<QWidget *>(m_backlog),
                       static_cast<QWidget *>(m_reuse), static_cast<QWidget *>(m_gate), static_cast<QWidget *>(m_presets)})
        w->setEnabled(!listening);
    m_gateKey->setEnabled(!listening && m_gate->isChecked());
    m_gateDigest->setEnabled(!listening && m_gate->isChecked());
    if (!info) {
        setStatusText(m_listenStatus, tr("Not listening"));
    } else if (listening) {
        QString text = tr("Listening on %1 (backlog %2)").arg(info->local.toString()).arg(info->backlog);
        if (info->acceptStalled) {
            text += tr(" — accept() paused: %1. The clients wait in the queue; accepting resumes by itself when a "
                       "descriptor is free.")
                        .arg(info->acceptStalled->toString());
        }
        setStatusText(m_listenStatus, text);
        if (m_port->text() == u"0")
            m_port->setText(QString::number(info->local.port()));
    } else if (info->error) {
        setStatusText(m_listenStatus, tr("Not listening"));
        QString text = info->error->toString();
        if (!info->error->hint().isEmpty())
            text += QStringLiteral(" — ") + info->error->hint();
        showError(m_error, text);
    } else {
        setStatusText(m_listenStatus, tr("Stopped"));
    }
}

bool TcpServerPane::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_split && event->type() == QEvent::Resize) {
        const int width = m_split->width();
        const int both = m_connBox->minimumSizeHint().width() + m_split->handleWidth() + m_detailTabs->minimumSizeHint().width();
        const QList<int> sizes = m_split->sizes();
        if (width < both && sizes.value(0) > 0)
            m_split->setSizes({0, width});
        else if (width >= both && sizes.value(0) == 0)
            m_split->setSizes({m_connBox->minimumSizeHint().width(), width - m_connBox->minimumSizeHint().width()});
    }
    return Pane::eventFilter(watched, event);
}

} // namespace sockscope::ui
