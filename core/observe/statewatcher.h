#pragma once

#include "sockdiag.h"
#include "statetimeline.h"

#include "../engine/doorbell.h"
#include "../engine/workerthread.h"

#include <chrono>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace sockscope::core {

// A TCP socket entering a state: first seen (from empty), changed, or gone from the
// kernel's tables (to Closed).
struct StateChange
{
    quint64 seq = 0;                // 1, 2, 3, ... per watcher
    qint64 timeNs = 0;              // CLOCK_MONOTONIC, when the dump that saw it returned
    std::optional<TcpState> from;   // nullopt: the first sighting
    TcpState to = TcpState::Closed; // an RFC state; Closed when the socket left the table
    SocketEntry entry;              // as seen then (for Closed: as last seen)
};

// Samples the kernel's TCP table (sock_diag) and turns successive dumps into state
// changes, kept in a bounded log and in one StateTimeline per connection end (keyed by
// its address pair, which outlives the socket object: a TIME_WAIT socket is a new kernel
// object with the same pair).
//
// It runs on its own named thread rather than on the reactor: a host-wide dump costs
// milliseconds with thousands of sockets, and on the reactor every session's I/O would
// wait for it; it is also useful with no SessionManager at all (`sockscope-cli watch`,
// the system sockets pane). Owned sockets are still sampled with TCP_INFO on the reactor,
// where their descriptors live.
//
// The rate adapts: every 100 ms (never faster: 10 Hz at most) while something changes or
// a transient state (SYN_SENT, SYN_RECEIVED, FIN_WAIT_1, CLOSING, LAST_ACK) is present,
// then slowing down by doubling up to once a second when the table is quiet.
class StateWatcher
{
public:
    static constexpr std::chrono::milliseconds kFastest{100};
    static constexpr std::chrono::milliseconds kSlowest{1000};
    static constexpr qsizetype kChangeLogCapacity = 4096;
    static constexpr qsizetype kEndedTimelines = 1024; // timelines of gone sockets kept

    explicit StateWatcher(DiagQuery query = {});
    ~StateWatcher(); // stops and joins the thread

    StateWatcher(const StateWatcher &) = delete;
    StateWatcher &operator=(const StateWatcher &) = delete;

    // Starts the sampling thread; false (and error() says why) when sock_diag cannot be
    // opened.
    bool start();
    void stop();
    // One sample on the calling thread, for a caller that drives its own pace. Safe while
    // the thread runs.
    std::expected<void, SysError> sampleNow();
    // Ask for a sample soon (a command just changed something); the 10 Hz cap still holds.
    void wake();

    // Only TCP is watched; the port filter and tcpInfo apply.
    void setQuery(DiagQuery query);

    // Any thread.
    quint64 generation() const;   // bumps after every sample that changed something
    Doorbell::List &doorbells() { return m_doorbells; } // rung when the generation moves
    quint64 samples() const;      // dumps made so far
    std::chrono::milliseconds interval() const; // the current sampling period
    std::optional<SysError> error() const; // the last failure of open or dump
    QList<SocketEntry> snapshot() const;   // the last dump
    // Changes with seq > after, oldest first; `missed` counts ones already let go.
    std::vector<StateChange> changesSince(quint64 after, quint64 *missed = nullptr) const;
    std::shared_ptr<const StateTimeline> timeline(const Address &local, const Address &peer) const;

private:
    std::chrono::milliseconds step(); // on the thread: a sample when due, then the pause
    std::expected<void, SysError> sampleLocked();
    bool apply(QList<SocketEntry> dump, qint64 nowNs); // true when something changed
    std::shared_ptr<StateTimeline> timelineFor(const QString &key);
    void pushChange(StateChange change);

    std::mutex m_sampleMutex; // one dump at a time; guards m_diag
    SockDiag m_diag;

    Doorbell::List m_doorbells;
    mutable std::mutex m_mutex;
    DiagQuery m_query;
    std::chrono::milliseconds m_interval = kFastest;
    std::optional<SysError> m_error;
    quint64 m_generation = 0;
    quint64 m_samples = 0;
    QList<SocketEntry> m_snapshot;
    std::map<QString, SocketEntry> m_current; // connection key -> the socket in the last dump
    std::map<QString, std::shared_ptr<StateTimeline>> m_timelines;
    std::deque<QString> m_ended;           // keys of gone sockets, oldest first
    std::deque<StateChange> m_changes;
    quint64 m_nextSeq = 1;
    quint64 m_droppedChanges = 0;

    std::chrono::steady_clock::time_point m_lastSample{}; // the thread's own
    WorkerThread m_thread{"sockscope-diag"}; // last: stopped before the rest goes
};

} // namespace sockscope::core
