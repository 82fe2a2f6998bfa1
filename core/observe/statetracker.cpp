#include "statetracker.h"

namespace sockscope::core {

QString StateTracker::connectionKey(const Address &local, const Address &peer)
{
    return local.toString() + u'|' + peer.toString();
}

StateTracker::Outcome StateTracker::apply(const QList<SocketEntry> &dump, qint64 nowNs, const Coverage &covered)
{
    Outcome outcome;
    const quint64 changesBefore = m_nextSeq;

    std::map<QString, SocketEntry> seen;
    for (const SocketEntry &e : dump) {
        if (e.protocol != DiagProtocol::Tcp || !e.tcpState)
            continue;
        const TcpState state = rfcState(*e.tcpState);
        outcome.transient = outcome.transient || isTransient(state);
        QString key = connectionKey(e.local, e.peer);
        // SO_REUSEPORT listeners can share an address pair; the first one speaks for all.
        if (seen.contains(key))
            continue;
        const auto before = m_current.find(key);
        std::optional<TcpState> from;
        if (before != m_current.end())
            from = rfcState(*before->second.tcpState);
        if (!from || *from != state) {
            timelineFor(key)->record(state, nowNs, StateSource::SockDiag);
            pushChange(StateChange{0, nowNs, from, state, e});
        }
        seen.emplace(std::move(key), e);
    }
    for (auto &[key, last] : m_current) {
        if (seen.contains(key))
            continue;
        if (!covered(last)) {
            seen.emplace(key, std::move(last)); // not looked at this time: as it was
            continue;
        }
        timelineFor(key)->record(TcpState::Closed, nowNs, StateSource::SockDiag);
        pushChange(StateChange{0, nowNs, rfcState(*last.tcpState), TcpState::Closed, last});
        m_ended.push_back(key);
    }
    while (qsizetype(m_ended.size()) > kEndedTimelines) {
        // A pair that came back (a port reused) keeps its timeline while it lives.
        if (!seen.contains(m_ended.front()))
            m_timelines.erase(m_ended.front());
        m_ended.pop_front();
    }
    m_current = std::move(seen);
    outcome.changed = m_nextSeq != changesBefore;
    return outcome;
}

std::shared_ptr<StateTimeline> StateTracker::timelineFor(const QString &key)
{
    auto &slot = m_timelines[key];
    if (!slot)
        slot = std::make_shared<StateTimeline>();
    return slot;
}

void StateTracker::pushChange(StateChange change)
{
    change.seq = m_nextSeq++;
    m_changes.push_back(std::move(change));
    while (qsizetype(m_changes.size()) > kChangeLogCapacity)
        m_changes.pop_front();
}

std::vector<StateChange> StateTracker::changesSince(quint64 after, quint64 *missed) const
{
    std::vector<StateChange> out;
    const quint64 oldest = m_changes.empty() ? m_nextSeq : m_changes.front().seq;
    if (missed)
        *missed = after + 1 < oldest ? oldest - after - 1 : 0;
    for (const StateChange &c : m_changes) {
        if (c.seq > after)
            out.push_back(c);
    }
    return out;
}

std::shared_ptr<const StateTimeline> StateTracker::timeline(const Address &local, const Address &peer) const
{
    const auto it = m_timelines.find(connectionKey(local, peer));
    return it == m_timelines.end() ? nullptr : it->second;
}

} // namespace sockscope::core
