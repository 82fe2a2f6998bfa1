#pragma once

// Our side of each sockscope-bench row: the engine (SessionManager) or sockscope-cli doing
// the work a user would otherwise give iperf3, a plain C loop or ss.

#include "engine/trafficlog.h"

#include <QString>

#include <optional>

namespace sockscope::bench {

struct Measured
{
    double value = 0;  // in the row's unit
    QString failure;   // set when the run failed (the value is then meaningless)
    QString note;      // what else the run saw (loss, counts), printed with the table
    QString missed;    // a secondary target of the row this run missed (the row is then missed)
};

// A plain C sender pushes `bytes` in `writeSize` writes into an accepted engine session
// with `digest`; Gbit/s from the first write to the moment the session saw EOF and (with
// SHA-256) the digest covered every byte. The byte count (and digest) are checked.
Measured engineTcpReceive(long long bytes, size_t writeSize, core::TrafficDigest digest);
// The same sender against a plain C discard receiver reading `readSize` at a time.
Measured plainTcpReceive(long long bytes, size_t writeSize, size_t readSize);

// `sockscope-cli serve tcp --mode discard --digest none`, stdout to a file: Gbit/s from
// the first write until the connection's totals line is in the file (it counts them).
Measured cliServeDiscard(const QString &cli, long long bytes, size_t writeSize);

// Accept/close cycles per second: a client connects and resets `count` times; the engine's
// listener (discard service: it closes when the peer goes) or the plain epoll loop serves.
Measured engineAcceptCycles(int count);
Measured plainAcceptCycles(int count);

} // namespace sockscope::bench
