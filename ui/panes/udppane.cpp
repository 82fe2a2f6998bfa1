#include "udppane.h"

#include "multicastform.h"

#include "widgets/accessiblelabel.h"
#include "widgets/bindexposure.h"
#include "widgets/composer.h"
#include "widgets/replymodes.h"
#include "widgets/ruleeditor.h"
#include "widgets/formhelpers.h"
#include "widgets/trafficview.h"

#include "engine/sessionmanager.h"

#include <QCheckBox>
#include <QComboBox>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSplitter>
#include <QToolButton>
#include <QVBoxLayout>

namespace sockscope::ui {

using namespace sockscope::core;

UdpPane::UdpPane(SessionManager &sessions, QWidget *parent)
    : Pane(sessions, parent)
{
    m_family = new QComboBox(this);
    m_family->addItem(tr("IPv4"), AF_INET);
    m_family->addItem(tr("IPv6"), AF_INET6);
    describe(m_family, tr("Address family"), tr("socket(AF_INET or AF_INET6, SOCK_DGRAM)"));
    m_bind = new QCheckBox(tr("&Bind"), this);
    m_bind->setObjectName(QStringLiteral("bindBox"));
    m_bind->setChecked(true);
    describe(m_bind, tr("Bind"), tr("bind() to a local address so others can send to you; without it the first sendto() picks a port"));
    m_bindHost = new QLineEdit(QStringLiteral("127.0.0.1"), this);
    m_bindHost->setObjectName(QStringLiteral("bindHostEdit"));
    describe(m_bindHost, tr("Bind address"), tr("Local address to bind (127.0.0.1, ::1, 0.0.0.0, ::)"));
    m_bindPort = new QLineEdit(QStringLiteral("0"), this);
    m_bindPort->setObjectName(QStringLiteral("bindPortEdit"));
    m_bindPort->setMaximumWidth(90);
    describe(m_bindPort, tr("Bind port"), tr("0 to 65535; 0 lets the system pick"));
    m_broadcast = new QCheckBox(tr("SO_BROAD&CAST"), this);
    describe(m_broadcast, tr("SO_BROADCAST"), tr("Allow sendto() a broadcast address (EACCES without it)"));
    m_connected = new QCheckBox(tr("co&nnect() to target"), this);
    describe(m_connected, tr("Connect to target"), tr("connect() a UDP socket: send() goes to the target and only its datagrams are received"));
    m_mode = new QComboBox(this);
    m_mode->setObjectName(QStringLiteral("modeBox"));
    m_mode->addItem(tr("None"), int(ServiceMode::None));
    m_mode->addItem(tr("Echo"), int(ServiceMode::Echo));
    m_mode->addItem(tr("Upper"), int(ServiceMode::Upper));
    m_mode->addItem(tr("Rules (responder)"), int(ServiceMode::Rules));
    describe(m_mode, tr("Reply mode"), tr("Answer every datagram to its sender: as is (echo), uppercased (the tutorial's UDP "
                                          "server), or by the first of your rules that matches"));
    m_open = new QPushButton(tr("&Open"), this);
    m_open->setObjectName(QStringLiteral("openButton"));
    m_open->setDefault(true);
    describe(m_open, tr("Open"), tr("socket(), [setsockopt(SO_BROADCAST)], [bind()], [connect()]"));
    m_close = new QPushButton(tr("C&lose"), this);
    describe(m_close, tr("Close"), tr("close() the socket"));
    m_status = new QLabel(tr("Not open"), this);
    nameStatusLabel(m_status, tr("Socket status"));
    m_status->setTextFormat(Qt::PlainText);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_targetHost = new QLineEdit(QStringLiteral("127.0.0.1"), this);
    m_targetHost->setObjectName(QStringLiteral("targetHostEdit"));
    describe(m_targetHost, tr("Target host"), tr("Numeric address datagrams go to (sendto)"));
    m_targetPort = new QLineEdit(this);
    m_targetPort->setObjectName(QStringLiteral("targetPortEdit"));
    m_targetPort->setPlaceholderText(QStringLiteral("9999"));
    m_targetPort->setMaximumWidth(90);
    describe(m_targetPort, tr("Target port"), tr("1 to 65535"));
    m_reply = new QPushButton(tr("Reply to s&ender"), this);
    describe(m_reply, tr("Reply to sender"), tr("Set the target to the sender of the last datagram received"));
    m_error = makeErrorLabel(this);
    m_error->setObjectName(QStringLiteral("errorLabel"));
    m_bindWarning = makeWarningLabel(this);
    m_bindWarning->setObjectName(QStringLiteral("bindWarning"));

    auto *grid = new QGridLayout;
    grid->addWidget(buddyLabel(tr("Famil&y"), m_family), 0, 0);
    grid->addWidget(m_family, 0, 1);
    grid->addWidget(m_bind, 0, 2);
    grid->addWidget(m_bindHost, 0, 3);
    grid->addWidget(buddyLabel(tr("&Port"), m_bindPort), 0, 4);
    grid->addWidget(m_bindPort, 0, 5);
    grid->addWidget(buddyLabel(tr("Reply &mode"), m_mode), 1, 0);
    grid->addWidget(m_mode, 1, 1);
    grid->addWidget(m_broadcast, 1, 2);
    grid->addWidget(m_connected, 1, 3);
    grid->setColumnStretch(3, 1);
    auto *actions = new QHBoxLayout;
    actions->addWidget(m_open);
    actions->addWidget(m_close);
    actions->addWidget(m_status, 1);
    auto *socketBox = new QGroupBox(tr("Socket"), this);
    auto *socketLayout = new QVBoxLayout(socketBox);
    socketLayout->addLayout(grid);
    socketLayout->addWidget(m_bindWarning); // under the bind address it is about
    socketLayout->addLayout(actions);
    m_multicast = new MulticastForm(sessions, this);
    m_multicast->setObjectName(QStringLiteral("multicastForm"));
    m_multicastToggle = makeExpander(tr("Multicast"), m_multicast, this);
    m_multicastToggle->setObjectName(QStringLiteral("multicastToggle"));
    describe(m_multicastToggle, tr("Multicast"),
             tr("Join and leave groups on this socket, the TTL and loopback of what it sends to groups"));
    m_rules = new RuleEditor(false, this);
    m_rules->setObjectName(QStringLiteral("responderRules"));
    m_rulesToggle = makeExpander(tr("Responder rules"), m_rules, this);
    m_rulesToggle->setObjectName(QStringLiteral("rulesToggle"));
    describe(m_rulesToggle, tr("Responder rules"),
             tr("Auto-replies for the Rules reply mode: each datagram is one message, tried against the rules in order"));
    auto *expanders = new QHBoxLayout;
    expanders->addWidget(m_multicastToggle);
    expanders->addWidget(m_rulesToggle);
    expanders->addStretch(1);
    socketLayout->addLayout(expanders);
    socketLayout->addWidget(m_multicast);
    socketLayout->addWidget(m_rules);

    auto *targetRow = new QHBoxLayout;
    targetRow->addWidget(buddyLabel(tr("Tar&get"), m_targetHost));
    targetRow->addWidget(m_targetHost, 1);
    targetRow->addWidget(buddyLabel(tr("Po&rt"), m_targetPort));
    targetRow->addWidget(m_targetPort);
    targetRow->addWidget(m_reply);

    m_traffic = new TrafficView(this);
    m_traffic->setObjectName(QStringLiteral("trafficView"));
    m_traffic->setDetailsVisible(false);
    m_traffic->listen(m_sessions.doorbells());
    // Clear frees the session's record memory too; totals and SHA-256 keep counting.
    connect(m_traffic, &TrafficView::cleared, this, [this] {
        if (auto log = m_sessions.mutableTraffic(m_session))
            log->clear();
    });
    m_composer = new Composer(this);
    m_composer->setObjectName(QStringLiteral("composer"));
    m_composer->setFileSendingEnabled(false); // sendfile() is for streams
    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_traffic);
    split->addWidget(m_composer);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 1);
    split->setChildrenCollapsible(false);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(socketBox);
    layout->addLayout(targetRow);
    layout->addWidget(m_error);
    layout->addWidget(split, 1);

    connect(m_open, &QPushButton::clicked, this, &UdpPane::open);
    connect(m_close, &QPushButton::clicked, this, [this] { m_sessions.close(m_session); });
    connect(m_bind, &QCheckBox::toggled, m_bindHost, &QWidget::setEnabled);
    connect(m_bind, &QCheckBox::toggled, m_bindPort, &QWidget::setEnabled);
    connect(m_family, &QComboBox::currentIndexChanged, this, [this] {
        const bool v6 = m_family->currentData().toInt() == AF_INET6;
        m_bindHost->setText(v6 ? QStringLiteral("::1") : QStringLiteral("127.0.0.1"));
        m_targetHost->setText(v6 ? QStringLiteral("::1") : QStringLiteral("127.0.0.1"));
    });
    followReplyControls(m_mode, m_rulesToggle, m_rules, this, [this] { applyService(); });
    connect(m_bindHost, &QLineEdit::textChanged, this, &UdpPane::updateBindWarning);
    connect(m_bind, &QCheckBox::toggled, this, &UdpPane::updateBindWarning);
    connect(m_mode, &QComboBox::currentIndexChanged, this, &UdpPane::updateBindWarning);
    connect(m_reply, &QPushButton::clicked, this, &UdpPane::replyToSender);
    connect(m_composer, &Composer::sendRequested, this, &UdpPane::sendDatagram);
    refresh();
}

