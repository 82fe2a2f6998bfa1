#include "capturecommand.h"

#include "cliarguments.h"
#include "clijson.h"
#include "signalwatcher.h"

#include "observe/capture.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTimer>

#include <cstdio>

namespace sockscope::cli {

using namespace sockscope::core;

namespace {

// The key order the issue documents.
const QStringList kKeyOrder = {
    QStringLiteral("t_ns"), QStringLiteral("src"), QStringLiteral("dst"), QStringLiteral("flags"),
    QStringLiteral("seq"), QStringLiteral("ack"), QStringLiteral("win"), QStringLiteral("len"),
};

QJsonObject segmentJson(const Segment &s)
{
    return QJsonObject{
        {QStringLiteral("t_ns"), s.tNs},
        {QStringLiteral("src"), s.src.toString()},
        {QStringLiteral("dst"), s.dst.toString()},
        {QStringLiteral("flags"), s.flagsText()},
        {QStringLiteral("seq"), qint64(s.seq)},
        {QStringLiteral("ack"), qint64(s.ack)},
        {QStringLiteral("win"), int(s.win)},
        {QStringLiteral("len"), qint64(s.len)},
    };
}

// tcpdump's line, with the time relative to the first segment.
QString segmentText(const Segment &s, qint64 firstNs)
{
    QString line = QStringLiteral("%1 %2 > %3 Flags [%4], seq %5")
                       .arg(double(s.tNs - firstNs) / 1e9, 10, 'f', 6)
                       .arg(s.src.toString(), s.dst.toString(), s.flagsText())
                       .arg(s.seq);
    if (s.has(TcpFlag::Ack))
        line += QStringLiteral(", ack %1").arg(s.ack);
    line += QStringLiteral(", win %1").arg(s.win);
    QStringList options;
    if (s.mss)
        options << QStringLiteral("mss %1").arg(*s.mss);
    if (s.sackPermitted)
        options << QStringLiteral("sackOK");
    if (s.windowScale)
        options << QStringLiteral("wscale %1").arg(*s.windowScale);
    if (!options.isEmpty())
        line += QStringLiteral(", options [%1]").arg(options.join(QStringLiteral(",")));
    return line + QStringLiteral(", length %1").arg(s.len);
}

void reportFailure(const SysError &err, bool json)
{
    if (json) {
        printJsonLine({{QStringLiteral("event"), QStringLiteral("error")}, {QStringLiteral("error"), errorJson(err)}});
        return;
    }
    std::fprintf(stderr, "sockscope-cli: capture: %s\n", qPrintable(err.toString()));
    if (!err.hint().isEmpty())
        std::fprintf(stderr, "hint: %s\n", qPrintable(err.hint()));
}

} // namespace

int runCapture(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Print the TCP segments to or from a port as they cross the wire, one line each, like "
        "tcpdump: flags (S SYN, F FIN, P PSH, R RST, U URG, . ACK), seq and ack relative to each "
        "side's first sequence number, the window field, the payload length. JSON lines: "
        "{\"t_ns\",\"src\",\"dst\",\"flags\",\"seq\",\"ack\",\"win\",\"len\"}, t_ns on CLOCK_MONOTONIC "
        "(the clock of `watch`). The capture runs in sockscope-capture, which needs CAP_NET_RAW "
        "(setcap cap_net_raw+ep sockscope-capture). A line on stderr says when it is listening. "
        "Runs until SIGINT/SIGTERM, --count or --timeout."));
    parser.addHelpOption();
    parser.addOptions({
        {QStringLiteral("port"), QStringLiteral("The port of the flow (either end; required)."), QStringLiteral("P")},
        {QStringLiteral("host"), QStringLiteral("Only segments to or from this numeric address (repeatable, twice at most)."), QStringLiteral("ADDR")},
        {QStringLiteral("interface"), QStringLiteral("Capture on this interface (default lo)."), QStringLiteral("IF")},
        {QStringLiteral("count"), QStringLiteral("Exit after N segments."), QStringLiteral("N")},
        {QStringLiteral("timeout"), QStringLiteral("Exit after S seconds."), QStringLiteral("S")},
        {QStringLiteral("json"), QStringLiteral("One JSON object per line for each segment.")},
    });
    if (const auto exit = parseCommandLine(parser, arguments, QStringLiteral("capture")))
        return *exit;
    if (const auto error = noArgumentsError(parser.positionalArguments()))
        return usageError(QStringLiteral("capture: ") + *error);
    if (!parser.isSet(QStringLiteral("port")))
        return usageError(QStringLiteral("capture: --port: give the port of the flow"));

    CaptureFilter filter;
    const auto port = Address::parsePort(parser.value(QStringLiteral("port")));
    auto added = port ? filter.addPort(*port) : std::unexpected(port.error());
    if (!added)
        return usageError(QStringLiteral("capture: --port: ") + added.error().detail());
    for (const QString &text : parser.values(QStringLiteral("host"))) {
        const auto host = Address::ip(text, 0);
        const auto r = host ? filter.addHost(*host) : std::unexpected(host.error());
        if (!r)
            return usageError(QStringLiteral("capture: --host: ") + r.error().detail());
    }
    if (parser.isSet(QStringLiteral("interface"))) {
        if (const auto r = filter.setInterface(parser.value(QStringLiteral("interface"))); !r)
            return usageError(QStringLiteral("capture: --interface: ") + r.error().detail());
    }
    qint64 count = 0;
    if (parser.isSet(QStringLiteral("count"))) {
        bool ok = false;
        count = parser.value(QStringLiteral("count")).toLongLong(&ok);
        if (!ok || count < 1)
            return usageError(QStringLiteral("capture: --count: give a number, 1 or more"));
    }
    std::optional<double> timeout;
    if (parser.isSet(QStringLiteral("timeout"))) {
        timeout = numberIn(parser, QStringLiteral("timeout"), 0, kMaxSeconds);
        if (!timeout)
            return usageError(QStringLiteral("capture: --timeout: give seconds, 0 to %1").arg(qint64(kMaxSeconds)));
    }
    const bool json = parser.isSet(QStringLiteral("json"));

    Capture capture;
    qsizetype printed = 0;
    int exitCode = ExitOk;
    bool stopping = false;
    const auto finish = [&](int code) {
        exitCode = code;
        if (stopping)
            return;
        stopping = true;
        if (capture.status() == Capture::Status::Capturing || capture.status() == Capture::Status::Starting)
            capture.stop(); // finished() ends the loop once the helper is gone
        else
            QCoreApplication::exit(code);
    };
    QObject::connect(&capture, &Capture::ready, [&] {
        std::fprintf(stderr, "sockscope-cli: capture: listening on %s (%s)\n",
                     qPrintable(capture.snapshot().interfaceName), qPrintable(capture.snapshot().filter));
        std::fflush(stderr);
    });
    QObject::connect(&capture, &Capture::segmentsAdded, [&](qsizetype first, qsizetype n) {
        const QList<Segment> &all = capture.segments();
        for (qsizetype i = first; i < first + n && !(count && printed >= count); ++i, ++printed) {
            if (json) {
                printJsonLine(segmentJson(all[i]), kKeyOrder);
            } else {
                std::printf("%s\n", qPrintable(segmentText(all[i], all.first().tNs)));
                std::fflush(stdout);
            }
        }
        if (count && printed >= count)
            finish(ExitOk);
    });
    QObject::connect(&capture, &Capture::failed, [&](const SysError &error) {
        reportFailure(error, json);
        exitCode = error.domain() == SysError::Domain::Input ? ExitUsage : ExitCallFailed;
    });
    QObject::connect(&capture, &Capture::finished, [&] {
        if (capture.status() != Capture::Status::Failed && capture.snapshot().kernelDropped > 0 && !json)
            std::fprintf(stderr, "sockscope-cli: capture: %llu packets dropped by the kernel\n",
                         (unsigned long long)capture.snapshot().kernelDropped);
        QCoreApplication::exit(exitCode);
    });

    if (const auto started = capture.start(filter); !started) {
        reportFailure(started.error(), json);
        return ExitCallFailed;
    }
    if (timeout)
        QTimer::singleShot(qint64(*timeout * 1000), [&] { finish(ExitOk); });
    SignalWatcher termination;
    QObject::connect(&termination, &SignalWatcher::terminationRequested, [&] { finish(ExitOk); });
    return QCoreApplication::exec();
}

} // namespace sockscope::cli
