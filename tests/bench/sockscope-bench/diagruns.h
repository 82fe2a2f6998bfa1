#pragma once

#include "engineruns.h"

#include <memory>

namespace sockscope::bench {

// `pairs` connected TCP pairs on loopback (2 x pairs sockets, plus a listener), held while
// the sock_diag row runs: the dump walks every TCP socket of the host, as ss does.
class SocketCrowd
{
public:
    static std::unique_ptr<SocketCrowd> make(int pairs, QString *error);
    ~SocketCrowd();
    int sockets() const { return m_sockets; }

private:
    SocketCrowd() = default;
    struct Held;
    std::unique_ptr<Held> m_held;
    int m_sockets = 0;
};

// Milliseconds per dump of every TCP socket (v4 and v6) into entries, median of `repeat`:
// what the sockets pane, `states` and the watcher do.
Measured sockDiagDumpMs(int repeat);
// The kernel's part alone: a plain NETLINK_SOCK_DIAG dump of every TCP socket (v4 and v6)
// with 32 KiB recv()s, nothing decoded; median ms of `repeat`. Not a baseline (it is no
// tool a user would run) but the floor under ours: the note of the sock_diag row.
Measured plainNetlinkDumpMs(int repeat);
// One `ss -tan` run, output to /dev/null; false if it could not run or failed.
bool runSsTan();
// Milliseconds per `ss -tan` run (output to /dev/null), process start included: what the
// user types instead. Median of `repeat`.
Measured ssTanMs(int repeat);

} // namespace sockscope::bench
