#include "servecommand.h"

#include "cliarguments.h"
#include "clijson.h"
#include "eventprinter.h"
#include "multicastoptions.h"
#include "optionscommand.h"
#include "responderoptions.h"
#include "signalwatcher.h"

#include "engine/sessionmanager.h"
#include "secretfile.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTimer>

#include <cstdio>

namespace sockscope::cli {

using namespace sockscope::core;

namespace {

// Loopback keeps a server to this machine; anything else is the user's explicit choice,
// and one stderr line says what it opens (stdout stays the event stream scripts read).
void warnIfExposed(const Address &bind, bool tcp)
{
    if (bind.isLoopback())
        return;
    const char *what = tcp ? "connections" : "datagrams";
    if (bind.isWildcard())
        std::fprintf(stderr, "sockscope-cli: serve: warning: %s accepts %s from every network this machine is on "
                             "(--bind 127.0.0.1 keeps the server to this one)\n", qPrintable(bind.host()), what);
    else
        std::fprintf(stderr, "sockscope-cli: serve: warning: %s accepts %s from other machines on its network "
                             "(--bind 127.0.0.1 keeps the server to this one)\n", qPrintable(bind.host()), what);
    std::fflush(stderr);
}

// --gate-key-file, --gate-key and --gate-digest: the gate, nullopt without one; the error
// text names the option.
std::expected<std::optional<HmacGateConfig>, QString> gateFrom(const QCommandLineParser &parser, bool tcp)
{
    const bool typed = parser.isSet(QStringLiteral("gate-key"));
    const bool file = parser.isSet(QStringLiteral("gate-key-file"));
    const QString digest = parser.value(QStringLiteral("gate-digest")).toLower();
    if (digest != u"md5" && digest != u"sha256")
        return std::unexpected(QStringLiteral("--gate-digest: give md5 or sha256"));
    if (!typed && !file) {
        if (parser.isSet(QStringLiteral("gate-digest")))
            return std::unexpected(QStringLiteral("--gate-digest: the digest of the gate: give --gate-key-file (or --gate-key) too"));
        return std::nullopt;
    }
    const QString option = file ? QStringLiteral("--gate-key-file") : QStringLiteral("--gate-key");
    if (typed && file)
        return std::unexpected(QStringLiteral("--gate-key-file: give it or --gate-key, not both"));
    if (!tcp)
        return std::unexpected(option + QStringLiteral(": the gate answers connections: tcp only"));
    QByteArray key;
    if (file) {
        auto read = readSecretFile(parser.value(QStringLiteral("gate-key-file")), option);
        if (!read)
            return std::unexpected(read.error().toString());
        key = *std::move(read);
    } else {
        key = parser.value(QStringLiteral("gate-key")).toUtf8();
        if (key.isEmpty())
            return std::unexpected(QStringLiteral("--gate-key: the key is empty: give a key of at least one byte"));
    }
    return HmacGateConfig{key, digest == u"md5" ? HmacDigest::Md5 : HmacDigest::Sha256};
}

} // namespace

int runServe(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Run a built-in server until SIGINT or SIGTERM. The first stdout line is "
        "`listening on ADDR:PORT` (the real port when --port is 0), then one line per event, "
        "and each connection's totals and SHA-256 when it ends."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("protocol"), QStringLiteral("tcp or udp"));
    parser.addOptions({
        {QStringLiteral("bind"), QStringLiteral("Address to bind (default 127.0.0.1: this machine only; 0.0.0.0 or :: is every network)."), QStringLiteral("ADDR"), QStringLiteral("127.0.0.1")},
        {QStringLiteral("port"), QStringLiteral("Port, 0-65535; 0 lets the system pick (default 0)."), QStringLiteral("P"), QStringLiteral("0")},
        {QStringLiteral("backlog"), QStringLiteral("listen() backlog for tcp (default 5)."), QStringLiteral("N"), QStringLiteral("5")},
        {QStringLiteral("mode"), QStringLiteral("echo, upper, discard, chargen or daytime (default echo)."), QStringLiteral("MODE"), QStringLiteral("echo")},
        {QStringLiteral("gate-key-file"), QStringLiteral("tcp: put an HMAC challenge-response gate in front of the service, with the key "
                                                         "on the first line of FILE; FILE must be yours alone (chmod 600), as ssh asks of a private key."),
         QStringLiteral("FILE")},
        {QStringLiteral("gate-key"), QStringLiteral("The same with the key itself. Other users see it (ps shows every command line) and "
                                                    "it stays in the shell's history: prefer --gate-key-file."),
         QStringLiteral("KEY")},
        {QStringLiteral("gate-digest"), QStringLiteral("The gate's HMAC digest: md5 or sha256 (default sha256)."), QStringLiteral("DIGEST"), QStringLiteral("sha256")},
        {QStringLiteral("json"), QStringLiteral("One JSON object per line for each event.")},
    });
    parser.addOption(optOption());
    parser.addOptions(joinOptions());
    parser.addOptions(responderOptions());
    parser.addOptions(EventPrinter::options());
    if (const auto exit = parseCommandLine(parser, arguments, QStringLiteral("serve")))
        return *exit;

