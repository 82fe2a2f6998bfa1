#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

namespace sockscope::core {

// One multicast group an interface is a member of, as /proc/net/igmp or igmp6 says: the
// kernel counts members per interface (users = sockets and the stack itself), not per socket.
struct KernelGroup
{
    int ifindex = 0;
    QString interface; // "lo"
    QString group;     // "239.1.2.3", "ff02::1"
    int users = 0;
    bool operator==(const KernelGroup &) const = default;
};

// The multicast memberships of the calling thread's network namespace.
class KernelGroups
{
public:
    // /proc/net/igmp: an interface line ("1\tlo        :     2      V3"), then one indented
    // line per group whose address is the in-memory __be32 printed as %08X (host order).
    static QList<KernelGroup> parseIgmp(const QByteArray &text);
    // /proc/net/igmp6: "1    lo              ff020000000000000000000000000001     1 0000000C 0".
    static QList<KernelGroup> parseIgmp6(const QByteArray &text);
    // Both files, read through /proc/thread-self so the answer is this thread's namespace
    // (run it on the I/O thread, where the sessions' sockets live). Missing files = none.
    static QList<KernelGroup> read();
};

} // namespace sockscope::core
