#include "socket.h"

#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <poll.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>

namespace sockscope::core {

namespace {

std::unexpected<SysError> lastError()
{
    return std::unexpected(SysError::lastErrno());
}

bool setNonBlockingFlag(int fd, bool nonBlocking)
{
    const int flags = fcntl(fd, F_GETFL);
    if (flags < 0)
        return false;
    const int wanted = nonBlocking ? (flags | O_NONBLOCK) : (flags & ~O_NONBLOCK);
    return wanted == flags || fcntl(fd, F_SETFL, wanted) == 0;
}

using Clock = std::chrono::steady_clock;

int remainingMs(Clock::time_point deadline)
{
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    return left > 0 ? int(left) : 0;
}

} // namespace

Socket::~Socket()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

Socket::Socket(Socket &&other) noexcept
    : m_fd(std::exchange(other.m_fd, -1))
    , m_timeoutMs(other.m_timeoutMs)
{
}

Socket &Socket::operator=(Socket &&other) noexcept
{
    if (this != &other) {
        if (m_fd >= 0)
            ::close(m_fd);
        m_fd = std::exchange(other.m_fd, -1);
        m_timeoutMs = other.m_timeoutMs;
    }
    return *this;
}

int Socket::release()
{
    return std::exchange(m_fd, -1);
}

std::expected<Socket, SysError> Socket::create(int family, int type, int protocol)
{
    const int fd = ::socket(family, type | SOCK_CLOEXEC, protocol);
    if (fd < 0)
        return lastError();
    return Socket(fd);
}

std::expected<std::pair<Socket, Socket>, SysError> Socket::pair(int family, int type, int protocol)
{
    int fds[2];
    if (::socketpair(family, type | SOCK_CLOEXEC, protocol, fds) != 0)
        return lastError();
    return std::pair{Socket(fds[0]), Socket(fds[1])};
}

std::expected<void, SysError> Socket::waitFor(short events, int ms) const
{
    pollfd p{m_fd, events, 0};
    const auto deadline = Clock::now() + std::chrono::milliseconds(ms);
    for (;;) {
        const int n = ::poll(&p, 1, remainingMs(deadline));
        if (n > 0)
            return {};
        if (n == 0)
            return std::unexpected(SysError::fromErrno(ETIMEDOUT));
        if (errno != EINTR)
            return lastError();
    }
}

std::expected<void, SysError> Socket::bind(const Address &address)
{
    if (::bind(m_fd, address.data(), address.size()) != 0)
        return lastError();
    return {};
}

std::expected<void, SysError> Socket::listen(int backlog)
{
    if (::listen(m_fd, backlog) != 0)
        return lastError();
    return {};
}

std::expected<Accepted, SysError> Socket::accept(bool nonBlocking)
{
    for (;;) {
        Address peer;
        socklen_t len = Address::capacity();
        const int fd = ::accept4(m_fd, peer.data(), &len, SOCK_CLOEXEC | (nonBlocking ? SOCK_NONBLOCK : 0));
        if (fd >= 0) {
            peer.setSize(len);
            Accepted accepted{Socket(fd), peer};
            if (nonBlocking)
                accepted.socket.m_timeoutMs = 0;
            return accepted;
        }
        if (errno == EINTR)
            continue;
        if (errno == EAGAIN && m_timeoutMs && *m_timeoutMs > 0) {
            if (auto waited = waitFor(POLLIN, *m_timeoutMs); !waited)
                return std::unexpected(waited.error());
            continue;
        }
        return lastError();
    }
}

std::expected<void, SysError> Socket::connect(const Address &address)
{
    if (::connect(m_fd, address.data(), address.size()) == 0)
        return {};
    if (errno == EINPROGRESS && m_timeoutMs && *m_timeoutMs > 0) {
        if (auto waited = waitFor(POLLOUT, *m_timeoutMs); !waited)
            return waited;
        return connectResult();
    }
    return lastError();
}

int Socket::connectEx(const Address &address)
{
    auto result = connect(address);
    return result ? 0 : result.error().code();
}

std::expected<void, SysError> Socket::connectResult() const
{
    auto err = getIntOption(SOL_SOCKET, SO_ERROR);
    if (!err)
        return std::unexpected(err.error());
    if (*err != 0)
        return std::unexpected(SysError::fromErrno(*err));
    return {};
}

std::expected<qsizetype, SysError> Socket::send(QByteArrayView data, int flags)
{
    for (;;) {
        const ssize_t n = ::send(m_fd, data.data(), size_t(data.size()), flags | MSG_NOSIGNAL);
        if (n >= 0)
            return qsizetype(n);
        if (errno == EINTR)
            continue;
        if (errno == EAGAIN && m_timeoutMs && *m_timeoutMs > 0 && !(flags & MSG_DONTWAIT)) {
            if (auto waited = waitFor(POLLOUT, *m_timeoutMs); !waited)
                return std::unexpected(waited.error());
            continue;
        }
        return lastError();
    }
}

std::expected<qsizetype, SysError> Socket::sendAll(QByteArrayView data, int flags)
{
    qsizetype sent = 0;
    while (sent < data.size()) {
        auto n = send(data.sliced(sent), flags);
        if (!n)
            return std::unexpected(n.error());
        sent += *n;
    }
    return sent;
}

std::expected<qsizetype, SysError> Socket::sendTo(QByteArrayView data, const Address &to, int flags)
{
    for (;;) {
        const ssize_t n = ::sendto(m_fd, data.data(), size_t(data.size()), flags | MSG_NOSIGNAL, to.data(), to.size());
        if (n >= 0)
            return qsizetype(n);
        if (errno == EINTR)
            continue;
        if (errno == EAGAIN && m_timeoutMs && *m_timeoutMs > 0 && !(flags & MSG_DONTWAIT)) {
            if (auto waited = waitFor(POLLOUT, *m_timeoutMs); !waited)
                return std::unexpected(waited.error());
            continue;
        }
        return lastError();
    }
}

std::expected<qsizetype, SysError> Socket::sendFile(int fileFd, qint64 *offset, qsizetype count)
{
    for (;;) {
        off_t off = off_t(*offset);
        const ssize_t n = ::sendfile(m_fd, fileFd, &off, size_t(count));
        if (n >= 0) {
            *offset = off;
            return qsizetype(n);
        }
        if (errno == EINTR)
            continue;
        return lastError();
    }
}

std::expected<Received, SysError> Socket::receive(qsizetype bufsize, int flags, bool wantFrom)
{
    Received r;
    // Exactly bufsize: resize() on an empty QByteArray reserves about twice as much
    // (131056 bytes for recv(65536)), memory a kept TrafficLog record would then pin.
    r.data = QByteArray(bufsize, Qt::Uninitialized);
    for (;;) {
        iovec iov{r.data.data(), size_t(bufsize)};
        msghdr msg{};
        msg.msg_iov = &iov;
        msg.msg_iovlen = 1;
        if (wantFrom) {
            msg.msg_name = r.from.data();
            msg.msg_namelen = Address::capacity();
        }
        const ssize_t n = ::recvmsg(m_fd, &msg, flags);
        if (n >= 0) {
            r.length = n;
            r.msgFlags = msg.msg_flags;
            r.data.resize(std::min<qsizetype>(n, bufsize));
            if (wantFrom)
                r.from.setSize(msg.msg_namelen);
            return r;
        }
        if (errno == EINTR)
            continue;
        if (errno == EAGAIN && m_timeoutMs && *m_timeoutMs > 0 && !(flags & MSG_DONTWAIT)) {
            if (auto waited = waitFor(POLLIN | POLLPRI, *m_timeoutMs); !waited)
                return std::unexpected(waited.error());
            continue;
        }
        return lastError();
    }
}

std::expected<Received, SysError> Socket::recv(qsizetype bufsize, int flags)
{
    return receive(bufsize, flags, false);
}

std::expected<Received, SysError> Socket::recvFrom(qsizetype bufsize, int flags)
{
    return receive(bufsize, flags, true);
}

std::expected<void, SysError> Socket::shutdown(int how)
{
    if (::shutdown(m_fd, how) != 0)
        return lastError();
    return {};
}

std::expected<void, SysError> Socket::close()
{
    if (m_fd < 0)
        return std::unexpected(SysError::fromErrno(EBADF));
    // Linux releases the descriptor even when close() reports EINTR: never retry.
    const int rc = ::close(std::exchange(m_fd, -1));
    if (rc != 0 && errno != EINTR)
        return lastError();
    return {};
}

std::expected<void, SysError> Socket::abort()
{
    const linger hard{1, 0};
    if (auto set = setRawOption(SOL_SOCKET, SO_LINGER, QByteArrayView(reinterpret_cast<const char *>(&hard), sizeof hard)); !set)
        return set;
    return close();
}

std::expected<void, SysError> Socket::setBlocking(bool blocking)
{
    return setTimeout(blocking ? std::nullopt : std::optional<int>(0));
}

std::expected<void, SysError> Socket::setTimeout(std::optional<int> ms)
{
    if (ms && *ms < 0)
        return std::unexpected(SysError::input(QStringLiteral("timeout"), QStringLiteral("a timeout cannot be negative")));
    if (!setNonBlockingFlag(m_fd, ms.has_value()))
        return lastError();
    m_timeoutMs = ms;
    return {};
}

std::expected<Address, SysError> Socket::localAddress() const
{
    Address a;
    socklen_t len = Address::capacity();
    if (::getsockname(m_fd, a.data(), &len) != 0)
        return lastError();
    a.setSize(len);
    return a;
}

std::expected<Address, SysError> Socket::peerAddress() const
{
    Address a;
    socklen_t len = Address::capacity();
    if (::getpeername(m_fd, a.data(), &len) != 0)
        return lastError();
    a.setSize(len);
    return a;
}

std::expected<int, SysError> Socket::family() const
{
    return getIntOption(SOL_SOCKET, SO_DOMAIN);
}

std::expected<int, SysError> Socket::type() const
{
    return getIntOption(SOL_SOCKET, SO_TYPE);
}

std::expected<int, SysError> Socket::getIntOption(int level, int name) const
{
    int value = 0;
    socklen_t len = sizeof value;
    if (::getsockopt(m_fd, level, name, &value, &len) != 0)
        return lastError();
    return value;
}

std::expected<void, SysError> Socket::setIntOption(int level, int name, int value)
{
    if (::setsockopt(m_fd, level, name, &value, sizeof value) != 0)
        return lastError();
    return {};
}

std::expected<QByteArray, SysError> Socket::getRawOption(int level, int name, socklen_t buflen) const
{
    QByteArray value(qsizetype(buflen), '\0');
    socklen_t len = buflen;
    if (::getsockopt(m_fd, level, name, value.data(), &len) != 0)
        return lastError();
    value.resize(len);
    return value;
}

std::expected<void, SysError> Socket::setRawOption(int level, int name, QByteArrayView value)
{
    if (::setsockopt(m_fd, level, name, value.data(), socklen_t(value.size())) != 0)
        return lastError();
    return {};
}

void ignoreSigpipe()
{
    struct sigaction sa{};
    sa.sa_handler = SIG_IGN;
    sigemptyset(&sa.sa_mask);
    ::sigaction(SIGPIPE, &sa, nullptr);
}

} // namespace sockscope::core
