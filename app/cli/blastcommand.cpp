#include "blastcommand.h"

#include "cliarguments.h"
#include "clijson.h"
#include "signalwatcher.h"

#include "engine/blaster.h"
#include "net/resolver.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QMetaObject>

#include <cstdio>
#include <thread>

namespace sockscope::cli {

using namespace sockscope::core;

namespace {

constexpr double kMaxRate = 1e9; // datagrams a second: beyond any link
constexpr double kMaxMbit = 1e6;  // a terabit

// A number > 0 and at most `max` from an option, nullopt when it is not one.
std::optional<double> positive(const QCommandLineParser &parser, const QString &name, double max)
{
    const auto value = numberIn(parser, name, 0, max);
    return value && *value > 0 ? value : std::nullopt;
}

} // namespace

int runBlast(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "A traffic generator: sends SIZE-byte datagrams (udp) or writes (tcp) to HOST PORT, paced in microseconds "
        "(--rate or --mbit) or flat out, until --count went or --duration passed (default 10 s), or SIGINT/SIGTERM. "
        "Prints what went: packets, bytes, seconds, pps, Mbit/s, errors. UDP flat out goes in batches of 64 "
        "datagrams per sendmmsg()."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("protocol"), QStringLiteral("tcp or udp"));
    parser.addPositionalArgument(QStringLiteral("host"), QStringLiteral("name or address"));
    parser.addPositionalArgument(QStringLiteral("port"), QStringLiteral("port number or service name"));
    parser.addOptions({
        {QStringLiteral("size"), QStringLiteral("Bytes per datagram or write (default 64)."), QStringLiteral("N"), QStringLiteral("64")},
        {QStringLiteral("rate"), QStringLiteral("Datagrams (writes) per second; default: flat out."), QStringLiteral("PPS")},
        {QStringLiteral("mbit"), QStringLiteral("Payload Mbit/s instead of --rate."), QStringLiteral("M")},
        {QStringLiteral("count"), QStringLiteral("Stop after N datagrams (writes)."), QStringLiteral("N")},
        {QStringLiteral("duration"), QStringLiteral("Stop after S seconds (default 10 when --count is not given)."), QStringLiteral("S")},
        {QStringLiteral("json"), QStringLiteral("The result as one JSON object.")},
    });
    if (const auto exit = parseCommandLine(parser, arguments, QStringLiteral("blast")))
        return *exit;

