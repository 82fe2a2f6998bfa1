#include "socketoption.h"

#include "address.h"
#include "socketoptiontable_p.h"

#include <net/if.h>
#include <sys/socket.h>

#include <vector>

namespace sockscope::core {

namespace {

const std::vector<SocketOption> &allRows()
{
    static const std::vector<SocketOption> rows = [] {
        std::vector<SocketOption> all;
        const auto sol = detail::solSocketRows();
        const auto proto = detail::protocolRows();
        all.reserve(sol.size() + proto.size());
        all.insert(all.end(), sol.begin(), sol.end());
        all.insert(all.end(), proto.begin(), proto.end());
        return all;
    }();
    return rows;
}

quint8 familyBit(int family)
{
    switch (family) {
    case AF_INET: return OptionFamily::Inet;
    case AF_INET6: return OptionFamily::Inet6;
    case AF_UNIX: return OptionFamily::Unix;
    default: return 0;
    }
}

quint8 typeBit(int type)
{
    switch (type & 0xf) {
    case SOCK_STREAM: return OptionSockType::Stream;
    case SOCK_DGRAM: return OptionSockType::Dgram;
    case SOCK_SEQPACKET: return OptionSockType::Seqpacket;
    default: return 0;
    }
}

} // namespace

bool SocketOption::appliesTo(int family, int type) const
{
    return (families & familyBit(family)) && (types & typeBit(type));
}

QString SocketOption::cTypeName() const
{
    switch (type) {
    case OptionType::Bool:
    case OptionType::Int:
    case OptionType::Enum:
    case OptionType::Errno: return QStringLiteral("int");
    case OptionType::Linger: return QStringLiteral("struct linger");
    case OptionType::Timeval: return QStringLiteral("struct timeval");
    case OptionType::String: return QStringLiteral("char[16]");
    case OptionType::Interface: return QStringLiteral("char[IFNAMSIZ]");
    case OptionType::InAddr: return QStringLiteral("struct in_addr");
    case OptionType::IpMreq: return QStringLiteral("struct ip_mreq");
    case OptionType::Ipv6Mreq: return QStringLiteral("struct ipv6_mreq");
    case OptionType::Ucred: return QStringLiteral("struct ucred");
    case OptionType::TcpInfo: return QStringLiteral("struct tcp_info");
    }
    return {};
}

QString SocketOption::rangeText() const
{
    const QString unitSuffix = unit ? u' ' + QString::fromLatin1(unit) : QString();
    switch (type) {
    case OptionType::Bool: return QStringLiteral("0 or 1");
    case OptionType::Int: return QStringLiteral("%1 … %2%3").arg(min).arg(max).arg(unitSuffix);
    case OptionType::Enum: {
        QStringList names;
        for (const auto &e : enumNames)
            names << QString::fromLatin1(e.name);
        return names.join(QLatin1String(", "));
    }
    case OptionType::Errno: return QStringLiteral("0 or an errno");
    case OptionType::Linger: return QStringLiteral("off, or on,SECONDS (0 … %1)").arg(max);
    case OptionType::Timeval: return QStringLiteral("seconds, 0 = no timeout");
    case OptionType::String: return QStringLiteral("an algorithm name");
    case OptionType::Interface: return QStringLiteral("an interface name (at most %1 characters), empty to unbind").arg(IFNAMSIZ - 1);
    case OptionType::InAddr: return QStringLiteral("an IPv4 address");
    case OptionType::IpMreq: return QStringLiteral("GROUP,INTERFACE (IPv4 group; interface address, name or index)");
    case OptionType::Ipv6Mreq: return QStringLiteral("GROUP,INTERFACE (IPv6 group; interface name or index)");
    case OptionType::Ucred: return QStringLiteral("pid, uid, gid");
    case OptionType::TcpInfo: return QStringLiteral("decoded fields");
    }
    return {};
}

QString SocketOption::timingText() const
{
    switch (timing) {
    case OptionTiming::AnyTime: return QStringLiteral("any time");
    case OptionTiming::BeforeBind: return QStringLiteral("before bind()");
    case OptionTiming::BeforeConnect: return QStringLiteral("before connect()");
    case OptionTiming::BeforeListen: return QStringLiteral("before listen()");
    case OptionTiming::BeforeConnectOrListen: return QStringLiteral("before connect() or listen()");
    }
    return {};
}

QString SocketOption::privilegeText() const
{
    const QString cap = capability ? QString::fromLatin1(capability) : QString();
    switch (privilege) {
    case OptionPrivilege::None: return {};
    case OptionPrivilege::Required: return QStringLiteral("setting it needs %1").arg(cap);
    case OptionPrivilege::Partly: return QStringLiteral("some values need %1").arg(cap);
    }
    return {};
}

QString SocketOption::enumName(int value) const
{
    for (const auto &e : enumNames) {
        if (e.value == value)
            return QString::fromLatin1(e.name);
    }
    return {};
}

std::span<const SocketOption> socketOptions()
{
    return allRows();
}

const SocketOption *findSocketOption(QAnyStringView name)
{
    const QString text = name.toString();
    const QStringView wanted = QStringView(text).trimmed();
    for (const SocketOption &row : allRows()) {
        if (wanted.compare(QLatin1String(row.name), Qt::CaseInsensitive) == 0)
            return &row;
    }
    return nullptr;
}

const SocketOption *findSocketOption(int level, int optname)
{
    for (const SocketOption &row : allRows()) {
        if (row.level == level && row.optname == optname)
            return &row;
    }
    return nullptr;
}

QList<const SocketOption *> socketOptionsFor(int family, int type)
{
    QList<const SocketOption *> rows;
    for (const SocketOption &row : allRows()) {
        if (row.appliesTo(family, type))
            rows.append(&row);
    }
    return rows;
}

QString optionTypeName(OptionType type)
{
    switch (type) {
    case OptionType::Bool: return QStringLiteral("bool");
    case OptionType::Int: return QStringLiteral("int");
    case OptionType::Enum: return QStringLiteral("enum");
    case OptionType::Errno: return QStringLiteral("errno");
    case OptionType::Linger: return QStringLiteral("linger");
    case OptionType::Timeval: return QStringLiteral("timeval");
    case OptionType::String: return QStringLiteral("string");
    case OptionType::Interface: return QStringLiteral("interface");
    case OptionType::InAddr: return QStringLiteral("in_addr");
    case OptionType::IpMreq: return QStringLiteral("ip_mreq");
    case OptionType::Ipv6Mreq: return QStringLiteral("ipv6_mreq");
    case OptionType::Ucred: return QStringLiteral("ucred");
    case OptionType::TcpInfo: return QStringLiteral("tcp_info");
    }
    return {};
}

QStringList optionFamilyNames(quint8 families)
{
    QStringList names;
    for (int family : {AF_INET, AF_INET6, AF_UNIX}) {
        if (families & familyBit(family))
            names << familyName(family);
    }
    return names;
}

QStringList optionSockTypeNames(quint8 types)
{
    QStringList names;
    for (int type : {SOCK_STREAM, SOCK_DGRAM, SOCK_SEQPACKET}) {
        if (types & typeBit(type))
            names << socketTypeName(type);
    }
    return names;
}

std::optional<OptionSetting> parseOptionAssignment(QStringView text, QString *error)
{
    const qsizetype eq = text.indexOf(u'=');
    if (eq <= 0) {
        if (error)
            *error = QStringLiteral("\"%1\": give NAME=VALUE, e.g. SO_RCVBUF=65536").arg(text);
        return std::nullopt;
    }
    const SocketOption *row = findSocketOption(text.first(eq));
    if (!row) {
        if (error)
            *error = QStringLiteral("\"%1\" is not a socket option sockscope knows (sockscope-cli options lists them)")
                         .arg(text.first(eq).trimmed());
        return std::nullopt;
    }
    return OptionSetting{row->nameText(), text.sliced(eq + 1).toString()};
}

} // namespace sockscope::core
