#include "nameinfocommand.h"

#include "cliarguments.h"
#include "clijson.h"

#include "net/resolver.h"

#include <QCommandLineParser>

#include <cstdio>

namespace sockscope::cli {

using namespace sockscope::core;

int runNameinfo(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "getnameinfo((ADDRESS, PORT), flags) as Python's socket.getnameinfo: the address must "
        "be numeric (a scope may follow %: fe80::1%lo). Exit 0 on success, 2 on a lookup error "
        "(the EAI_* name is printed), 1 on bad arguments."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("address"), QStringLiteral("numeric IPv4 or IPv6 address"));
    parser.addPositionalArgument(QStringLiteral("port"), QStringLiteral("0 to 65535 (default 0)"),
                                 QStringLiteral("[port]"));
    parser.addOptions({
        {QStringLiteral("flags"),
         QStringLiteral("NI_* flags separated by , or | (NI_NUMERICHOST, NI_NUMERICSERV, NI_NOFQDN, "
                        "NI_NAMEREQD, NI_DGRAM, NI_IDN) or numbers."),
         QStringLiteral("FLAGS")},
        {QStringLiteral("json"), QStringLiteral("One JSON object: {\"host\":...,\"service\":...,\"error\":null}.")},
    });
    if (const auto exit = parseCommandLine(parser, arguments, QStringLiteral("nameinfo")))
        return *exit;

    const QStringList pos = parser.positionalArguments();
    if (pos.isEmpty() || pos.size() > 2)
        return usageError(QStringLiteral("nameinfo: give ADDRESS [PORT] (see nameinfo --help)"));
    // A name or a bad address is getnameinfo's to refuse (EAI_NONAME), as in Python.
    quint16 port = 0;
    if (pos.size() > 1) {
        const auto p = Address::parsePort(pos[1]);
        if (!p)
            return usageError(QStringLiteral("nameinfo: PORT: ") + p.error().message());
        port = *p;
    }
    int flags = 0;
    if (parser.isSet(QStringLiteral("flags"))) {
        const auto f = Resolver::parseFlags(parser.value(QStringLiteral("flags")), Resolver::nameInfoFlags());
        if (!f)
            return usageError(QStringLiteral("nameinfo: --") + f.error().toString());
        flags = *f;
    }

    const auto info = Resolver::getnameinfo(pos[0], port, flags);
    if (parser.isSet(QStringLiteral("json"))) {
        const QJsonObject out{
            {QStringLiteral("host"), info ? QJsonValue(info->host) : QJsonValue(QJsonValue::Null)},
            {QStringLiteral("service"), info ? QJsonValue(info->service) : QJsonValue(QJsonValue::Null)},
            {QStringLiteral("error"), info ? QJsonValue(QJsonValue::Null) : errorJson(info.error())},
        };
        printJsonLine(out, {QStringLiteral("host"), QStringLiteral("service"), QStringLiteral("error"),
                            QStringLiteral("code"), QStringLiteral("name"), QStringLiteral("message"),
                            QStringLiteral("hint")});
        return info ? ExitOk : ExitCallFailed;
    }
    if (!info) {
        std::fprintf(stderr, "sockscope-cli: nameinfo: %s\n", qPrintable(info.error().toString()));
        if (!info.error().hint().isEmpty())
            std::fprintf(stderr, "hint: %s\n", qPrintable(info.error().hint()));
        return ExitCallFailed;
    }
    // A reverse lookup's answer comes from DNS: escape it like any peer bytes.
    std::printf("host: %s\nservice: %s\n", qPrintable(escapedText(info->host.toUtf8())),
                qPrintable(escapedText(info->service.toUtf8())));
    return ExitOk;
}

} // namespace sockscope::cli