std::optional<Address> UdpPane::target(bool reportErrors)
{
    auto port = Address::parsePort(m_targetPort->text());
    if (!port || *port == 0) {
        if (reportErrors) {
            showError(m_error, tr("Target port: give a port from 1 to 65535"));
            m_targetPort->setFocus();
        }
        return std::nullopt;
    }
    auto addr = Address::ip(m_targetHost->text(), *port);
    if (!addr) {
        if (reportErrors) {
            showError(m_error, tr("Target host: %1").arg(addr.error().message()));
            m_targetHost->setFocus();
        }
        return std::nullopt;
    }
    return *addr;
}

void UdpPane::setTarget(const QString &host, quint16 port)
{
    m_targetHost->setText(host);
    m_targetPort->setText(QString::number(port));
}

void UdpPane::applyService()
{
    const auto choice = chosenService(m_mode, m_rules);
    if (!choice || !m_session)
        return; // the editor says what is wrong; the socket keeps what it had
    m_rules->setServing(choice->rules);
    m_sessions.setService(m_session, choice->mode, choice->rules);
}

void UdpPane::open()
{
    showError(m_error, {});
    const auto choice = chosenService(m_mode, m_rules);
    if (!choice) {
        m_rulesToggle->setChecked(true);
        showError(m_error, tr("Responder rules: %1").arg(m_rules->errorText()));
        return;
    }
    DatagramSpec spec;
    spec.family = m_family->currentData().toInt();
    spec.broadcast = m_broadcast->isChecked();
    spec.service = choice->mode;
    spec.responder = choice->rules;
    m_rules->setServing(choice->rules);
    if (m_bind->isChecked()) {
        auto port = Address::parsePort(m_bindPort->text());
        if (!port) {
            showError(m_error, tr("Bind port: %1").arg(port.error().message()));
            m_bindPort->setFocus();
            return;
        }
        auto addr = Address::ip(m_bindHost->text(), *port);
        if (!addr || addr->family() != spec.family) {
            showError(m_error, tr("Bind address: %1").arg(addr ? tr("not an address of the chosen family") : addr.error().message()));
            m_bindHost->setFocus();
            return;
        }
        spec.bind = *addr;
    }
    if (m_connected->isChecked()) {
        auto to = target(true);
        if (!to)
            return;
        spec.connectTo = *to;
    }
    spec.options += m_multicast->settingsBeforeBind(spec.family);
    if (m_session)
        m_sessions.close(m_session);
    m_session = m_sessions.openDatagram(spec);
    m_multicast->setSession(m_session, spec.family);
    m_traffic->setLog(m_sessions.traffic(m_session));
    m_shownVersion = ~quint64(0);
    emit currentSessionChanged(m_session);
    refresh();
}

