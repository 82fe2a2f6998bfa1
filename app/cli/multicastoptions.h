#pragma once

#include "net/socketoption.h"

#include <QCommandLineOption>
#include <QList>
#include <QString>

#include <expected>
#include <optional>

class QCommandLineParser;

namespace sockscope::cli {

// serve udp --join GROUP[@IFACE] (repeatable): joined in order, before bind().
QList<QCommandLineOption> joinOptions();
// connect udp --ttl N --loop on|off: IP_MULTICAST_TTL / IPV6_MULTICAST_HOPS and *_MULTICAST_LOOP.
QList<QCommandLineOption> multicastSendOptions();

// The settings for a socket of `family` (a udp one: `udp` false with any of them set is an
// error). Errors name the option and are ready for usageError() ("serve: --join: ...").
std::expected<QList<core::OptionSetting>, QString> joinSettings(const QCommandLineParser &parser, const QString &command,
                                                                bool udp, int family);
// --ttl and --loop as given, checked before anything is resolved; the settings once the
// family is known.
struct MulticastSend
{
    std::optional<int> ttl;
    std::optional<bool> loop;
    QList<core::OptionSetting> settings(int family) const;
};
std::expected<MulticastSend, QString> multicastSendFrom(const QCommandLineParser &parser, const QString &command, bool udp);

} // namespace sockscope::cli
