#pragma once

#include "../net/address.h"

#include <QByteArray>
#include <QCryptographicHash>
#include <QList>

#include <deque>
#include <mutex>

namespace sockscope::core {

enum class Direction { In, Out };

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
};

struct TrafficTotals
{
    quint64 bytesIn = 0;
    quint64 bytesOut = 0;
    quint64 recordsIn = 0;
    quint64 recordsOut = 0;
    QByteArray sha256In;  // over every byte ever received, dropped records included
    QByteArray sha256Out;
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
class TrafficLog
{
public:
    static constexpr qsizetype kDefaultCapBytes = 8 * 1024 * 1024;
    static constexpr qsizetype kRecordOverhead = qsizetype(sizeof(TrafficRecord)) + 32;

    explicit TrafficLog(qsizetype capBytes = kDefaultCapBytes);

    void append(Direction direction, TrafficCall call, QByteArray bytes, const Address &peer = {});
    TrafficSnapshot since(quint64 after) const;
    TrafficTotals totals() const;
    TrafficTotals counts() const; // totals without the SHA-256 (cheap: for lists and status bars)
    quint64 lastSeq() const;
    void setCapacity(qsizetype capBytes);
    qsizetype capacity() const;
    qsizetype memoryBytes() const;
    void clear(); // drops the records from memory; totals and hashes keep counting

private:
    void trimLocked();
    TrafficTotals totalsLocked() const;

    mutable std::mutex m_mutex;
    std::deque<TrafficRecord> m_records;
    qsizetype m_capBytes;
    qsizetype m_memBytes = 0;
    quint64 m_nextSeq = 1;
    quint64 m_dropped = 0;
    TrafficTotals m_totals;
    QByteArray m_digestIn;  // the running hashes' latest results, read under m_mutex
    QByteArray m_digestOut;
    std::mutex m_hashMutex; // taken before m_mutex, by appenders only
    QCryptographicHash m_shaIn{QCryptographicHash::Sha256};
    QCryptographicHash m_shaOut{QCryptographicHash::Sha256};
};

} // namespace sockscope::core
