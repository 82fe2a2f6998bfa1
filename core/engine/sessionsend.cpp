#include "session.h"

#include "../net/pycode.h"

#include <QFile>

// The sending side of a Session: a service's replies (now or after a rule's delay), files
// with sendfile(), the user's sends, and the flush that hands the queue to the kernel as
// fast as it takes it. Reading and ending live in session.cpp, opening in sessionopen.cpp.

namespace sockscope::core {

namespace {

constexpr qint64 kPauseReadAbove = 4 * 1024 * 1024; // a service whose peer does not read
constexpr qint64 kResumeReadBelow = 1 * 1024 * 1024;

} // namespace

void Session::applyReply(Service::Reply reply, const Address &to)
{
    if (reply.delay.count() > 0) {
        // A rule's delay: the reply goes out later, on this thread, if the session lives.
        const auto delay = std::exchange(reply.delay, std::chrono::milliseconds(0));
        std::weak_ptr<Session> weak = weak_from_this();
        m_reactor.addTimer(delay, [weak, reply = std::move(reply), to]() mutable {
            if (auto self = weak.lock(); self && self->m_info.state != SessionState::Closed)
                self->applyReply(std::move(reply), to);
        });
        return;
    }
    if (!reply.note.isEmpty())
        m_trace->add(QStringLiteral("# service"), reply.note);
    const bool datagram = m_info.type == SOCK_DGRAM;
    if (reply.bytes && (datagram || !reply.bytes->isEmpty())) {
        Outgoing out{std::move(*reply.bytes), 0, to};
        m_pendingOut += out.bytes.size();
        m_out.push_back(std::move(out));
        flush();
    }
    if (reply.shutdownWrite && !datagram)
        shutdown(SHUT_WR);
    if (reply.close)
        close();
    if (m_pendingOut > kPauseReadAbove && !m_pausedForBackpressure) {
        m_pausedForBackpressure = true;
        updateInterest();
    }
}

void Session::sendFile(const QString &path)
{
    const QString code = QStringLiteral("%1.sendfile(open(\"%2\", \"rb\"))").arg(var(), path);
    auto file = std::make_shared<QFile>(path);
    if (m_info.type == SOCK_DGRAM) {
        m_trace->add(code, QString(), SysError::fromErrno(EOPNOTSUPP));
        return;
    }
    if (!file->open(QIODevice::ReadOnly | QIODevice::Unbuffered)) {
        m_trace->add(code, QString(), SysError::input(QStringLiteral("file"), file->errorString()));
        return;
    }
    m_trace->add(code, QStringLiteral("%1  # bytes, queued").arg(file->size()));
    m_pendingOut += file->size();
    m_out.push_back(Outgoing{{}, 0, {}, std::move(file)});
    flush();
}

// Sends what it can of a file; each sendfile() that moves bytes becomes a traffic record
// holding those bytes (read back through the QFile: sendfile moved the kernel's offset
// only in `offset`, never the file's) so the totals and SHA-256 stay exact.
// Returns false when the session ended on an error.
bool Session::flushFile(Outgoing &front)
{
    const qint64 size = front.file->size();
    while (front.offset < size) {
        qint64 offset = front.offset;
        auto sent = m_socket.sendFile(front.file->handle(), &offset, qsizetype(std::min<qint64>(size - front.offset, 1 << 20)));
        if (!sent) {
            if (sent.error().is(EAGAIN))
                return true;
            endWithError(QStringLiteral("%1.sendfile(...)").arg(var()), sent.error());
            return false;
        }
        if (*sent == 0)
            break; // the file shrank under us
        QByteArray copy;
        if (front.file->seek(front.offset))
            copy = front.file->read(*sent);
        m_traffic->append(Direction::Out, TrafficCall::SendFile, std::move(copy));
        front.offset += *sent;
        m_pendingOut -= *sent;
    }
    if (front.offset < size) {
        // Shrunk file: account for what will never be sent.
        m_pendingOut -= size - front.offset;
        front.offset = size;
    }
    return true;
}

void Session::refillFromService()
{
    // One chunk per flush: a streaming service (chargen) to a fast reader must not keep
    // the reactor thread to itself; EPOLLOUT brings us back for the next chunk.
    if (auto chunk = m_service->more(); chunk && !chunk->isEmpty()) {
        m_pendingOut += chunk->size();
        m_out.push_back(Outgoing{std::move(*chunk), 0, {}});
    }
}

void Session::queueOrSend(QByteArray data)
{
    m_pendingOut += data.size();
    m_out.push_back(Outgoing{std::move(data), 0, {}});
    flush();
}

void Session::send(QByteArray data)
{
    if (!m_socket.isValid()) {
        m_trace->add(QStringLiteral("%1.sendall(%2)").arg(var(), pycode::bytes(data)), QString(), SysError::fromErrno(EBADF));
        return;
    }
    const QString code = QStringLiteral("%1.sendall(%2)").arg(var(), pycode::bytes(data));
    if (data.isEmpty() && m_info.type != SOCK_DGRAM) {
        // An empty send on a stream moves nothing; the peer's recv() keeps waiting.
        m_trace->add(code, QStringLiteral("None  # 0 bytes: nothing goes on the wire"));
        return;
    }
    m_trace->add(code, QStringLiteral("None  # %1 bytes").arg(data.size()));
    queueOrSend(std::move(data));
}

void Session::sendTo(QByteArray data, const Address &to)
{
    const QString code = QStringLiteral("s.sendto(%1, %2)").arg(pycode::bytes(data), to.toPython());
    if (!m_socket.isValid()) {
        m_trace->add(code, QString(), SysError::fromErrno(EBADF));
        return;
    }
    m_trace->add(code, QString::number(data.size()));
    m_pendingOut += data.size();
    m_out.push_back(Outgoing{std::move(data), 0, to});
    flush();
}

// A datagram socket whose send buffer is full (datagrams still in a qdisc or the
// driver hold it) answers EAGAIN: the datagrams stay queued here, in order, and go when
// EPOLLOUT says the buffer drained. One row per spell says so; nothing is dropped.
void Session::traceSendStall(const SysError &error)
{
    if (m_sendStallTraced)
        return;
    m_sendStallTraced = true;
    const qsizetype waiting = qsizetype(m_out.size());
    const QString call = m_out.front().to.isValid() ? QStringLiteral("s.sendto(...)") : QStringLiteral("s.send(...)");
    m_trace->add(QStringLiteral("%1  # send buffer full: %2 queued here, sent when it drains")
                     .arg(call, waiting == 1 ? QStringLiteral("1 datagram") : QStringLiteral("%1 datagrams").arg(waiting)),
                 QString(), error);
}

void Session::flush()
{
    const bool datagram = m_info.type == SOCK_DGRAM;
    while (!m_out.empty() && m_socket.isValid()) {
        Outgoing &front = m_out.front();
        if (front.file) {
            if (!flushFile(front))
                return;
            if (front.offset < front.file->size())
                break; // EAGAIN: wait for EPOLLOUT
            m_out.pop_front();
            continue;
        }
        const QByteArrayView rest = QByteArrayView(front.bytes).sliced(front.offset);
        auto sent = front.to.isValid() ? m_socket.sendTo(rest, front.to, MSG_DONTWAIT)
                                       : m_socket.send(rest, MSG_DONTWAIT);
        if (!sent) {
            if (sent.error().is(EAGAIN)) {
                if (datagram)
                    traceSendStall(sent.error());
                break;
            }
            const QString code = datagram ? QStringLiteral("s.sendto(...)") : QStringLiteral("%1.send(...)").arg(var());
            if (datagram) {
                // One failed datagram (EMSGSIZE, ECONNREFUSED from an earlier ICMP) does
                // not end the socket.
                m_trace->add(code, QString(), sent.error());
                m_pendingOut -= front.bytes.size() - front.offset;
                m_out.pop_front();
                continue;
            }
            endWithError(code, sent.error());
            return;
        }
        const TrafficCall call = front.to.isValid() ? TrafficCall::SendTo : TrafficCall::Send;
        QByteArray moved = (front.offset == 0 && *sent == front.bytes.size()) ? front.bytes
                                                                             : rest.first(*sent).toByteArray();
        m_traffic->append(Direction::Out, call, std::move(moved), front.to);
        front.offset += *sent;
        m_pendingOut -= *sent;
        if (front.offset >= front.bytes.size())
            m_out.pop_front();
    }
    if (m_out.empty())
        m_sendStallTraced = false;
    if (m_out.empty() && m_service && m_socket.isValid() && !m_closeWhenFlushed)
        refillFromService();
    if (m_pausedForBackpressure && m_pendingOut < kResumeReadBelow)
        m_pausedForBackpressure = false;
    if (m_out.empty() && m_shutdownWhenFlushed) {
        const int how = *std::exchange(m_shutdownWhenFlushed, std::nullopt);
        shutdown(how);
    }
    if (m_out.empty() && m_closeWhenFlushed) {
        closeNow(true);
        return;
    }
    updateInterest();
    bumpInfo([](SessionInfo &) {});
}

} // namespace sockscope::core
