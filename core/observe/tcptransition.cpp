#include "tcptransition.h"

#include <QCoreApplication>

#include <array>
#include <deque>

namespace sockscope::core {

namespace {

#define TR(text) QT_TRANSLATE_NOOP("sockscope::core::TcpTransition", text)

using S = TcpState;

// RFC 9293, section 3.3.2 (figure 5 and the event processing of 3.10), in reading order.
const std::array<TcpTransition, 22> kTransitions{{
    {S::Closed, S::Listen, TR("passive open (listen)"), nullptr, nullptr},
    {S::Closed, S::SynSent, TR("active open (connect)"), TR("snd SYN"), nullptr},
    {S::Listen, S::SynReceived, TR("rcv SYN"), TR("snd SYN,ACK"), nullptr},
    {S::Listen, S::SynSent, TR("send"), TR("snd SYN"), nullptr},
    {S::Listen, S::Closed, TR("close"), nullptr, nullptr},
    {S::SynSent, S::Established, TR("rcv SYN,ACK"), TR("snd ACK"), nullptr},
    {S::SynSent, S::SynReceived, TR("rcv SYN"), TR("snd ACK"),
     TR("simultaneous open; the segment sent repeats SYN with the ACK")},
    {S::SynSent, S::Closed, TR("close, timeout, or rcv RST"), nullptr, nullptr},
    {S::SynReceived, S::Established, TR("rcv ACK of SYN"), nullptr, nullptr},
    {S::SynReceived, S::FinWait1, TR("close"), TR("snd FIN"), nullptr},
    {S::SynReceived, S::Listen, TR("rcv RST"), nullptr, TR("came from LISTEN")},
    {S::Established, S::FinWait1, TR("close"), TR("snd FIN"), nullptr},
    {S::Established, S::CloseWait, TR("rcv FIN"), TR("snd ACK"), nullptr},
    {S::FinWait1, S::FinWait2, TR("rcv ACK of FIN"), nullptr, nullptr},
    {S::FinWait1, S::Closing, TR("rcv FIN"), TR("snd ACK"), TR("simultaneous close")},
    {S::FinWait1, S::TimeWait, TR("rcv FIN,ACK"), TR("snd ACK"), nullptr},
    {S::FinWait2, S::TimeWait, TR("rcv FIN"), TR("snd ACK"), nullptr},
    {S::Closing, S::TimeWait, TR("rcv ACK of FIN"), nullptr, nullptr},
    {S::CloseWait, S::LastAck, TR("close"), TR("snd FIN"), nullptr},
    {S::LastAck, S::Closed, TR("rcv ACK of FIN"), nullptr, nullptr},
    {S::TimeWait, S::Closed, TR("2 MSL timeout"), nullptr, nullptr},
    {std::nullopt, S::Closed, TR("rcv RST, or abort"), TR("snd RST"), nullptr},
}};

#undef TR

QString translated(const char *text)
{
    return text ? QCoreApplication::translate("sockscope::core::TcpTransition", text) : QString();
}

// Breadth first over the ordinary arrows (not the RST arrow), in table order, so that of
// two routes of equal length the one the RFC lists first wins (LISTEN -> SYN_RECEIVED ->
// ESTABLISHED rather than LISTEN -> SYN_SENT -> ESTABLISHED).
QList<int> shortestRoute(TcpState from, TcpState to, int maxArrows)
{
    struct Node
    {
        TcpState state;
        QList<int> route;
    };
    std::deque<Node> queue{{from, {}}};
    QList<TcpState> visited{from};
    while (!queue.empty()) {
        Node node = std::move(queue.front());
        queue.pop_front();
        if (node.route.size() >= maxArrows)
            continue;
        for (int i = 0; i < int(kTransitions.size()); ++i) {
            const TcpTransition &t = kTransitions[i];
            if (!t.from || *t.from != node.state || visited.contains(t.to))
                continue;
            QList<int> route = node.route;
            route.append(i);
            if (t.to == to)
                return route;
            visited.append(t.to);
            queue.push_back({t.to, std::move(route)});
        }
    }
    return {};
}

} // namespace

QString TcpTransition::eventText() const { return translated(event); }
QString TcpTransition::actionText() const { return translated(action); }
QString TcpTransition::noteText() const { return translated(note); }

QString TcpTransition::label() const
{
    return action ? eventText() + QStringLiteral(" / ") + actionText() : eventText();
}

std::span<const TcpTransition> tcpTransitions()
{
    return kTransitions;
}

QList<TcpState> rfcStates()
{
    return {S::Closed,    S::Listen,    S::SynSent, S::SynReceived, S::Established, S::FinWait1,
            S::FinWait2,  S::CloseWait, S::Closing, S::LastAck,     S::TimeWait};
}

bool isSynchronized(TcpState state)
{
    switch (rfcState(state)) {
    case S::Established:
    case S::FinWait1:
    case S::FinWait2:
    case S::CloseWait:
    case S::Closing:
    case S::LastAck:
    case S::TimeWait:
        return true;
    default:
        return false;
    }
}

std::optional<int> tcpTransitionIndex(TcpState from, TcpState to)
{
    from = rfcState(from);
    to = rfcState(to);
    std::optional<int> anySynchronized;
    for (int i = 0; i < int(kTransitions.size()); ++i) {
        const TcpTransition &t = kTransitions[i];
        if (t.to != to)
            continue;
        if (t.from == from)
            return i;
        if (!t.from && isSynchronized(from))
            anySynchronized = i;
    }
    return anySynchronized;
}

QList<int> tcpLikelyRoute(TcpState from, TcpState to)
{
    from = rfcState(from);
    to = rfcState(to);
    if (from == to)
        return {};
    if (QList<int> route = shortestRoute(from, to, 2); !route.isEmpty())
        return route;
    if (const auto direct = tcpTransitionIndex(from, to))
        return {*direct}; // only the RST arrow is left
    return shortestRoute(from, to, 4);
}

} // namespace sockscope::core