// An unbound socket is bound by its first sendto() to the wildcard address: with a reply
// mode that is a server answering every network, though the user typed no address.
void UdpPane::updateBindWarning()
{
    QString text;
    if (m_bind->isChecked())
        text = bindExposureWarning(m_bindHost->text(), Exposed::Datagrams);
    else if (ServiceMode(m_mode->currentData().toInt()) != ServiceMode::None)
        text = tr("⚠ Without bind(), the first sendto() binds every address (0.0.0.0 or ::): the reply mode then answers "
                  "datagrams from every network this machine is on.");
    showError(m_bindWarning, text);
}

void UdpPane::sendDatagram(const QByteArray &bytes)
{
    const auto info = m_session ? m_sessions.info(m_session) : std::nullopt;
    if (!info || info->state != SessionState::Bound) {
        showError(m_error, tr("Socket: open the socket first"));
        return;
    }
    if (info->peer.isValid()) {
        m_sessions.send(m_session, bytes);
        return;
    }
    auto to = target(true);
    if (!to)
        return;
    showError(m_error, {});
    m_sessions.sendTo(m_session, bytes, *to);
}

void UdpPane::replyToSender()
{
    const auto traffic = m_session ? m_sessions.traffic(m_session) : nullptr;
    if (!traffic)
        return;
    const TrafficSnapshot snap = traffic->since(traffic->lastSeq() > 64 ? traffic->lastSeq() - 64 : 0);
    for (auto it = snap.records.crbegin(); it != snap.records.crend(); ++it) {
        if (it->direction == Direction::In && it->peer.isValid()) {
            setTarget(it->peer.host(), it->peer.port());
            showError(m_error, {});
            return;
        }
    }
    showError(m_error, tr("Target: no datagram has been received yet"));
}

