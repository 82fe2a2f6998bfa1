#pragma once

// The GUI rows of sockscope-bench: sockscope-guibench (the real main window in a process of
// its own, offscreen) and the sockscope app itself for launch time and idle CPU.

#include "engineruns.h"

namespace sockscope::bench {

// Each returns the row's figure; the note carries the rest (heartbeat max, counts, RSS) and
// `missed` names a secondary target the run missed.
Measured guiHeldConnections(const QString &guibench, int connections, double holdSeconds); // heartbeat p99 ms
Measured guiUdpReceive(const QString &guibench, double rate, double seconds);              // heartbeat p99 ms
Measured guiTcpReceive(const QString &guibench, long long bytes);                          // Gbit/s
// Median ms from starting `app` to its first painted window over `launches` launches; the
// note gives its idle CPU (share of a core over `idleSeconds` after `settleSeconds`).
Measured appLaunch(const QString &app, int launches, double settleSeconds, double idleSeconds);

} // namespace sockscope::bench
