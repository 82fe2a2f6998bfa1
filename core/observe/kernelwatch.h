#pragma once

#include "processmap.h"
#include "sockdiag.h"
#include "statetracker.h"

#include "../engine/doorbell.h"
#include "../engine/workerthread.h"

#include <QHash>
#include <QList>

#include <atomic>
#include <chrono>
#include <expected>
#include <map>
#include <mutex>
#include <optional>

namespace sockscope::core {

// One look at the host's sockets.
struct SocketTable
{
    QList<SocketEntry> entries;                // TCP, UDP and Unix, as sock_diag reports them
    QHash<quint64, QList<SocketOwner>> owners; // by inode, where /proc lets us see
    qint64 timeNs = 0;                         // CLOCK_MONOTONIC when the dump returned
    int unreadableProcesses = 0;               // fd tables /proc would not show us
    std::optional<SysError> error;             // the dump failed; entries are the last good ones
};

// The kernel's view of sockets, for the whole app: one NETLINK_SOCK_DIAG socket on one
// named thread, shared by every view that needs it (Watch TCP, the accept queues, the
// system sockets pane, the CLI's `watch` and `sockets`). Created once (app/main.cpp) and
// handed to the views, like SessionManager.
//
// A view says what it needs with an Interest it holds while it looks:
// - watchStates(port): TCP states of sockets with an end on `port` (every TCP socket when
//   no port is given), turned into changes and per-connection timelines by a
//   StateTracker. One kernel-filtered dump per watched port; the pace adapts: every
//   kFastest while something changes or a transient state (SYN_SENT, SYN_RECEIVED,
//   FIN_WAIT_1, CLOSING, LAST_ACK) is present, then doubling up to kSlowest.
// - watchTable(): every socket of the host with its owning processes (a live `ss -anp`)
//   every kTableInterval.
// With no interest the thread sleeps until one comes: nothing polls while nobody looks.
// A dump costs milliseconds with thousands of sockets; on the reactor every session's I/O
// would wait for it, hence a thread of its own. Owned sockets are still sampled with
// TCP_INFO on the reactor, where their descriptors live.
class KernelWatch
{
public:
    static constexpr std::chrono::milliseconds kFastest{100};
    static constexpr std::chrono::milliseconds kSlowest{1000};
    static constexpr std::chrono::milliseconds kTableInterval{500};

    // What a view holds while it looks; dropping it (destruction, reset()) ends the
    // interest. The KernelWatch must outlive its interests.
    class Interest
    {
    public:
        Interest() = default;
        Interest(Interest &&other) noexcept;
        Interest &operator=(Interest &&other) noexcept;
        ~Interest();
        Interest(const Interest &) = delete;
        Interest &operator=(const Interest &) = delete;

        bool isActive() const { return m_watch != nullptr; }
        void reset();

    private:
        friend class KernelWatch;
        Interest(KernelWatch *watch, quint64 id) : m_watch(watch), m_id(id) {}
        KernelWatch *m_watch = nullptr;
        quint64 m_id = 0;
    };

    KernelWatch();  // the thread starts asleep
    ~KernelWatch(); // stops and joins it

    KernelWatch(const KernelWatch &) = delete;
    KernelWatch &operator=(const KernelWatch &) = delete;

    [[nodiscard]] Interest watchStates(std::optional<quint16> port);
    [[nodiscard]] Interest watchTable();
    // Look soon (a command just changed something); kFastest between state dumps holds.
    void wake();
    // One state sample on the calling thread, for a caller that drives its own pace (a
    // test). Safe while the thread runs. Covers what the interests name.
    std::expected<void, SysError> sampleNow();

    // Any thread.
    Doorbell::List &doorbells() { return m_doorbells; } // rung when either generation moves
    bool isIdle() const;                     // no interest: the thread sleeps until woken
    quint64 generation() const;              // bumps after a state sample that changed something
    quint64 samples() const;                 // state dumps made so far
    std::chrono::milliseconds interval() const; // the current state sampling period
    std::optional<SysError> error() const;   // the last failure of open or a state dump
    QList<SocketEntry> snapshot() const;     // the last state dump
    std::vector<StateChange> changesSince(quint64 after, quint64 *missed = nullptr) const;
    std::shared_ptr<const StateTimeline> timeline(const Address &local, const Address &peer) const;
    quint64 tableGeneration() const;
    SocketTable table() const;

private:
    struct Wanted
    {
        bool everyTcp = false;
        QList<quint16> ports; // distinct, when !everyTcp
        bool table = false;
        bool states() const { return everyTcp || !ports.isEmpty(); }
    };

    Interest add(std::optional<quint16> port, bool table);
    void drop(quint64 id);
    Wanted wanted() const; // under m_mutex
    std::chrono::milliseconds step(); // on the thread: the samples due, then the pause
    std::expected<void, SysError> sampleStates(const Wanted &wanted); // under m_sampleMutex
    void sampleTable();                                                // under m_sampleMutex
    bool openDiag(std::optional<SysError> *error);

    struct Want
    {
        std::optional<quint16> port; // a state interest: this port, or every TCP socket
        bool table = false;
    };

    std::mutex m_sampleMutex; // one dump at a time; guards m_diag and m_processes
    SockDiag m_diag;
    ProcessMap m_processes;

    Doorbell::List m_doorbells;
    mutable std::mutex m_mutex;
    std::map<quint64, Want> m_interests;
    quint64 m_nextInterest = 1;
    StateTracker m_tracker;
    std::chrono::milliseconds m_interval = kFastest;
    std::optional<SysError> m_error;
    quint64 m_generation = 0;
    quint64 m_samples = 0;
    QList<SocketEntry> m_snapshot;
    SocketTable m_table;
    quint64 m_tableGeneration = 0;

    // The thread's own pacing.
    std::atomic<bool> m_statesWanted{false};
    std::atomic<bool> m_tableWanted{false};
    std::chrono::steady_clock::time_point m_lastStates{};
    std::chrono::steady_clock::time_point m_lastTable{};
    WorkerThread m_thread{"sockscope-diag"}; // last: stopped before the rest goes
};

} // namespace sockscope::core
