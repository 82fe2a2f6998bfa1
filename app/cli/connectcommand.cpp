#include "connectcommand.h"

#include "cliarguments.h"
#include "clijson.h"
#include "eventprinter.h"
#include "multicastoptions.h"
#include "optionscommand.h"
#include "scriptoptions.h"
#include "signalwatcher.h"

#include "engine/scriptrunner.h"
#include "engine/sessionmanager.h"
#include "net/payloadcodec.h"
#include "net/resolver.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTimer>

#include <cstdio>

namespace sockscope::cli {

using namespace sockscope::core;

namespace {

constexpr qsizetype kRawWindowBytes = 64 * 1024 * 1024;

void reportFailure(const SysError &err, bool json)
{
    reportCallError("connect", err, json);
}

// Runs the steps on this thread's event loop (the runner pulls the session, as the poll
// below does for plain connect); one line on stderr per step (with --json, a "step"
// event on stdout), the failing one naming what arrived.
int runScript(SessionManager &sessions, SessionId id, const ScriptSettings &settings, EventPrinter &printer, bool json)
{
    ScriptRunner runner(sessions, id, settings.script, settings.framing);
    int exitCode = ExitOk;
    QObject::connect(&runner, &ScriptRunner::stepFinished, [&](const ScriptRunner::StepOutcome &outcome) {
        printer.poll();
        if (json) {
            printJsonLine(QJsonObject{{QStringLiteral("event"), QStringLiteral("step")},
                                      {QStringLiteral("step"), outcome.step + 1},
                                      {QStringLiteral("text"), settings.script.steps()[outcome.step].toString()},
                                      {QStringLiteral("pass"), outcome.pass},
                                      {QStringLiteral("ok"), outcome.ok},
                                      {QStringLiteral("detail"), outcome.detail},
                                      {QStringLiteral("elapsed_ms"), outcome.elapsedMs}});
            if (outcome.ok)
                return;
        }
        const QString line = ScriptRunner::describe(settings.script, outcome);
        std::fprintf(stderr, "%s%s\n", outcome.ok ? "" : "sockscope-cli: connect: ", qPrintable(line));
        std::fflush(stderr);
    });
    QObject::connect(&runner, &ScriptRunner::finished, [&](ScriptRunner::State state) {
        exitCode = state == ScriptRunner::State::Passed ? ExitOk : ExitScriptFailed;
        QCoreApplication::exit(exitCode);
    });
    QTimer poll;
    QObject::connect(&poll, &QTimer::timeout, [&] { printer.poll(); });
    poll.start(10);
    SignalWatcher watcher;
    QObject::connect(&watcher, &SignalWatcher::terminationRequested, [&] {
        std::fprintf(stderr, "sockscope-cli: connect: stopped at step %d\n", runner.currentStep() + 1);
        runner.stop(); // finished(): the script did not pass
    });
    // Inside the loop: a script that ends at once must find the loop running to exit it.
    QTimer::singleShot(0, &runner, &ScriptRunner::run);
    QCoreApplication::exec();

    sessions.close(id);
    sessions.waitFor(id, [](const SessionInfo &i) { return i.state == SessionState::Closed; }, std::chrono::seconds(2));
    printer.finish();
    return exitCode;
}

} // namespace

int runConnect(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Connect to HOST PORT (every getaddrinfo result in turn, like create_connection), "
        "send, and copy what arrives to stdout unchanged; status, and the totals and SHA-256 at the end, go to stderr. Ends when "
        "the peer closes, on --idle, or on SIGINT/SIGTERM. With --step, runs the send script and ends "
        "after its last step. Exit 0 on success, 2 when a call fails (the errno is named), 3 when a "
        "script step fails, 1 on bad arguments."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("protocol"), QStringLiteral("tcp or udp"));
    parser.addPositionalArgument(QStringLiteral("host"), QStringLiteral("name or address"));
    parser.addPositionalArgument(QStringLiteral("port"), QStringLiteral("port number or service name"));
    parser.addOptions({
        {QStringLiteral("send"), QStringLiteral("Text to send once connected."), QStringLiteral("TEXT")},
        {QStringLiteral("send-hex"), QStringLiteral("Bytes to send, as hex (spaces and colons allowed)."), QStringLiteral("HEX")},
        {QStringLiteral("shutdown-write"), QStringLiteral("shutdown(SHUT_WR) after sending: the peer reads EOF.")},
        {QStringLiteral("timeout"), QStringLiteral("TCP: connect timeout per address; UDP: how long to wait for replies (seconds, default 10 / 2)."), QStringLiteral("S")},
        {QStringLiteral("idle"), QStringLiteral("Exit after S seconds with nothing received (default: wait for the peer to close)."), QStringLiteral("S")},
        {QStringLiteral("json"), QStringLiteral("One JSON object per line for each event, data included.")},
    });
    parser.addOptions(scriptOptions());
    parser.addOption(optOption());
    parser.addOptions(multicastSendOptions());
    parser.addOptions(EventPrinter::options());
    if (const auto exit = parseCommandLine(parser, arguments, QStringLiteral("connect")))
        return *exit;

