#include "address.h"

#include <arpa/inet.h>
#include <cstring>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/un.h>

namespace sockscope::core {

namespace {

constexpr qsizetype kMaxUnixPath = sizeof(sockaddr_un::sun_path);

std::expected<quint32, SysError> parseScope(QStringView scope)
{
    bool ok = false;
    const uint numeric = scope.toUInt(&ok);
    if (ok)
        return numeric;
    const unsigned index = if_nametoindex(scope.toLocal8Bit().constData());
    if (index == 0) {
        return std::unexpected(SysError::input(
            QStringLiteral("scope"), QStringLiteral("no interface named \"%1\"").arg(scope)));
    }
    return index;
}

} // namespace

std::expected<quint16, SysError> Address::parsePort(QStringView text)
{
    const QStringView trimmed = text.trimmed();
    bool ok = false;
    const qlonglong value = trimmed.toLongLong(&ok);
    if (trimmed.isEmpty() || !ok || value < 0 || value > 65535) {
        return std::unexpected(SysError::input(
            QStringLiteral("port"),
            QStringLiteral("\"%1\" is not a port: give a number from 0 to 65535 (0 lets the "
                           "system pick)")
                .arg(text)));
    }
    return static_cast<quint16>(value);
}

std::expected<Address, SysError> Address::ip(QStringView host, quint16 port)
{
    Address a;
    const QStringView h = host.trimmed();
    if (h.isEmpty())
        return std::unexpected(SysError::input(QStringLiteral("host"), QStringLiteral("the host is empty")));

    const QByteArray v4 = h.toLatin1();
    auto *sin = reinterpret_cast<sockaddr_in *>(&a.m_storage);
    if (!h.contains(u':') && inet_pton(AF_INET, v4.constData(), &sin->sin_addr) == 1) {
        sin->sin_family = AF_INET;
        sin->sin_port = htons(port);
        a.m_len = sizeof(sockaddr_in);
        return a;
    }

    const qsizetype percent = h.indexOf(u'%');
    const QByteArray v6 = (percent < 0 ? h : h.left(percent)).toLatin1();
    auto *sin6 = reinterpret_cast<sockaddr_in6 *>(&a.m_storage);
    if (inet_pton(AF_INET6, v6.constData(), &sin6->sin6_addr) == 1) {
        sin6->sin6_family = AF_INET6;
        sin6->sin6_port = htons(port);
        if (percent >= 0) {
            auto scope = parseScope(h.mid(percent + 1));
            if (!scope)
                return std::unexpected(scope.error());
            sin6->sin6_scope_id = *scope;
        }
        a.m_len = sizeof(sockaddr_in6);
        return a;
    }
    return std::unexpected(SysError::input(
        QStringLiteral("host"),
        QStringLiteral("\"%1\" is not a numeric IPv4 or IPv6 address").arg(host)));
}

std::expected<Address, SysError> Address::unixPath(QStringView path)
{
    if (path.isEmpty())
        return std::unexpected(SysError::input(QStringLiteral("path"), QStringLiteral("the Unix socket path is empty")));
    QByteArray bytes = path.toLocal8Bit();
    const bool abstract = bytes.startsWith('@');
    if (abstract)
        bytes[0] = '\0';
    // A filesystem path needs room for its terminating NUL; an abstract name does not.
    if (bytes.size() > kMaxUnixPath - (abstract ? 0 : 1)) {
        return std::unexpected(SysError::input(
            QStringLiteral("path"),
            QStringLiteral("the Unix socket path is %1 bytes; the limit is %2")
                .arg(bytes.size())
                .arg(kMaxUnixPath - 1)));
    }
    Address a;
    auto *sun = reinterpret_cast<sockaddr_un *>(&a.m_storage);
    sun->sun_family = AF_UNIX;
    std::memcpy(sun->sun_path, bytes.constData(), bytes.size());
    a.m_len = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + bytes.size() + (abstract ? 0 : 1));
    return a;
}

std::expected<Address, SysError> Address::parse(QStringView text)
{
    const QStringView t = text.trimmed();
    if (t.startsWith(u'/') || t.startsWith(u'@') || t.startsWith(u'.'))
        return unixPath(t);
    if (t.startsWith(u'[')) {
        const qsizetype close = t.indexOf(u']');
        if (close < 0 || close + 1 >= t.size() || t[close + 1] != u':') {
            return std::unexpected(SysError::input(
                QStringLiteral("address"),
                QStringLiteral("\"%1\": write an IPv6 address as [host]:port").arg(text)));
        }
        auto port = parsePort(t.mid(close + 2));
        if (!port)
            return std::unexpected(port.error());
        return ip(t.mid(1, close - 1), *port);
    }
    const qsizetype colon = t.lastIndexOf(u':');
    if (colon < 0 || t.indexOf(u':') != colon) {
        return std::unexpected(SysError::input(
            QStringLiteral("address"),
            QStringLiteral("\"%1\": give host:port, [v6-host]:port, /path or @name").arg(text)));
    }
    auto port = parsePort(t.mid(colon + 1));
    if (!port)
        return std::unexpected(port.error());
    return ip(t.left(colon), *port);
}

Address Address::fromSockaddr(const sockaddr *sa, socklen_t len)
{
    Address a;
    if (!sa || len == 0)
        return a;
    len = std::min<socklen_t>(len, sizeof(sockaddr_storage));
    std::memcpy(&a.m_storage, sa, len);
    a.m_len = len;
    return a;
}

Address Address::any(int family, quint16 port)
{
    return *ip(family == AF_INET6 ? u"::" : u"0.0.0.0", port);
}

Address Address::loopback(int family, quint16 port)
{
    return *ip(family == AF_INET6 ? u"::1" : u"127.0.0.1", port);
}

