#pragma once

// iperf3 as the baseline: `iperf3 -s -1` and `iperf3 -c` on 127.0.0.1, results from -J.

#include <QString>

#include <optional>

namespace sockscope::bench {

struct IperfResult
{
    double bitsPerSecond = 0; // as the receiver counted
    double seconds = 0;
    long long packets = 0;    // UDP: datagrams sent
    long long lost = 0;       // UDP: of those, not received
    double receivedPps() const { return seconds > 0 ? double(packets - lost) / seconds : 0; }
    double sentPps() const { return seconds > 0 ? double(packets) / seconds : 0; }
};

bool iperfAvailable();

// TCP: `bytes` in writes of `writeSize`. UDP (udpSeconds > 0): datagrams of `writeSize`
// bytes flat out (-b 0) for that long in whole seconds, or `bytes` of them when > 0. nullopt and `error` set when it did not run.
std::optional<IperfResult> runIperf(long long bytes, int writeSize, double udpSeconds, QString *error);

} // namespace sockscope::bench
