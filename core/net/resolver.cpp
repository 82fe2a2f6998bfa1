#include "resolver.h"

#include "pycode.h"

#include <arpa/inet.h>
#include <cerrno>
#include <climits>
#include <netinet/in.h>
#include <unistd.h>

#include <vector>

namespace sockscope::core {

namespace {

constexpr ResolverFlag kAddrInfoFlags[] = {
    {AI_PASSIVE, "AI_PASSIVE",
     "With a null host, return the wildcard address (0.0.0.0, ::) to bind() a server to, "
     "instead of the loopback address to connect() to."},
    {AI_CANONNAME, "AI_CANONNAME",
     "Also ask for the host's canonical name: it comes back in the first row's canonname. "
     "Needs a host (EAI_BADFLAGS with a null host)."},
    {AI_NUMERICHOST, "AI_NUMERICHOST",
     "The host must be a numeric address: no name lookup, no DNS query. A name gives "
     "EAI_NONAME."},
    {AI_NUMERICSERV, "AI_NUMERICSERV",
     "The service must be a port number: /etc/services is not consulted. A name gives "
     "EAI_NONAME."},
    {AI_V4MAPPED, "AI_V4MAPPED",
     "With AF_INET6 only: when the host has no IPv6 address, return its IPv4 addresses "
     "as IPv4-mapped IPv6 addresses (::ffff:a.b.c.d)."},
    {AI_ALL, "AI_ALL",
     "With AI_V4MAPPED: return the IPv6 addresses and, as well, the IPv4 addresses mapped "
     "to ::ffff:a.b.c.d. Alone it does nothing."},
    {AI_ADDRCONFIG, "AI_ADDRCONFIG",
     "Return IPv4 addresses only if this host has an IPv4 address configured, and IPv6 "
     "only if it has IPv6 (loopback does not count)."},
    {AI_IDN, "AI_IDN",
     "GNU: convert an internationalised host name (bücher.example) to its ASCII "
     "(punycode) form before looking it up.", false},
    {AI_CANONIDN, "AI_CANONIDN",
     "GNU: with AI_CANONNAME, convert the canonical name from punycode back to Unicode.", false},
};

constexpr ResolverFlag kNameInfoFlags[] = {
    {NI_NUMERICHOST, "NI_NUMERICHOST", "Return the address as digits: no reverse lookup, no DNS query."},
    {NI_NUMERICSERV, "NI_NUMERICSERV", "Return the port as digits: /etc/services is not consulted."},
    {NI_NOFQDN, "NI_NOFQDN", "For a local host, return only the host name part of its fully qualified name."},
    {NI_NAMEREQD, "NI_NAMEREQD", "Fail with EAI_NONAME when the address has no name, instead of returning the digits."},
    {NI_DGRAM, "NI_DGRAM", "The service is a datagram (UDP) service: look the port up for udp, not tcp."},
    {NI_IDN, "NI_IDN", "GNU: return an internationalised name in Unicode, not in punycode.", false},
};

QString fromC(const char *text)
{
    return text ? QString::fromUtf8(text) : QString();
}

QStringList fromCList(char **list)
{
    QStringList out;
    for (; list && *list; ++list)
        out.append(QString::fromUtf8(*list));
    return out;
}

// The *_r calls want a caller buffer and answer ERANGE when it is too small. The entry
// they fill points into `buf`: convert it before `buf` goes.
template<typename Call>
int withGrowingBuffer(std::vector<char> &buf, Call call)
{
    buf.resize(1024);
    for (;;) {
        const int rc = call(buf.data(), buf.size());
        if (rc != ERANGE || buf.size() >= (1u << 20))
            return rc;
        buf.resize(buf.size() * 2);
    }
}

HostEnt toHostEnt(const hostent &h)
{
    HostEnt out;
    out.name = fromC(h.h_name);
    out.aliases = fromCList(h.h_aliases);
    out.family = h.h_addrtype;
    for (char **a = h.h_addr_list; a && *a; ++a) {
        char text[INET6_ADDRSTRLEN] = {};
        if (inet_ntop(h.h_addrtype, *a, text, sizeof text))
            out.addresses.append(QString::fromLatin1(text));
    }
    return out;
}

ServEnt toServEnt(const servent &s)
{
    return {fromC(s.s_name), fromCList(s.s_aliases), ntohs(static_cast<quint16>(s.s_port)), fromC(s.s_proto)};
}

ProtoEnt toProtoEnt(const protoent &p)
{
    return {fromC(p.p_name), fromCList(p.p_aliases), p.p_proto};
}


QByteArray protoOrNull(const QString &protocol)
{
    return protocol.isEmpty() ? QByteArray() : protocol.toLatin1();
}

} // namespace

std::expected<QList<AddrInfo>, SysError> Resolver::getaddrinfo(const std::optional<QString> &host,
                                                               const std::optional<QString> &service,
                                                               const AddrInfoHints &hints)
{
    addrinfo want{};
    want.ai_family = hints.family;
    want.ai_socktype = hints.socktype;
    want.ai_protocol = hints.protocol;
    want.ai_flags = hints.flags;

    const QByteArray h = host ? host->toUtf8() : QByteArray();
    const QByteArray s = service ? service->toUtf8() : QByteArray();
    addrinfo *list = nullptr;
    errno = 0;
    const int rc = ::getaddrinfo(host ? h.constData() : nullptr, service ? s.constData() : nullptr, &want, &list);
    if (rc != 0)
        return std::unexpected(SysError::fromGai(rc, errno));

    QList<AddrInfo> rows;
    for (const addrinfo *ai = list; ai; ai = ai->ai_next) {
        AddrInfo row;
        row.family = ai->ai_family;
        row.socktype = ai->ai_socktype;
        row.protocol = ai->ai_protocol;
        if (ai->ai_canonname)
            row.canonname = QString::fromUtf8(ai->ai_canonname);
        row.address = Address::fromSockaddr(ai->ai_addr, ai->ai_addrlen);
        rows.append(row);
    }
    freeaddrinfo(list);
    return rows;
}

std::expected<NameInfo, SysError> Resolver::getnameinfo(const Address &address, int flags)
{
    char host[NI_MAXHOST] = {};
    char serv[NI_MAXSERV] = {};
    errno = 0;
    const int rc = ::getnameinfo(address.data(), address.size(), host, sizeof host, serv, sizeof serv, flags);
    if (rc != 0)
        return std::unexpected(SysError::fromGai(rc, errno));
    return NameInfo{QString::fromUtf8(host), QString::fromUtf8(serv)};
}

std::expected<NameInfo, SysError> Resolver::getnameinfo(const QString &numericHost, quint16 port, int flags)
{
    // SOCK_DGRAM only so that one row comes back, as Python does it.
    auto rows = getaddrinfo(numericHost, QString::number(port), {AF_UNSPEC, SOCK_DGRAM, 0, AI_NUMERICHOST});
    if (!rows)
        return std::unexpected(rows.error());
    if (rows->isEmpty())
        return std::unexpected(SysError::fromGai(EAI_NONAME));
    return getnameinfo(rows->first().address, flags);
}

std::expected<QString, SysError> Resolver::gethostname()
{
    char name[HOST_NAME_MAX + 1] = {};
    if (::gethostname(name, sizeof name) != 0)
        return std::unexpected(SysError::lastErrno());
    return QString::fromUtf8(name);
}

QString Resolver::getfqdn(const QString &name)
{
    QString wanted = name.trimmed();
    if (wanted.isEmpty() || wanted == u"0.0.0.0")
        wanted = gethostname().value_or(QString());
    const auto entry = gethostbyaddr(wanted);
    if (!entry)
        return wanted;
    if (entry->name.contains(u'.'))
        return entry->name;
    for (const QString &alias : entry->aliases) {
        if (alias.contains(u'.'))
            return alias;
    }
    return entry->name;
}

std::expected<HostEnt, SysError> Resolver::gethostbyname_ex(const QString &name)
{
    const QByteArray n = name.toUtf8();
    hostent h{};
    hostent *result = nullptr;
    int herr = 0;
    std::vector<char> buf;
    const int rc = withGrowingBuffer(buf, [&](char *data, size_t len) {
        return ::gethostbyname2_r(n.constData(), AF_INET, &h, data, len, &result, &herr);
    });
    if (rc != 0 && rc != ERANGE && !result && herr == NETDB_INTERNAL)
        return std::unexpected(SysError::fromErrno(rc));
    if (!result)
        return std::unexpected(SysError::fromHerrno(herr ? herr : HOST_NOT_FOUND));
    return toHostEnt(h);
}

std::expected<HostEnt, SysError> Resolver::gethostbyaddr(const QString &host)
{
    // Like Python: a name is resolved first and its first address is looked up.
    auto rows = getaddrinfo(host, std::nullopt, {});
    if (!rows)
        return std::unexpected(rows.error());
    if (rows->isEmpty())
        return std::unexpected(SysError::fromGai(EAI_NONAME));
    const Address &a = rows->first().address;
    const void *raw = nullptr;
    socklen_t rawLen = 0;
    if (a.family() == AF_INET) {
        raw = &reinterpret_cast<const sockaddr_in *>(a.data())->sin_addr;
        rawLen = sizeof(in_addr);
    } else if (a.family() == AF_INET6) {
        raw = &reinterpret_cast<const sockaddr_in6 *>(a.data())->sin6_addr;
        rawLen = sizeof(in6_addr);
    } else {
        return std::unexpected(SysError::fromErrno(EAFNOSUPPORT));
    }

    hostent h{};
    hostent *result = nullptr;
    int herr = 0;
    std::vector<char> buf;
    const int rc = withGrowingBuffer(buf, [&](char *data, size_t len) {
        return ::gethostbyaddr_r(raw, rawLen, a.family(), &h, data, len, &result, &herr);
    });
    if (rc != 0 && rc != ERANGE && !result && herr == NETDB_INTERNAL)
        return std::unexpected(SysError::fromErrno(rc));
    if (!result)
        return std::unexpected(SysError::fromHerrno(herr ? herr : HOST_NOT_FOUND));
    return toHostEnt(h);
}

std::expected<ServEnt, SysError> Resolver::getservbyname(const QString &name, const QString &protocol)
{
    const QByteArray n = name.toUtf8();
    const QByteArray p = protoOrNull(protocol);
    servent s{};
    servent *result = nullptr;
    std::vector<char> buf;
    withGrowingBuffer(buf, [&](char *data, size_t len) {
        return ::getservbyname_r(n.constData(), p.isNull() ? nullptr : p.constData(), &s, data, len, &result);
    });
    if (!result)
        return std::unexpected(SysError::input(QStringLiteral("service"), QStringLiteral("service/proto not found")));
    return toServEnt(s);
}

std::expected<ServEnt, SysError> Resolver::getservbyport(int port, const QString &protocol)
{
    if (port < 0 || port > 65535) {
        return std::unexpected(SysError::input(QStringLiteral("port"),
                                               QStringLiteral("%1 is not a port: give 0 to 65535").arg(port)));
    }
    const QByteArray p = protoOrNull(protocol);
    servent s{};
    servent *result = nullptr;
    std::vector<char> buf;
    withGrowingBuffer(buf, [&](char *data, size_t len) {
        return ::getservbyport_r(htons(static_cast<quint16>(port)), p.isNull() ? nullptr : p.constData(), &s, data,
                                 len, &result);
    });
    if (!result)
        return std::unexpected(SysError::input(QStringLiteral("port"), QStringLiteral("port/proto not found")));
    return toServEnt(s);
}

std::expected<ProtoEnt, SysError> Resolver::getprotobyname(const QString &name)
{
    const QByteArray n = name.toUtf8();
    protoent p{};
    protoent *result = nullptr;
    std::vector<char> buf;
    withGrowingBuffer(buf, [&](char *data, size_t len) {
        return ::getprotobyname_r(n.constData(), &p, data, len, &result);
    });
    if (!result)
        return std::unexpected(SysError::input(QStringLiteral("protocol"), QStringLiteral("protocol not found")));
    return toProtoEnt(p);
}

std::expected<ProtoEnt, SysError> Resolver::getprotobynumber(int number)
{
    protoent p{};
    protoent *result = nullptr;
    std::vector<char> buf;
    withGrowingBuffer(buf, [&](char *data, size_t len) {
        return ::getprotobynumber_r(number, &p, data, len, &result);
    });
    if (!result)
        return std::unexpected(SysError::input(QStringLiteral("protocol"), QStringLiteral("protocol not found")));
    return toProtoEnt(p);
}

std::span<const ResolverFlag> Resolver::addrInfoFlags()
{
    return kAddrInfoFlags;
}

std::span<const ResolverFlag> Resolver::nameInfoFlags()
{
    return kNameInfoFlags;
}

QString Resolver::flagNames(int flags, std::span<const ResolverFlag> table)
{
    QStringList names;
    int rest = flags;
    for (const ResolverFlag &f : table) {
        if (flags & f.value) {
            names.append(QString::fromLatin1(f.name));
            rest &= ~f.value;
        }
    }
    if (rest != 0)
        names.append(QStringLiteral("0x%1").arg(uint(rest), 0, 16));
    return names.isEmpty() ? QStringLiteral("0") : names.join(u'|');
}

std::expected<int, SysError> Resolver::parseFlags(QStringView text, std::span<const ResolverFlag> table)
{
    int flags = 0;
    for (QStringView token : text.split(u',', Qt::SkipEmptyParts)) {
        for (QStringView part : token.split(u'|', Qt::SkipEmptyParts)) {
            part = part.trimmed();
            if (part.isEmpty())
                continue;
            bool ok = false;
            const int numeric = part.toInt(&ok, 0);
            if (ok) {
                flags |= numeric;
                continue;
            }
            bool known = false;
            for (const ResolverFlag &f : table) {
                if (part.compare(QLatin1String(f.name), Qt::CaseInsensitive) == 0) {
                    flags |= f.value;
                    known = true;
                    break;
                }
            }
            if (!known) {
                QStringList names;
                for (const ResolverFlag &f : table)
                    names.append(QString::fromLatin1(f.name));
                return std::unexpected(SysError::input(
                    QStringLiteral("flags"),
                    QStringLiteral("unknown flag \"%1\"; known: %2").arg(part, names.join(u", "))));
            }
        }
    }
    return flags;
}

QString Resolver::pythonGetaddrinfo(const std::optional<QString> &host, const std::optional<QString> &service,
                                   const AddrInfoHints &hints)
{
    return QStringLiteral("socket.getaddrinfo(%1, %2, %3, %4, %5, %6)")
        .arg(pycode::str(host), pycode::str(service), pycode::family(hints.family), pycode::type(hints.socktype),
             QString::number(hints.protocol), pycode::flags(hints.flags, kAddrInfoFlags, QStringLiteral("0")));
}

QString Resolver::pythonGetnameinfo(const Address &address, int flags)
{
    // Quoted as pythonGetaddrinfo quotes; the scope, as Python wants it, in the tuple.
    const QString host = pycode::str(address.host().section(u'%', 0, 0));
    const QString sockaddr = address.family() == AF_INET6
                                 ? QStringLiteral("(%1, %2, %3, %4)")
                                       .arg(host)
                                       .arg(address.port())
                                       .arg(address.flowInfo())
                                       .arg(address.scopeId())
                                 : QStringLiteral("(%1, %2)").arg(host).arg(address.port());
    return QStringLiteral("socket.getnameinfo(%1, %2)").arg(sockaddr, pycode::flags(flags, kNameInfoFlags, QStringLiteral("0")));
}

} // namespace sockscope::core
