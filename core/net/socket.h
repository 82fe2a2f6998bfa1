#pragma once

#include "address.h"
#include "syserror.h"

#include <QByteArray>
#include <QByteArrayView>

#include <expected>
#include <optional>
#include <utility>

namespace sockscope::core {

// What recv()/recvfrom() gave back. With MSG_TRUNC `length` is the real size of the
// datagram (or the bytes discarded on TCP) and may exceed data.size().
struct Received
{
    QByteArray data;
    qsizetype length = 0;
    Address from;        // recvfrom only; empty for connected streams
    int msgFlags = 0;    // msg_flags from recvmsg: MSG_TRUNC, MSG_CTRUNC, MSG_OOB, MSG_EOR
    bool eof() const { return length == 0 && data.isEmpty(); }
};

class Socket;
struct Accepted;

// An owned file descriptor with one method per BSD socket call, each returning the
// kernel's answer as a value. Timeouts follow Python's socket module: no timeout means
// blocking, 0 means non-blocking (EAGAIN comes back), a positive timeout makes every
// call wait at most that long and fail with ETIMEDOUT. Every send uses MSG_NOSIGNAL, so a
// write to a closed peer returns EPIPE instead of raising SIGPIPE.
class Socket
{
public:
    Socket() = default;
    explicit Socket(int fd) : m_fd(fd) {}
    ~Socket();
    Socket(Socket &&other) noexcept;
    Socket &operator=(Socket &&other) noexcept;
    Socket(const Socket &) = delete;
    Socket &operator=(const Socket &) = delete;

    static std::expected<Socket, SysError> create(int family, int type, int protocol = 0);
    static std::expected<std::pair<Socket, Socket>, SysError> pair(int family, int type, int protocol = 0);

    bool isValid() const { return m_fd >= 0; }
    int fileno() const { return m_fd; }
    int release(); // give up ownership without closing

    std::expected<void, SysError> bind(const Address &address);
    std::expected<void, SysError> listen(int backlog);
    // The accepted socket is blocking, as Python's accept() gives it (no default timeout);
    // nonBlocking: it comes non-blocking (timeout 0) from accept4 itself, no fcntl after.
    std::expected<Accepted, SysError> accept(bool nonBlocking = false);
    // Honours the timeout: blocking, non-blocking (EINPROGRESS comes back), or timed.
    std::expected<void, SysError> connect(const Address &address);
    // connect_ex: the errno as a number, 0 on success.
    int connectEx(const Address &address);
    // For a non-blocking connect in progress: the outcome from SO_ERROR.
    std::expected<void, SysError> connectResult() const;

    // May send less than given (a partial send) and says how much went.
    std::expected<qsizetype, SysError> send(QByteArrayView data, int flags = 0);
    // Loops until everything is sent or an error; returns the count sent.
    std::expected<qsizetype, SysError> sendAll(QByteArrayView data, int flags = 0);
    std::expected<qsizetype, SysError> sendTo(QByteArrayView data, const Address &to, int flags = 0);
    // sendfile(2): up to `count` bytes of `fileFd` from `*offset` (advanced), no copy
    // through user space. SIGPIPE-safe only because the process ignores SIGPIPE.
    std::expected<qsizetype, SysError> sendFile(int fileFd, qint64 *offset, qsizetype count);
    std::expected<Received, SysError> recv(qsizetype bufsize, int flags = 0);
    std::expected<Received, SysError> recvFrom(qsizetype bufsize, int flags = 0);

    std::expected<void, SysError> shutdown(int how);
    std::expected<void, SysError> close();
    // SO_LINGER {1, 0} then close(): the kernel sends RST instead of FIN.
    std::expected<void, SysError> abort();

    std::expected<void, SysError> setBlocking(bool blocking);
    // nullopt = blocking (no timeout); 0 = non-blocking; > 0 = timed, in milliseconds.
    std::expected<void, SysError> setTimeout(std::optional<int> ms);
    std::optional<int> timeout() const { return m_timeoutMs; }

    std::expected<Address, SysError> localAddress() const;
    std::expected<Address, SysError> peerAddress() const;
    std::expected<int, SysError> family() const;
    std::expected<int, SysError> type() const;

    std::expected<int, SysError> getIntOption(int level, int name) const;
    std::expected<void, SysError> setIntOption(int level, int name, int value);
    std::expected<QByteArray, SysError> getRawOption(int level, int name, socklen_t buflen) const;
    std::expected<void, SysError> setRawOption(int level, int name, QByteArrayView value);

private:
    // Waits for `events` within the timeout; ETIMEDOUT when it runs out.
    std::expected<void, SysError> waitFor(short events, int ms) const;
    std::expected<Received, SysError> receive(qsizetype bufsize, int flags, bool wantFrom);

    int m_fd = -1;
    std::optional<int> m_timeoutMs;
};

struct Accepted
{
    Socket socket;
    Address peer;
};

// The process must never die of SIGPIPE (sendfile, writes to pipes of helpers): call once
// from main(). MSG_NOSIGNAL already covers every send the Socket makes.
void ignoreSigpipe();

} // namespace sockscope::core
