#pragma once

// A real hung getaddrinfo, as a dead DNS server gives it: the whole test process moves into
// private mount and network namespaces (as `ip netns exec` does) where /etc/resolv.conf
// names 192.0.2.53, reached through an interface that drops everything (ifb), with a 30 s
// timeout. A name not in /etc/hosts then hangs in getaddrinfo for 30 s, and no query
// leaves the machine. Call it first thing in main(): unshare(CLONE_NEWNS) refuses a
// process that already has threads. Needs root; returns why not otherwise ("" = done).

#include "privatemounts.h"

#include <cstdio>
#include <cstdlib>

namespace sockscope::tests {

inline constexpr const char *kHungName = "hung-lookup.sockscope.example";

inline QString isolateResolverWithDeadServer()
{
    if (const QString why = enterPrivateMounts(); !why.isEmpty())
        return why;
    if (::unshare(CLONE_NEWNET) != 0)
        return failedCall("unshare(CLONE_NEWNET)");
    char path[] = "/tmp/sockscope-resolv-XXXXXX";
    const int fd = ::mkstemp(path);
    if (fd < 0)
        return failedCall("mkstemp");
    const char conf[] = "nameserver 192.0.2.53\noptions timeout:30 attempts:1\n";
    const bool written = ::write(fd, conf, sizeof conf - 1) == ssize_t(sizeof conf - 1);
    ::close(fd);
    const int bound = written ? ::mount(path, "/etc/resolv.conf", nullptr, MS_BIND, nullptr) : -1;
    ::unlink(path); // the bind mount keeps the file alive
    if (bound != 0)
        return failedCall("mount --bind over /etc/resolv.conf");
    // Still one thread: system() forks this process, so `ip` acts on the new namespace.
    const char *setup = "ip link set lo up && ip link add dead0 type ifb && "
                        "ip addr add 192.0.2.1/24 dev dead0 && ip link set dead0 up";
    if (std::system(setup) != 0)
        return QStringLiteral("could not set up the namespace: ") + QString::fromUtf8(setup);
    return {};
}

} // namespace sockscope::tests
