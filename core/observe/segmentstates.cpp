#include "segmentstates.h"

#include <algorithm>

namespace sockscope::core {

namespace {

using S = TcpState;

struct End
{
    std::optional<TcpState> state;
    std::optional<quint32> finAck; // the relative ack that covers this end's FIN
};

// ack - fin >= 0 in sequence space (RFC 9293 compares modulo 2^32).
bool covers(quint32 ack, quint32 fin)
{
    return qint32(ack - fin) >= 0;
}

// How the server answered the first SYN: LISTEN if with a SYN-ACK, CLOSED (nobody
// listening) if with a RST, unknown if not yet.
std::optional<TcpState> serverBefore(const QList<Segment> &segments, const SegmentStates::Flow &flow)
{
    for (const Segment &s : segments) {
        if (!flow.contains(s) || !(s.src == flow.server))
            continue;
        if (s.has(TcpFlag::Syn))
            return S::Listen;
        if (s.has(TcpFlag::Rst))
            return S::Closed;
        return std::nullopt;
    }
    return std::nullopt;
}

// Effect of the ACK field on the receiving end: an acknowledged SYN or FIN moves it on.
void applyAck(const Segment &s, End &to)
{
    if (!s.has(TcpFlag::Ack) || !to.state)
        return;
    switch (*to.state) {
    case S::SynReceived:
        if (!s.has(TcpFlag::Syn) && covers(s.ack, 1))
            to.state = S::Established;
        break;
    case S::FinWait1:
        if (to.finAck && covers(s.ack, *to.finAck))
            to.state = S::FinWait2;
        break;
    case S::Closing:
        if (to.finAck && covers(s.ack, *to.finAck))
            to.state = S::TimeWait;
        break;
    case S::LastAck:
        if (to.finAck && covers(s.ack, *to.finAck))
            to.state = S::Closed;
        break;
    default:
        break;
    }
}

void applyFin(const Segment &s, End &from, End &to)
{
    from.finAck = s.seq + s.len + (s.has(TcpFlag::Syn) ? 2 : 1);
    if (from.state == S::Established || from.state == S::SynReceived || !from.state)
        from.state = S::FinWait1;
    else if (from.state == S::CloseWait)
        from.state = S::LastAck;

    if (to.state == S::Established || !to.state)
        to.state = S::CloseWait;
    else if (to.state == S::FinWait1)
        to.state = S::Closing;
    else if (to.state == S::FinWait2)
        to.state = S::TimeWait;
}

void apply(const Segment &s, End &from, End &to)
{
    if (s.has(TcpFlag::Rst)) {
        // Whoever sends or gets a RST is done with this connection (a listener keeps
        // listening, but this connection's end of it is gone).
        from.state = S::Closed;
        to.state = S::Closed;
        return;
    }
    if (s.has(TcpFlag::Syn) && !s.has(TcpFlag::Ack)) {
        if (!from.state || from.state == S::Closed)
            from.state = S::SynSent;
        if (to.state == S::Listen)
            to.state = S::SynReceived;
        return;
    }
    if (s.has(TcpFlag::Syn)) { // SYN-ACK
        if (!from.state || from.state == S::Listen)
            from.state = S::SynReceived;
        if (to.state == S::SynSent)
            to.state = S::Established;
    }
    // The capture began mid-flow: an ordinary segment means both ends are connected.
    if (!from.state)
        from.state = S::Established;
    if (!to.state)
        to.state = S::Established;
    applyAck(s, to);
    if (s.has(TcpFlag::Fin))
        applyFin(s, from, to);
}

} // namespace

bool SegmentStates::Flow::contains(const Segment &s) const
{
    return (s.src == client && s.dst == server) || (s.src == server && s.dst == client);
}

std::optional<SegmentStates::Flow> SegmentStates::firstFlow(const QList<Segment> &segments)
{
    if (segments.isEmpty())
        return std::nullopt;
    const Segment &first = segments.first();
    const Flow pair{first.src, first.dst};
    for (const Segment &s : segments) {
        if (pair.contains(s) && s.has(TcpFlag::Syn) && !s.has(TcpFlag::Ack))
            return Flow{s.src, s.dst};
    }
    return pair;
}

QList<EndStates> SegmentStates::infer(const QList<Segment> &segments, const Flow &flow)
{
    End client;
    End server;
    const bool opens = std::any_of(segments.cbegin(), segments.cend(), [&](const Segment &s) {
        return flow.contains(s) && s.has(TcpFlag::Syn) && !s.has(TcpFlag::Ack);
    });
    if (opens) {
        client.state = S::Closed;
        server.state = serverBefore(segments, flow);
    }
    QList<EndStates> out{EndStates{client.state, server.state}};
    for (const Segment &s : segments) {
        if (!flow.contains(s))
            continue;
        if (s.src == flow.client)
            apply(s, client, server);
        else
            apply(s, server, client);
        out.append(EndStates{client.state, server.state});
    }
    return out;
}

void SegmentStates::record(const QList<Segment> &segments, const Flow &flow, StateTimeline &client, StateTimeline &server)
{
    const QList<EndStates> states = infer(segments, flow);
    qsizetype i = 0;
    for (const Segment &s : segments) {
        if (!flow.contains(s))
            continue;
        const EndStates &before = states[i];
        const EndStates &after = states[i + 1];
        if (i == 0) {
            // The states held before the first segment began before it.
            if (before.client)
                client.record(*before.client, s.tNs - 1, StateSource::Packet);
            if (before.server)
                server.record(*before.server, s.tNs - 1, StateSource::Packet);
        }
        if (after.client)
            client.record(*after.client, s.tNs, StateSource::Packet);
        if (after.server)
            server.record(*after.server, s.tNs, StateSource::Packet);
        ++i;
    }
}

} // namespace sockscope::core
