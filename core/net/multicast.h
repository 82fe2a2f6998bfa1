#pragma once

#include "address.h"
#include "socketoption.h"
#include "syserror.h"

#include <QString>

#include <expected>

namespace sockscope::core::multicast {

// A group to join, as typed: "239.1.2.3", "239.1.2.3@lo", "ff02::4242@2".
struct GroupRequest
{
    QString group;     // numeric, as inet_ntop writes it
    QString interface; // name or index; empty = let the routing table choose
    int family = AF_INET;
    bool operator==(const GroupRequest &) const = default;
};

// A multicast group address of either family (224.0.0.0/4, ff00::/8); anything else is an
// input error naming `field`.
std::expected<Address, SysError> parseGroup(QStringView text, const QString &field);
// GROUP[@IFACE], as `serve udp --join` takes it.
std::expected<GroupRequest, SysError> parseGroupRequest(QStringView text, const QString &field);

// The option-table settings a session applies (each traced as Python writes it):
// IP_ADD_MEMBERSHIP/IP_DROP_MEMBERSHIP (an ip_mreqn when an interface is named) or
// IPV6_JOIN_GROUP/IPV6_LEAVE_GROUP; IP_MULTICAST_TTL/IPV6_MULTICAST_HOPS; *_MULTICAST_LOOP.
OptionSetting joinSetting(const GroupRequest &request);
OptionSetting leaveSetting(const GroupRequest &request);
OptionSetting hopsSetting(int family, int hops);
OptionSetting loopSetting(int family, bool on);

} // namespace sockscope::core::multicast
