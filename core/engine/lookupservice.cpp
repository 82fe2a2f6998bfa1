#include "lookupservice.h"

#include "logging.h"
#include "monotonic.h"

#include "queueddelivery.h"

#include <deque>
#include <mutex>
#include <unordered_map>

namespace sockscope::core {

// Everything a worker touches. Workers hold it by shared_ptr, never the service, so a
// worker abandoned at shutdown can finish its call after the service is gone.
struct LookupService::Shared
{
    struct Queued
    {
        RequestId id;
        Job job;
        qint64 queuedAt;
    };

    std::mutex mutex;
    bool stopping = false;
    RequestId nextId = 1;
    std::deque<Queued> queue;
    // Request -> the delivery to its context. Erased on delivery or cancel; one whose
    // context died is dropped by whoever meets it first. A finished call whose id is gone
    // reports to no one.
    std::unordered_map<RequestId, QueuedDelivery> pending;
    std::vector<bool> busy; // per worker index
    int busyCount = 0;
    int alive = 0;

    void dropDeadContexts() // under the mutex
    {
        std::erase_if(pending, [](const auto &entry) { return !entry.second.isAlive(); });
    }
};

LookupService::LookupService(int maxWorkers)
    : m_maxWorkers(std::max(1, maxWorkers))
    , m_shared(std::make_shared<Shared>())
{
    m_shared->busy.assign(size_t(m_maxWorkers), false);
    m_workers.reserve(size_t(m_maxWorkers));
}

LookupService::~LookupService()
{
    std::vector<std::unique_ptr<WorkerThread>> idle;
    std::vector<std::unique_ptr<WorkerThread>> stuck;
    std::deque<Shared::Queued> dropped;
    {
        std::lock_guard lock(m_shared->mutex);
        m_shared->stopping = true;
        dropped.swap(m_shared->queue);
        m_shared->pending.clear();
        // A worker not busy now is waiting for work, or about to look at `stopping`
        // before it takes any: it ends at once and can be joined.
        for (size_t i = 0; i < m_workers.size(); ++i)
            (m_shared->busy[i] ? stuck : idle).push_back(std::move(m_workers[i]));
    }
    for (auto &worker : idle)
        worker->stop();
    for (auto &worker : stuck) {
        qCInfo(lcEngine, "lookup service: leaving a worker stuck in a call; it ends when the call returns");
        worker->abandon();
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
    QueuedDelivery delivery(context); // made on the context's thread
    std::lock_guard lock(m_shared->mutex);
    m_shared->dropDeadContexts();
    const RequestId id = m_shared->nextId++;
    m_shared->pending.emplace(id, std::move(delivery));
    m_shared->queue.push_back({id, std::move(job), monotonicNs()});
    const int idle = int(m_workers.size()) - m_shared->busyCount;
    if (qsizetype(m_shared->queue.size()) > idle && int(m_workers.size()) < m_maxWorkers) {
        const int index = int(m_workers.size());
        ++m_shared->alive;
        auto worker = std::make_unique<WorkerThread>("sockscope-lk" + std::to_string(index));
        worker->start([shared = m_shared, index](const WorkerThread::Token &token) { workerMain(shared, index, token); });
        m_workers.push_back(std::move(worker));
    }
    // Every idle worker looks; the ones that find the queue empty go back to sleep.
    for (size_t i = 0; i < m_workers.size(); ++i) {
        if (!m_shared->busy[i])
            m_workers[i]->wake();
    }
    return id;
}

void LookupService::workerMain(const std::shared_ptr<Shared> &shared, int index, const WorkerThread::Token &token)
{
    std::unique_lock lock(shared->mutex);
    while (!shared->stopping) {
        if (shared->queue.empty()) {
            lock.unlock();
            const bool go = token.sleepFor(WorkerThread::kUntilWoken);
            lock.lock();
            if (!go)
                break;
            continue;
        }
        Shared::Queued item = std::move(shared->queue.front());
        shared->queue.pop_front();
        const auto before = shared->pending.find(item.id);
        if (before == shared->pending.end() || !before->second.isAlive())
            continue; // cancelled, or its context gone, before it started: the call is never made

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
        // The QPointer is checked again on the context's thread; the id there, so a
        // cancel() made while the result was queued still holds.
        it->second.deliver([weak = std::weak_ptr<Shared>(shared), id = item.id, delivery = std::move(delivery)] {
            const auto s = weak.lock();
            if (!s)
                return;
            {
                std::lock_guard guard(s->mutex);
                if (s->stopping || s->pending.erase(id) == 0)
                    return; // cancelled while the result was queued
            }
            delivery();
        });
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
    m_shared->dropDeadContexts();
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
