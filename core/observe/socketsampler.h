#pragma once

#include "processmap.h"
#include "sockdiag.h"

#include <QHash>
#include <QList>

#include "../engine/doorbell.h"
#include "../engine/workerthread.h"

#include <atomic>
#include <chrono>
#include <mutex>
#include <optional>
#include <string>

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

// Every socket of the host (a live `ss -anp`), dumped with sock_diag on its own named
// thread and matched with its owning process there (ProcessMap reads /proc), so that the
// GUI only copies the last table when generation() moved. A dump of every socket costs
// milliseconds on a busy host, hence a fixed, modest pace and a pause while nobody looks.
class SocketSampler
{
public:
    static constexpr std::chrono::milliseconds kDefaultInterval{500};

    explicit SocketSampler(std::chrono::milliseconds interval = kDefaultInterval);
    ~SocketSampler(); // stops and joins the thread

    SocketSampler(const SocketSampler &) = delete;
    SocketSampler &operator=(const SocketSampler &) = delete;

    bool start();
    void stop();
    // Paused: no dumps and no wake-ups (a hidden pane). Resuming samples at once.
    void setActive(bool active);
    void setInterval(std::chrono::milliseconds interval);
    void wake(); // sample now (a session just opened or closed)

    // Any thread.
    quint64 generation() const { return m_generation.load(std::memory_order_acquire); }
    Doorbell::List &doorbells() { return m_doorbells; } // rung after every sample
    SocketTable table() const;

private:
    std::chrono::milliseconds step(); // on the thread: one dump, then the pause before the next
    void sample();

    Doorbell::List m_doorbells;
    mutable std::mutex m_mutex;
    bool m_active = true;
    std::chrono::milliseconds m_interval;
    SocketTable m_table;
    std::atomic<quint64> m_generation{0};

    // The thread's own.
    SockDiag m_diag;
    ProcessMap m_processes;
    WorkerThread m_thread{"sockscope-sockets"}; // last: stopped before the rest goes
};

} // namespace sockscope::core
