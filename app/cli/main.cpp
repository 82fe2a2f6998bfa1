#include "blastcommand.h"
#include "capturecommand.h"
#include "clijson.h"
#include "connectcommand.h"
#include "nameinfocommand.h"
#include "optionscommand.h"
#include "resolvecommand.h"
#include "servecommand.h"
#include "statescommand.h"

#include "net/socket.h"

#include <QCoreApplication>

#include <cstdio>
#include <functional>

namespace {

struct Command
{
    const char *name;
    const char *summary;
    std::function<int(const QStringList &)> run;
};

const Command kCommands[] = {
    {"serve", "run a built-in TCP or UDP server (echo, upper, discard)", sockscope::cli::runServe},
    {"connect", "connect to a TCP or UDP peer, send, print what comes back", sockscope::cli::runConnect},
    {"blast", "a traffic generator: TCP or UDP at a paced rate or flat out; prints pps, Mbit/s, errors", sockscope::cli::runBlast},
    {"states", "the kernel's socket tables now (sock_diag): TCP states, queues, timers", sockscope::cli::runStates},
    {"watch", "print each TCP state change as the kernel shows it", sockscope::cli::runWatch},
    {"capture", "print a flow's TCP segments as they cross the wire (flags, seq, ack, win, len)", sockscope::cli::runCapture},
    {"resolve", "getaddrinfo: every result row, with every hint and flag", sockscope::cli::runResolve},
    {"nameinfo", "getnameinfo: the name and service of a numeric address and port", sockscope::cli::runNameinfo},
    {"options", "every socket option: type, range, meaning, and its value on a fresh socket", sockscope::cli::runOptions},
};

void printUsage(std::FILE *to)
{
    std::fprintf(to, "Usage: sockscope-cli COMMAND [options]   (COMMAND --help for its options)\n\nCommands:\n");
    for (const Command &c : kCommands)
        std::fprintf(to, "  %-10s %s\n", c.name, c.summary);
}

} // namespace

int main(int argc, char *argv[])
{
    sockscope::core::ignoreSigpipe();
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("sockscope-cli"));
    QCoreApplication::setApplicationVersion(QStringLiteral(SOCKSCOPE_VERSION));

    QStringList args = QCoreApplication::arguments();
    if (args.size() < 2 || args[1] == u"--help" || args[1] == u"-h" || args[1] == u"help") {
        printUsage(stdout);
        return args.size() < 2 ? sockscope::cli::ExitUsage : sockscope::cli::ExitOk;
    }
    if (args[1] == u"--version") {
        std::printf("sockscope-cli %s\n", SOCKSCOPE_VERSION);
        return 0;
    }
    for (const Command &c : kCommands) {
        if (args[1] == QLatin1String(c.name)) {
            // The subcommand parses "sockscope-cli <command> ..." as its own command line.
            args[0] = args[0] + u' ' + args[1];
            args.removeAt(1);
            return c.run(args);
        }
    }
    QStringList names;
    for (const Command &c : kCommands)
        names << QLatin1String(c.name);
    return sockscope::cli::usageError(QStringLiteral("unknown command \"%1\": give one of %2 (sockscope-cli --help)")
                                          .arg(args[1], names.join(QStringLiteral(", "))));
}
