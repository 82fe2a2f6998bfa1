#include "statescommand.h"

#include "cliarguments.h"
#include "clijson.h"
#include "signalwatcher.h"

#include "engine/monotonic.h"
#include "observe/sockdiag.h"
#include "observe/kernelwatch.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QJsonArray>
#include <QTimer>

#include <cstddef>
#include <cstdio>
#include <sys/un.h>

namespace sockscope::cli {

using namespace sockscope::core;

namespace {

// The key order the issue documents, for both commands' JSON.
const QStringList kKeyOrder = {
    QStringLiteral("sockets"), QStringLiteral("t_ns"), QStringLiteral("protocol"), QStringLiteral("from"),
    QStringLiteral("to"), QStringLiteral("state"), QStringLiteral("local"), QStringLiteral("peer"),
    QStringLiteral("recv_q"), QStringLiteral("send_q"), QStringLiteral("timer"), QStringLiteral("expires_ms"),
    QStringLiteral("source"),
};

// As ss writes an endpoint: port 0 (nothing bound or connected yet) is "*"; an unnamed
// Unix socket is "*" too.
QString endpoint(const SocketEntry &e, const Address &a)
{
    if (e.protocol == DiagProtocol::Unix)
        return a.size() > offsetof(sockaddr_un, sun_path) ? a.toString() : QStringLiteral("*");
    const QString text = a.toString();
    if (a.port() != 0)
        return text;
    return text.left(text.lastIndexOf(u':') + 1) + u'*';
}

QJsonObject entryJson(const SocketEntry &e)
{
    return QJsonObject{
        {QStringLiteral("protocol"), diagProtocolName(e.protocol)},
        {QStringLiteral("state"), e.stateName()},
        {QStringLiteral("local"), endpoint(e, e.local)},
        {QStringLiteral("peer"), endpoint(e, e.peer)},
        {QStringLiteral("recv_q"), qint64(e.recvQ)},
        {QStringLiteral("send_q"), qint64(e.sendQ)},
        {QStringLiteral("timer"), diagTimerName(e.timer)},
        {QStringLiteral("expires_ms"), qint64(e.expiresMs)},
    };
}

QString timerText(const SocketEntry &e)
{
    if (e.timer == DiagTimer::Off)
        return {};
    return QStringLiteral("%1 %2s").arg(diagTimerName(e.timer)).arg(e.expiresMs / 1000.0, 0, 'f', 1);
}

void reportFailure(const QString &command, const SysError &err, bool json)
{
    if (json) {
        printJsonLine({{QStringLiteral("event"), QStringLiteral("error")}, {QStringLiteral("error"), errorJson(err)}});
        return;
    }
    std::fprintf(stderr, "sockscope-cli: %s: %s\n", qPrintable(command), qPrintable(err.toString()));
    if (!err.hint().isEmpty())
        std::fprintf(stderr, "hint: %s\n", qPrintable(err.hint()));
}

std::optional<quint16> portOption(const QCommandLineParser &parser, const QString &command, int *exitCode)
{
    if (!parser.isSet(QStringLiteral("port")))
        return std::nullopt;
    auto port = Address::parsePort(parser.value(QStringLiteral("port")));
    if (!port || *port == 0) {
        *exitCode = usageError(command + QStringLiteral(": --port: give a port, 1-65535"));
        return std::nullopt;
    }
    return *port;
}

} // namespace

int runStates(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "One dump of the kernel's socket tables (NETLINK_SOCK_DIAG), like `ss -tuxan`: every "
        "TCP socket (TIME_WAIT, orphaned FIN_WAIT_2 and SYN_RECEIVED request sockets "
        "included), UDP and Unix socket. TCP states are RFC 9293's; a listener's recv_q is "
        "its accept queue and send_q its backlog. Timers: retransmit (ss: on), keepalive, "
        "timewait, persist, off."));
    parser.addHelpOption();
    parser.addOptions({
        {QStringLiteral("port"), QStringLiteral("Only sockets with this port at either end (leaves out Unix sockets)."), QStringLiteral("P")},
        {QStringLiteral("tcp"), QStringLiteral("TCP sockets (default: all three kinds).")},
        {QStringLiteral("udp"), QStringLiteral("UDP sockets.")},
        {QStringLiteral("unix"), QStringLiteral("Unix sockets.")},
        {QStringLiteral("json"), QStringLiteral("One JSON object: {\"sockets\":[...]}.")},
    });
    if (const auto exit = parseCommandLine(parser, arguments, QStringLiteral("states")))
        return *exit;
    if (const auto error = noArgumentsError(parser.positionalArguments()))
        return usageError(QStringLiteral("states: ") + *error);

    int exitCode = ExitOk;
    DiagQuery query;
    query.port = portOption(parser, QStringLiteral("states"), &exitCode);
    if (exitCode != ExitOk)
        return exitCode;
    int protocols = 0;
    if (parser.isSet(QStringLiteral("tcp")))
        protocols |= int(DiagProtocol::Tcp);
    if (parser.isSet(QStringLiteral("udp")))
        protocols |= int(DiagProtocol::Udp);
    if (parser.isSet(QStringLiteral("unix")))
        protocols |= int(DiagProtocol::Unix);
    if (protocols != 0)
        query.protocols = protocols;
    const bool json = parser.isSet(QStringLiteral("json"));

    auto diag = SockDiag::open();
    if (!diag) {
        reportFailure(QStringLiteral("states"), diag.error(), json);
        return ExitCallFailed;
    }
    const auto dump = diag->dump(query);
    if (!dump) {
        reportFailure(QStringLiteral("states"), dump.error(), json);
        return ExitCallFailed;
    }

    if (json) {
        QJsonArray sockets;
        for (const SocketEntry &e : *dump)
            sockets.append(entryJson(e));
        printJsonLine(QJsonObject{{QStringLiteral("sockets"), sockets}}, kKeyOrder);
        return ExitOk;
    }
    std::printf("%-5s %-12s %7s %7s %-28s %-28s %s\n", "Proto", "State", "Recv-Q", "Send-Q", "Local", "Peer", "Timer");
    for (const SocketEntry &e : *dump) {
        std::printf("%-5s %-12s %7u %7u %-28s %-28s %s\n", qPrintable(diagProtocolName(e.protocol)),
                    qPrintable(e.stateName()), e.recvQ, e.sendQ, qPrintable(endpoint(e, e.local)),
                    qPrintable(endpoint(e, e.peer)), qPrintable(timerText(e)));
    }
    return ExitOk;
}

