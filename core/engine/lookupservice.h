#pragma once

#include "net/resolver.h"
#include "workerthread.h"

#include <QObject>

#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace sockscope::core {

// What a finished lookup delivers: its request id, the answer, and how long it took.
template<typename T>
struct LookupResult
{
    quint64 id = 0;
    T value;
    qint64 waitedNs = 0;  // queued before a worker took it
    qint64 elapsedNs = 0; // in the call itself (CLOCK_MONOTONIC)
};

using AddrInfoResult = std::expected<QList<AddrInfo>, SysError>;
using NameInfoResult = std::expected<NameInfo, SysError>;

// Runs the blocking resolver calls on a bounded pool of owned, named worker threads.
// A result is delivered by a queued call on the thread of its `context` object, never
// after the context is destroyed, never after cancel() (called on the context's
// thread), and never after the service is gone.
//
// Results travel by QueuedDelivery, the one way results cross threads in sockscope.
//
// getaddrinfo cannot be interrupted: a lookup stuck on a dead DNS server holds its
// worker until the resolver's own timeout. The destructor therefore stops only the idle
// workers and abandons busy ones; they hold nothing but the shared state, drop their
// result and end when the call returns. Quitting never waits for a hung lookup.
class LookupService
{
public:
    using RequestId = quint64;

    explicit LookupService(int maxWorkers = 4);
    ~LookupService();
    LookupService(const LookupService &) = delete;
    LookupService &operator=(const LookupService &) = delete;

    RequestId getaddrinfo(const std::optional<QString> &host, const std::optional<QString> &service,
                          const AddrInfoHints &hints, QObject *context,
                          std::function<void(const LookupResult<AddrInfoResult> &)> done);
    RequestId getnameinfo(const Address &address, int flags, QObject *context,
                          std::function<void(const LookupResult<NameInfoResult> &)> done);

    // Any blocking call (gethostbyaddr, getservbyname, a test's stand-in for a hung
    // resolver): `work` runs on a worker, `done` on the context's thread.
    template<typename T>
    RequestId submit(std::function<T()> work, QObject *context, std::function<void(const LookupResult<T> &)> done)
    {
        return enqueue(context, [work = std::move(work), done = std::move(done)](RequestId id, qint64 waitedNs) {
            const qint64 start = nowNs();
            auto result = std::make_shared<LookupResult<T>>(LookupResult<T>{id, work(), waitedNs, 0});
            result->elapsedNs = nowNs() - start;
            return Delivery([done, result] { done(*result); });
        });
    }

    // Abandons the request: its result, when the call returns, is dropped. Returns false
    // when the request is unknown or already delivered.
    bool cancel(RequestId id);
    void cancelAll();

    int maxWorkers() const { return m_maxWorkers; }
    int pendingCount() const; // submitted, neither delivered nor cancelled
    int busyWorkers() const;  // running a call now (abandoned ones included)
    int workerCount() const;  // threads started and not yet ended

private:
    using Delivery = std::function<void()>;
    using Job = std::function<Delivery(RequestId, qint64 waitedNs)>;
    struct Shared;

    static qint64 nowNs();
    RequestId enqueue(QObject *context, Job job);
    static void workerMain(const std::shared_ptr<Shared> &shared, int index, const WorkerThread::Token &token);

    const int m_maxWorkers;
    std::shared_ptr<Shared> m_shared;
    std::vector<std::unique_ptr<WorkerThread>> m_workers; // guarded by m_shared->mutex
};

} // namespace sockscope::core
