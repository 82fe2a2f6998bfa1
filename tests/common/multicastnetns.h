#pragma once

// A network namespace where multicast works without leaving the host: IPv4 on the
// namespace's loopback (multicast turned on, 224.0.0.0/4 routed to it); IPv6 on one end
// of a veth pair, "mc0" with 2001:db8::1 (lo gets no ff00::/8 multicast route from the
// kernel, and a datagram sent there finds no route back in). Groups and senders name the
// interface, so the routing table's choice does not matter.

#include "scratchnetns.h"

#include <sys/socket.h>

namespace sockscope::tests {

inline bool enableMulticast(ScratchNetns &ns)
{
    ns.run(QStringLiteral("ip link set lo multicast on"));
    ns.run(QStringLiteral("ip route add 224.0.0.0/4 dev lo"));
    ns.run(QStringLiteral("ip link add mc0 type veth peer name mc1"));
    ns.run(QStringLiteral("ip link set mc1 up"));
    ns.run(QStringLiteral("ip link set mc0 up"));
    ns.run(QStringLiteral("ip -6 addr add 2001:db8::1/64 dev mc0 nodad"));
    return ns.ok();
}

// The interface a test's groups are joined on and sent through.
inline QString multicastInterface(int family)
{
    return family == AF_INET ? QStringLiteral("lo") : QStringLiteral("mc0");
}

} // namespace sockscope::tests
