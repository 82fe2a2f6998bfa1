#pragma once

#include "workerthread.h"

#include <QByteArray>

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

namespace sockscope::core {

// SHA-256 off the I/O thread: running digests fed in order and computed by OpenSSL's
// libcrypto (EVP uses the CPU's SHA extensions: ~1.6 GB/s on one core here, where Qt 6.4's
// QCryptographicHash managed ~0.14 GB/s) on one named background thread shared by every
// stream. feed() only queues a reference to the bytes (QByteArray is implicitly shared, the
// traffic log keeps the same buffer), so the reactor never waits for a hash; a reader gets
// the digest of what was hashed so far and how many bytes that covers.
class Hasher
{
public:
    struct Stream; // one running SHA-256 (defined in hasher.cpp)

    struct Digest
    {
        QByteArray sha256; // of the first `bytes` bytes fed
        quint64 bytes = 0;
    };

    explicit Hasher(std::string threadName = "sockscope-hash");
    ~Hasher(); // finishes what is queued, then joins the thread

    Hasher(const Hasher &) = delete;
    Hasher &operator=(const Hasher &) = delete;

    // The process's hasher: created on first use, its thread joined when the last user
    // (a traffic log) lets go. One thread for every session: 10,000 connections are not
    // 10,000 threads, and one flood cannot take more than the one core.
    static std::shared_ptr<Hasher> shared();

    std::shared_ptr<Stream> open();
    // Any thread; never waits for the hash. A stream must be fed from one thread at a time.
    void feed(const std::shared_ptr<Stream> &stream, QByteArray bytes);

    // Any thread, for streams of any hasher.
    static Digest digest(const Stream &stream);
    static quint64 backlog(const Stream &stream); // bytes fed but not hashed yet
    // Blocks until everything fed before the call is hashed; false on timeout.
    static bool waitUntilHashed(const Stream &stream, std::chrono::milliseconds timeout);
    // Calls `fn` once when at most `limit` bytes of what was fed before the call wait to be
    // hashed: on the hasher's thread when it gets there, or on this thread at once if it
    // already has. Replaces an earlier pending call for the stream. `fn` must be cheap and
    // must not call back into this stream (it runs with the stream locked).
    static void whenBacklogAtMost(Stream &stream, quint64 limit, std::function<void()> fn);

private:
    struct Job
    {
        std::shared_ptr<Stream> stream;
        QByteArray bytes;
    };
    std::chrono::milliseconds drain();

    std::mutex m_queueMutex;
    std::vector<Job> m_queue;
    WorkerThread m_thread; // last: stopped before the queue goes
};

} // namespace sockscope::core
