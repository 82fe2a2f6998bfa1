#include "session.h"

#include "monotonic.h"

#include "../net/pycode.h"
#include "sessionoptions.h"

#include <cerrno>
#include <sys/epoll.h>
#include <unistd.h>

namespace sockscope::core {

namespace {

constexpr qsizetype kReadChunk = 64 * 1024;     // datagrams, and where a stream starts
constexpr qsizetype kMaxStreamChunk = 1024 * 1024; // a stream that fills its reads grows to this
constexpr int kReadsPerWake = 16;       // fairness between sessions on one reactor
constexpr int kDatagramBatch = 32;      // datagrams per recvmmsg()
constexpr int kBatchesPerWake = 4;
// The SHA-256 runs on the hasher's thread, behind the reads. A session whose bytes it has
// not hashed yet stops reading above this (the kernel's window then slows the peer) rather
// than queueing without bound; other sessions keep going, and the reactor never waits.
// Small, so the buffers are still in cache when the hasher reads them: 32/8 MiB cost the
// reactor ~75% more CPU per GiB (cold buffers) than 4/2 MiB in per-thread CPU times.
constexpr quint64 kDigestBacklogHigh = 4 * 1024 * 1024;
constexpr quint64 kDigestBacklogLow = 2 * 1024 * 1024;
constexpr std::chrono::milliseconds kDigestRecheck{1};

} // namespace

Session::Session(SessionId id, SessionId parent, SessionRole role, Reactor &reactor, ChangeSink onChange)
    : m_id(id)
    , m_reactor(reactor)
    , m_onChange(std::move(onChange))
{
    m_info.id = id;
    m_info.parent = parent;
    m_info.role = role;
}

Session::~Session()
{
    // The manager destroys sessions on the reactor thread; the watch must go with the fd.
    if (m_watched)
        m_reactor.unwatch(m_socket.fileno());
    if (m_connectTimer)
        m_reactor.cancelTimer(m_connectTimer);
    if (m_digestTimer)
        m_reactor.cancelTimer(m_digestTimer);
    if (m_acceptTimer)
        m_reactor.cancelTimer(m_acceptTimer);
}

QString Session::var() const
{
    return m_info.role == SessionRole::Accepted ? QStringLiteral("conn") : QStringLiteral("s");
}

SessionInfo Session::info() const
{
    std::lock_guard lock(m_infoMutex);
    SessionInfo copy = m_info;
    return copy;
}

bool Session::isClosed() const
{
    std::lock_guard lock(m_infoMutex);
    return m_info.state == SessionState::Closed;
}

void Session::bumpInfo(const std::function<void(SessionInfo &)> &change)
{
    {
        std::lock_guard lock(m_infoMutex);
        change(m_info);
        m_info.pendingOut = m_pendingOut;
        m_info.tcpInfo = kernelSample();
        m_info.tcpInfoNs = monotonicNs();
        ++m_info.version;
    }
    if (m_onChange)
        m_onChange();
}

std::optional<TcpInfo> Session::kernelSample() const
{
    // Only TCP over IP has a TCP_INFO; skipping the rest saves a failing syscall per change.
    if (!m_socket.isValid() || m_info.type != SOCK_STREAM || (m_info.family != AF_INET && m_info.family != AF_INET6))
        return std::nullopt;
    auto sample = TcpInfo::sample(m_socket);
    return sample ? std::optional<TcpInfo>(*sample) : std::nullopt;
}

void Session::sampleKernel()
{
    std::optional<TcpInfo> now;
    {
        std::lock_guard lock(m_infoMutex);
        now = kernelSample();
        const bool same = now.has_value() == m_info.tcpInfo.has_value() && (!now || !now->progressedFrom(*m_info.tcpInfo));
        if (same) {
            // Keep the free-running fields (RTT, last-* ages) fresh without a version bump.
            m_info.tcpInfo = now;
            m_info.tcpInfoNs = monotonicNs();
            return;
        }
    }
    bumpInfo([](SessionInfo &) {});
}

bool Session::pauseForDigest()
{
    if (m_traffic->digestBacklog() <= kDigestBacklogHigh)
        return false;
    m_pausedForDigest = true;
    updateInterest();
    resumeAfterDigest();
    return true;
}

void Session::resumeAfterDigest()
{
    if (m_digestTimer) {
        m_reactor.cancelTimer(m_digestTimer);
        m_digestTimer = 0;
    }
    if (!m_socket.isValid() || !m_pausedForDigest)
        return;
    if (m_traffic->digestBacklog() > kDigestBacklogLow) {
        armDigestWake();
        // The hasher calls back for received bytes only; bytes we sent are polled for.
        std::weak_ptr<Session> weak = weak_from_this();
        m_digestTimer = m_reactor.addTimer(kDigestRecheck, [weak] {
            if (auto self = weak.lock()) {
                self->m_digestTimer = 0;
                self->resumeAfterDigest();
            }
        });
        return;
    }
    m_pausedForDigest = false;
    updateInterest();
}

void Session::armDigestWake()
{
    // A paused reader that waits for a 1 ms poll leaves the hasher idle for most of it: with
    // the backlog kept small (so the buffers are still in cache when hashed), the reader
    // must resume the moment the hasher got there. The call comes on the hasher's thread.
    if (!m_digestWaker) {
        m_digestWaker = std::make_shared<DigestWaker>();
        m_digestWaker->reactor = &m_reactor;
    }
    std::weak_ptr<Session> weak = weak_from_this();
    m_traffic->whenInboundBacklogAtMost(kDigestBacklogLow, [waker = m_digestWaker, weak] {
        std::lock_guard lock(waker->mutex);
        if (waker->reactor)
            waker->reactor->post([weak] {
                if (auto self = weak.lock())
                    self->resumeAfterDigest();
            });
    });
}

void Session::readDatagrams()
{
    if (!m_batch)
        m_batch = std::make_unique<DatagramBatch>(kDatagramBatch, m_datagramSize);
    std::vector<Received> got;
    got.reserve(size_t(m_batch->capacity()));
    for (int n = 0; n < kBatchesPerWake; ++n) {
        // MSG_TRUNC as a flag: each datagram's length is its real one, however much fitted.
        auto count = m_batch->receive(m_socket, MSG_DONTWAIT | MSG_TRUNC);
        if (!count) {
            // A connected UDP socket reports an ICMP port unreachable here (ECONNREFUSED);
            // the socket stays usable, so trace it and go on.
            if (!count.error().is(EAGAIN))
                m_trace->add(QStringLiteral("data, addr = s.recvfrom(%1)").arg(m_datagramSize), QString(), count.error());
            break;
        }
        got.clear();
        for (int i = 0; i < *count; ++i) {
            got.push_back(m_batch->take(i));
            if (got.back().msgFlags & MSG_TRUNC)
                traceTruncated(got.back());
        }
        if (m_service) {
            // Each reply goes out right after its datagram, in the log as on the wire.
            for (Received &r : got) {
                const qsizetype truncatedFrom = (r.msgFlags & MSG_TRUNC) ? r.length : 0;
                if (r.from.size() > sizeof(sa_family_t)) {
                    std::vector<Service::Reply> replies = m_service->replies(r.data, r.from);
                    m_traffic->append(Direction::In, TrafficCall::RecvFrom, std::move(r.data), r.from, truncatedFrom);
                    for (Service::Reply &reply : replies)
                        applyReply(std::move(reply), r.from);
                } else {
                    m_traffic->append(Direction::In, TrafficCall::RecvFrom, std::move(r.data), r.from, truncatedFrom);
                }
            }
        } else {
            m_traffic->appendBatch(Direction::In, TrafficCall::RecvFrom, got);
        }
        if (*count < m_batch->capacity())
            break; // drained: no EAGAIN round trip
    }
    noteKernelDrops();
    pauseForDigest();
}

// Python's recvfrom() cannot tell a cut datagram from a whole one; recvmsg() returns
// msg_flags, so the row is written as that call. Only cut datagrams get a row: the others
// are in the traffic log.
void Session::traceTruncated(const Received &r)
{
    m_trace->add(QStringLiteral("data, ancdata, flags, addr = s.recvmsg(%1)").arg(m_datagramSize),
                 QStringLiteral("(%1, [], %2, %3)  # MSG_TRUNC: the datagram had %4 bytes, %5 did not fit and were discarded")
                     .arg(pycode::bytes(r.data), pycode::msgFlags(r.msgFlags), r.from.toPython())
                     .arg(r.length)
                     .arg(r.length - r.data.size()));
}

void Session::noteKernelDrops()
{
    const auto counter = m_batch ? m_batch->dropCounter() : std::nullopt;
    if (!counter)
        return;
    // The kernel counts from the socket's creation (we set SO_RXQ_OVFL right after
    // socket()), and attaches the counter only once it is non-zero, to each datagram
    // queued after a drop: drops after the last datagram show with the next one.
    const quint64 drops = quint64(*counter);
    if (drops == m_info.kernelDrops)
        return;
    bumpInfo([drops](SessionInfo &i) { i.kernelDrops = drops; });
}

// ---- the stream data path -----------------------------------------------------------

void Session::readStream()
{
    for (int n = 0; n < kReadsPerWake; ++n) {
        const qsizetype chunk = m_readChunk;
        auto got = m_socket.recv(chunk, MSG_DONTWAIT);
        if (!got) {
            if (got.error().is(EAGAIN))
                return;
            endWithError(QStringLiteral("%1.recv(%2)").arg(var()).arg(chunk), got.error());
            return;
        }
        if (got->eof()) {
            m_trace->add(QStringLiteral("%1.recv(%2)").arg(var()).arg(chunk), QStringLiteral("b''  # EOF: the peer closed its side"));
            m_reading = false;
            bumpInfo([](SessionInfo &i) { i.peerClosed = true; });
            // A built-in server treats an empty recv() as "the client left", as the
            // tutorial servers do.
            if (m_service)
                close();
            else
                updateInterest();
            return;
        }
        // A bulk stream fills every read: fewer, larger recv() calls (up to 1 MiB, as a
        // hand-written discard loop would use) halve the syscalls per byte; a stream that
        // trickles goes back to 64 KiB so small records do not pin large buffers.
        if (got->data.size() == chunk)
            m_readChunk = std::min(chunk * 2, kMaxStreamChunk);
        else if (got->data.size() < chunk / 4)
            m_readChunk = std::max(chunk / 2, kReadChunk);
        if (m_service) {
            std::vector<Service::Reply> replies = m_service->replies(got->data, m_info.peer);
            m_traffic->append(Direction::In, TrafficCall::Recv, std::move(got->data));
            for (Service::Reply &reply : replies) {
                if (m_info.state == SessionState::Closed)
                    break;
                applyReply(std::move(reply), {});
            }
            if (m_info.state == SessionState::Closed || m_pausedForBackpressure)
                return;
        } else {
            m_traffic->append(Direction::In, TrafficCall::Recv, std::move(got->data));
        }
        if (pauseForDigest())
            return;
    }
}

// ---- ending -----------------------------------------------------------------------

void Session::shutdown(int how)
{
    // Bytes still queued in user space go out before our FIN: shutdown(SHUT_WR) after
    // sendall() must not lose the tail of what was sent.
    if ((how == SHUT_WR || how == SHUT_RDWR) && !m_out.empty()) {
        m_shutdownWhenFlushed = how;
        return;
    }
    const QString code = QStringLiteral("%1.shutdown(%2)").arg(var(), pycode::shutdownHow(how));
    if (auto done = m_socket.shutdown(how); !done) {
        m_trace->add(code, QString(), done.error());
        return;
    }
    m_trace->add(code, pycode::none());
    bumpInfo([&](SessionInfo &i) {
        if (how == SHUT_RD || how == SHUT_RDWR)
            i.readShut = true;
        if (how == SHUT_WR || how == SHUT_RDWR)
            i.writeShut = true;
    });
    if (how == SHUT_RD || how == SHUT_RDWR) {
        // Linux keeps accepting data after SHUT_RD, but recv() now returns 0 at once;
        // stop reading or the level-triggered loop would spin.
        m_reading = false;
    }
    updateInterest();
}

void Session::note(QString code, QString result, std::optional<SysError> error)
{
    m_trace->add(std::move(code), std::move(result), std::move(error));
    if (m_onChange)
        m_onChange();
}

void Session::close()
{
    if (!m_socket.isValid())
        return;
    if (!m_out.empty() && m_info.type != SOCK_DGRAM) {
        m_closeWhenFlushed = true;
        return;
    }
    closeNow(true);
}

void Session::closeNow(bool traceIt)
{
    if (m_watched) {
        m_reactor.unwatch(m_socket.fileno());
        m_watched = false;
    }
    if (m_connectTimer) {
        m_reactor.cancelTimer(m_connectTimer);
        m_connectTimer = 0;
    }
    if (m_digestTimer) {
        m_reactor.cancelTimer(m_digestTimer);
        m_digestTimer = 0;
    }
    if (m_acceptTimer) {
        m_reactor.cancelTimer(m_acceptTimer);
        m_acceptTimer = 0;
    }
    if (m_socket.isValid()) {
        auto closed = m_socket.close();
        if (traceIt)
            m_trace->add(QStringLiteral("%1.close()").arg(var()), closed ? pycode::none() : QString(),
                         closed ? std::nullopt : std::optional<SysError>(closed.error()));
    }
    m_pendingOut = 0;
    m_out.clear();
    bumpInfo([](SessionInfo &i) { i.state = SessionState::Closed; });
}

void Session::abort()
{
    if (!m_socket.isValid())
        return;
    if (m_watched) {
        m_reactor.unwatch(m_socket.fileno());
        m_watched = false;
    }
    m_trace->add(QStringLiteral("%1.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack(\"ii\", 1, 0))").arg(var()), pycode::none());
    auto aborted = m_socket.abort();
    m_trace->add(QStringLiteral("%1.close()  # with linger 0: RST, not FIN").arg(var()), aborted ? pycode::none() : QString(),
                 aborted ? std::nullopt : std::optional<SysError>(aborted.error()));
    m_pendingOut = 0;
    m_out.clear();
    bumpInfo([](SessionInfo &i) { i.state = SessionState::Closed; });
}

void Session::endWithError(const QString &code, const SysError &error)
{
    m_trace->add(code, QString(), error);
    endOn(error);
}

void Session::endOn(const SysError &error)
{
    // The error first: a waiter woken by the state turning Closed must already see why.
    bumpInfo([&](SessionInfo &i) { i.error = error; });
    closeNow(false);
}

void Session::setService(ServiceMode mode, std::shared_ptr<ResponderRules> responder)
{
    // A listener passes the mode on to the connections it accepts from now on; a
    // connection switches its own service (the gate, if any, stays with the listener).
    const ServiceConfig config{mode, std::nullopt, std::move(responder)};
    if (m_info.role == SessionRole::Listener) {
        m_childService.mode = config.mode;
        m_childService.responder = config.responder;
    } else {
        m_service = Service::create(config);
    }
    bumpInfo([&](SessionInfo &i) { i.service = config.shownMode(); });
}

// ---- the reactor side ---------------------------------------------------------------

void Session::watchSocket()
{
    if (m_watched || !m_socket.isValid())
        return;
    // Watched with the interest it needs at once: one epoll_ctl per new connection, not
    // an ADD and then a MOD.
    m_interest = wantedEvents();
    std::weak_ptr<Session> weak = weak_from_this();
    m_reactor.watch(m_socket.fileno(), m_interest, [weak](uint32_t events) {
        if (auto self = weak.lock())
            self->onEvents(events);
    });
    m_watched = true;
}

uint32_t Session::wantedEvents() const
{
    uint32_t want = kNone;
    if (m_connecting) {
        want = EPOLLOUT;
    } else if (m_info.state == SessionState::Listening) {
        if (m_autoAccept && !m_acceptPaused)
            want = EPOLLIN;
    } else {
        if (canRead())
            want |= EPOLLIN;
        if (!m_out.empty())
            want |= EPOLLOUT;
    }
    return want;
}

void Session::updateInterest()
{
    if (!m_watched)
        return;
    const uint32_t want = wantedEvents();
    if (want != m_interest) {
        m_interest = want;
        m_reactor.modify(m_socket.fileno(), want);
    }
}

void Session::onEvents(uint32_t events)
{
    auto keepAlive = shared_from_this();
    if (m_connecting) {
        onConnectEvent();
        return;
    }
    if (m_info.state == SessionState::Listening) {
        acceptPending(kAcceptsPerWake);
        return;
    }
    if ((events & EPOLLOUT) && !m_out.empty())
        flush();
    if (!m_socket.isValid())
        return;
    if (events & (EPOLLIN | EPOLLERR | EPOLLHUP)) {
        if (canRead()) {
            if (m_info.type == SOCK_DGRAM)
                readDatagrams();
            else
                readStream();
        } else if (events & (EPOLLERR | EPOLLHUP)) {
            // Nothing left to read, yet the kernel reports the socket dead: take the
            // error if there is one, and stop watching so level-triggered HUP cannot spin.
            if (auto err = m_socket.connectResult(); !err) {
                endWithError(QStringLiteral("%1.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)").arg(var()), err.error());
                return;
            }
            if (m_out.empty() && m_watched) {
                m_reactor.unwatch(m_socket.fileno());
                m_watched = false;
            }
        }
    }
}

} // namespace sockscope::core
