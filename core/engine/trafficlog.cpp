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

QString trafficDigestName(TrafficDigest digest)
{
    return digest == TrafficDigest::Sha256 ? QStringLiteral("sha256") : QStringLiteral("none");
}

std::optional<TrafficDigest> trafficDigestFromName(const QString &name)
{
    if (name.compare(u"sha256", Qt::CaseInsensitive) == 0)
        return TrafficDigest::Sha256;
    if (name.compare(u"none", Qt::CaseInsensitive) == 0)
        return TrafficDigest::None;
    return std::nullopt;
}

TrafficLog::TrafficLog(qsizetype capBytes, TrafficDigest digest)
    : m_capBytes(capBytes)
{
    setDigest(digest);
}

bool TrafficLog::setDigest(TrafficDigest digest)
{
    std::lock_guard lock(m_mutex);
    if (m_nextSeq != 1)
        return digest == m_totals.digest;
    m_totals.digest = digest;
    return true;
}

TrafficDigest TrafficLog::digest() const
{
    std::lock_guard lock(m_mutex);
    return m_totals.digest;
}

namespace {

// The cap counts payload bytes, so a record must not pin much more than that: recv(65536)
// hands over a 64 KiB buffer even when 10 bytes came, and a few thousand small datagrams
// held 35 times the cap. squeeze() gives the slack back with realloc, which shrinks a heap
// block in place: copying instead cost a memmove of every partly filled 1 MiB stream read
// (4% of the I/O thread in perf); full reads have no slack.
void dropSlack(QByteArray &bytes)
{
    if (bytes.capacity() - bytes.size() > qMax<qsizetype>(bytes.size() / 8, 1024))
        bytes.squeeze();
}

} // namespace

void TrafficLog::append(Direction direction, TrafficCall call, QByteArray bytes, const Address &peer,
                        qsizetype truncatedFrom)
{
    const qint64 now = monotonicNs();
    dropSlack(bytes);
    std::lock_guard lock(m_mutex);
    appendLocked(now, direction, call, std::move(bytes), peer, truncatedFrom);
    trimLocked();
}

void TrafficLog::appendBatch(Direction direction, TrafficCall call, std::span<Received> batch)
{
    const qint64 now = monotonicNs();
    for (Received &r : batch)
        dropSlack(r.data);
    std::lock_guard lock(m_mutex);
    for (Received &r : batch) {
        const qsizetype truncatedFrom = (r.msgFlags & MSG_TRUNC) && r.length > r.data.size() ? r.length : 0;
        appendLocked(now, direction, call, std::move(r.data), r.from, truncatedFrom);
    }
    trimLocked();
}

void TrafficLog::appendLocked(qint64 timeNs, Direction direction, TrafficCall call, QByteArray bytes, const Address &peer,
                              qsizetype truncatedFrom)
{
    // The hasher gets a reference to the record's own buffer (no copy), queued under
    // m_mutex so that concurrent appenders hash in record order.
    if (m_totals.digest == TrafficDigest::Sha256) {
        // The hasher (a thread) is taken at the first byte, not with the log: a server
        // accepting thousands of connections that never send anything must not start and
        // join a thread per connection (it cut accept/close cycles to a sixth).
        if (!m_hasher) {
            m_hasher = Hasher::shared();
            m_shaIn = m_hasher->open();
            m_shaOut = m_hasher->open();
        }
        m_hasher->feed(direction == Direction::In ? m_shaIn : m_shaOut, bytes);
    }
    if (direction == Direction::In) {
        m_totals.bytesIn += quint64(bytes.size());
        ++m_totals.recordsIn;
    } else {
        m_totals.bytesOut += quint64(bytes.size());
        ++m_totals.recordsOut;
    }
    m_memBytes += bytes.size() + kRecordOverhead;
    m_records.push_back(TrafficRecord{m_nextSeq++, timeNs, direction, call, peer, std::move(bytes), truncatedFrom});
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

namespace {

// Outside m_mutex: Hasher::digest may wait for the update in progress (a few microseconds),
// and the appender must never wait behind a reader that waits for the hasher.
void addDigests(TrafficTotals &t, const std::shared_ptr<Hasher::Stream> &in, const std::shared_ptr<Hasher::Stream> &out)
{
    if (t.digest == TrafficDigest::None)
        return;
    if (!in) {
        // Nothing appended yet: the SHA-256 of no bytes, known without a hasher.
        static const QByteArray empty = QByteArray::fromHex("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        t.sha256In = t.sha256Out = empty;
        return;
    }
    const Hasher::Digest dIn = Hasher::digest(*in);
    const Hasher::Digest dOut = Hasher::digest(*out);
    t.sha256In = dIn.sha256;
    t.hashedIn = dIn.bytes;
    t.sha256Out = dOut.sha256;
    t.hashedOut = dOut.bytes;
}

} // namespace

bool TrafficLog::waitForDigest(std::chrono::milliseconds timeout) const
{
    std::shared_ptr<Hasher::Stream> in, out;
    {
        std::lock_guard lock(m_mutex);
        in = m_shaIn;
        out = m_shaOut;
    }
    if (!in)
        return true;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    if (!Hasher::waitUntilHashed(*in, timeout))
        return false;
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    return Hasher::waitUntilHashed(*out, std::max(left, std::chrono::milliseconds(0)));
}

quint64 TrafficLog::digestBacklog() const
{
    // Called by the appender after each read: m_shaIn is set by the appender's first append.
    if (!m_shaIn)
        return 0;
    return Hasher::backlog(*m_shaIn) + Hasher::backlog(*m_shaOut);
}

void TrafficLog::whenInboundBacklogAtMost(quint64 limit, std::function<void()> fn)
{
    // Called by the appender, like digestBacklog(): m_shaIn is set by its first append.
    if (!m_shaIn) {
        fn();
        return;
    }
    Hasher::whenBacklogAtMost(*m_shaIn, limit, std::move(fn));
}

TrafficSnapshot TrafficLog::since(quint64 after) const
{
    std::unique_lock lock(m_mutex);
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
    s.totals = m_totals;
    const auto in = m_shaIn;
    const auto out = m_shaOut;
    lock.unlock();
    addDigests(s.totals, in, out);
    return s;
}

TrafficTotals TrafficLog::totals() const
{
    std::unique_lock lock(m_mutex);
    TrafficTotals t = m_totals;
    const auto in = m_shaIn;
    const auto out = m_shaOut;
    lock.unlock();
    addDigests(t, in, out);
    return t;
}

TrafficTotals TrafficLog::counts() const
{
    std::lock_guard lock(m_mutex);
    TrafficTotals t = m_totals;
    return t;
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
