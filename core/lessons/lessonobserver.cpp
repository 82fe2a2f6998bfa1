#include "lessonobserver.h"

#include "../engine/monotonic.h"

namespace sockscope::core {

namespace {

bool same(const Address &a, const Address &b)
{
    return a.isValid() && b.isValid() && a.toString() == b.toString();
}

const SocketEntry *findPair(const Address &local, const Address &peer, const QList<SocketEntry> &dump)
{
    for (const SocketEntry &e : dump) {
        if (e.tcpState && *e.tcpState != TcpState::Listen && same(e.local, local) && same(e.peer, peer))
            return &e;
    }
    return nullptr;
}

} // namespace

LessonObserver::LessonObserver()
{
    if (auto diag = SockDiag::open())
        m_diag = std::move(*diag);
    else
        m_openError = diag.error();
}

void LessonObserver::setFocus(const LessonFocus &focus)
{
    m_focus = focus;
    m_client.clear();
    m_server.clear();
    m_serverConnected = false;
    m_clientTitle.clear();
    m_serverTitle.clear();
}

void LessonObserver::append(QList<LessonPathPoint> &path, TcpState state, bool observed)
{
    state = rfcState(state);
    if (!path.isEmpty() && path.last().state == state)
        return;
    path.append(LessonPathPoint{state, observed, monotonicNs()});
}

void LessonObserver::imply(const QString &actor, const QList<TcpState> &states)
{
    QList<LessonPathPoint> *path = actor == m_focus.client ? &m_client
                                   : actor == m_focus.server || actor == m_focus.listener ? &m_server
                                                                                          : nullptr;
    if (!path)
        return;
    for (TcpState s : states)
        append(*path, s, false);
}

const SocketEntry *LessonObserver::find(const LessonStage::Actor &actor, const QList<SocketEntry> &dump)
{
    if (actor.listener) {
        for (const SocketEntry &e : dump) {
            if (e.tcpState == TcpState::Listen && same(e.local, actor.local))
                return &e;
        }
        return nullptr;
    }
    return findPair(actor.local, actor.peer, dump);
}

std::optional<TcpState> LessonObserver::stateOf(const LessonStage::Actor &actor, const QList<SocketEntry> &dump)
{
    const SocketEntry *e = find(actor, dump);
    return e && e->tcpState ? std::optional(rfcState(*e->tcpState)) : std::nullopt;
}

TcpState LessonObserver::serverState(const LessonStage &stage)
{
    const LessonStage::Actor *server = stage.actor(m_focus.server);
    const LessonStage::Actor *client = stage.actor(m_focus.client);
    const SocketEntry *conn = nullptr;
    if (server && server->local.isValid() && server->peer.isValid()) {
        conn = find(*server, m_dump);
        m_serverTitle = QStringLiteral("%1 %2").arg(server->name, server->local.toString());
    } else if (client && client->local.isValid() && client->peer.isValid()) {
        // Not accepted yet: the kernel holds the server end in the listener's queue.
        conn = findPair(client->peer, client->local, m_dump);
        if (conn) // not accepted: no actor holds it yet
            m_serverTitle = QStringLiteral("%1 %2").arg(m_focus.server.isEmpty() ? m_focus.listener : m_focus.server,
                                                        conn->local.toString());
    }
    if (conn) {
        m_serverConnected = true;
        return *conn->tcpState;
    }
    if (m_serverConnected)
        return TcpState::Closed; // the connection left the table
    if (const LessonStage::Actor *listener = stage.actor(m_focus.listener)) {
        m_serverTitle = QStringLiteral("%1 %2").arg(listener->name, listener->local.toString());
        return stateOf(*listener, m_dump).value_or(TcpState::Closed);
    }
    return TcpState::Closed;
}

std::expected<QList<SocketEntry>, SysError> LessonObserver::observe(const LessonStage &stage)
{
    if (!m_diag.isValid())
        return std::unexpected(m_openError.value_or(SysError::fromErrno(EBADF)));
    DiagQuery query;
    query.protocols = int(DiagProtocol::Tcp);
    auto dump = m_diag.dump(query);
    if (!dump)
        return std::unexpected(dump.error());
    m_dump = *dump;

    TcpState client = TcpState::Closed;
    if (const LessonStage::Actor *c = stage.actor(m_focus.client)) {
        if (c->local.isValid())
            m_clientTitle = QStringLiteral("%1 %2").arg(c->name, c->local.toString());
        if (const auto s = stateOf(*c, m_dump))
            client = *s;
    }
    append(m_client, client, true);
    append(m_server, serverState(stage), true);
    return m_dump;
}

} // namespace sockscope::core
