#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <thread>

namespace sockscope::core {

struct WorkerThreadState;

// The one way sockscope runs work in the background: a named, stoppable, wakeable thread
// that is joined when it stops (qBittorrent's utils/thread.cpp keeps every thread owned and
// named the same way). Every loop of the core — the reactor, the samplers, the lesson
// runner, the lookup pool, the hasher — is one of these, so start/stop/wake is written once.
//
// Two shapes of work:
// - a paced loop (startLoop): step() runs on the thread and returns how long to sleep
//   before the next step; kUntilWoken sleeps until wake() or stop(). A sampler returns
//   its interval, a command-queue worker kUntilWoken.
// - a free-form body (start): it runs its own loop (epoll_wait, a blocking call) and
//   checks its Token (stopRequested, sleepFor); the interrupt given with it is called by stop()
//   to make a blocking body return (the reactor writes its eventfd).
//
// The thread's state is shared with the thread itself, so abandon() can leave a thread
// stuck in a call nothing can interrupt (a hung getaddrinfo) without joining it: it ends
// when the call returns and touches nothing of its owner's afterwards.
class WorkerThread
{
public:
    using Step = std::function<std::chrono::milliseconds()>;
    static constexpr std::chrono::milliseconds kUntilWoken = std::chrono::milliseconds::max();

    // What a free-form body holds of its thread: it outlives an abandoning owner.
    class Token
    {
    public:
        bool stopRequested() const;
        // Sleeps up to `duration` or until woken or stopped; false once a stop was asked.
        bool sleepFor(std::chrono::milliseconds duration) const;

    private:
        friend class WorkerThread;
        std::shared_ptr<struct WorkerThreadState> m_state;
    };

    // name: shown by top -H / ps -L (15 characters at most are kept).
    explicit WorkerThread(std::string name);
    ~WorkerThread(); // stop()

    WorkerThread(const WorkerThread &) = delete;
    WorkerThread &operator=(const WorkerThread &) = delete;

    // False when already running.
    bool startLoop(Step step);
    bool start(std::function<void(const Token &)> body, std::function<void()> interrupt = {});

    // wake() from any thread while the object lives; start, stop and abandon from the owner's.
    void wake();                  // end the current sleep now (a coalescing doorbell)
    void stop();                  // ask, interrupt or wake, join; not from the thread itself
    void abandon();               // ask to stop and let the thread end on its own, unjoined
    bool isRunning() const;       // started and neither stopped nor abandoned
    // True on the thread itself while it runs for this object (the reactor's asserts).
    // Any thread; set before the body runs, cleared once the thread is joined or abandoned.
    bool isCurrentThread() const { return m_threadId.load(std::memory_order_acquire) == std::this_thread::get_id(); }
    const std::string &name() const { return m_name; }

private:
    std::shared_ptr<WorkerThreadState> halt();

    std::string m_name;
    std::shared_ptr<WorkerThreadState> m_state; // set while running; the thread holds its own
    std::atomic<std::thread::id> m_threadId{};
};

} // namespace sockscope::core
