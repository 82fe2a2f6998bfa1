#include "statetimeline.h"

#include <algorithm>

namespace sockscope::core {

QString stateSourceName(StateSource source)
{
    switch (source) {
    case StateSource::TcpInfo: return QStringLiteral("TCP_INFO");
    case StateSource::SockDiag: return QStringLiteral("sock_diag");
    case StateSource::Packet: return QStringLiteral("packet");
    }
    return {};
}

StateTimeline::StateTimeline(qsizetype capacity)
    : m_capacity(std::max<qsizetype>(1, capacity))
{
}

bool StateTimeline::record(TcpState state, qint64 timeNs, StateSource source)
{
    state = rfcState(state);
    std::lock_guard lock(m_mutex);
    const auto next = std::upper_bound(m_entries.begin(), m_entries.end(), timeNs,
                                       [](qint64 t, const StateEntry &e) { return t < e.timeNs; });
    if (next != m_entries.begin() && std::prev(next)->state == state)
        return false;
    if (next != m_entries.end() && next->state == state) {
        next->timeNs = timeNs;
        next->source = source;
    } else {
        m_entries.insert(next, StateEntry{state, timeNs, source});
        while (qsizetype(m_entries.size()) > m_capacity) {
            m_entries.pop_front();
            ++m_dropped;
        }
    }
    ++m_version;
    return true;
}

QList<StateEntry> StateTimeline::entries() const
{
    std::lock_guard lock(m_mutex);
    return QList<StateEntry>(m_entries.begin(), m_entries.end());
}

std::optional<StateEntry> StateTimeline::current() const
{
    std::lock_guard lock(m_mutex);
    if (m_entries.empty())
        return std::nullopt;
    return m_entries.back();
}

std::optional<TcpState> StateTimeline::stateAt(qint64 timeNs) const
{
    std::lock_guard lock(m_mutex);
    const auto next = std::upper_bound(m_entries.begin(), m_entries.end(), timeNs,
                                       [](qint64 t, const StateEntry &e) { return t < e.timeNs; });
    if (next == m_entries.begin())
        return std::nullopt;
    return std::prev(next)->state;
}

QList<TcpState> StateTimeline::path() const
{
    std::lock_guard lock(m_mutex);
    QList<TcpState> states;
    states.reserve(qsizetype(m_entries.size()));
    for (const StateEntry &e : m_entries)
        states.append(e.state);
    return states;
}

quint64 StateTimeline::version() const
{
    std::lock_guard lock(m_mutex);
    return m_version;
}

quint64 StateTimeline::dropped() const
{
    std::lock_guard lock(m_mutex);
    return m_dropped;
}

} // namespace sockscope::core