    const QStringList pos = parser.positionalArguments();
    if (pos.size() != 3)
        return usageError(QStringLiteral("connect: give tcp|udp HOST PORT (see connect --help)"));
    if (const auto error = protocolError(pos[0]))
        return usageError(QStringLiteral("connect: ") + *error);
    const bool tcp = pos[0] == u"tcp";
    auto options = optSettings(parser, tcp ? SOCK_STREAM : SOCK_DGRAM);
    if (!options)
        return usageError(QStringLiteral("connect: ") + options.error());
    const auto multicastSend = multicastSendFrom(parser, QStringLiteral("connect"), !tcp);
    if (!multicastSend)
        return usageError(multicastSend.error());
    const bool json = parser.isSet(QStringLiteral("json"));
    const auto output = EventPrinter::settingsFrom(parser);
    if (!output)
        return usageError(QStringLiteral("connect: ") + output.error());
    if (const auto error = hostError(pos[1]))
        return usageError(QStringLiteral("connect: ") + *error);
    if (const auto error = portError(QStringLiteral("PORT"), pos[2], pos[0]))
        return usageError(QStringLiteral("connect: ") + *error);
    const auto script = scriptFrom(parser, QStringLiteral("connect"), tcp);
    if (!script)
        return usageError(script.error());
    if (*script) {
        for (const char *other : {"send", "send-hex", "shutdown-write", "idle"}) {
            if (parser.isSet(QString::fromLatin1(other)))
                return usageError(QStringLiteral("connect: --%1: not with --step (give it as a step: send:TEXT, sendhex:HEX, "
                                                 "shutdown, sleep:MS)").arg(QString::fromLatin1(other)));
        }
    }
    if (parser.isSet(QStringLiteral("send")) && parser.isSet(QStringLiteral("send-hex")))
        return usageError(QStringLiteral("connect: give --send or --send-hex, not both"));

    std::optional<QByteArray> payload;
    if (parser.isSet(QStringLiteral("send")))
        payload = parser.value(QStringLiteral("send")).toUtf8();
    if (parser.isSet(QStringLiteral("send-hex"))) {
        auto hex = PayloadCodec::parseHex(parser.value(QStringLiteral("send-hex")), QStringLiteral("--send-hex"));
        if (!hex)
            return usageError(QStringLiteral("connect: ") + hex.error().toString());
        payload = *std::move(hex);
    }
    const auto timeout = parser.isSet(QStringLiteral("timeout")) ? numberIn(parser, QStringLiteral("timeout"), 0, kMaxSeconds)
                                                                 : std::optional<double>(tcp ? 10.0 : 2.0);
    if (!timeout)
        return usageError(QStringLiteral("connect: --timeout: give seconds, 0 to %1").arg(qint64(kMaxSeconds)));
    std::optional<double> idle;
    if (parser.isSet(QStringLiteral("idle"))) {
        idle = numberIn(parser, QStringLiteral("idle"), 0, kMaxSeconds);
        if (!idle)
            return usageError(QStringLiteral("connect: --idle: give seconds, 0 to %1").arg(qint64(kMaxSeconds)));
    }
    if (!tcp && !idle)
        idle = *timeout;

