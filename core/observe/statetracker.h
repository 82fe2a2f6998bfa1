#pragma once

#include "sockdiag.h"
#include "statetimeline.h"

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <vector>

namespace sockscope::core {

// A TCP socket entering a state: first seen (from empty), changed, or gone from the
// kernel's tables (to Closed).
struct StateChange
{
    quint64 seq = 0;                // 1, 2, 3, ... per tracker
    qint64 timeNs = 0;              // CLOCK_MONOTONIC, when the dump that saw it returned
    std::optional<TcpState> from;   // nullopt: the first sighting
    TcpState to = TcpState::Closed; // an RFC state; Closed when the socket left the table
    SocketEntry entry;              // as seen then (for Closed: as last seen)
};

// Turns successive sock_diag dumps of TCP sockets into state changes, kept in a bounded
// log and in one StateTimeline per connection end, keyed by its address pair (which
// outlives the socket object: a TIME_WAIT socket is a new kernel object with the same
// pair). No thread and no lock of its own: KernelWatch feeds it under its mutex.
class StateTracker
{
public:
    static constexpr qsizetype kChangeLogCapacity = 4096;
    static constexpr qsizetype kEndedTimelines = 1024; // timelines of gone sockets kept

    // Which sockets a dump covered: one absent from a dump is gone only if the dump would
    // have shown it. A socket of a port nobody watches any more is neither gone nor
    // present; it is compared again when its port is watched again.
    using Coverage = std::function<bool(const SocketEntry &)>;

    struct Outcome
    {
        bool changed = false;   // a change was logged
        bool transient = false; // a transient state (SYN_SENT, FIN_WAIT_1, ...) is present
    };
    static QString connectionKey(const Address &local, const Address &peer); // "local|peer"

    Outcome apply(const QList<SocketEntry> &dump, qint64 nowNs, const Coverage &covered);

    quint64 nextSeq() const { return m_nextSeq; }
    // Changes with seq > after, oldest first; `missed` counts ones already let go.
    std::vector<StateChange> changesSince(quint64 after, quint64 *missed = nullptr) const;
    std::shared_ptr<const StateTimeline> timeline(const Address &local, const Address &peer) const;

private:
    std::shared_ptr<StateTimeline> timelineFor(const QString &key);
    void pushChange(StateChange change);

    std::map<QString, SocketEntry> m_current; // connection key -> the socket last seen
    std::map<QString, std::shared_ptr<StateTimeline>> m_timelines;
    std::deque<QString> m_ended; // keys of gone sockets, oldest first
    std::deque<StateChange> m_changes;
    quint64 m_nextSeq = 1;
};

} // namespace sockscope::core
