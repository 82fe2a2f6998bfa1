#include "blaster.h"

#include "../net/socket.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <ctime>
#include <sys/prctl.h>
#include <vector>

namespace sockscope::core {

namespace {

constexpr int kBatch = 64; // datagrams per sendmmsg()

qint64 nowNs()
{
    timespec ts{};
    ::clock_gettime(CLOCK_MONOTONIC, &ts);
    return qint64(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

void sleepUntilNs(qint64 ns)
{
    const timespec ts{time_t(ns / 1'000'000'000), long(ns % 1'000'000'000)};
    while (::clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, nullptr) == EINTR) {
    }
}

// Sends `n` copies of `payload` on a connected socket: one sendmmsg() for datagrams, one
// blocking send() per copy for streams. Returns how many went, or -errno.
int sendCopies(int fd, bool datagram, const QByteArray &payload, int n)
{
    if (datagram) {
        iovec iov{const_cast<char *>(payload.constData()), size_t(payload.size())};
        mmsghdr msgs[kBatch];
        n = std::min(n, kBatch);
        for (int i = 0; i < n; ++i) {
            msgs[i] = mmsghdr{};
            msgs[i].msg_hdr.msg_iov = &iov;
            msgs[i].msg_hdr.msg_iovlen = 1;
        }
        int sent = 0;
        do {
            sent = ::sendmmsg(fd, msgs, unsigned(n), MSG_NOSIGNAL);
        } while (sent < 0 && errno == EINTR);
        return sent < 0 ? -errno : sent;
    }
    for (int i = 0; i < n; ++i) {
        qsizetype off = 0;
        while (off < payload.size()) {
            const ssize_t w = ::send(fd, payload.constData() + off, size_t(payload.size() - off), MSG_NOSIGNAL);
            if (w < 0 && errno == EINTR)
                continue;
            if (w < 0)
                return i > 0 ? i : -errno;
            off += w;
        }
    }
    return n;
}

} // namespace

std::expected<BlastResult, SysError> Blaster::run(const BlastSpec &spec, const std::atomic<bool> &stop)
{
    const bool datagram = spec.type == SOCK_DGRAM;
    auto socket = Socket::create(spec.to.family(), datagram ? SOCK_DGRAM : SOCK_STREAM);
    if (!socket)
        return std::unexpected(socket.error());
    if (auto connected = socket->connect(spec.to); !connected)
        return std::unexpected(connected.error());
    // The default 50 us timer slack would pace 10,000/s as bursts; 1 us keeps each wake on time.
    ::prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);

    // Odd bytes, not zeros: nothing on the way can take a shortcut on them.
    QByteArray payload(spec.size, Qt::Uninitialized);
    for (qsizetype i = 0; i < payload.size(); ++i)
        payload[i] = char(i * 131 + 7);
    const double rate = spec.rate > 0 ? spec.rate : spec.mbit > 0 && spec.size > 0 ? spec.mbit * 1e6 / 8 / double(spec.size) : 0;
    const qint64 limit = spec.count > 0 ? spec.count : std::numeric_limits<qint64>::max();
    const qint64 start = nowNs();
    const qint64 endAt = spec.seconds > 0 ? start + qint64(spec.seconds * 1e9) : std::numeric_limits<qint64>::max();

    BlastResult r;
    qint64 attempted = 0; // packets sent or failed: the schedule moves on past a failure
    qint64 last = start;
    while (attempted < limit && !stop.load(std::memory_order_relaxed)) {
        const qint64 now = nowNs();
        if (now >= endAt)
            break;
        int n = datagram ? kBatch : 1;
        if (rate > 0) {
            const qint64 due = std::min(limit, qint64(std::floor(double(now - start) * rate / 1e9)) + 1);
            if (due <= attempted) {
                sleepUntilNs(std::min(endAt, start + qint64(std::ceil(double(attempted) * 1e9 / rate))));
                continue;
            }
            n = int(std::min<qint64>(due - attempted, n));
        }
        n = int(std::min<qint64>(n, limit - attempted));
        const int sent = sendCopies(socket->fileno(), datagram, payload, n);
        last = nowNs();
        if (sent < 0) {
            ++r.errors;
            ++attempted;
            if (!r.firstError)
                r.firstError = SysError::fromErrno(-sent);
            if (!datagram)
                break; // a stream that failed is gone
            if (-sent == ENOBUFS)
                sleepUntilNs(last + 10'000); // the device queue is full: let it drain
            continue;
        }
        attempted += sent;
        r.packets += sent;
        r.bytes += qint64(sent) * payload.size();
    }
    r.seconds = double(last - start) / 1e9;
    if (!datagram)
        socket->shutdown(SHUT_WR);
    return r;
}

} // namespace sockscope::core
