#include "reactor.h"

#include "../logging.h"

#include <cerrno>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

namespace sockscope::core {

namespace {
constexpr quint64 kWakeToken = 0;
constexpr int kMaxEvents = 256;
} // namespace

Reactor::Reactor(std::string threadName, Task afterIo)
    : m_afterIo(std::move(afterIo))
    , m_thread(std::move(threadName))
{
    m_epoll = epoll_create1(EPOLL_CLOEXEC);
    m_wake = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (m_epoll < 0 || m_wake < 0)
        qFatal("sockscope: cannot create the I/O reactor: %s", strerror(errno));
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u64 = kWakeToken;
    epoll_ctl(m_epoll, EPOLL_CTL_ADD, m_wake, &ev);
    // stop() rings the eventfd: epoll_wait returns and the loop sees the stop.
    m_thread.start([this](const WorkerThread::Token &token) { run(token); }, [this] { ring(); });
}

Reactor::~Reactor()
{
    m_thread.stop();
    ::close(m_wake);
    ::close(m_epoll);
}

void Reactor::post(Task task)
{
    {
        std::lock_guard lock(m_queueMutex);
        m_queue.push_back(std::move(task));
    }
    ring();
}

void Reactor::ring()
{
    const uint64_t one = 1;
    [[maybe_unused]] ssize_t n = ::write(m_wake, &one, sizeof one);
}

void Reactor::watch(int fd, uint32_t events, Handler handler)
{
    Q_ASSERT(isReactorThread());
    const quint64 token = m_nextToken++;
    epoll_event ev{};
    ev.events = events;
    ev.data.u64 = token;
    if (epoll_ctl(m_epoll, EPOLL_CTL_ADD, fd, &ev) != 0) {
        qCWarning(lcEngine, "epoll_ctl ADD fd %d: %s", fd, strerror(errno));
        return;
    }
    m_watches[fd] = Watch{token, std::move(handler)};
    m_tokenToFd[token] = fd;
}

void Reactor::modify(int fd, uint32_t events)
{
    Q_ASSERT(isReactorThread());
    auto it = m_watches.find(fd);
    if (it == m_watches.end())
        return;
    epoll_event ev{};
    ev.events = events;
    ev.data.u64 = it->second.token;
    epoll_ctl(m_epoll, EPOLL_CTL_MOD, fd, &ev);
}

void Reactor::unwatch(int fd)
{
    Q_ASSERT(isReactorThread());
    auto it = m_watches.find(fd);
    if (it == m_watches.end())
        return;
    epoll_ctl(m_epoll, EPOLL_CTL_DEL, fd, nullptr);
    m_tokenToFd.erase(it->second.token);
    m_watches.erase(it);
}

Reactor::TimerId Reactor::addTimer(std::chrono::milliseconds delay, Task task)
{
    Q_ASSERT(isReactorThread());
    const TimerId id = m_nextTimer++;
    m_timers.emplace(std::chrono::steady_clock::now() + delay, std::pair{id, std::move(task)});
    return id;
}

void Reactor::cancelTimer(TimerId id)
{
    for (auto it = m_timers.begin(); it != m_timers.end(); ++it) {
        if (it->second.first == id) {
            m_timers.erase(it);
            return;
        }
    }
}

int Reactor::nextTimeoutMs() const
{
    if (m_timers.empty())
        return -1;
    const auto left = m_timers.begin()->first - std::chrono::steady_clock::now();
    const auto ms = std::chrono::ceil<std::chrono::milliseconds>(left).count();
    return ms > 0 ? int(ms) : 0;
}

void Reactor::runDueTimers()
{
    const auto now = std::chrono::steady_clock::now();
    while (!m_timers.empty() && m_timers.begin()->first <= now) {
        Task task = std::move(m_timers.begin()->second.second);
        m_timers.erase(m_timers.begin());
        task();
    }
}

void Reactor::drainQueue()
{
    uint64_t count = 0;
    [[maybe_unused]] ssize_t n = ::read(m_wake, &count, sizeof count);
    std::vector<Task> tasks;
    {
        std::lock_guard lock(m_queueMutex);
        tasks.swap(m_queue);
    }
    for (auto &task : tasks)
        task();
}

void Reactor::run(const WorkerThread::Token &token)
{
    epoll_event events[kMaxEvents];
    while (!token.stopRequested()) {
        const int n = epoll_wait(m_epoll, events, kMaxEvents, nextTimeoutMs());
        if (n < 0 && errno != EINTR) {
            qCWarning(lcEngine, "epoll_wait: %s", strerror(errno));
            break;
        }
        bool io = false;
        for (int i = 0; i < n; ++i) {
            const quint64 token = events[i].data.u64;
            if (token == kWakeToken) {
                drainQueue();
                continue;
            }
            io = true;
            auto fdIt = m_tokenToFd.find(token);
            if (fdIt == m_tokenToFd.end())
                continue; // unwatched earlier in this batch
            // Copy: the handler may unwatch itself.
            Handler handler = m_watches[fdIt->second].handler;
            handler(events[i].events);
        }
        if (io && m_afterIo)
            m_afterIo();
        runDueTimers();
    }
    drainQueue(); // whatever was posted before the stop still runs
}

} // namespace sockscope::core