void UdpPane::refresh()
{
    m_rules->refreshHits();
    const auto info = m_session ? m_sessions.info(m_session) : std::nullopt;
    if (info && info->version == m_shownVersion)
        return;
    m_shownVersion = info ? info->version : ~quint64(0);
    const bool open = info && info->state == SessionState::Bound;
    m_open->setEnabled(!open);
    m_close->setEnabled(open);
    m_composer->setEnabled(open);
    m_reply->setEnabled(open);
    for (QWidget *w : {static_cast<QWidget *>(m_family), static_cast<QWidget *>(m_bind), static_cast<QWidget *>(m_broadcast),
                       static_cast<QWidget *>(m_connected)})
        w->setEnabled(!open);
    m_bindHost->setEnabled(!open && m_bind->isChecked());
    m_bindPort->setEnabled(!open && m_bind->isChecked());
    if (!info) {
        setStatusText(m_status, tr("Not open"));
    } else if (open) {
        QString text = tr("Open on %1").arg(info->local.toString());
        if (info->peer.isValid())
            text += tr(", connected to %1").arg(info->peer.toString());
        // Loss the traffic view cannot show: these never reached us (SO_RXQ_OVFL).
        if (info->kernelDrops > 0)
            text += tr("; the kernel dropped %n datagram(s): receive queue full", nullptr, int(qMin<quint64>(info->kernelDrops, INT_MAX)));
        setStatusText(m_status, text);
        if (m_bindPort->text() == u"0")
            m_bindPort->setText(QString::number(info->local.port()));
    } else {
        setStatusText(m_status, info->error ? tr("Failed") : tr("Closed"));
        if (info->error)
            showError(m_error, info->error->toString() + (info->error->hint().isEmpty() ? QString() : QStringLiteral(" — ") + info->error->hint()));
    }
}

void UdpPane::shutdownSessions()
{
    if (m_session)
        m_sessions.close(m_session);
}

QString UdpPane::title() const
{
    const auto info = m_session ? m_sessions.info(m_session) : std::nullopt;
    return info && info->local.isValid() ? tr("UDP %1").arg(info->local.toString()) : tr("UDP socket");
}

QString UdpPane::status() const
{
    const auto info = m_session ? m_sessions.info(m_session) : std::nullopt;
    if (!info)
        return tr("not open");
    return info->error ? info->error->name() : sessionStateName(info->state);
}

} // namespace sockscope::ui
