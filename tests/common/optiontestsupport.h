#pragma once

// Shared by the socket option tests: sockets of every kind sockscope makes, fresh or
// connected on loopback, and a guard that takes CAP_NET_ADMIN and CAP_NET_RAW out of the
// calling thread's effective set, so the EPERM paths can be tested while running as root.

#include "net/address.h"
#include "net/socket.h"

#include <QList>
#include <QString>

#include <linux/capability.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <expected>
#include <optional>

namespace sockscope::tests {

struct SocketKind
{
    int family;
    int type;
    QString label() const { return core::familyName(family) + u'/' + core::socketTypeName(type); }
};

// The kinds the workbench creates: TCP and UDP over IPv4 and IPv6, and the three Unix types.
inline QList<SocketKind> socketKinds()
{
    return {{AF_INET, SOCK_STREAM},  {AF_INET, SOCK_DGRAM},  {AF_INET6, SOCK_STREAM}, {AF_INET6, SOCK_DGRAM},
            {AF_UNIX, SOCK_STREAM},  {AF_UNIX, SOCK_DGRAM},  {AF_UNIX, SOCK_SEQPACKET}};
}

inline bool ipv6Loopback()
{
    auto s = core::Socket::create(AF_INET6, SOCK_DGRAM);
    return s && s->bind(core::Address::loopback(AF_INET6, 0)).has_value();
}

// One end of a connected pair (plus what keeps it connected): TCP through a loopback
// listener, UDP connected to a bound loopback socket, Unix through socketpair().
struct ConnectedSocket
{
    core::Socket socket;
    core::Socket peer;
    core::Socket listener;
};

inline std::expected<ConnectedSocket, core::SysError> connectedSocket(int family, int type)
{
    ConnectedSocket c;
    if (family == AF_UNIX) {
        auto pair = core::Socket::pair(AF_UNIX, type);
        if (!pair)
            return std::unexpected(pair.error());
        c.socket = std::move(pair->first);
        c.peer = std::move(pair->second);
        return c;
    }
    auto server = core::Socket::create(family, type);
    if (!server)
        return std::unexpected(server.error());
    if (auto r = server->bind(core::Address::loopback(family, 0)); !r)
        return std::unexpected(r.error());
    if (type == SOCK_STREAM) {
        if (auto r = server->listen(1); !r)
            return std::unexpected(r.error());
    }
    const auto where = server->localAddress();
    if (!where)
        return std::unexpected(where.error());
    auto client = core::Socket::create(family, type);
    if (!client)
        return std::unexpected(client.error());
    if (auto r = client->connect(*where); !r)
        return std::unexpected(r.error());
    c.socket = std::move(*client);
    if (type == SOCK_STREAM) {
        auto accepted = server->accept();
        if (!accepted)
            return std::unexpected(accepted.error());
        c.peer = std::move(accepted->socket);
        c.listener = std::move(*server);
    } else {
        c.peer = std::move(*server);
    }
    return c;
}

// Capabilities are per thread on Linux: this drops them from the calling thread only, and
// threads started while it is alive inherit the reduced set (so a SessionManager made
// inside its scope runs its reactor without them). The destructor raises them again from
// the permitted set, which capset() leaves alone.
class NetCapabilitiesDropped
{
public:
    NetCapabilitiesDropped()
    {
        if (!read(m_saved))
            return;
        m_hadThem = (m_saved[0].effective & mask()) == mask();
        __user_cap_data_struct reduced[2] = {m_saved[0], m_saved[1]};
        reduced[0].effective &= ~mask();
        m_active = write(reduced);
    }
    ~NetCapabilitiesDropped()
    {
        if (m_active)
            write(m_saved);
    }
    NetCapabilitiesDropped(const NetCapabilitiesDropped &) = delete;
    NetCapabilitiesDropped &operator=(const NetCapabilitiesDropped &) = delete;

    bool active() const { return m_active; }
    // Whether the thread held CAP_NET_ADMIN and CAP_NET_RAW before (root: yes).
    bool hadThem() const { return m_hadThem; }

    static bool held()
    {
        __user_cap_data_struct data[2];
        return read(data) && (data[0].effective & mask()) == mask();
    }

private:
    static quint32 mask() { return (1u << CAP_NET_ADMIN) | (1u << CAP_NET_RAW); }
    static bool read(__user_cap_data_struct *data)
    {
        __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
        return ::syscall(SYS_capget, &header, data) == 0;
    }
    static bool write(__user_cap_data_struct *data)
    {
        __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
        return ::syscall(SYS_capset, &header, data) == 0;
    }

    __user_cap_data_struct m_saved[2]{};
    bool m_active = false;
    bool m_hadThem = false;
};

} // namespace sockscope::tests
