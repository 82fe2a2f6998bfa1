#pragma once

#include "../net/address.h"
#include "../net/syserror.h"

#include <atomic>
#include <expected>
#include <sys/socket.h>

namespace sockscope::core {

// What to send: `size`-byte datagrams (or writes on a TCP connection) to `to`, paced at
// `rate` per second (or at `mbit` Mbit/s of payload), or flat out when both are 0, until
// `count` went or `seconds` passed (whichever comes first; at least one must be set).
struct BlastSpec
{
    int type = SOCK_DGRAM; // or SOCK_STREAM
    Address to;
    qsizetype size = 64;
    double rate = 0;
    double mbit = 0;
    qint64 count = 0;
    double seconds = 0;
};

struct BlastResult
{
    qint64 packets = 0;   // datagrams (UDP) or writes (TCP) the kernel took
    qint64 bytes = 0;
    qint64 errors = 0;    // failed sends (UDP: ECONNREFUSED from an ICMP, ENOBUFS), skipped
    std::optional<SysError> firstError;
    double seconds = 0;   // from the first send to the last
    double pps() const { return seconds > 0 ? double(packets) / seconds : 0; }
    double mbit() const { return seconds > 0 ? double(bytes) * 8 / seconds / 1e6 : 0; }
};

// A traffic generator on its own socket, on the calling thread. Pacing is in
// microseconds against CLOCK_MONOTONIC: each packet has its due time start + k / rate, and
// the sender sends whatever is due in one sendmmsg() (UDP) when it woke late, so the rate
// holds on average even when the scheduler is coarse. Flat out, UDP goes out in batches of
// 64 datagrams per sendmmsg().
class Blaster
{
public:
    // Returns once done or once `stop` is set; an error only when the socket could not be
    // made or connected (send errors are counted, not fatal, for UDP; fatal for TCP).
    static std::expected<BlastResult, SysError> run(const BlastSpec &spec, const std::atomic<bool> &stop);
};

} // namespace sockscope::core
