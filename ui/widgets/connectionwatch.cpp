#include "connectionwatch.h"

#include "uitick.h"

#include "accessiblelabel.h"
#include "theme.h"
#include "formhelpers.h"
#include "itemviewaccess.h"
#include "ladderpanel.h"
#include "statediagram.h"

#include "engine/sessionmanager.h"
#include "observe/capturefilter.h"
#include "observe/kernelwatch.h"

#include <QHeaderView>
#include <QHideEvent>
#include <QLabel>
#include <QSplitter>
#include <QTabWidget>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace sockscope::ui {

using namespace sockscope::core;
using FlowEnd = FlowTimelines::End;

namespace {

StateDiagram::End diagramEnd(FlowEnd end)
{
    return end == FlowEnd::Client ? StateDiagram::End::Client : StateDiagram::End::Server;
}

bool isTcpOverIp(const SessionInfo &info)
{
    return info.type == SOCK_STREAM && (info.family == AF_INET || info.family == AF_INET6);
}

} // namespace

ConnectionWatch::ConnectionWatch(SessionManager &sessions, KernelWatch &kernel, CaptureService &captures, QWidget *parent)
    : QWidget(parent)
    , m_sessions(sessions)
    , m_kernel(kernel)
{
    auto *layout = new QVBoxLayout(this);
    m_headline = new QLabel(this);
    nameStatusLabel(m_headline, tr("Watched connection"));
    m_headline->setTextFormat(Qt::PlainText);
    m_headline->setWordWrap(true);
    layout->addWidget(m_headline);

    auto *split = new QSplitter(Qt::Vertical, this);
    m_diagram = new StateDiagram(split);
    m_diagram->setObjectName(QStringLiteral("diagram"));
    describe(m_diagram, tr("TCP state diagram"),
             tr("The RFC 9293 state machine: client end blue, server end orange, the path each took so far traced; "
                "dashed steps were too quick to see and are inferred"));
    split->addWidget(m_diagram);
    m_tabs = new QTabWidget(split);
    m_tabs->setObjectName(QStringLiteral("tabs"));
    m_ladder = new LadderPanel(captures, m_tabs);
    m_ladder->setObjectName(QStringLiteral("ladder"));
    m_tabs->addTab(m_ladder, tr("Packet ladder"));
    m_timeline = new QTreeWidget(m_tabs);
    m_timeline->setObjectName(QStringLiteral("timelineView"));
    makeItemViewAccessible(m_timeline);
    m_timeline->setRootIsDecorated(false);
    m_timeline->setUniformRowHeights(true);
    m_timeline->setHeaderLabels({tr("Time"), tr("End"), tr("State"), tr("Seen by")});
    m_timeline->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    describe(m_timeline, tr("Connection timeline"),
             tr("Every state each end entered, when it began (from the first one) and the witness that saw it first: "
                "TCP_INFO of our socket, a sock_diag dump, or a captured packet"));
    m_tabs->addTab(m_timeline, tr("Timeline"));
    split->addWidget(m_tabs);
    // The diagram keeps its aspect, so more height than ~0.7 x its width is white space:
    // the rest goes to the ladder.
    split->setStretchFactor(0, 0);
    split->setStretchFactor(1, 1);
    split->setSizes({360, 400});
    split->setChildrenCollapsible(false);
    layout->addWidget(split, 1);

    // The ladder's segments are one more witness of the states.
    connect(m_ladder, &LadderPanel::segmentsChanged, this, &ConnectionWatch::refresh);
    // Pulled when the followed session or the port's sock_diag view changes.
    m_tick = UiTick::subscribe(this, kRefreshMs, [this] {
        refresh();
        return false;
    });
    m_tick->listen(m_sessions.doorbells());
    m_tick->listen(m_kernel.doorbells());
    refresh();
}

ConnectionWatch::~ConnectionWatch() = default;

void ConnectionWatch::follow(SessionId id, quint16 portHint)
{
    if (id == m_id && portHint == m_hint)
        return;
    m_id = id;
    m_hint = portHint;
    if (isVisible())
        refresh();
}

