#include "workerthread.h"

#include <condition_variable>
#include <mutex>
#include <pthread.h>
#include <thread>

namespace sockscope::core {

struct WorkerThreadState
{
    std::mutex mutex;
    std::condition_variable doorbell;
    // Written under the mutex (the doorbell's predicate), read without it: the reactor
    // asks after every epoll_wait.
    std::atomic<bool> stopping{false};
    bool woken = false;
    std::function<void()> interrupt;
    std::thread thread;

    bool stopRequested() const { return stopping.load(std::memory_order_acquire); }

    // Sleeps until the deadline, a wake or a stop; false once stopping.
    bool sleep(std::chrono::milliseconds duration)
    {
        std::unique_lock lock(mutex);
        const auto ready = [this] { return stopping.load() || woken; };
        if (duration == WorkerThread::kUntilWoken)
            doorbell.wait(lock, ready);
        else if (duration.count() > 0)
            doorbell.wait_for(lock, duration, ready);
        woken = false;
        return !stopping.load();
    }
};

bool WorkerThread::Token::stopRequested() const
{
    return m_state->stopRequested();
}

bool WorkerThread::Token::sleepFor(std::chrono::milliseconds duration) const
{
    return m_state->sleep(duration);
}

WorkerThread::WorkerThread(std::string name) : m_name(std::move(name)) {}

WorkerThread::~WorkerThread()
{
    stop();
}

bool WorkerThread::startLoop(Step step)
{
    return start([step = std::move(step)](const Token &token) {
        while (!token.stopRequested() && token.sleepFor(step())) {
        }
    });
}

bool WorkerThread::start(std::function<void(const Token &)> body, std::function<void()> interrupt)
{
    if (m_state)
        return false;
    auto state = std::make_shared<WorkerThreadState>();
    state->interrupt = std::move(interrupt);
    Token token;
    token.m_state = state;
    // The body waits for the lock held here, so isCurrentThread() answers truly from its
    // first line on.
    std::unique_lock starting(state->mutex);
    state->thread = std::thread([token = std::move(token), name = m_name.substr(0, 15), body = std::move(body)] {
        pthread_setname_np(pthread_self(), name.c_str());
        { std::lock_guard started(token.m_state->mutex); }
        body(token);
    });
    m_threadId.store(state->thread.get_id(), std::memory_order_release);
    m_state = std::move(state);
    return true;
}

void WorkerThread::wake()
{
    WorkerThreadState *state = m_state.get();
    if (!state)
        return;
    {
        std::lock_guard lock(state->mutex);
        state->woken = true;
    }
    state->doorbell.notify_all();
}

std::shared_ptr<WorkerThreadState> WorkerThread::halt()
{
    std::shared_ptr<WorkerThreadState> state = std::move(m_state);
    if (!state)
        return state;
    {
        std::lock_guard lock(state->mutex);
        state->stopping.store(true, std::memory_order_release);
    }
    state->doorbell.notify_all();
    if (state->interrupt)
        state->interrupt();
    return state;
}

void WorkerThread::stop()
{
    if (const auto state = halt(); state && state->thread.joinable())
        state->thread.join();
    m_threadId.store({}, std::memory_order_release);
}

void WorkerThread::abandon()
{
    m_threadId.store({}, std::memory_order_release);
    if (const auto state = halt(); state && state->thread.joinable())
        state->thread.detach();
}

bool WorkerThread::isRunning() const
{
    return m_state != nullptr;
}

} // namespace sockscope::core
