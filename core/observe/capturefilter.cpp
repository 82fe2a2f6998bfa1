#include "capturefilter.h"

#include <arpa/inet.h>
#include <algorithm>
#include <climits>
#include <net/if.h>
#include <netinet/in.h>

namespace sockscope::core {

namespace {

SysError bad(const QString &field, const QString &message)
{
    return SysError::input(field, message);
}

// The numeric address alone, without the scope: BPF matches the bytes on the wire.
QString bareHost(const Address &a)
{
    char text[INET6_ADDRSTRLEN] = {};
    const void *bytes = a.family() == AF_INET
        ? static_cast<const void *>(&reinterpret_cast<const sockaddr_in *>(a.data())->sin_addr)
        : static_cast<const void *>(&reinterpret_cast<const sockaddr_in6 *>(a.data())->sin6_addr);
    if (!inet_ntop(a.family(), bytes, text, sizeof text))
        return {};
    return QString::fromLatin1(text);
}

} // namespace

std::expected<CaptureFilter, SysError> CaptureFilter::forPort(quint16 port)
{
    CaptureFilter f;
    if (auto r = f.addPort(port); !r)
        return std::unexpected(r.error());
    return f;
}

QString CaptureFilter::interfaceFor(const Address &local, const std::optional<Address> &peer)
{
    const QString lo = QStringLiteral("lo");
    if (!peer || !peer->isValid() || peer->isWildcard())
        return local.isLoopback() ? lo : QStringLiteral("any");
    if (peer->isLoopback() || peer->host() == local.host())
        return lo;
    return QStringLiteral("any");
}

std::expected<void, SysError> CaptureFilter::setInterface(QStringView name)
{
    const QByteArray bytes = name.toUtf8();
    if (bytes.isEmpty() || bytes.size() >= IFNAMSIZ)
        return std::unexpected(bad(QStringLiteral("interface"), QStringLiteral("give an interface name of 1 to %1 bytes, e.g. lo").arg(IFNAMSIZ - 1)));
    for (const char c : bytes) {
        if (c == '/' || c == ':' || quint8(c) <= ' ' || c == 0x7f)
            return std::unexpected(bad(QStringLiteral("interface"), QStringLiteral("\"%1\" is not an interface name: give one without /, : or spaces, e.g. lo").arg(name)));
    }
    m_interface = name.toString();
    return {};
}

std::expected<void, SysError> CaptureFilter::addPort(quint16 port)
{
    if (port == 0)
        return std::unexpected(bad(QStringLiteral("port"), QStringLiteral("a flow has no port 0: give 1 to 65535")));
    if (m_ports.size() >= kMaxPorts)
        return std::unexpected(bad(QStringLiteral("port"), QStringLiteral("at most %1 ports (one per end of the flow)").arg(kMaxPorts)));
    m_ports.append(port);
    return {};
}

std::expected<void, SysError> CaptureFilter::addHost(const Address &host)
{
    if (host.family() != AF_INET && host.family() != AF_INET6)
        return std::unexpected(bad(QStringLiteral("host"), QStringLiteral("give an IPv4 or IPv6 address")));
    if (m_hosts.size() >= kMaxHosts)
        return std::unexpected(bad(QStringLiteral("host"), QStringLiteral("at most %1 hosts (one per end of the flow)").arg(kMaxHosts)));
    m_hosts.append(host);
    return {};
}

std::expected<void, SysError> CaptureFilter::setSnaplen(int bytes)
{
    if (bytes < kMinSnaplen || bytes > kDefaultSnaplen)
        return std::unexpected(bad(QStringLiteral("snaplen"), QStringLiteral("give %1 to %2 bytes").arg(kMinSnaplen).arg(kDefaultSnaplen)));
    m_snaplen = bytes;
    return {};
}

std::expected<void, SysError> CaptureFilter::setCount(qint64 packets)
{
    if (packets < 0)
        return std::unexpected(bad(QStringLiteral("count"), QStringLiteral("give 0 (no limit) or more packets")));
    m_count = packets;
    return {};
}

QString CaptureFilter::bpf() const
{
    QStringList parts{QStringLiteral("tcp")};
    for (const quint16 port : m_ports)
        parts << QStringLiteral("port %1").arg(port);
    for (const Address &host : m_hosts)
        parts << (host.family() == AF_INET6 ? QStringLiteral("ip6 host ") : QStringLiteral("ip host ")) + bareHost(host);
    return parts.join(QStringLiteral(" and "));
}

QStringList CaptureFilter::arguments() const
{
    QStringList args{QStringLiteral("--interface"), m_interface};
    for (const quint16 port : m_ports)
        args << QStringLiteral("--port") << QString::number(port);
    for (const Address &host : m_hosts)
        args << QStringLiteral("--host") << bareHost(host);
    if (m_snaplen != kDefaultSnaplen)
        args << QStringLiteral("--snaplen") << QString::number(m_snaplen);
    if (m_count != 0)
        args << QStringLiteral("--count") << QString::number(m_count);
    return args;
}

std::expected<CaptureFilter, SysError> CaptureFilter::fromArguments(const QStringList &arguments)
{
    CaptureFilter f;
    for (qsizetype i = 0; i < arguments.size(); ++i) {
        const QString &option = arguments[i];
        if (i + 1 >= arguments.size())
            return std::unexpected(bad(QStringLiteral("arguments"), QStringLiteral("%1 needs a value").arg(option)));
        const QString &value = arguments[++i];
        std::expected<void, SysError> r;
        if (option == u"--interface") {
            r = f.setInterface(value);
        } else if (option == u"--port") {
            const auto port = Address::parsePort(value);
            r = port ? f.addPort(*port) : std::unexpected(port.error());
        } else if (option == u"--host") {
            const auto host = Address::ip(value, 0);
            r = host ? f.addHost(*host) : std::unexpected(host.error());
        } else if (option == u"--snaplen" || option == u"--count") {
            bool ok = false;
            const qint64 n = value.toLongLong(&ok);
            if (!ok)
                return std::unexpected(bad(option.mid(2), QStringLiteral("\"%1\" is not a number").arg(value)));
            r = option == u"--count" ? f.setCount(n) : f.setSnaplen(int(std::clamp<qint64>(n, -1, INT_MAX)));
        } else {
            return std::unexpected(bad(QStringLiteral("arguments"), QStringLiteral("unknown option \"%1\"").arg(option)));
        }
        if (!r)
            return std::unexpected(r.error());
    }
    if (f.m_ports.isEmpty())
        return std::unexpected(bad(QStringLiteral("port"), QStringLiteral("give --port: the helper captures one flow, not everything")));
    return f;
}

} // namespace sockscope::core
