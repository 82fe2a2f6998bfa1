#include "trafficlog.h"

#include "monotonic.h"

namespace sockscope::core {

QString trafficCallName(TrafficCall call)
{
    switch (call) {
    case TrafficCall::Recv: return QStringLiteral("recv");
    case TrafficCall::RecvFrom: return QStringLiteral("recvfrom");
    case TrafficCall::Send: return QStringLiteral("send");
    case TrafficCall::SendTo: return QStringLiteral("sendto");
    case TrafficCall::SendAll: return QStringLiteral("sendall");
    case TrafficCall::SendFile: return QStringLiteral("sendfile");
    }
    return {};
}

TrafficLog::TrafficLog(qsizetype capBytes)
    : m_capBytes(capBytes)
    , m_digestIn(QCryptographicHash::hash({}, QCryptographicHash::Sha256))
    , m_digestOut(m_digestIn)
{
}

void TrafficLog::append(Direction direction, TrafficCall call, QByteArray bytes, const Address &peer)
{
    const qint64 now = monotonicNs();
    // The cap counts payload bytes, so a record must not pin much more than that: recv(65536)
    // hands over a 64 KiB buffer even when 10 bytes came, and a few thousand small
    // datagrams held 35 times the cap. Small payloads are copied out of oversized buffers
    // (cheap because they are small); full reads have no slack and are kept as they are.
    if (bytes.capacity() - bytes.size() > qMax<qsizetype>(bytes.size() / 8, 1024))
        bytes = QByteArray(bytes.constData(), bytes.size());
    // Hash outside m_mutex: a reader (the GUI, 30 times a second) must never wait behind
    // the SHA-256 of a 64 KiB read, nor behind an I/O thread preempted in the middle of one.
    // m_hashMutex keeps appenders in order, so the hash order is the record order.
    std::lock_guard hashLock(m_hashMutex);
    QCryptographicHash &sha = direction == Direction::In ? m_shaIn : m_shaOut;
    sha.addData(bytes);
    QByteArray digest = sha.result(); // finalises a copy; the running hash goes on
    std::lock_guard lock(m_mutex);
    if (direction == Direction::In) {
        m_totals.bytesIn += quint64(bytes.size());
        ++m_totals.recordsIn;
        m_digestIn = std::move(digest);
    } else {
        m_totals.bytesOut += quint64(bytes.size());
        ++m_totals.recordsOut;
        m_digestOut = std::move(digest);
    }
    m_memBytes += bytes.size() + kRecordOverhead;
    m_records.push_back(TrafficRecord{m_nextSeq++, now, direction, call, peer, std::move(bytes)});
    trimLocked();
}

void TrafficLog::trimLocked()
{
    // Keep the newest record even when it alone exceeds the cap: it is what the user
    // is looking at, and the cap is a bound on history, not on one call.
    while (m_memBytes > m_capBytes && m_records.size() > 1) {
        m_memBytes -= m_records.front().bytes.size() + kRecordOverhead;
        m_records.pop_front();
        ++m_dropped;
    }
}

TrafficTotals TrafficLog::totalsLocked() const
{
    TrafficTotals t = m_totals;
    t.sha256In = m_digestIn;
    t.sha256Out = m_digestOut;
    return t;
}

TrafficSnapshot TrafficLog::since(quint64 after) const
{
    std::lock_guard lock(m_mutex);
    TrafficSnapshot s;
    s.lastSeq = m_nextSeq - 1;
    s.dropped = m_dropped;
    const quint64 firstKept = m_records.empty() ? m_nextSeq : m_records.front().seq;
    s.missed = firstKept > after + 1 ? firstKept - after - 1 : 0;
    // Sequence numbers are contiguous, so the first wanted record is found by index.
    const quint64 start = after + 1 > firstKept ? after + 1 - firstKept : 0;
    if (start < m_records.size()) {
        s.records.reserve(qsizetype(m_records.size() - start));
        for (auto it = m_records.begin() + qsizetype(start); it != m_records.end(); ++it)
            s.records.append(*it);
    }
    s.totals = totalsLocked();
    return s;
}

TrafficTotals TrafficLog::totals() const
{
    std::lock_guard lock(m_mutex);
    return totalsLocked();
}

TrafficTotals TrafficLog::counts() const
{
    std::lock_guard lock(m_mutex);
    return m_totals;
}

quint64 TrafficLog::lastSeq() const
{
    std::lock_guard lock(m_mutex);
    return m_nextSeq - 1;
}

void TrafficLog::setCapacity(qsizetype capBytes)
{
    std::lock_guard lock(m_mutex);
    m_capBytes = capBytes;
    trimLocked();
}

qsizetype TrafficLog::capacity() const
{
    std::lock_guard lock(m_mutex);
    return m_capBytes;
}

qsizetype TrafficLog::memoryBytes() const
{
    std::lock_guard lock(m_mutex);
    return m_memBytes;
}

void TrafficLog::clear()
{
    std::lock_guard lock(m_mutex);
    m_dropped += m_records.size();
    m_records.clear();
    m_memBytes = 0;
}

} // namespace sockscope::core
