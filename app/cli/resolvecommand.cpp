#include "resolvecommand.h"

#include "cliarguments.h"
#include "clijson.h"

#include "engine/monotonic.h"
#include "net/resolver.h"

#include <QCommandLineParser>
#include <QJsonArray>

#include <cstdio>

namespace sockscope::cli {

using namespace sockscope::core;

namespace {

struct Named
{
    const char *name;
    int value;
};

constexpr Named kFamilies[] = {
    {"unspec", AF_UNSPEC}, {"inet", AF_INET}, {"inet6", AF_INET6}, {"unix", AF_UNIX},
};
constexpr Named kTypes[] = {
    {"any", 0}, {"stream", SOCK_STREAM}, {"dgram", SOCK_DGRAM}, {"raw", SOCK_RAW}, {"seqpacket", SOCK_SEQPACKET},
};

// "inet6", "AF_INET6" or a number (an unsupported family is for getaddrinfo to refuse).
std::optional<int> parseNamed(const QString &text, std::span<const Named> table, const QString &prefix)
{
    for (const Named &n : table) {
        if (text.compare(QLatin1String(n.name), Qt::CaseInsensitive) == 0
            || text.compare(prefix + QLatin1String(n.name), Qt::CaseInsensitive) == 0)
            return n.value;
    }
    bool ok = false;
    const int value = text.toInt(&ok, 0);
    return ok ? std::optional<int>(value) : std::nullopt;
}

std::optional<int> parseProtocol(const QString &text)
{
    bool ok = false;
    const int value = text.toInt(&ok, 0);
    if (ok)
        return value;
    // /etc/protocols: a local file, no lookup leaves the machine.
    if (const auto entry = Resolver::getprotobyname(text))
        return entry->number;
    return std::nullopt;
}

std::optional<QString> nullable(const QString &text)
{
    return text == u"-" ? std::nullopt : std::optional<QString>(text);
}

QJsonObject rowJson(const AddrInfo &row)
{
    return {
        {QStringLiteral("family"), familyName(row.family)},
        {QStringLiteral("socktype"), socketTypeName(row.socktype)},
        {QStringLiteral("protocol"), row.protocol},
        {QStringLiteral("canonname"), row.canonname},
        // As Python gives it: the scope is in scope_id, not appended as "%lo".
        {QStringLiteral("address"), row.address.host().section(u'%', 0, 0)},
        {QStringLiteral("port"), row.address.port()},
        {QStringLiteral("flowinfo"), qint64(row.address.flowInfo())},
        {QStringLiteral("scope_id"), qint64(row.address.scopeId())},
    };
}

void printTable(const QList<AddrInfo> &rows)
{
    std::printf("%-3s %-9s %-15s %-5s %-28s %-5s %-8s %-8s %s\n", "#", "family", "socktype", "proto", "address",
                "port", "flowinfo", "scope_id", "canonname");
    int n = 0;
    for (const AddrInfo &row : rows) {
        std::printf("%-3d %-9s %-15s %-5d %-28s %-5u %-8u %-8u %s\n", ++n, qPrintable(familyName(row.family)),
                    qPrintable(socketTypeName(row.socktype)), row.protocol, qPrintable(row.address.host()),
                    unsigned(row.address.port()), unsigned(row.address.flowInfo()), unsigned(row.address.scopeId()),
                    qPrintable(escapedText(row.canonname.toUtf8())));
    }
}

} // namespace

int runResolve(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "getaddrinfo(HOST, SERVICE, hints): every row in the order the system returned it. "
        "\"-\" for HOST or SERVICE passes NULL. Exit 0 on success, 2 on a lookup error (the "
        "EAI_* name is printed), 1 on bad arguments."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("host"), QStringLiteral("name or numeric address, or - for NULL"));
    parser.addPositionalArgument(QStringLiteral("service"), QStringLiteral("port or service name, or - for NULL"),
                                 QStringLiteral("[service]"));
    parser.addOptions({
        {QStringLiteral("family"), QStringLiteral("unspec (default), inet, inet6, or a number."), QStringLiteral("F")},
        {QStringLiteral("type"), QStringLiteral("any (default), stream, dgram, raw, seqpacket, or a number."),
         QStringLiteral("T")},
        {QStringLiteral("proto"), QStringLiteral("A protocol number or name from /etc/protocols (tcp, udp)."),
         QStringLiteral("P")},
        {QStringLiteral("flags"),
         QStringLiteral("AI_* flags separated by , or | (AI_PASSIVE, AI_CANONNAME, AI_NUMERICHOST, "
                        "AI_NUMERICSERV, AI_V4MAPPED, AI_ALL, AI_ADDRCONFIG, AI_IDN, AI_CANONIDN) or numbers."),
         QStringLiteral("FLAGS")},
        {QStringLiteral("json"), QStringLiteral("One JSON object: {\"results\":[...],\"error\":null}.")},
    });
    if (const auto exit = parseCommandLine(parser, arguments, QStringLiteral("resolve")))
        return *exit;