    const QStringList positional = parser.positionalArguments();
    if (positional.size() != 1)
        return usageError(QStringLiteral("serve: protocol: give one, tcp or udp (see serve --help)"));
    if (const auto error = protocolError(positional[0]))
        return usageError(QStringLiteral("serve: ") + *error);
    const bool tcp = positional[0] == u"tcp";
    auto options = optSettings(parser, tcp ? SOCK_STREAM : SOCK_DGRAM);
    if (!options)
        return usageError(QStringLiteral("serve: ") + options.error());

    auto port = Address::parsePort(parser.value(QStringLiteral("port")));
    if (!port)
        return usageError(QStringLiteral("serve: --port: ") + port.error().message());
    auto bind = Address::ip(parser.value(QStringLiteral("bind")), *port);
    if (!bind)
        return usageError(QStringLiteral("serve: --bind: ") + bind.error().message());
    const auto joins = joinSettings(parser, QStringLiteral("serve"), !tcp, bind->family());
    if (!joins)
        return usageError(joins.error());
    *options += *joins;
    bool backlogOk = false;
    const int backlog = parser.value(QStringLiteral("backlog")).toInt(&backlogOk);
    if (!backlogOk || backlog < 0)
        return usageError(QStringLiteral("serve: --backlog: give a number of 0 or more"));
    const auto mode = serviceModeFromName(parser.value(QStringLiteral("mode")));
    if (!mode || *mode == ServiceMode::None)
        return usageError(QStringLiteral("serve: --mode: give echo, upper, discard, chargen or daytime"));
    const auto responder = responderFrom(parser, QStringLiteral("serve"), tcp);
    if (!responder)
        return usageError(responder.error());
    if (*mode == ServiceMode::Rules && !*responder)
        return usageError(QStringLiteral("serve: --mode rules: give the rules with --rule"));
    const auto gate = gateFrom(parser, tcp);
    if (!gate)
        return usageError(QStringLiteral("serve: ") + gate.error());
    const bool json = parser.isSet(QStringLiteral("json"));
    const auto output = EventPrinter::settingsFrom(parser);
    if (!output)
        return usageError(QStringLiteral("serve: ") + output.error());

    warnIfExposed(*bind, tcp);
    SessionManager sessions;
    SessionId id = 0;
    if (tcp) {
        ListenSpec spec;
        spec.bind = *bind;
        spec.backlog = backlog;
        spec.service = *mode;
        spec.gate = *gate;
        spec.responder = *responder;
        spec.options = *options;
        spec.digest = output->digest;
        id = sessions.listen(spec);
    } else {
        DatagramSpec spec;
        spec.family = bind->family();
        spec.bind = *bind;
        spec.service = *mode;
        spec.responder = *responder;
        spec.options = *options;
        spec.digest = output->digest;
        id = sessions.openDatagram(spec);
    }
    const auto ready = sessions.waitFor(id, [](const SessionInfo &i) {
        return i.state == SessionState::Listening || i.state == SessionState::Bound || i.state == SessionState::Closed;
    }, std::chrono::seconds(5));
    if (!ready || ready->state == SessionState::Closed) {
        return reportCallError("serve", ready && ready->error ? *ready->error : SysError::fromErrno(ETIMEDOUT), json);
    }

    const QString where = ready->local.toString();
    if (json) {
        printJsonLine({{QStringLiteral("event"), QStringLiteral("listening")},
                       {QStringLiteral("protocol"), positional[0]},
                       {QStringLiteral("address"), where},
                       {QStringLiteral("port"), ready->local.port()},
                       {QStringLiteral("mode"), serviceModeName(*responder ? ServiceMode::Rules : *mode)}});
    } else {
        std::printf("listening on %s\n", qPrintable(where));
        std::fflush(stdout);
    }
    printOptionReadback(sessions, id, *options, json, stdout);

    EventPrinter printer(sessions, json ? EventPrinter::Style::Json : EventPrinter::Style::Lines, *output);
    printer.follow(id, false);
    printer.followChildren(id);

    QTimer poll;
    QObject::connect(&poll, &QTimer::timeout, [&printer] { printer.poll(); });
    poll.start(20);

    SignalWatcher watcher;
    int caught = 0;
    QObject::connect(&watcher, &SignalWatcher::terminationRequested, [&](int sig) {
        caught = sig;
        QCoreApplication::exit(ExitOk);
    });
    QCoreApplication::exec();

    sessions.closeChildren(id, false);
    sessions.close(id);
    sessions.waitFor(id, [](const SessionInfo &i) { return i.state == SessionState::Closed; }, std::chrono::seconds(2));
    printer.finish();
    if (json)
        printJsonLine({{QStringLiteral("event"), QStringLiteral("stopped")}, {QStringLiteral("signal"), caught}});
    else
        std::printf("stopped (signal %d)\n", caught);
    return ExitOk;
}

} // namespace sockscope::cli
