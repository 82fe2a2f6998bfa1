#pragma once

#include "workerthread.h"

#include <QtGlobal>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace sockscope::core {

// The I/O thread: one epoll loop on a named, owned, joined thread. Other threads talk to
// it only through post(); everything else must be called on the reactor thread itself.
class Reactor
{
public:
    using Task = std::function<void()>;
    using Handler = std::function<void(uint32_t events)>;
    using TimerId = quint64;

    // afterIo runs on the reactor thread after every batch of descriptor events (not after
    // posted tasks or timers alone): the session manager rings its doorbells there, so a
    // read wakes a sleeping UI tick without a generation bump per read.
    explicit Reactor(std::string threadName = "sockscope-io", Task afterIo = {});
    ~Reactor(); // stops and joins; tasks still queued are run so nothing posted is lost
    Reactor(const Reactor &) = delete;
    Reactor &operator=(const Reactor &) = delete;

    void post(Task task); // any thread
    bool isReactorThread() const { return m_thread.isCurrentThread(); }

    // Reactor thread only.
    void watch(int fd, uint32_t events, Handler handler);
    void modify(int fd, uint32_t events);
    void unwatch(int fd);
    TimerId addTimer(std::chrono::milliseconds delay, Task task);
    void cancelTimer(TimerId id);

private:
    void run(const WorkerThread::Token &token);
    void drainQueue();
    void ring(); // wakes epoll_wait
    void runDueTimers();
    int nextTimeoutMs() const;

    struct Watch
    {
        quint64 token;
        Handler handler;
    };

    int m_epoll = -1;
    int m_wake = -1; // eventfd

    std::mutex m_queueMutex;
    std::vector<Task> m_queue;

    // Events carry a token, not the fd: a descriptor closed and reused within one
    // epoll batch must not receive the old owner's events.
    std::unordered_map<int, Watch> m_watches;
    std::unordered_map<quint64, int> m_tokenToFd;
    quint64 m_nextToken = 1;

    Task m_afterIo;

    std::multimap<std::chrono::steady_clock::time_point, std::pair<TimerId, Task>> m_timers;
    TimerId m_nextTimer = 1;

    WorkerThread m_thread;
};

} // namespace sockscope::core
