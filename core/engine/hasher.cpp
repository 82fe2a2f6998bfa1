#include "hasher.h"

#include <openssl/evp.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>

namespace sockscope::core {

namespace {
constexpr qsizetype kSlice = 16 * 1024;
} // namespace

struct Hasher::Stream
{
    Stream() : ctx(EVP_MD_CTX_new()) { EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr); }
    ~Stream() { EVP_MD_CTX_free(ctx); }
    Stream(const Stream &) = delete;
    Stream &operator=(const Stream &) = delete;

    std::atomic<quint64> fed{0};     // by the feeding thread
    mutable std::mutex mutex;        // guards ctx; held for one slice's update at a time
    mutable std::condition_variable progressed;
    EVP_MD_CTX *ctx;
    std::atomic<quint64> hashed{0};  // written under mutex, read without it by backlog()
    // whenBacklogAtMost(): called once `hashed` reaches `wakeAt` (under mutex).
    quint64 wakeAt = 0;
    std::function<void()> onReached;
};

Hasher::Hasher(std::string threadName) : m_thread(std::move(threadName))
{
    m_thread.startLoop([this] { return drain(); });
}

Hasher::~Hasher()
{
    m_thread.stop();
    drain(); // a stop between a feed and its wake-up must not leave a waiter hanging
}

std::shared_ptr<Hasher> Hasher::shared()
{
    static std::mutex mutex;
    static std::weak_ptr<Hasher> current;
    std::lock_guard lock(mutex);
    std::shared_ptr<Hasher> hasher = current.lock();
    if (!hasher) {
        hasher = std::make_shared<Hasher>();
        current = hasher;
    }
    return hasher;
}

std::shared_ptr<Hasher::Stream> Hasher::open()
{
    return std::make_shared<Stream>();
}

void Hasher::feed(const std::shared_ptr<Stream> &stream, QByteArray bytes)
{
    if (bytes.isEmpty())
        return;
    stream->fed.fetch_add(quint64(bytes.size()), std::memory_order_release);
    bool wasEmpty = false;
    {
        std::lock_guard lock(m_queueMutex);
        wasEmpty = m_queue.empty();
        m_queue.push_back(Job{stream, std::move(bytes)});
    }
    // drain() takes the whole queue at once, so only the first job after that needs the
    // doorbell: a busy hasher is not woken (a futex call) for each 64 KiB read.
    if (wasEmpty)
        m_thread.wake();
}

std::chrono::milliseconds Hasher::drain()
{
    std::vector<Job> jobs;
    for (;;) {
        {
            std::lock_guard lock(m_queueMutex);
            jobs.swap(m_queue);
        }
        if (jobs.empty())
            return WorkerThread::kUntilWoken;
        for (Job &job : jobs) {
            Stream &s = *job.stream;
            // In slices, so a reader asking for the digest waits ~10 us at most, not the
            // hash of a whole 1 MiB read.
            for (qsizetype done = 0; done < job.bytes.size(); done += kSlice) {
                const qsizetype n = std::min(kSlice, job.bytes.size() - done);
                std::lock_guard lock(s.mutex);
                EVP_DigestUpdate(s.ctx, job.bytes.constData() + done, size_t(n));
                const quint64 hashed = s.hashed.fetch_add(quint64(n), std::memory_order_release) + quint64(n);
                if (s.onReached && hashed >= s.wakeAt)
                    std::exchange(s.onReached, nullptr)();
            }
            s.progressed.notify_all();
        }
        jobs.clear(); // keeps the capacity for the next swap
    }
}

Hasher::Digest Hasher::digest(const Stream &stream)
{
    // Finalise a copy: the running digest goes on.
    EVP_MD_CTX *copy = EVP_MD_CTX_new();
    Digest d;
    {
        std::lock_guard lock(stream.mutex);
        EVP_MD_CTX_copy_ex(copy, stream.ctx);
        d.bytes = stream.hashed.load(std::memory_order_relaxed);
    }
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    EVP_DigestFinal_ex(copy, out, &size);
    EVP_MD_CTX_free(copy);
    d.sha256 = QByteArray(reinterpret_cast<const char *>(out), int(size));
    return d;
}

quint64 Hasher::backlog(const Stream &stream)
{
    // Lock-free: the I/O thread asks after every read.
    const quint64 hashed = stream.hashed.load(std::memory_order_acquire);
    return stream.fed.load(std::memory_order_acquire) - hashed;
}

bool Hasher::waitUntilHashed(const Stream &stream, std::chrono::milliseconds timeout)
{
    const quint64 target = stream.fed.load(std::memory_order_acquire);
    std::unique_lock lock(stream.mutex);
    return stream.progressed.wait_for(lock, timeout, [&] { return stream.hashed >= target; });
}

void Hasher::whenBacklogAtMost(Stream &stream, quint64 limit, std::function<void()> fn)
{
    std::lock_guard lock(stream.mutex);
    const quint64 fed = stream.fed.load(std::memory_order_acquire);
    const quint64 target = fed > limit ? fed - limit : 0;
    if (stream.hashed.load(std::memory_order_relaxed) >= target) {
        stream.onReached = nullptr;
        fn();
        return;
    }
    stream.wakeAt = target;
    stream.onReached = std::move(fn);
}

} // namespace sockscope::core
