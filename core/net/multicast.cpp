#include "multicast.h"

#include <netinet/in.h>

namespace sockscope::core::multicast {

namespace {

bool isGroup(const Address &address)
{
    if (address.family() == AF_INET) {
        const auto *sin = reinterpret_cast<const sockaddr_in *>(address.data());
        return IN_MULTICAST(ntohl(sin->sin_addr.s_addr));
    }
    const auto *sin6 = reinterpret_cast<const sockaddr_in6 *>(address.data());
    return IN6_IS_ADDR_MULTICAST(&sin6->sin6_addr);
}

QString mreqText(const GroupRequest &request)
{
    return request.interface.isEmpty() ? request.group : request.group + u',' + request.interface;
}

} // namespace

std::expected<Address, SysError> parseGroup(QStringView text, const QString &field)
{
    const QStringView trimmed = text.trimmed();
    if (trimmed.isEmpty())
        return std::unexpected(SysError::input(field, QStringLiteral("give a multicast group, e.g. 239.1.2.3 or ff02::4242")));
    auto address = Address::ip(trimmed, 0);
    if (!address || (address->family() != AF_INET && address->family() != AF_INET6))
        return std::unexpected(SysError::input(field, QStringLiteral("\"%1\" is not an IP address").arg(trimmed)));
    if (!isGroup(*address))
        return std::unexpected(SysError::input(
            field, QStringLiteral("\"%1\" is not a multicast group (224.0.0.0/4 or ff00::/8)").arg(trimmed)));
    return address;
}

std::expected<GroupRequest, SysError> parseGroupRequest(QStringView text, const QString &field)
{
    const qsizetype at = text.lastIndexOf(u'@');
    auto group = parseGroup(at < 0 ? text : text.left(at), field);
    if (!group)
        return std::unexpected(group.error());
    GroupRequest request{.group = group->host(), .family = group->family()};
    if (at >= 0) {
        request.interface = text.mid(at + 1).trimmed().toString();
        if (request.interface.isEmpty())
            return std::unexpected(SysError::input(field, QStringLiteral("name the interface after '@' (e.g. @lo)")));
    }
    return request;
}

OptionSetting joinSetting(const GroupRequest &request)
{
    return {request.family == AF_INET ? QStringLiteral("IP_ADD_MEMBERSHIP") : QStringLiteral("IPV6_JOIN_GROUP"),
            mreqText(request)};
}

OptionSetting leaveSetting(const GroupRequest &request)
{
    return {request.family == AF_INET ? QStringLiteral("IP_DROP_MEMBERSHIP") : QStringLiteral("IPV6_LEAVE_GROUP"),
            mreqText(request)};
}

OptionSetting hopsSetting(int family, int hops)
{
    return {family == AF_INET ? QStringLiteral("IP_MULTICAST_TTL") : QStringLiteral("IPV6_MULTICAST_HOPS"),
            QString::number(hops)};
}

OptionSetting loopSetting(int family, bool on)
{
    return {family == AF_INET ? QStringLiteral("IP_MULTICAST_LOOP") : QStringLiteral("IPV6_MULTICAST_LOOP"),
            on ? QStringLiteral("1") : QStringLiteral("0")};
}

} // namespace sockscope::core::multicast
