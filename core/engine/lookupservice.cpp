#include "lookupservice.h"

#include "logging.h"
#include "monotonic.h"

#include <QMetaObject>

#include <condition_variable>
#include <deque>
#include <mutex>
#include <pthread.h>
#include <unordered_map>
#include <unordered_set>

namespace sockscope::core {

// Everything a worker touches. Workers hold it by shared_ptr, never the service, so a
// worker detached at shutdown can finish its call after the service is gone.
struct LookupService::Shared
{
    struct Queued
    {
        RequestId id;
        Job job;
        qint64 queuedAt;
    };

    std::mutex mutex;
    std::condition_variable wake;
    bool stopping = false;
    RequestId nextId = 1;
    std::deque<Queued> queue;
    // Request -> the context it reports to. Erased on delivery, cancel, or when the
    // context is destroyed; a finished call whose id is gone is dropped.
    std::unordered_map<RequestId, QObject *> pending;
    std::unordered_set<QObject *> watchedContexts;
    std::vector<bool> busy; // per worker index
    int idle = 0;
    int busyCount = 0;
    int alive = 0;
};

LookupService::LookupService(int maxWorkers)
    : m_maxWorkers(std::max(1, maxWorkers))
    , m_shared(std::make_shared<Shared>())
{
    m_shared->busy.assign(size_t(m_maxWorkers), false);
    m_threads.reserve(size_t(m_maxWorkers));
}

LookupService::~LookupService()
{
    std::vector<std::thread> idle;
    std::vector<std::thread> stuck;
    std::deque<Shared::Queued> dropped;
    {
        std::lock_guard lock(m_shared->mutex);
        m_shared->stopping = true;
        dropped.swap(m_shared->queue);
        m_shared->pending.clear();
        // A worker not busy now is waiting for work, or about to look at `stopping`
        // before it takes any: it ends at once and can be joined.
        for (size_t i = 0; i < m_threads.size(); ++i)
            (m_shared->busy[i] ? stuck : idle).push_back(std::move(m_threads[i]));
    }
    m_shared->wake.notify_all();
    for (std::thread &t : idle)
        t.join();
    for (std::thread &t : stuck) {
        qCInfo(lcCore, "lookup service: leaving a worker stuck in a call; it ends when the call returns");
        t.detach();
    }
}

qint64 LookupService::nowNs()
{
    return monotonicNs();
}

LookupService::RequestId LookupService::getaddrinfo(const std::optional<QString> &host,
                                                    const std::optional<QString> &service,
                                                    const AddrInfoHints &hints, QObject *context,
                                                    std::function<void(const LookupResult<AddrInfoResult> &)> done)
{
    return submit<AddrInfoResult>([host, service, hints] { return Resolver::getaddrinfo(host, service, hints); },
                                  context, std::move(done));
}

LookupService::RequestId LookupService::getnameinfo(const Address &address, int flags, QObject *context,
                                                    std::function<void(const LookupResult<NameInfoResult> &)> done)
{
    return submit<NameInfoResult>([address, flags] { return Resolver::getnameinfo(address, flags); }, context,
                                  std::move(done));
}

LookupService::RequestId LookupService::enqueue(QObject *context, Job job)
{
    Q_ASSERT(context);
    watchContext(context);
    std::lock_guard lock(m_shared->mutex);
    const RequestId id = m_shared->nextId++;
    m_shared->pending.emplace(id, context);
    m_shared->queue.push_back({id, std::move(job), monotonicNs()});
    if (qsizetype(m_shared->queue.size()) > m_shared->idle && int(m_threads.size()) < m_maxWorkers) {
        const int index = int(m_threads.size());
        ++m_shared->alive;
        m_threads.emplace_back(&LookupService::workerMain, m_shared, index);
    } else {
        m_shared->wake.notify_one();
    }
    return id;
}

void LookupService::watchContext(QObject *context)
{
    {
        std::lock_guard lock(m_shared->mutex);
        if (!m_shared->watchedContexts.insert(context).second)
            return;
    }
    // Runs in ~QObject, on the context's thread. Under the mutex, so a worker that is
    // posting to this context either finished posting (Qt then discards the event with
    // the object) or sees the requests gone.
    QObject::connect(context, &QObject::destroyed, [weak = std::weak_ptr<Shared>(m_shared), context] {
        const auto shared = weak.lock();
        if (!shared)
            return;
        std::lock_guard lock(shared->mutex);
        shared->watchedContexts.erase(context);
        std::erase_if(shared->pending, [context](const auto &entry) { return entry.second == context; });
    });
}

void LookupService::workerMain(std::shared_ptr<Shared> shared, int index)
{
    const std::string name = "sockscope-lk" + std::to_string(index);
    pthread_setname_np(pthread_self(), name.c_str());

    std::unique_lock lock(shared->mutex);
    for (;;) {
        ++shared->idle;
        shared->wake.wait(lock, [&] { return shared->stopping || !shared->queue.empty(); });
        --shared->idle;
        if (shared->stopping)
            break;
        Shared::Queued item = std::move(shared->queue.front());
        shared->queue.pop_front();
        if (!shared->pending.contains(item.id))
            continue; // cancelled before it started: the call is never made

        shared->busy[size_t(index)] = true;
        ++shared->busyCount;
        lock.unlock();
        Delivery delivery = item.job(item.id, monotonicNs() - item.queuedAt);
        item.job = nullptr;
        lock.lock();
        shared->busy[size_t(index)] = false;
        --shared->busyCount;
        if (shared->stopping)
            break;

        const auto it = shared->pending.find(item.id);
        if (it == shared->pending.end())
            continue; // abandoned
        // Posted under the mutex: the context's destroyed() handler needs it too, so the
        // context cannot be half-destroyed while the event is being posted.
        QMetaObject::invokeMethod(
            it->second,
            [weak = std::weak_ptr<Shared>(shared), id = item.id, delivery = std::move(delivery)] {
                const auto s = weak.lock();
                if (!s)
                    return;
                {
                    std::lock_guard guard(s->mutex);
                    if (s->stopping || s->pending.erase(id) == 0)
                        return; // cancelled while the result was queued
                }
                delivery();
            },
            Qt::QueuedConnection);
    }
    --shared->alive;
}

bool LookupService::cancel(RequestId id)
{
    std::lock_guard lock(m_shared->mutex);
    return m_shared->pending.erase(id) > 0;
}

void LookupService::cancelAll()
{
    std::lock_guard lock(m_shared->mutex);
    m_shared->pending.clear();
}

int LookupService::pendingCount() const
{
    std::lock_guard lock(m_shared->mutex);
    return int(m_shared->pending.size());
}

int LookupService::busyWorkers() const
{
    std::lock_guard lock(m_shared->mutex);
    return m_shared->busyCount;
}

int LookupService::workerCount() const
{
    std::lock_guard lock(m_shared->mutex);
    return m_shared->alive;
}

} // namespace sockscope::core