    const QStringList pos = parser.positionalArguments();
    if (pos.isEmpty() || pos.size() > 2)
        return usageError(QStringLiteral("resolve: give HOST [SERVICE] (see resolve --help)"));
    // HOST and SERVICE go to getaddrinfo() as typed, as Python passes them: "", "99999"
    // (wrapped to 4464) and "-1" are its to answer, and tst_resolvecli holds us to Python.

    AddrInfoHints hints;
    if (parser.isSet(QStringLiteral("family"))) {
        const auto f = parseNamed(parser.value(QStringLiteral("family")), kFamilies, QStringLiteral("AF_"));
        if (!f)
            return usageError(QStringLiteral("resolve: --family: give unspec, inet, inet6 or a number"));
        hints.family = *f;
    }
    if (parser.isSet(QStringLiteral("type"))) {
        const auto t = parseNamed(parser.value(QStringLiteral("type")), kTypes, QStringLiteral("SOCK_"));
        if (!t)
            return usageError(QStringLiteral("resolve: --type: give any, stream, dgram, raw, seqpacket or a number"));
        hints.socktype = *t;
    }
    if (parser.isSet(QStringLiteral("proto"))) {
        const auto p = parseProtocol(parser.value(QStringLiteral("proto")));
        if (!p)
            return usageError(QStringLiteral("resolve: --proto: give a number or a name from /etc/protocols"));
        hints.protocol = *p;
    }
    if (parser.isSet(QStringLiteral("flags"))) {
        const auto flags = Resolver::parseFlags(parser.value(QStringLiteral("flags")), Resolver::addrInfoFlags());
        if (!flags)
            return usageError(QStringLiteral("resolve: --") + flags.error().toString());
        hints.flags = *flags;
    }

    const std::optional<QString> host = nullable(pos[0]);
    const std::optional<QString> service = pos.size() > 1 ? nullable(pos[1]) : std::nullopt;
    const bool json = parser.isSet(QStringLiteral("json"));

    const qint64 start = monotonicNs();
    const auto rows = Resolver::getaddrinfo(host, service, hints);
    const qint64 elapsedNs = monotonicNs() - start;

    if (json) {
        QJsonArray results;
        for (const AddrInfo &row : rows.value_or(QList<AddrInfo>()))
            results.append(rowJson(row));
        const QJsonObject out{
            {QStringLiteral("results"), results},
            {QStringLiteral("error"), rows ? QJsonValue(QJsonValue::Null) : errorJson(rows.error())},
        };
        printJsonLine(out, {QStringLiteral("results"), QStringLiteral("error"), QStringLiteral("family"),
                            QStringLiteral("socktype"), QStringLiteral("protocol"), QStringLiteral("canonname"),
                            QStringLiteral("address"), QStringLiteral("port"), QStringLiteral("flowinfo"),
                            QStringLiteral("scope_id"), QStringLiteral("code"), QStringLiteral("name"),
                            QStringLiteral("message"), QStringLiteral("hint")});
        return rows ? ExitOk : ExitCallFailed;
    }

    std::printf("%s\n", qPrintable(Resolver::pythonGetaddrinfo(host, service, hints)));
    if (!rows) {
        std::fprintf(stderr, "sockscope-cli: resolve: %s\n", qPrintable(rows.error().toString()));
        if (!rows.error().hint().isEmpty())
            std::fprintf(stderr, "hint: %s\n", qPrintable(rows.error().hint()));
        return ExitCallFailed;
    }
    printTable(*rows);
    std::printf("%lld row%s in %.3f ms\n", qlonglong(rows->size()), rows->size() == 1 ? "" : "s",
                double(elapsedNs) / 1e6);
    return ExitOk;
}

} // namespace sockscope::cli
