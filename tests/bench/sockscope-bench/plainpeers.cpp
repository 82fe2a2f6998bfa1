#include "plainpeers.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/time.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>
#include <vector>

namespace sockscope::bench {

namespace {

sockaddr_in loopback(uint16_t port)
{
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return a;
}

int connectTo(uint16_t port)
{
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    const sockaddr_in to = loopback(port);
    if (::connect(fd, reinterpret_cast<const sockaddr *>(&to), sizeof to) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

} // namespace

int plainListen(int type, uint16_t *port, int backlog)
{
    const int fd = ::socket(AF_INET, type | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    const int one = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in at = loopback(0);
    socklen_t len = sizeof at;
    if (::bind(fd, reinterpret_cast<const sockaddr *>(&at), sizeof at) != 0
        || (type == SOCK_STREAM && ::listen(fd, backlog) != 0)
        || ::getsockname(fd, reinterpret_cast<sockaddr *>(&at), &len) != 0) {
        ::close(fd);
        return -1;
    }
    *port = ntohs(at.sin_port);
    return fd;
}

PlainTransfer plainSend(uint16_t port, long long total, size_t writeSize, const std::function<void()> &connected)
{
    PlainTransfer t;
    // Odd bytes, not zeros: nothing on the way can take a shortcut on them.
    std::vector<char> buf(writeSize);
    for (size_t i = 0; i < buf.size(); ++i)
        buf[i] = char(i * 131 + 7);
    const int fd = connectTo(port);
    if (connected)
        connected();
    if (fd < 0)
        return t;
    t.start = Clock::now();
    long long sent = 0;
    while (sent < total) {
        const size_t n = size_t(std::min<long long>(total - sent, (long long)buf.size()));
        const ssize_t w = ::send(fd, buf.data(), n, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            break;
        sent += w;
    }
    t.end = Clock::now();
    ::shutdown(fd, SHUT_WR);
    ::close(fd);
    t.bytes = sent == total ? sent : -1;
    return t;
}

PlainTransfer plainDiscard(int listenFd, size_t readSize)
{
    PlainTransfer t;
    const int fd = ::accept4(listenFd, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0)
        return t;
    std::vector<char> buf(readSize);
    long long got = 0;
    bool first = true;
    for (;;) {
        const ssize_t n = ::recv(fd, buf.data(), buf.size(), 0);
        if (n > 0) {
            if (first) {
                t.start = Clock::now();
                first = false;
            }
            got += n;
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            got = -1;
        break;
    }
    t.end = Clock::now();
    ::close(fd);
    t.bytes = got;
    return t;
}

bool plainEpollAcceptLoop(int listenFd, int count)
{
    // Non-blocking, as any epoll server has it: accept4 until EAGAIN.
    ::fcntl(listenFd, F_SETFL, ::fcntl(listenFd, F_GETFL) | O_NONBLOCK);
    const int ep = ::epoll_create1(EPOLL_CLOEXEC);
    if (ep < 0)
        return false;
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.fd = listenFd;
    ::epoll_ctl(ep, EPOLL_CTL_ADD, listenFd, &ev);
    int done = 0;
    bool ok = true;
    epoll_event events[256];
    char buf[4096];
    while (done < count && ok) {
        const int n = ::epoll_wait(ep, events, 256, 10'000);
        if (n <= 0) {
            ok = n < 0 && errno == EINTR;
            continue;
        }
        for (int i = 0; i < n; ++i) {
            const int fd = events[i].data.fd;
            if (fd == listenFd) {
                for (;;) {
                    const int c = ::accept4(listenFd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
                    if (c < 0)
                        break;
                    epoll_event cev{};
                    cev.events = EPOLLIN | EPOLLRDHUP;
                    cev.data.fd = c;
                    ::epoll_ctl(ep, EPOLL_CTL_ADD, c, &cev);
                }
                continue;
            }
            const ssize_t r = ::recv(fd, buf, sizeof buf, 0);
            if (r > 0 || (r < 0 && errno == EAGAIN))
                continue;
            ::epoll_ctl(ep, EPOLL_CTL_DEL, fd, nullptr);
            ::close(fd);
            ++done;
        }
    }
    ::close(ep);
    return ok;
}

bool connectCloseCycles(uint16_t port, int count)
{
    for (int i = 0; i < count; ++i) {
        const int fd = connectTo(port);
        if (fd < 0)
            return false;
        const linger hard{1, 0};
        ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
        ::close(fd);
    }
    return true;
}

PlainUdpSent plainUdpSend(uint16_t port, int size, double seconds, int *fdOut)
{
    PlainUdpSent r;
    const int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return r;
    std::vector<char> buf(size_t(std::max(size, 1)));
    for (size_t i = 0; i < buf.size(); ++i)
        buf[i] = char(i * 131 + 7);
    const sockaddr_in to = loopback(port);
    r.start = Clock::now();
    const auto until = r.start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
    // The clock is read every 256 datagrams: a read per datagram would be a tenth of the cost.
    for (;;) {
        for (int i = 0; i < 256; ++i) {
            if (::sendto(fd, buf.data(), size_t(size), 0, reinterpret_cast<const sockaddr *>(&to), sizeof to) == size)
                ++r.datagrams;
            else
                ++r.errors;
        }
        if (Clock::now() >= until)
            break;
    }
    r.end = Clock::now();
    if (fdOut)
        *fdOut = fd;
    else
        ::close(fd);
    return r;
}

PlainUdpSink::PlainUdpSink()
{
    m_fd = plainListen(SOCK_DGRAM, &m_port);
    if (m_fd < 0)
        return;
    const timeval tick{0, 100'000}; // how soon stop() is seen
    ::setsockopt(m_fd, SOL_SOCKET, SO_RCVTIMEO, &tick, sizeof tick);
    m_thread = std::thread([this] {
        char buf[65536];
        while (!m_stop.load()) {
            if (::recv(m_fd, buf, sizeof buf, 0) < 0)
                continue;
            const Clock::time_point now = Clock::now();
            if (m_count.fetch_add(1) == 0)
                m_first = now;
            m_last = now;
        }
    });
}

PlainUdpSink::~PlainUdpSink()
{
    stop();
    if (m_fd >= 0)
        ::close(m_fd);
}

void PlainUdpSink::stop()
{
    m_stop = true;
    if (m_thread.joinable())
        m_thread.join();
}

double PlainUdpSink::arrivalRate() const
{
    const double s = std::chrono::duration<double>(m_last - m_first).count();
    return s > 0 ? double(m_count - 1) / s : 0;
}

} // namespace sockscope::bench
