#include "tcpclientpane.h"

#include "widgets/accessiblelabel.h"
#include "widgets/connectionview.h"
#include "widgets/replymodes.h"
#include "widgets/ruleeditor.h"
#include "widgets/formhelpers.h"
#include "widgets/presetoptionslist.h"

#include "engine/hmacgate.h"
#include "engine/lookupservice.h"
#include "engine/sessionmanager.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QToolButton>
#include <QVBoxLayout>

namespace sockscope::ui {

using namespace sockscope::core;

TcpClientPane::TcpClientPane(SessionManager &sessions, LookupService &lookups, QWidget *parent)
    : Pane(sessions, parent)
    , m_lookups(lookups)
{
    m_host = new QLineEdit(QStringLiteral("127.0.0.1"), this);
    describe(m_host, tr("Host"), tr("A name or a numeric address. Every address getaddrinfo() returns is tried in order."));
    m_port = new QLineEdit(this);
    m_port->setMaximumWidth(90);
    m_port->setPlaceholderText(QStringLiteral("8888"));
    describe(m_port, tr("Port"), tr("Port number (1 to 65535) or a service name from /etc/services"));
    m_family = new QComboBox(this);
    m_family->addItem(tr("Auto"), AF_UNSPEC);
    m_family->addItem(tr("IPv4"), AF_INET);
    m_family->addItem(tr("IPv6"), AF_INET6);
    describe(m_family, tr("Address family"), tr("AF_UNSPEC tries IPv6 and IPv4 as the resolver orders them; or force one family"));
    m_sourceHost = new QLineEdit(this);
    m_sourceHost->setPlaceholderText(tr("any"));
    describe(m_sourceHost, tr("Source address"), tr("Optional: bind() to this local address before connect()"));
    m_sourcePort = new QLineEdit(this);
    m_sourcePort->setPlaceholderText(QStringLiteral("0"));
    m_sourcePort->setMaximumWidth(90);
    describe(m_sourcePort, tr("Source port"), tr("Optional: bind() to this local port before connect(); 0 lets the system pick"));
    m_timeout = new QDoubleSpinBox(this);
    m_timeout->setObjectName(QStringLiteral("timeoutBox"));
    m_timeout->setRange(0, 600);
    m_timeout->setDecimals(1);
    m_timeout->setValue(10);
    m_timeout->setSuffix(tr(" s"));
    m_timeout->setSpecialValueText(tr("none"));
    describe(m_timeout, tr("Connect timeout"), tr("How long each connect() may take before ETIMEDOUT; 0 = wait as long as the kernel does"));
    m_connect = new QPushButton(tr("&Connect"), this);
    m_connect->setObjectName(QStringLiteral("connectButton"));
    m_connect->setDefault(true);
    describe(m_connect, tr("Connect"), tr("socket(), [bind()], connect() to each address in turn until one succeeds"));
    m_status = new QLabel(tr("Not connected"), this);
    nameStatusLabel(m_status, tr("Connection status"));
    m_status->setTextFormat(Qt::PlainText);
    m_attempts = new QLabel(this);
    nameStatusLabel(m_attempts, tr("Connection attempts"));
    m_attempts->setTextFormat(Qt::PlainText);
    m_attempts->setWordWrap(true);
    m_attempts->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error = makeErrorLabel(this);
    m_error->setObjectName(QStringLiteral("errorLabel"));

    auto *form = new QGridLayout;
    form->addWidget(buddyLabel(tr("H&ost"), m_host), 0, 0);
    form->addWidget(m_host, 0, 1);
    form->addWidget(buddyLabel(tr("&Port"), m_port), 0, 2);
    form->addWidget(m_port, 0, 3);
    form->addWidget(buddyLabel(tr("Famil&y"), m_family), 0, 4);
    form->addWidget(m_family, 0, 5);
    form->addWidget(buddyLabel(tr("So&urce"), m_sourceHost), 1, 0);
    form->addWidget(m_sourceHost, 1, 1);
    form->addWidget(buddyLabel(tr("Source po&rt"), m_sourcePort), 1, 2);
    form->addWidget(m_sourcePort, 1, 3);
    form->addWidget(buddyLabel(tr("Ti&meout"), m_timeout), 1, 4);
    form->addWidget(m_timeout, 1, 5);
    form->setColumnStretch(1, 1);
    auto *actions = new QHBoxLayout;
    actions->addWidget(m_connect);
    actions->addWidget(m_status, 1);

    m_presets = new PresetOptionsList(this);
    m_presets->setObjectName(QStringLiteral("presetOptions"));
    m_presets->setSocketKind(0, SOCK_STREAM);
    m_presetsToggle = makeExpander(tr("Options before connect()"), m_presets, this);
    m_presetsToggle->setObjectName(QStringLiteral("presetOptionsToggle"));
    describe(m_presetsToggle, tr("Options before connect"),
             tr("setsockopt() calls made right after socket(), before bind() and connect(), in this order"));
    connect(m_family, &QComboBox::currentIndexChanged, this, [this] { m_presets->setSocketKind(m_family->currentData().toInt() == AF_UNSPEC ? 0 : m_family->currentData().toInt(), SOCK_STREAM); });

    // What the client answers on its own: a built-in service or its responder rules, as a
    // server pane does (a client that must PONG a server's PING, log in, keep alive).
    m_mode = new QComboBox(this);
    m_mode->setObjectName(QStringLiteral("modeBox"));
    addReplyModes(m_mode);
    describe(m_mode, tr("Reply mode"), tr("What the client answers on its own to what it receives: nothing (you reply by hand), "
                                          "a built-in service, or your rules"));
    m_rules = new RuleEditor(true, this);
    m_rules->setObjectName(QStringLiteral("responderRules"));
    m_rulesToggle = makeExpander(tr("Responder rules"), m_rules, this);
    m_rulesToggle->setObjectName(QStringLiteral("rulesToggle"));
    describe(m_rulesToggle, tr("Responder rules"),
             tr("Auto-replies for the Rules reply mode: framing, then rules tried in order, each with its hit count"));
    auto *modeRow = new QHBoxLayout;
    modeRow->addWidget(buddyLabel(tr("Reply mode"), m_mode));
    modeRow->addWidget(m_mode);
    modeRow->addWidget(m_rulesToggle);
    modeRow->addStretch(1);

    auto *box = new QGroupBox(tr("Connect"), this);
    auto *boxLayout = new QVBoxLayout(box);
    boxLayout->addLayout(form);
    boxLayout->addWidget(m_presetsToggle, 0, Qt::AlignLeft);
    boxLayout->addWidget(m_presets);
    boxLayout->addLayout(modeRow);
    boxLayout->addWidget(m_rules);
    boxLayout->addLayout(actions);
    boxLayout->addWidget(m_attempts);
    boxLayout->addWidget(m_error);

    m_key = new QLineEdit(this);
    m_key->setObjectName(QStringLiteral("keyEdit"));
    m_key->setEchoMode(QLineEdit::Password);
    m_key->setPlaceholderText(tr("shared key"));
    describe(m_key, tr("HMAC key"), tr("The key shared with a server that uses an HMAC gate; never logged"));
    m_digest = new QComboBox(this);
    m_digest->setObjectName(QStringLiteral("digestBox"));
    m_digest->addItem(QStringLiteral("HMAC-SHA256"), int(HmacDigest::Sha256));
    m_digest->addItem(QStringLiteral("HMAC-MD5"), int(HmacDigest::Md5));
    describe(m_digest, tr("HMAC digest"), tr("Must match the server's digest"));
    m_answer = new QPushButton(tr("&Answer challenge"), this);
    m_answer->setObjectName(QStringLiteral("answerButton"));
    describe(m_answer, tr("Answer challenge"), tr("Send HMAC(key, the first 32 bytes received) back to the server"));
    auto *gate = new QHBoxLayout;
    gate->addWidget(buddyLabel(tr("HMAC &key"), m_key));
    gate->addWidget(m_key, 1);
    gate->addWidget(m_digest);
    gate->addWidget(m_answer);

    m_view = new ConnectionView(m_sessions, this);
    m_view->setObjectName(QStringLiteral("connectionView"));

    // The form scrolls when its expanded sections (options, rules) need more height than
    // the window has: at 1280x800 the traffic view keeps its room instead of the window
    // growing past the screen.
    auto *upper = new QWidget(this);
    auto *formLayout = new QVBoxLayout(upper);
    formLayout->setContentsMargins(0, 0, 0, 0);
    formLayout->addWidget(box);
    formLayout->addLayout(gate);
    formLayout->addStretch(1);
    auto *formScroll = new QScrollArea(this);
    formScroll->setObjectName(QStringLiteral("formScroll"));
    formScroll->setWidget(upper);
    formScroll->setWidgetResizable(true);
    formScroll->setFrameShape(QFrame::NoFrame);
    formScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    formScroll->setMaximumHeight(upper->sizeHint().height());
    formScroll->setMinimumHeight(qMin(upper->sizeHint().height(), 9 * fontMetrics().height()));
    for (QToolButton *expander : {m_presetsToggle, m_rulesToggle})
        connect(expander, &QToolButton::toggled, formScroll, [formScroll, upper] {
            formScroll->setMaximumHeight(upper->sizeHint().height());
        });

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(formScroll);
    layout->addWidget(m_view, 1);

    connect(m_connect, &QPushButton::clicked, this, &TcpClientPane::connectToTarget);
    connect(m_host, &QLineEdit::returnPressed, this, &TcpClientPane::connectToTarget);
    connect(m_port, &QLineEdit::returnPressed, this, &TcpClientPane::connectToTarget);
    connect(m_answer, &QPushButton::clicked, this, &TcpClientPane::answerChallenge);
    followReplyControls(m_mode, m_rulesToggle, m_rules, this, [this] { applyService(); });
    refresh();
}

void TcpClientPane::setTarget(const QString &host, quint16 port)
{
    m_host->setText(host);
    m_port->setText(QString::number(port));
}

void TcpClientPane::connectToTarget()
{
    showError(m_error, {});
    const QString host = m_host->text().trimmed();
    const QString port = m_port->text().trimmed();
    if (host.isEmpty()) {
        showError(m_error, tr("Host: give a name or an address"));
        m_host->setFocus();
        return;
    }
    if (port.isEmpty()) {
        showError(m_error, tr("Port: give a port number or a service name"));
        m_port->setFocus();
        return;
    }
    if (port.front().isDigit()) {
        if (auto p = Address::parsePort(port); !p || *p == 0) {
            showError(m_error, tr("Port: \"%1\" is not a port to connect to; give 1 to 65535").arg(port));
            m_port->setFocus();
            return;
        }
    }
    if (!m_sourcePort->text().trimmed().isEmpty()) {
        if (auto p = Address::parsePort(m_sourcePort->text()); !p) {
            showError(m_error, tr("Source port: %1").arg(p.error().message()));
            m_sourcePort->setFocus();
            return;
        }
    }
    if (!m_sourceHost->text().trimmed().isEmpty()) {
        if (auto a = Address::ip(m_sourceHost->text(), 0); !a) {
            showError(m_error, tr("Source address: %1").arg(a.error().message()));
            m_sourceHost->setFocus();
            return;
        }
    }
    if (!m_presets->isValid()) {
        m_presetsToggle->setChecked(true);
        showError(m_error, tr("Options before connect(): correct the option shown in red"));
        return;
    }
    if (!chosenService(m_mode, m_rules)) {
        m_rulesToggle->setChecked(true);
        showError(m_error, tr("Responder rules: %1").arg(m_rules->errorText()));
        return;
    }
    if (m_resolving)
        m_lookups.cancel(m_lookup);
    AddrInfoHints hints;
    hints.family = m_family->currentData().toInt();
    hints.socktype = SOCK_STREAM;
    m_resolving = true;
    setStatusText(m_status, tr("Resolving %1…").arg(host));
    m_lookup = m_lookups.getaddrinfo(host, port, hints, this, [this, host, port](const LookupResult<AddrInfoResult> &r) {
        m_resolving = false;
        if (!r.value) {
            setStatusText(m_status, tr("Not connected"));
            const SysError &error = r.value.error();
            showError(m_error, error.blamesService() ? tr("Port: getaddrinfo() refused \"%1\": %2").arg(port, error.toString())
                                                     : tr("Host: getaddrinfo(\"%1\") failed: %2").arg(host, error.toString()));
            return;
        }
        QList<Address> candidates;
        for (const AddrInfo &row : *r.value)
            candidates.append(row.address);
        onResolved(candidates);
    });
}

void TcpClientPane::onResolved(const QList<Address> &candidates)
{
    ConnectSpec spec;
    spec.candidates = candidates;
    spec.timeoutMs = int(m_timeout->value() * 1000);
    spec.options = m_presets->settings();
    // Checked before the lookup; rules edited since are checked again here.
    if (const auto choice = chosenService(m_mode, m_rules)) {
        spec.service = choice->mode;
        spec.responder = choice->rules;
        m_rules->setServing(choice->rules);
    }
    const QString sourceHost = m_sourceHost->text().trimmed();
    const QString sourcePort = m_sourcePort->text().trimmed();
    if (!sourceHost.isEmpty() || !sourcePort.isEmpty()) {
        const quint16 port = sourcePort.isEmpty() ? 0 : *Address::parsePort(sourcePort);
        if (!sourceHost.isEmpty()) {
            spec.source = *Address::ip(sourceHost, port);
        } else {
            // Only a port: bind the wildcard of each candidate's family (first one's here).
            spec.source = Address::any(candidates.first().family(), port);
        }
    }
    if (m_session)
        m_sessions.close(m_session);
    m_session = m_sessions.connect(spec);
    m_view->setSession(m_session);
    m_shownVersion = ~quint64(0);
    m_shownTrace = ~quint64(0);
    emit currentSessionChanged(m_session);
    refresh();
}

void TcpClientPane::applyService()
{
    const auto choice = chosenService(m_mode, m_rules);
    if (!choice || !m_session)
        return; // the editor says what is wrong; the connection keeps what it had
    m_rules->setServing(choice->rules);
    m_sessions.setService(m_session, choice->mode, choice->rules);
}

void TcpClientPane::answerChallenge()
{
    if (!m_session)
        return;
    const auto traffic = m_sessions.traffic(m_session);
    QByteArray challenge;
    for (const TrafficRecord &r : traffic->since(0).records) {
        if (r.direction == Direction::In)
            challenge += r.bytes;
        if (challenge.size() >= HmacGate::kChallengeBytes)
            break;
    }
    if (challenge.size() < HmacGate::kChallengeBytes) {
        showError(m_error, tr("HMAC key: no 32-byte challenge has arrived yet (%1 bytes so far)").arg(challenge.size()));
        return;
    }
    if (m_key->text().isEmpty()) {
        showError(m_error, tr("HMAC key: give the key shared with the server"));
        m_key->setFocus();
        return;
    }
    showError(m_error, {});
    m_sessions.send(m_session, HmacGate::answer(m_key->text().toUtf8(), challenge.first(HmacGate::kChallengeBytes),
                                                HmacDigest(m_digest->currentData().toInt())));
}

QString TcpClientPane::attemptsText() const
{
    const auto trace = m_sessions.trace(m_session);
    if (!trace)
        return {};
    QStringList lines;
    int n = 0;
    for (const CallRecord &c : trace->since(0)) {
        if (!c.code.startsWith(QLatin1String("s.connect(")))
            continue;
        lines << tr("%1. %2 → %3").arg(++n).arg(c.code.mid(10, c.code.size() - 11), c.ok() ? tr("connected") : c.error->name());
    }
    return lines.isEmpty() ? QString() : tr("Attempts: ") + lines.join(QStringLiteral("   "));
}

void TcpClientPane::refresh()
{
    m_view->refresh();
    m_rules->refreshHits();
    const auto info = m_session ? m_sessions.info(m_session) : std::nullopt;
    const bool connected = info && info->state == SessionState::Connected;
    m_answer->setEnabled(connected);
    if (m_resolving)
        return;
    if (m_session) {
        const quint64 traceSeq = m_sessions.trace(m_session)->lastSeq();
        if (traceSeq != m_shownTrace) {
            m_shownTrace = traceSeq;
            setStatusText(m_attempts, attemptsText());
        }
    }
    if (info && info->version == m_shownVersion)
        return;
    m_shownVersion = info ? info->version : ~quint64(0);
    const bool busy = info && (info->state == SessionState::Connecting || connected);
    m_connect->setEnabled(!busy);
    if (!info) {
        setStatusText(m_status, tr("Not connected"));
    } else if (info->state == SessionState::Connecting) {
        setStatusText(m_status, tr("Connecting to %1…").arg(info->peer.toString()));
    } else if (connected) {
        setStatusText(m_status, tr("Connected %1 → %2").arg(info->local.toString(), info->peer.toString()));
    } else if (info->error) {
        setStatusText(m_status, tr("Not connected"));
        QString text = info->error->toString();
        if (!info->error->hint().isEmpty())
            text += QStringLiteral(" — ") + info->error->hint();
        showError(m_error, text);
    } else {
        setStatusText(m_status, tr("Closed"));
    }
}

void TcpClientPane::shutdownSessions()
{
    if (m_resolving)
        m_lookups.cancel(m_lookup);
    if (m_session)
        m_sessions.close(m_session);
}

QString TcpClientPane::title() const
{
    const QString port = m_port->text().trimmed();
    return port.isEmpty() ? tr("TCP client") : tr("TCP client → %1:%2").arg(m_host->text().trimmed(), port);
}

QString TcpClientPane::status() const
{
    const auto info = m_session ? m_sessions.info(m_session) : std::nullopt;
    if (!info)
        return m_resolving ? tr("resolving") : tr("idle");
    if (info->error && info->state == SessionState::Closed)
        return info->error->name();
    return sessionStateName(info->state);
}

quint16 TcpClientPane::watchPort() const
{
    return Address::parsePort(m_port->text().trimmed()).value_or(0);
}

void TcpClientPane::setTimeoutMs(std::optional<int> ms)
{
    m_timeout->setValue(ms ? *ms / 1000.0 : 0);
}

} // namespace sockscope::ui
