#include "optionvalue.h"

#include "address.h"

#include <QRegularExpression>

#include <arpa/inet.h>
#include <climits>
#include <cmath>
#include <net/if.h>
#include <netinet/in.h>

namespace sockscope::core {

namespace {

constexpr qint64 kMicrosPerSecond = 1'000'000;
constexpr int kCongestionNameMax = 15; // TCP_CA_NAME_MAX (16) less the NUL

std::unexpected<SysError> bad(const SocketOption &row, const QString &message)
{
    return std::unexpected(SysError::input(row.nameText(), message));
}

QString quoted(QStringView text)
{
    return QStringLiteral("“%1”").arg(text);
}

std::optional<qint64> wholeNumber(QStringView text)
{
    bool ok = false;
    qint64 value = 0;
    if (text.startsWith(QLatin1String("0x"), Qt::CaseInsensitive))
        value = text.sliced(2).toLongLong(&ok, 16);
    else
        value = text.toLongLong(&ok, 10);
    return ok ? std::optional<qint64>(value) : std::nullopt;
}

std::expected<OptionValue, SysError> parseInt(const SocketOption &row, QStringView text)
{
    const QString unit = row.unit ? QStringLiteral(" %1").arg(QLatin1String(row.unit)) : QString();
    const QString range = QStringLiteral("give a whole number from %1 to %2%3").arg(row.min).arg(row.max).arg(unit);
    if (text.isEmpty())
        return bad(row, QStringLiteral("the value is empty: %1").arg(range));
    const auto number = wholeNumber(text);
    if (!number)
        return bad(row, QStringLiteral("%1 is not a number: %2").arg(quoted(text), range));
    if (*number < row.min || *number > row.max)
        return bad(row, QStringLiteral("%1 is out of range: %2").arg(quoted(text), range));
    return OptionValue{.number = *number};
}

std::expected<OptionValue, SysError> parseBool(const SocketOption &row, QStringView text)
{
    static const QStringList yes{QStringLiteral("1"), QStringLiteral("on"), QStringLiteral("true"), QStringLiteral("yes")};
    static const QStringList no{QStringLiteral("0"), QStringLiteral("off"), QStringLiteral("false"), QStringLiteral("no")};
    const QString lower = text.toString().toLower();
    if (yes.contains(lower))
        return OptionValue{.number = 1};
    if (no.contains(lower))
        return OptionValue{.number = 0};
    return bad(row, QStringLiteral("%1 is not a flag: give 1 or 0 (on/off)").arg(quoted(text)));
}

std::expected<OptionValue, SysError> parseEnum(const SocketOption &row, QStringView text)
{
    for (const auto &e : row.enumNames) {
        const QLatin1String name(e.name);
        // "IP_PMTUDISC_DO" or just "DO".
        if (text.compare(name, Qt::CaseInsensitive) == 0
            || (name.size() > text.size() && name.endsWith(u'_' + text.toString(), Qt::CaseInsensitive)))
            return OptionValue{.number = e.value};
    }
    if (const auto number = wholeNumber(text)) {
        for (const auto &e : row.enumNames) {
            if (e.value == *number)
                return OptionValue{.number = *number};
        }
    }
    return bad(row, QStringLiteral("%1 is not one of %2").arg(quoted(text), row.rangeText()));
}

std::expected<OptionValue, SysError> parseLinger(const SocketOption &row, QStringView text)
{
    const QString lower = text.toString().toLower();
    if (lower == u"off" || lower == u"0")
        return OptionValue{.number = 0, .on = false};
    static const QRegularExpression form(QStringLiteral("^(on|1)\\s*[, :]\\s*(\\S+)$"));
    const auto match = form.match(lower);
    const QString hint = QStringLiteral("give off, or on,SECONDS (on,0 makes close() send RST)");
    if (!match.hasMatch())
        return bad(row, QStringLiteral("%1 is not a linger setting: %2").arg(quoted(text), hint));
    const auto seconds = wholeNumber(match.capturedView(2));
    if (!seconds || *seconds < 0 || *seconds > row.max)
        return bad(row, QStringLiteral("%1: the time must be whole seconds from 0 to %2").arg(quoted(text)).arg(row.max));
    return OptionValue{.number = *seconds, .on = true};
}

std::expected<OptionValue, SysError> parseTimeval(const SocketOption &row, QStringView text)
{
    QString t = text.toString().toLower();
    if (t.endsWith(u's'))
        t.chop(1);
    bool ok = false;
    const double seconds = t.trimmed().toDouble(&ok);
    if (!ok || !std::isfinite(seconds) || seconds < 0 || seconds > double(row.max))
        return bad(row, QStringLiteral("%1 is not a time: give seconds, e.g. 2.5 (0 = no timeout)").arg(quoted(text)));
    return OptionValue{.number = std::llround(seconds * kMicrosPerSecond)};
}

std::expected<OptionValue, SysError> parseCongestion(const SocketOption &row, QStringView text, const OptionContext &context)
{
    static const QRegularExpression name(QStringLiteral("^[A-Za-z0-9_-]+$"));
    if (text.isEmpty())
        return bad(row, QStringLiteral("the value is empty: give an algorithm name such as cubic or reno"));
    if (text.size() > kCongestionNameMax || !name.match(text).hasMatch())
        return bad(row, QStringLiteral("%1 is not an algorithm name (letters, digits, _; at most %2)").arg(quoted(text)).arg(kCongestionNameMax));
    if (!context.congestionAlgorithms.isEmpty() && !context.congestionAlgorithms.contains(text.toString()))
        return bad(row, QStringLiteral("unknown congestion algorithm %1: this kernel has %2")
                            .arg(quoted(text), context.congestionAlgorithms.join(QLatin1String(", "))));
    return OptionValue{.text = text.toString()};
}

std::expected<OptionValue, SysError> parseInterface(const SocketOption &row, QStringView text, const OptionContext &context)
{
    if (text.size() >= IFNAMSIZ || text.contains(u'/') || text.contains(u' '))
        return bad(row, QStringLiteral("%1 is not an interface name (at most %2 characters, no / or space)").arg(quoted(text)).arg(IFNAMSIZ - 1));
    if (!text.isEmpty() && !context.interfaces.isEmpty() && !context.interfaces.contains(text.toString()))
        return bad(row, QStringLiteral("no interface named %1: this host has %2").arg(quoted(text), context.interfaces.join(QLatin1String(", "))));
    return OptionValue{.text = text.toString()};
}

std::expected<Address, SysError> ipOf(const SocketOption &row, QStringView text, int family, const char *what)
{
    auto address = Address::ip(text, 0);
    if (!address || address->family() != family)
        return std::unexpected(SysError::input(row.nameText(), QStringLiteral("%1 is not %2").arg(quoted(text), QLatin1String(what))));
    return *address;
}

std::expected<OptionValue, SysError> parseInAddr(const SocketOption &row, QStringView text)
{
    auto address = ipOf(row, text, AF_INET, "an IPv4 address");
    if (!address)
        return std::unexpected(address.error());
    return OptionValue{.text = address->host()};
}

// An interface as typed: its index, or -1 for a name (resolved with if_nametoindex when
// the option is set, on the I/O thread, in the socket's namespace).
std::expected<qint64, SysError> interfaceIndexOf(const SocketOption &row, QStringView iface)
{
    if (const auto index = wholeNumber(iface)) {
        if (*index < 0 || *index > INT_MAX)
            return bad(row, QStringLiteral("%1 is not an interface index").arg(quoted(iface)));
        return *index;
    }
    if (iface.isEmpty() || iface.size() >= IFNAMSIZ || iface.contains(u'/') || iface.contains(u' '))
        return bad(row, QStringLiteral("%1 is not an interface name or index").arg(quoted(iface)));
    return -1;
}

std::expected<OptionValue, SysError> parseIpMreq(const SocketOption &row, QStringView text)
{
    const auto parts = text.split(u',');
    if (parts.size() > 2)
        return bad(row, QStringLiteral("%1: give GROUP or GROUP,INTERFACE").arg(quoted(text)));
    auto group = ipOf(row, parts[0].trimmed(), AF_INET, "an IPv4 multicast group");
    if (!group)
        return std::unexpected(group.error());
    const auto *sin = reinterpret_cast<const sockaddr_in *>(group->data());
    if (!IN_MULTICAST(ntohl(sin->sin_addr.s_addr)))
        return bad(row, QStringLiteral("%1 is not a multicast group (224.0.0.0 … 239.255.255.255)").arg(quoted(parts[0].trimmed())));
    OptionValue value{.number = 0, .text = group->host(), .interface = QStringLiteral("0.0.0.0")};
    if (parts.size() == 2) {
        // An interface address makes an ip_mreq; a name or index an ip_mreqn (imr_ifindex),
        // which the kernel tells apart by the length passed.
        const QStringView iface = parts[1].trimmed();
        const auto index = interfaceIndexOf(row, iface);
        if (iface.contains(u'.') || !index) {
            auto address = ipOf(row, iface, AF_INET, "an IPv4 interface address, name or index");
            if (!address)
                return std::unexpected(address.error());
            value.interface = address->host();
        } else {
            value.number = *index;
            value.interface = iface.toString();
        }
    }
    return value;
}

std::expected<OptionValue, SysError> parseIpv6Mreq(const SocketOption &row, QStringView text)
{
    const auto parts = text.split(u',');
    if (parts.size() > 2)
        return bad(row, QStringLiteral("%1: give GROUP or GROUP,INTERFACE").arg(quoted(text)));
    auto group = ipOf(row, parts[0].trimmed(), AF_INET6, "an IPv6 multicast group");
    if (!group)
        return std::unexpected(group.error());
    const auto *sin6 = reinterpret_cast<const sockaddr_in6 *>(group->data());
    if (!IN6_IS_ADDR_MULTICAST(&sin6->sin6_addr))
        return bad(row, QStringLiteral("%1 is not a multicast group (ff00::/8)").arg(quoted(parts[0].trimmed())));
    OptionValue value{.number = 0, .text = group->host(), .interface = QStringLiteral("0")};
    if (parts.size() == 2) {
        const QStringView iface = parts[1].trimmed();
        const auto index = interfaceIndexOf(row, iface);
        if (!index)
            return std::unexpected(index.error());
        value.number = *index;
        value.interface = iface.toString();
    }
    return value;
}

QString secondsText(qint64 micros)
{
    if (micros % kMicrosPerSecond == 0)
        return QString::number(micros / kMicrosPerSecond);
    QString text = QString::number(double(micros) / kMicrosPerSecond, 'f', 6);
    while (text.endsWith(u'0'))
        text.chop(1);
    return text;
}

QString fieldsText(const QList<OptionField> &fields, QLatin1String separator)
{
    QStringList parts;
    for (const OptionField &f : fields)
        parts << QStringLiteral("%1=%2").arg(f.name, f.text.isEmpty() ? QString::number(f.value) : f.text);
    return parts.join(separator);
}

QString pyString(const QString &text)
{
    return QStringLiteral("\"%1\"").arg(text);
}

QString pythonInterfaceIndex(const OptionValue &value)
{
    return value.number >= 0 ? QString::number(value.number)
                             : QStringLiteral("socket.if_nametoindex(%1)").arg(pyString(value.interface));
}

} // namespace

std::expected<OptionValue, SysError> parseOptionValue(const SocketOption &row, QAnyStringView text, const OptionContext &context)
{
    const QString whole = text.toString();
    const QStringView t = QStringView(whole).trimmed();
    if (!row.settable())
        return bad(row, QStringLiteral("is read-only: the kernel does not let it be set"));
    switch (row.type) {
    case OptionType::Bool: return parseBool(row, t);
    case OptionType::Int:
    case OptionType::Errno: return parseInt(row, t);
    case OptionType::Enum: return parseEnum(row, t);
    case OptionType::Linger: return parseLinger(row, t);
    case OptionType::Timeval: return parseTimeval(row, t);
    case OptionType::String: return parseCongestion(row, t, context);
    case OptionType::Interface: return parseInterface(row, t, context);
    case OptionType::InAddr: return parseInAddr(row, t);
    case OptionType::IpMreq: return parseIpMreq(row, t);
    case OptionType::Ipv6Mreq: return parseIpv6Mreq(row, t);
    case OptionType::Ucred:
    case OptionType::TcpInfo: break;
    }
    return bad(row, QStringLiteral("is read-only: it cannot be set"));
}

QString formatOptionValue(const SocketOption &row, const OptionValue &value)
{
    switch (row.type) {
    case OptionType::Bool:
    case OptionType::Int:
    case OptionType::Errno: return QString::number(value.number);
    case OptionType::Enum: {
        const QString name = row.enumName(int(value.number));
        return name.isEmpty() ? QString::number(value.number) : name;
    }
    case OptionType::Linger: return value.on ? QStringLiteral("on,%1").arg(value.number) : QStringLiteral("off");
    case OptionType::Timeval: return secondsText(value.number);
    case OptionType::String:
    case OptionType::Interface:
    case OptionType::InAddr: return value.text;
    case OptionType::IpMreq:
    case OptionType::Ipv6Mreq: return QStringLiteral("%1,%2").arg(value.text, value.interface);
    case OptionType::Ucred: return fieldsText(value.fields, QLatin1String(" "));
    case OptionType::TcpInfo: return fieldsText(value.fields, QLatin1String(" "));
    }
    return {};
}

QString describeOptionValue(const SocketOption &row, const OptionValue &value)
{
    switch (row.type) {
    case OptionType::Bool: return value.number ? QStringLiteral("1 (on)") : QStringLiteral("0 (off)");
    case OptionType::Int: {
        if (!row.unit)
            return QString::number(value.number);
        QString unit = QString::fromLatin1(row.unit);
        if (value.number == 1 && unit.endsWith(u's') && !unit.contains(u' '))
            unit.chop(1); // "1 byte", "1 probe"
        return QStringLiteral("%1 %2").arg(value.number).arg(unit);
    }
    case OptionType::Errno:
        return value.number == 0 ? QStringLiteral("0 (no error)")
                                 : QStringLiteral("%1 (%2)").arg(value.number).arg(SysError::fromErrno(int(value.number)).name());
    case OptionType::Enum: {
        const QString name = row.enumName(int(value.number));
        if (name.isEmpty() || name == QString::number(value.number))
            return QString::number(value.number);
        return QStringLiteral("%1 (%2)").arg(name).arg(value.number);
    }
    case OptionType::Linger:
        return value.on ? QStringLiteral("on, %1 s").arg(value.number) : QStringLiteral("off");
    case OptionType::Timeval:
        return value.number == 0 ? QStringLiteral("0 (no timeout)") : QStringLiteral("%1 s").arg(secondsText(value.number));
    case OptionType::Interface: return value.text.isEmpty() ? QStringLiteral("(none)") : value.text;
    case OptionType::TcpInfo: {
        QStringList parts;
        for (const OptionField &f : value.fields) {
            if (f.name == u"state" || f.name == u"rtt" || f.name == u"snd_cwnd" || f.name == u"snd_mss")
                parts << QStringLiteral("%1 %2%3").arg(f.name, f.text.isEmpty() ? QString::number(f.value) : f.text,
                                                       f.unit.isEmpty() ? QString() : u' ' + f.unit);
        }
        return parts.join(QLatin1String(", "));
    }
    case OptionType::Ucred: return fieldsText(value.fields, QLatin1String(", "));
    default: return formatOptionValue(row, value);
    }
}

QString pythonOptionArgument(const SocketOption &row, const OptionValue &value)
{
    switch (row.type) {
    case OptionType::Linger: return QStringLiteral("struct.pack(\"ii\", %1, %2)").arg(value.on ? 1 : 0).arg(value.number);
    case OptionType::Timeval:
        return QStringLiteral("struct.pack(\"ll\", %1, %2)").arg(value.number / kMicrosPerSecond).arg(value.number % kMicrosPerSecond);
    case OptionType::String:
    case OptionType::Interface: return QStringLiteral("b%1").arg(pyString(value.text));
    case OptionType::InAddr: return QStringLiteral("socket.inet_aton(%1)").arg(pyString(value.text));
    case OptionType::IpMreq:
        if (value.number == 0)
            return QStringLiteral("socket.inet_aton(%1) + socket.inet_aton(%2)").arg(pyString(value.text), pyString(value.interface));
        return QStringLiteral("socket.inet_aton(%1) + socket.inet_aton(\"0.0.0.0\") + struct.pack(\"@i\", %2)")
            .arg(pyString(value.text), pythonInterfaceIndex(value));
    case OptionType::Ipv6Mreq:
        return QStringLiteral("socket.inet_pton(socket.AF_INET6, %1) + struct.pack(\"@I\", %2)")
            .arg(pyString(value.text), pythonInterfaceIndex(value));
    default: return QString::number(value.number);
    }
}

QString pythonSetsockopt(const QString &var, const SocketOption &row, const OptionValue &value)
{
    return QStringLiteral("%1.setsockopt(socket.%2, socket.%3, %4)")
        .arg(var, row.levelText(), row.nameText(), pythonOptionArgument(row, value));
}

QString pythonGetsockopt(const QString &var, const SocketOption &row)
{
    const QString call = QStringLiteral("%1.getsockopt(socket.%2, socket.%3").arg(var, row.levelText(), row.nameText());
    switch (row.type) {
    case OptionType::Linger: return QStringLiteral("struct.unpack(\"ii\", %1, 8))").arg(call);
    case OptionType::Timeval: return QStringLiteral("struct.unpack(\"ll\", %1, 16))").arg(call);
    case OptionType::Ucred: return QStringLiteral("struct.unpack(\"iII\", %1, 12))").arg(call);
    case OptionType::String:
    case OptionType::Interface: return call + QStringLiteral(", 16)");
    case OptionType::InAddr: return QStringLiteral("socket.inet_ntoa(%1, 4))").arg(call);
    case OptionType::TcpInfo: return call + QStringLiteral(", 256)");
    default: return call + u')';
    }
}

QString pythonOptionResult(const SocketOption &row, const OptionValue &value)
{
    switch (row.type) {
    case OptionType::Linger: return QStringLiteral("(%1, %2)").arg(value.on ? 1 : 0).arg(value.number);
    case OptionType::Timeval: return QStringLiteral("(%1, %2)").arg(value.number / kMicrosPerSecond).arg(value.number % kMicrosPerSecond);
    case OptionType::Ucred: {
        QStringList parts;
        for (const OptionField &f : value.fields)
            parts << QString::number(f.value);
        return QStringLiteral("(%1)").arg(parts.join(QLatin1String(", ")));
    }
    case OptionType::String:
    case OptionType::Interface: return QStringLiteral("b'%1'").arg(value.text);
    case OptionType::InAddr: return QStringLiteral("'%1'").arg(value.text);
    case OptionType::TcpInfo: return QStringLiteral("b'...'  # %1").arg(describeOptionValue(row, value));
    default: return QString::number(value.number);
    }
}

QString optionInputHint(const SocketOption &row)
{
    switch (row.type) {
    case OptionType::Bool: return QStringLiteral("1 or 0");
    case OptionType::Int: return QStringLiteral("a whole number, %1").arg(row.rangeText());
    case OptionType::Enum: return QStringLiteral("one of %1").arg(row.rangeText());
    case OptionType::Linger: return QStringLiteral("off, or on,SECONDS");
    case OptionType::Timeval: return QStringLiteral("seconds, e.g. 2.5 (0 = no timeout)");
    case OptionType::String: return QStringLiteral("an algorithm name, e.g. cubic");
    case OptionType::Interface: return QStringLiteral("an interface name, e.g. lo (empty: none)");
    case OptionType::InAddr: return QStringLiteral("an IPv4 address, e.g. 127.0.0.1");
    case OptionType::IpMreq: return QStringLiteral("GROUP,INTERFACE, e.g. 239.1.2.3,127.0.0.1 or 239.1.2.3,lo");
    case OptionType::Ipv6Mreq: return QStringLiteral("GROUP,INTERFACE, e.g. ff02::1:3,lo");
    default: return QStringLiteral("read-only");
    }
}

} // namespace sockscope::core
