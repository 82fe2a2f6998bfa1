#pragma once

#include "../net/tcpstate.h"

#include <QList>

#include <deque>
#include <mutex>
#include <optional>

namespace sockscope::core {

// Where a state was seen: the owning socket's getsockopt(TCP_INFO), a sock_diag dump, or
// a captured segment that implies it.
enum class StateSource : quint8 { TcpInfo, SockDiag, Packet };
QString stateSourceName(StateSource source); // "TCP_INFO", "sock_diag", "packet"

struct StateEntry
{
    TcpState state = TcpState::Closed; // always an RFC state (never NewSynReceived)
    qint64 timeNs = 0;                 // CLOCK_MONOTONIC: when it was first seen
    StateSource source = StateSource::SockDiag;

    bool operator==(const StateEntry &) const = default;
};

// The states one end of one connection went through, oldest first, each with the moment
// and the witness that first saw it. Witnesses report late and out of order (a sampler
// sees a state up to one period after it began, packets come through a pipe), so a
// report is placed by its time: one that shows a state began earlier than recorded moves
// that entry back, one that repeats the state already current adds nothing.
// Thread-safe: a sampler records, the UI and the CLI read.
class StateTimeline
{
public:
    static constexpr qsizetype kDefaultCapacity = 256;

    explicit StateTimeline(qsizetype capacity = kDefaultCapacity);

    // True when the timeline changed.
    bool record(TcpState state, qint64 timeNs, StateSource source);

    QList<StateEntry> entries() const;
    std::optional<StateEntry> current() const;
    std::optional<TcpState> stateAt(qint64 timeNs) const; // nullopt before the first entry
    QList<TcpState> path() const;                          // the states alone, in order
    quint64 version() const;                               // bumps on every change
    quint64 dropped() const;                               // oldest entries let go at capacity

private:
    mutable std::mutex m_mutex;
    std::deque<StateEntry> m_entries;
    qsizetype m_capacity;
    quint64 m_version = 0;
    quint64 m_dropped = 0;
};

} // namespace sockscope::core