    const QStringList pos = parser.positionalArguments();
    if (pos.size() != 3)
        return usageError(QStringLiteral("blast: give tcp|udp HOST PORT (see blast --help)"));
    if (const auto error = protocolError(pos[0]))
        return usageError(QStringLiteral("blast: ") + *error);
    const bool tcp = pos[0] == u"tcp";
    BlastSpec spec;
    spec.type = tcp ? SOCK_STREAM : SOCK_DGRAM;
    bool ok = false;
    spec.size = parser.value(QStringLiteral("size")).toLongLong(&ok);
    // A UDP datagram over IPv4 carries at most 65,507 bytes; a TCP write may be any size
    // (capped so the one buffer stays reasonable).
    const qsizetype maxSize = tcp ? 64 * 1024 * 1024 : 65507;
    if (!ok || spec.size < (tcp ? 1 : 0) || spec.size > maxSize)
        return usageError(QStringLiteral("blast: --size: give bytes, %1 to %2").arg(tcp ? 1 : 0).arg(maxSize));
    if (parser.isSet(QStringLiteral("rate")) && parser.isSet(QStringLiteral("mbit")))
        return usageError(QStringLiteral("blast: give --rate or --mbit, not both"));
    if (parser.isSet(QStringLiteral("rate"))) {
        const auto rate = positive(parser, QStringLiteral("rate"), kMaxRate);
        if (!rate)
            return usageError(QStringLiteral("blast: --rate: give datagrams per second, more than 0 and at most %1").arg(qint64(kMaxRate)));
        spec.rate = *rate;
    }
    if (parser.isSet(QStringLiteral("mbit"))) {
        const auto mbit = positive(parser, QStringLiteral("mbit"), kMaxMbit);
        if (!mbit || spec.size == 0)
            return usageError(QStringLiteral("blast: --mbit: give Mbit/s, more than 0 and at most %1, with a --size above 0").arg(qint64(kMaxMbit)));
        spec.mbit = *mbit;
    }
    if (parser.isSet(QStringLiteral("count"))) {
        spec.count = parser.value(QStringLiteral("count")).toLongLong(&ok);
        if (!ok || spec.count <= 0)
            return usageError(QStringLiteral("blast: --count: give a number, 1 or more"));
    }
    if (parser.isSet(QStringLiteral("duration"))) {
        const auto duration = positive(parser, QStringLiteral("duration"), kMaxSeconds);
        if (!duration)
            return usageError(QStringLiteral("blast: --duration: give seconds, more than 0 and at most %1").arg(qint64(kMaxSeconds)));
        spec.seconds = *duration;
    } else if (spec.count == 0) {
        spec.seconds = 10;
    }
    if (const auto error = hostError(pos[1]))
        return usageError(QStringLiteral("blast: ") + *error);
    if (const auto error = portError(QStringLiteral("PORT"), pos[2], pos[0]))
        return usageError(QStringLiteral("blast: ") + *error);
    const bool json = parser.isSet(QStringLiteral("json"));
    auto fail = [&](const SysError &err) { return reportCallError("blast", err, json); };
    AddrInfoHints hints;
    hints.socktype = spec.type;
    auto resolved = Resolver::getaddrinfo(pos[1], pos[2], hints);
    if (!resolved)
        return fail(resolved.error());
    spec.to = resolved->first().address;

    // The sender has a thread of its own; this one waits for it or for a signal to stop it.
    std::atomic<bool> stop{false};
    std::expected<BlastResult, SysError> result = std::unexpected(SysError::fromErrno(EINTR));
    std::thread sender([&] {
        result = Blaster::run(spec, stop);
        QMetaObject::invokeMethod(QCoreApplication::instance(), [] { QCoreApplication::exit(ExitOk); }, Qt::QueuedConnection);
    });
    SignalWatcher watcher;
    QObject::connect(&watcher, &SignalWatcher::terminationRequested, [&](int) { stop = true; });
    QCoreApplication::exec();
    sender.join();
    if (!result)
        return fail(result.error());

    const BlastResult &r = *result;
    const QString what = tcp ? QStringLiteral("writes") : QStringLiteral("datagrams");
    if (json) {
        printJsonLine({{QStringLiteral("event"), QStringLiteral("blast")},
                       {QStringLiteral("protocol"), pos[0]},
                       {QStringLiteral("to"), spec.to.toString()},
                       {QStringLiteral("size"), spec.size},
                       {QStringLiteral("packets"), r.packets},
                       {QStringLiteral("bytes"), r.bytes},
                       {QStringLiteral("seconds"), r.seconds},
                       {QStringLiteral("pps"), r.pps()},
                       {QStringLiteral("mbit_per_s"), r.mbit()},
                       {QStringLiteral("errors"), r.errors},
                       {QStringLiteral("first_error"), r.firstError ? errorJson(*r.firstError) : QJsonValue()}});
    } else {
        std::printf("blast %s to %s: %lld %s, %lld bytes in %.3f s: %.0f pps, %.2f Mbit/s, %lld errors%s\n", qPrintable(pos[0]),
                    qPrintable(spec.to.toString()), (long long)r.packets, qPrintable(what), (long long)r.bytes, r.seconds, r.pps(),
                    r.mbit(), (long long)r.errors,
                    r.firstError ? qPrintable(QStringLiteral(" (first: %1)").arg(r.firstError->toString())) : "");
    }
    return ExitOk;
}

} // namespace sockscope::cli