ConnectionWatch::Target ConnectionWatch::targetOf(const std::optional<SessionInfo> &info) const
{
    Target t;
    if (!info) {
        t.port = m_hint;
        t.interfaceName = QStringLiteral("any"); // where the client will connect is not known yet
        t.why = m_hint ? tr("Waiting for a connection to port %1: connect, and watch it happen.").arg(m_hint)
                       : tr("Select a TCP client, server or accepted connection to watch it.");
        return t;
    }
    if (!isTcpOverIp(*info)) {
        t.why = tr("Only TCP sockets over IP have TCP states: this one is %1.").arg(sessionRoleName(info->role));
        return t;
    }
    const bool peerKnown = info->peer.isValid() && info->peer.port() != 0;
    const bool localKnown = info->local.isValid() && info->local.port() != 0;
    switch (info->role) {
    case SessionRole::Client:
        t.port = peerKnown ? info->peer.port() : m_hint;
        t.interfaceName = peerKnown ? CaptureFilter::interfaceFor(info->local, info->peer) : QStringLiteral("any");
        if (peerKnown && localKnown) {
            t.client = info->local;
            t.server = info->peer;
            t.ours = FlowEnd::Client;
        }
        break;
    case SessionRole::Accepted:
        t.port = info->local.port();
        t.interfaceName = CaptureFilter::interfaceFor(info->local, info->peer);
        if (peerKnown && localKnown) {
            t.client = info->peer;
            t.server = info->local;
            t.ours = FlowEnd::Server;
        }
        break;
    case SessionRole::Listener:
        t.port = localKnown ? info->local.port() : 0;
        t.interfaceName = CaptureFilter::interfaceFor(info->local, std::nullopt);
        t.listener = true;
        break;
    default:
        break;
    }
    if (!t.client && !t.listener)
        t.why = t.port ? tr("Connecting to port %1…").arg(t.port) : tr("Not connected yet.");
    return t;
}

void ConnectionWatch::refresh()
{
    const std::optional<SessionInfo> info = m_id ? m_sessions.info(m_id) : std::nullopt;
    const Target target = targetOf(info);
    watchPort(target.port, target.interfaceName);
    followFlow(target);
    collect(info, target);

    if (m_flow) {
        const FlowEnd ours = target.ours.value_or(FlowEnd::Client);
        setStatusText(m_headline, tr("%1 %2  ⇄  %3 %4   (this session is the %5 end)")
                                .arg(tr("client"), m_flow->client().toString(), tr("server"), m_flow->server().toString(),
                                     flowEndName(ours)));
    } else if (target.listener) {
        setStatusText(m_headline, tr("Listening on %1. Select one of its connections to follow both ends; the ladder shows "
                               "the first connection to port %2.").arg(info->local.toString()).arg(target.port));
    } else {
        setStatusText(m_headline, target.why);
    }
}

void ConnectionWatch::watchPort(quint16 port, const QString &interfaceName)
{
    if (port == m_port) {
        // "any" sees loopback too: a capture started there from the port hint keeps its SYN.
        const QString current = m_ladder->interfaceName();
        if (port && interfaceName != current && current != u"any")
            m_ladder->watchPort(port, interfaceName);
        return;
    }
    m_port = port;
    m_flow.reset();
    m_shownVersion = ~quint64(0);
    m_listenerShown = false;
    m_diagram->clear();
    m_timeline->clear();
    m_ladder->setStateTimelines(nullptr, nullptr);
    m_ladder->watchPort(port, interfaceName);
    lookAtPort();
}

void ConnectionWatch::lookAtPort()
{
    if (m_port && isVisible())
        m_looking = m_kernel.watchStates(m_port);
    else
        m_looking.reset(); // nobody looks: no sock_diag dumps for us
}

