#include "multicastoptions.h"

#include "net/multicast.h"

#include <QCommandLineParser>

namespace sockscope::cli {

using namespace sockscope::core;

namespace {

QString familyName(int family)
{
    return family == AF_INET ? QStringLiteral("IPv4") : QStringLiteral("IPv6");
}

} // namespace

QList<QCommandLineOption> joinOptions()
{
    return {{QStringLiteral("join"),
             QStringLiteral("udp: join a multicast group (repeatable), on an interface given by name or index after @, "
                            "e.g. 239.1.2.3@eth0 or ff05::1234@2; bind to the wildcard (0.0.0.0, ::) or the group "
                            "to receive it."),
             QStringLiteral("GROUP[@IFACE]")}};
}

QList<QCommandLineOption> multicastSendOptions()
{
    return {{QStringLiteral("ttl"), QStringLiteral("udp: TTL (IPv6: hop limit) of multicast datagrams, 0-255 (default 1)."),
             QStringLiteral("N")},
            {QStringLiteral("loop"), QStringLiteral("udp: on or off: whether our own multicast comes back to this host's members (default on)."),
             QStringLiteral("on|off")}};
}

std::expected<QList<OptionSetting>, QString> joinSettings(const QCommandLineParser &parser, const QString &command,
                                                          bool udp, int family)
{
    const QStringList joins = parser.values(QStringLiteral("join"));
    if (!joins.isEmpty() && !udp)
        return std::unexpected(command + QStringLiteral(": --join: multicast is for udp"));
    QList<OptionSetting> settings;
    for (const QString &text : joins) {
        const auto request = multicast::parseGroupRequest(text, QStringLiteral("--join"));
        if (!request)
            return std::unexpected(command + QStringLiteral(": --join: ") + request.error().message());
        if (request->family != family)
            return std::unexpected(command + QStringLiteral(": --join: %1 is an %2 group, the socket is %3 (see --bind)")
                                                 .arg(request->group, familyName(request->family), familyName(family)));
        settings << multicast::joinSetting(*request);
    }
    return settings;
}

std::expected<MulticastSend, QString> multicastSendFrom(const QCommandLineParser &parser, const QString &command, bool udp)
{
    MulticastSend send;
    if (parser.isSet(QStringLiteral("ttl"))) {
        if (!udp)
            return std::unexpected(command + QStringLiteral(": --ttl: multicast is for udp"));
        bool ok = false;
        const int ttl = parser.value(QStringLiteral("ttl")).toInt(&ok);
        if (!ok || ttl < 0 || ttl > 255)
            return std::unexpected(command + QStringLiteral(": --ttl: give a number from 0 to 255"));
        send.ttl = ttl;
    }
    if (parser.isSet(QStringLiteral("loop"))) {
        if (!udp)
            return std::unexpected(command + QStringLiteral(": --loop: multicast is for udp"));
        const QString loop = parser.value(QStringLiteral("loop")).toLower();
        if (loop != u"on" && loop != u"off")
            return std::unexpected(command + QStringLiteral(": --loop: give on or off"));
        send.loop = loop == u"on";
    }
    return send;
}

QList<OptionSetting> MulticastSend::settings(int family) const
{
    QList<OptionSetting> out;
    if (ttl)
        out << multicast::hopsSetting(family, *ttl);
    if (loop)
        out << multicast::loopSetting(family, *loop);
    return out;
}

} // namespace sockscope::cli
