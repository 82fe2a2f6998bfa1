#pragma once

// Real TCP connections on loopback for the observe tests and benchmark: a listener on
// port 0 and connected (client, server) pairs, all made with core::Socket.

#include "net/socket.h"

#include <expected>
#include <vector>

namespace sockscope::tests {

struct TcpPair
{
    core::Socket client;
    core::Socket server;
};

inline std::expected<core::Socket, core::SysError> tcpListener(int family, int backlog)
{
    auto s = core::Socket::create(family, SOCK_STREAM);
    if (!s)
        return s;
    if (auto r = s->bind(core::Address::loopback(family, 0)); !r)
        return std::unexpected(r.error());
    if (auto r = s->listen(backlog); !r)
        return std::unexpected(r.error());
    return s;
}

inline quint16 localPort(const core::Socket &s)
{
    const auto a = s.localAddress();
    return a ? a->port() : 0;
}

// A blocking connect to the listener, then accept(): both ends ESTABLISHED.
inline std::expected<TcpPair, core::SysError> tcpPair(core::Socket &listener)
{
    const auto where = listener.localAddress();
    if (!where)
        return std::unexpected(where.error());
    auto client = core::Socket::create(where->family(), SOCK_STREAM);
    if (!client)
        return std::unexpected(client.error());
    if (auto r = client->connect(*where); !r)
        return std::unexpected(r.error());
    auto accepted = listener.accept();
    if (!accepted)
        return std::unexpected(accepted.error());
    return TcpPair{std::move(*client), std::move(accepted->socket)};
}

// `count` blocking connects to a listening address (a pane's server): the clients, or the
// first failure. The server side accepts them on its own.
inline std::expected<std::vector<core::Socket>, core::SysError> connectClients(const core::Address &to, int count)
{
    std::vector<core::Socket> clients;
    for (int i = 0; i < count; ++i) {
        auto c = core::Socket::create(to.family(), SOCK_STREAM);
        if (!c)
            return std::unexpected(c.error());
        if (auto r = c->connect(to); !r)
            return std::unexpected(r.error());
        clients.push_back(std::move(*c));
    }
    return clients;
}

} // namespace sockscope::tests