void ConnectionWatch::followFlow(const Target &target)
{
    if (!target.client) {
        if (target.listener && !m_listenerShown) {
            m_diagram->clear();
            m_diagram->setEndTitle(StateDiagram::End::Server, tr("listener"));
            m_diagram->setStates(StateDiagram::End::Server, {TcpState::Listen});
            m_listenerShown = true;
        }
        return;
    }
    if (m_flow && m_flow->client() == *target.client && m_flow->server() == *target.server)
        return;
    m_flow = std::make_unique<FlowTimelines>(*target.client, *target.server);
    m_shownVersion = ~quint64(0);
    m_listenerShown = false;
    m_diagram->clear();
    m_diagram->setEndTitle(StateDiagram::End::Client, tr("client %1").arg(target.client->toString()));
    m_diagram->setEndTitle(StateDiagram::End::Server, tr("server %1").arg(target.server->toString()));
    m_ladder->setFlow(m_flow->flow());
}

void ConnectionWatch::collect(const std::optional<SessionInfo> &info, const Target &target)
{
    if (!m_flow)
        return;
    // The session just did something (a shutdown, a close): sample the kernel now rather
    // than at the watcher's slowed-down pace, so the state it led to is seen on time.
    if (info && info->version != m_sessionVersion) {
        m_sessionVersion = info->version;
        m_kernel.wake();
    }
    // TCP_INFO reads the descriptor's socket. When the connection enters TIME_WAIT the
    // kernel hands that end to a separate time-wait socket and leaves the descriptor's in
    // CLOSE, so CLOSED from TCP_INFO says nothing about the connection: sock_diag and the
    // packets tell when the end is really gone.
    if (info && info->tcpInfo && target.ours && info->tcpInfo->state != TcpState::Closed)
        m_flow->record(*target.ours, info->tcpInfo->state, info->tcpInfoNs, StateSource::TcpInfo);
    if (auto seen = m_kernel.timeline(m_flow->client(), m_flow->server()))
        m_flow->merge(FlowEnd::Client, *seen);
    if (auto seen = m_kernel.timeline(m_flow->server(), m_flow->client()))
        m_flow->merge(FlowEnd::Server, *seen);
    m_flow->recordSegments(m_ladder->segments());
    if (m_flow->version() != m_shownVersion) {
        m_shownVersion = m_flow->version();
        showTimeline();
    }
}

void ConnectionWatch::showTimeline()
{
    for (const FlowEnd end : {FlowEnd::Client, FlowEnd::Server})
        m_diagram->setTimeline(diagramEnd(end), *m_flow->timeline(end));
    // Without packets the ladder draws the kernel's states alone.
    const bool packets = !m_ladder->segments().isEmpty();
    if (packets)
        m_ladder->setStateTimelines(nullptr, nullptr);
    else
        m_ladder->setStateTimelines(m_flow->timeline(FlowEnd::Client), m_flow->timeline(FlowEnd::Server));

    m_timeline->clear();
    const QList<FlowTimelines::Row> rows = m_flow->rows();
    if (rows.isEmpty())
        return;
    const qint64 start = rows.first().entry.timeNs;
    QList<QTreeWidgetItem *> items;
    for (const FlowTimelines::Row &r : rows) {
        auto *item = new QTreeWidgetItem({QStringLiteral("+%1 ms").arg(double(r.entry.timeNs - start) / 1e6, 0, 'f', 3),
                                          flowEndName(r.end), tcpStateName(r.entry.state), stateSourceName(r.entry.source)});
        item->setForeground(1, Theme(palette()).color(Theme::end(r.end == FlowEnd::Client)));
        item->setTextAlignment(0, Qt::AlignRight | Qt::AlignVCenter);
        items.append(item);
    }
    m_timeline->addTopLevelItems(items);
}

QString ConnectionWatch::headline() const
{
    return m_headline->text();
}

void ConnectionWatch::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    lookAtPort();
    if (m_resumeCapture) {
        m_resumeCapture = false;
        m_ladder->setCaptureEnabled(true); // a fresh capture: the stopped one cannot be continued
    }
    refresh();
}

void ConnectionWatch::hideEvent(QHideEvent *event)
{
    QWidget::hideEvent(event);
    lookAtPort();
    // Closed (not minimized with the window): no capture helper keeps running unseen. What it
    // caught stays on the ladder until the watch is shown again.
    if (!event->spontaneous() && m_ladder->captureEnabled() && m_port) {
        m_resumeCapture = true;
        m_ladder->setCaptureEnabled(false);
    }
}

} // namespace sockscope::ui