quint16 Address::port() const
{
    switch (family()) {
    case AF_INET:
        return ntohs(reinterpret_cast<const sockaddr_in *>(&m_storage)->sin_port);
    case AF_INET6:
        return ntohs(reinterpret_cast<const sockaddr_in6 *>(&m_storage)->sin6_port);
    default:
        return 0;
    }
}

void Address::setPort(quint16 port)
{
    if (family() == AF_INET)
        reinterpret_cast<sockaddr_in *>(&m_storage)->sin_port = htons(port);
    else if (family() == AF_INET6)
        reinterpret_cast<sockaddr_in6 *>(&m_storage)->sin6_port = htons(port);
}

quint32 Address::flowInfo() const
{
    return family() == AF_INET6 ? ntohl(reinterpret_cast<const sockaddr_in6 *>(&m_storage)->sin6_flowinfo) : 0;
}

quint32 Address::scopeId() const
{
    return family() == AF_INET6 ? reinterpret_cast<const sockaddr_in6 *>(&m_storage)->sin6_scope_id : 0;
}

bool Address::isAbstract() const
{
    const auto *sun = reinterpret_cast<const sockaddr_un *>(&m_storage);
    return family() == AF_UNIX && m_len > offsetof(sockaddr_un, sun_path) && sun->sun_path[0] == '\0';
}

bool Address::isWildcard() const
{
    if (family() == AF_INET)
        return reinterpret_cast<const sockaddr_in *>(&m_storage)->sin_addr.s_addr == htonl(INADDR_ANY);
    if (family() == AF_INET6)
        return IN6_IS_ADDR_UNSPECIFIED(&reinterpret_cast<const sockaddr_in6 *>(&m_storage)->sin6_addr);
    return false;
}

bool Address::isLoopback() const
{
    if (family() == AF_INET)
        return (ntohl(reinterpret_cast<const sockaddr_in *>(&m_storage)->sin_addr.s_addr) >> 24) == 127;
    if (family() == AF_INET6) {
        const in6_addr &a = reinterpret_cast<const sockaddr_in6 *>(&m_storage)->sin6_addr;
        return IN6_IS_ADDR_LOOPBACK(&a) || (IN6_IS_ADDR_V4MAPPED(&a) && a.s6_addr[12] == 127);
    }
    return false;
}

QString Address::host() const
{
    char buf[INET6_ADDRSTRLEN + IF_NAMESIZE + 2] = {};
    switch (family()) {
    case AF_INET:
        inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in *>(&m_storage)->sin_addr, buf, sizeof buf);
        return QString::fromLatin1(buf);
    case AF_INET6: {
        const auto *sin6 = reinterpret_cast<const sockaddr_in6 *>(&m_storage);
        inet_ntop(AF_INET6, &sin6->sin6_addr, buf, sizeof buf);
        QString text = QString::fromLatin1(buf);
        if (sin6->sin6_scope_id != 0) {
            char ifname[IF_NAMESIZE] = {};
            text += u'%';
            text += if_indextoname(sin6->sin6_scope_id, ifname) ? QString::fromLatin1(ifname)
                                                                 : QString::number(sin6->sin6_scope_id);
        }
        return text;
    }
    case AF_UNIX: {
        const auto *sun = reinterpret_cast<const sockaddr_un *>(&m_storage);
        const qsizetype n = qsizetype(m_len) - qsizetype(offsetof(sockaddr_un, sun_path));
        if (n <= 0)
            return QStringLiteral("(unnamed)");
        if (sun->sun_path[0] == '\0')
            return u'@' + QString::fromLocal8Bit(sun->sun_path + 1, n - 1);
        return QString::fromLocal8Bit(sun->sun_path, qstrnlen(sun->sun_path, n));
    }
    default:
        return {};
    }
}

QString Address::toString() const
{
    switch (family()) {
    case AF_INET:
        return QStringLiteral("%1:%2").arg(host()).arg(port());
    case AF_INET6:
        return QStringLiteral("[%1]:%2").arg(host()).arg(port());
    case AF_UNIX:
        return host();
    default:
        return QStringLiteral("(none)");
    }
}

QString Address::toPython() const
{
    switch (family()) {
    case AF_INET:
        return QStringLiteral("(\"%1\", %2)").arg(host()).arg(port());
    case AF_INET6:
        return QStringLiteral("(\"%1\", %2, %3, %4)").arg(host()).arg(port()).arg(flowInfo()).arg(scopeId());
    case AF_UNIX:
        return isAbstract() ? QStringLiteral("\"\\0%1\"").arg(host().mid(1)) : QStringLiteral("\"%1\"").arg(host());
    default:
        return QStringLiteral("None");
    }
}

bool Address::operator==(const Address &other) const
{
    return m_len == other.m_len && std::memcmp(&m_storage, &other.m_storage, m_len) == 0;
}

QString familyName(int family)
{
    switch (family) {
    case AF_INET: return QStringLiteral("AF_INET");
    case AF_INET6: return QStringLiteral("AF_INET6");
    case AF_UNIX: return QStringLiteral("AF_UNIX");
    case AF_UNSPEC: return QStringLiteral("AF_UNSPEC");
    default: return QStringLiteral("AF_%1").arg(family);
    }
}

QString socketTypeName(int type)
{
    switch (type & 0xf) {
    case SOCK_STREAM: return QStringLiteral("SOCK_STREAM");
    case SOCK_DGRAM: return QStringLiteral("SOCK_DGRAM");
    case SOCK_RAW: return QStringLiteral("SOCK_RAW");
    case SOCK_SEQPACKET: return QStringLiteral("SOCK_SEQPACKET");
    case 0: return QStringLiteral("0");
    default: return QStringLiteral("SOCK_%1").arg(type);
    }
}

} // namespace sockscope::core
