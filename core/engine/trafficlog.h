#pragma once

#include "../net/address.h"
#include "../net/socket.h"
#include "hasher.h"

#include <QByteArray>
#include <QList>

#include <chrono>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <span>

namespace sockscope::core {

enum class Direction { In, Out };

// What a log computes over every byte besides the totals. None keeps the byte and record
// totals exact and costs nothing per byte (for benchmarks and floods).
enum class TrafficDigest { Sha256, None };
QString trafficDigestName(TrafficDigest digest);
std::optional<TrafficDigest> trafficDigestFromName(const QString &name); // "sha256", "none"

// The call that moved the bytes of a record.
enum class TrafficCall { Recv, RecvFrom, Send, SendTo, SendAll, SendFile };
QString trafficCallName(TrafficCall call);

struct TrafficRecord
{
    quint64 seq = 0;      // 1, 2, 3, ... per log; never reused
    qint64 timeNs = 0;    // CLOCK_MONOTONIC
    Direction direction = Direction::In;
    TrafficCall call = TrafficCall::Recv;
    Address peer;         // datagrams: who sent it / where it went
    QByteArray bytes;     // may be empty: a 0-byte datagram
    // A datagram longer than the receive buffer (MSG_TRUNC): its real length; `bytes`
    // holds the part that fitted. 0 for everything whole.
    qsizetype truncatedFrom = 0;
};

struct TrafficTotals
{
    quint64 bytesIn = 0;
    quint64 bytesOut = 0;
    quint64 recordsIn = 0;
    quint64 recordsOut = 0;
    TrafficDigest digest = TrafficDigest::Sha256;
    // SHA-256 over the first hashedIn / hashedOut bytes ever received / sent, dropped records
    // included. The hasher runs behind the I/O thread: when it has caught up, hashedIn ==
    // bytesIn and the digest covers everything (TrafficLog::waitForDigest waits for that).
    // Empty with TrafficDigest::None.
    QByteArray sha256In;
    QByteArray sha256Out;
    quint64 hashedIn = 0;
    quint64 hashedOut = 0;
    bool digestComplete() const
    {
        return digest == TrafficDigest::None || (hashedIn == bytesIn && hashedOut == bytesOut);
    }
};

struct TrafficSnapshot
{
    QList<TrafficRecord> records; // seq > the caller's `after`, oldest first
    quint64 lastSeq = 0;          // the newest seq in the log (pass it back next time)
    quint64 dropped = 0;          // records pushed out of memory since the log began
    quint64 missed = 0;           // of those, ones the caller had not seen yet
    TrafficTotals totals;
};

// One record per send/recv call. Thread-safe: the I/O thread appends, the UI and the CLI
// pull what changed. Memory is bounded by a byte cap (payload plus a per-record overhead);
// old records are dropped, but the totals and the running SHA-256 never drop anything.
// The SHA-256 is computed on the shared Hasher's thread, fed with the very buffers the
// records hold: an append never waits for it, a reader sees how far it got.
class TrafficLog
{
public:
    static constexpr qsizetype kDefaultCapBytes = 8 * 1024 * 1024;
    static constexpr qsizetype kRecordOverhead = qsizetype(sizeof(TrafficRecord)) + 32;

    explicit TrafficLog(qsizetype capBytes = kDefaultCapBytes, TrafficDigest digest = TrafficDigest::Sha256);

    // Takes effect only before the first append (a digest of part of the stream would
    // mislead); returns whether it did.
    bool setDigest(TrafficDigest digest);
    TrafficDigest digest() const;

    // truncatedFrom: see TrafficRecord (a datagram cut by MSG_TRUNC).
    void append(Direction direction, TrafficCall call, QByteArray bytes, const Address &peer = {},
                qsizetype truncatedFrom = 0);
    // One record per datagram of a recvmmsg() batch (data and from are moved out), under
    // one lock and one clock read: a flood of small datagrams pays per batch, not per record.
    void appendBatch(Direction direction, TrafficCall call, std::span<Received> batch);
    TrafficSnapshot since(quint64 after) const;
    TrafficTotals totals() const;
    TrafficTotals counts() const; // totals without the SHA-256 (cheap: for lists and status bars)
    // Blocks until the digests cover every byte appended before the call; false on timeout.
    // For the CLI's final figures and tests, not for a UI thread.
    bool waitForDigest(std::chrono::milliseconds timeout) const;
    // Bytes appended but not hashed yet, both directions (0 with TrafficDigest::None): the
    // I/O thread pauses reading a session whose hash falls too far behind.
    quint64 digestBacklog() const;
    // Calls `fn` once (on the hasher's thread, or at once) when at most `limit` received
    // bytes wait for the hash: a reader paused for the digest resumes the moment the hasher
    // caught up, not on its next poll. Received bytes only; the caller rechecks the total.
    void whenInboundBacklogAtMost(quint64 limit, std::function<void()> fn);
    quint64 lastSeq() const;
    void setCapacity(qsizetype capBytes);
    qsizetype capacity() const;
    qsizetype memoryBytes() const;
    void clear(); // drops the records from memory; totals and hashes keep counting

private:
    void appendLocked(qint64 timeNs, Direction direction, TrafficCall call, QByteArray bytes, const Address &peer,
                      qsizetype truncatedFrom = 0);
    void trimLocked();

    mutable std::mutex m_mutex;
    std::deque<TrafficRecord> m_records;
    qsizetype m_capBytes;
    qsizetype m_memBytes = 0;
    quint64 m_nextSeq = 1;
    quint64 m_dropped = 0;
    TrafficTotals m_totals;
    // Taken at the first append with SHA-256 (under m_mutex); the appender reads m_shaIn
    // without it afterwards (digestBacklog).
    std::shared_ptr<Hasher> m_hasher;
    std::shared_ptr<Hasher::Stream> m_shaIn;
    std::shared_ptr<Hasher::Stream> m_shaOut;
};

} // namespace sockscope::core