    AddrInfoHints hints;
    hints.socktype = tcp ? SOCK_STREAM : SOCK_DGRAM;
    auto resolved = Resolver::getaddrinfo(pos[1], pos[2], hints);
    if (!resolved) {
        reportFailure(resolved.error(), json);
        return ExitCallFailed;
    }

    SessionManager sessions;
    SessionId id = 0;
    if (tcp) {
        ConnectSpec spec;
        for (const AddrInfo &row : *resolved)
            spec.candidates.append(row.address);
        spec.timeoutMs = int(*timeout * 1000);
        spec.options = *options;
        spec.digest = output->digest;
        id = sessions.connect(spec);
    } else {
        DatagramSpec spec;
        spec.family = resolved->first().family;
        spec.connectTo = resolved->first().address;
        *options += multicastSend->settings(spec.family);
        spec.options = *options;
        spec.digest = output->digest;
        id = sessions.openDatagram(spec);
    }
    // stdout must carry every byte received: a larger window than the GUI's gives the
    // 10 ms poll room when the peer sends fast (a record dropped unprinted is reported).
    if (auto traffic = sessions.mutableTraffic(id))
        traffic->setCapacity(kRawWindowBytes);

    EventPrinter printer(sessions, json ? EventPrinter::Style::Json : EventPrinter::Style::RawData, *output);
    printer.follow(id);

    const auto opened = sessions.waitFor(id, [](const SessionInfo &i) {
        return i.state == SessionState::Connected || i.state == SessionState::Bound || i.state == SessionState::Closed;
    }, std::chrono::milliseconds(qint64(*timeout * 1000) * std::max<qsizetype>(1, resolved->size()) + 2000));
    printer.poll();
    if (!opened || opened->state == SessionState::Closed || opened->state == SessionState::Connecting) {
        reportFailure(opened && opened->error ? *opened->error : SysError::fromErrno(ETIMEDOUT), json);
        return ExitCallFailed;
    }
    printOptionReadback(sessions, id, *options, json, stderr);

    if (*script)
        return runScript(sessions, id, **script, printer, json);

    if (payload)
        sessions.send(id, *payload);
    if (parser.isSet(QStringLiteral("shutdown-write")))
        sessions.shutdown(id, SHUT_WR);

    int exitCode = ExitOk;
    QElapsedTimer sinceData;
    sinceData.start();
    quint64 seenIn = 0;
    QTimer poll;
    QObject::connect(&poll, &QTimer::timeout, [&] {
        printer.poll();
        const auto info = sessions.info(id);
        if (auto traffic = sessions.traffic(id); traffic && traffic->counts().recordsIn != seenIn) {
            seenIn = traffic->counts().recordsIn;
            sinceData.restart();
        }
        if (!info || info->state == SessionState::Closed || info->peerClosed) {
            if (info && info->error) {
                reportFailure(*info->error, json);
                exitCode = ExitCallFailed;
            }
            QCoreApplication::exit(exitCode);
            return;
        }
        if (idle && sinceData.elapsed() >= qint64(*idle * 1000) && info->pendingOut == 0)
            QCoreApplication::exit(exitCode);
    });
    poll.start(10);

    SignalWatcher watcher;
    QObject::connect(&watcher, &SignalWatcher::terminationRequested, [] { QCoreApplication::exit(ExitOk); });
    QCoreApplication::exec();

    sessions.close(id);
    sessions.waitFor(id, [](const SessionInfo &i) { return i.state == SessionState::Closed; }, std::chrono::seconds(2));
    printer.finish();
    return exitCode;
}

} // namespace sockscope::cli