int runWatch(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Print each TCP state change as sock_diag sees it (sampled up to 10 times a second; "
        "faster changes in between are not seen, the capture shows those). The sockets "
        "present at the start are printed first, from null; a socket that leaves the "
        "kernel's table goes to CLOSED. Runs until SIGINT/SIGTERM, --count or --timeout."));
    parser.addHelpOption();
    parser.addOptions({
        {QStringLiteral("port"), QStringLiteral("Only connections with this port at either end (default: every TCP socket)."), QStringLiteral("P")},
        {QStringLiteral("json"), QStringLiteral("One JSON object per line for each change.")},
        {QStringLiteral("count"), QStringLiteral("Exit after N changes."), QStringLiteral("N")},
        {QStringLiteral("timeout"), QStringLiteral("Exit after S seconds."), QStringLiteral("S")},
    });
    if (const auto exit = parseCommandLine(parser, arguments, QStringLiteral("watch")))
        return *exit;
    if (const auto error = noArgumentsError(parser.positionalArguments()))
        return usageError(QStringLiteral("watch: ") + *error);

    int exitCode = ExitOk;
    const std::optional<quint16> port = portOption(parser, QStringLiteral("watch"), &exitCode);
    if (exitCode != ExitOk)
        return exitCode;
    std::optional<qint64> count;
    if (parser.isSet(QStringLiteral("count"))) {
        bool ok = false;
        count = parser.value(QStringLiteral("count")).toLongLong(&ok);
        if (!ok || *count < 1)
            return usageError(QStringLiteral("watch: --count: give a number, 1 or more"));
    }
    std::optional<double> timeout;
    if (parser.isSet(QStringLiteral("timeout"))) {
        timeout = numberIn(parser, QStringLiteral("timeout"), 0, kMaxSeconds);
        if (!timeout)
            return usageError(QStringLiteral("watch: --timeout: give seconds, 0 to %1").arg(qint64(kMaxSeconds)));
    }
    const bool json = parser.isSet(QStringLiteral("json"));

    KernelWatch watcher;
    const KernelWatch::Interest interest = watcher.watchStates(port);
    if (auto first = watcher.sampleNow(); !first) { // sock_diag cannot be opened: say so now
        reportFailure(QStringLiteral("watch"), first.error(), json);
        return ExitCallFailed;
    }
    const qint64 startNs = monotonicNs();
    quint64 seen = 0;
    qint64 printed = 0;
    std::optional<SysError> lastError;
    const auto poll = [&] {
        quint64 missed = 0;
        for (const StateChange &c : watcher.changesSince(seen, &missed)) {
            seen = c.seq;
            if (json) {
                QJsonObject o = entryJson(c.entry);
                o.remove(QStringLiteral("state"));
                o.insert(QStringLiteral("t_ns"), c.timeNs);
                o.insert(QStringLiteral("from"), c.from ? QJsonValue(tcpStateName(*c.from)) : QJsonValue());
                o.insert(QStringLiteral("to"), tcpStateName(c.to));
                o.insert(QStringLiteral("source"), stateSourceName(StateSource::SockDiag));
                printJsonLine(o, kKeyOrder);
            } else {
                std::printf("%+9.3fs  %-28s %-28s %-12s -> %-12s %s\n", double(c.timeNs - startNs) / 1e9,
                            qPrintable(endpoint(c.entry, c.entry.local)), qPrintable(endpoint(c.entry, c.entry.peer)),
                            c.from ? qPrintable(tcpStateName(*c.from)) : "", qPrintable(tcpStateName(c.to)),
                            qPrintable(timerText(c.entry)));
                std::fflush(stdout);
            }
            if (count && ++printed >= *count) {
                QCoreApplication::exit(ExitOk);
                return;
            }
        }
        if (missed && !json)
            std::fprintf(stderr, "sockscope-cli: watch: %llu changes dropped (output too slow)\n", (unsigned long long)missed);
        const auto error = watcher.error();
        if (error && error != lastError)
            reportFailure(QStringLiteral("watch"), *error, json);
        lastError = error;
    };

    QTimer timer;
    QObject::connect(&timer, &QTimer::timeout, poll);
    timer.start(20);
    if (timeout)
        QTimer::singleShot(qint64(*timeout * 1000), [] { QCoreApplication::exit(ExitOk); });
    SignalWatcher termination;
    QObject::connect(&termination, &SignalWatcher::terminationRequested, [] { QCoreApplication::exit(ExitOk); });
    return QCoreApplication::exec();
}

} // namespace sockscope::cli
