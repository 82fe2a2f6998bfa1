// Every argument of every sockscope-cli subcommand given a value it must refuse (issue 12):
// the options are read from each subcommand's --help at test time, so an option added
// without a row here fails the walk. For each bad value, with otherwise valid arguments
// aimed at a loopback listener of this test: exit status 1 (usage), ONE stderr line that
// names the argument and says what it accepts, nothing on stdout, the command over at
// once, and the listener saw no connection and no datagram.

#include "clirun.h"
#include "loopbackpair.h"

#include <QRegularExpression>
#include <QSet>
#include <QTest>

using namespace sockscope::core;
using namespace sockscope::tests;

namespace {

constexpr int kUsageExit = 1;
constexpr int kDeadlineMs = 2500;

// Arguments are space-separated; {port} is the test's listener, {empty} an empty argument.
struct BadValue
{
    const char *command;
    const char *option;
    const char *value;
    const char *accepted; // what the error must say is accepted
    const char *extra = ""; // other arguments the bad value needs to be reached
    const char *positional = nullptr; // instead of the command's valid positional arguments
};

// Valid arguments of each command: run with them alone, each would act (listen, connect,
// send, dump) and be seen; a row's bad value comes after them and so wins.
struct Base
{
    const char *command;
    const char *positional;
    const char *options;
};

const Base kBase[] = {
    {"serve", "tcp", ""},
    {"connect", "tcp 127.0.0.1 {port}", "--idle 0.3"},
    {"blast", "udp 127.0.0.1 {port}", "--count 1"},
    {"states", "", ""},
    {"watch", "", "--timeout 1"},
    {"capture", "", "--port {port} --timeout 1"},
    {"resolve", "127.0.0.1 80", ""},
    {"nameinfo", "127.0.0.1 80", ""},
    {"options", "", ""},
};

const BadValue kBadValues[] = {
    {"serve", "bind", "999.0.0.1", "numeric IPv4 or IPv6 address"},
    {"serve", "port", "70000", "0 to 65535"},
    {"serve", "backlog", "-1", "0 or more"},
    {"serve", "backlog", "many", "0 or more"},
    {"serve", "mode", "loud", "echo, upper, discard"},
    {"serve", "gate-key", "{empty}", "at least one byte"},
    {"serve", "gate-key", "secret", "tcp only", "", "udp"},
    {"serve", "gate-key-file", "/nonexistent/sockscope.key", "only you can read"},
    {"serve", "gate-digest", "sha1", "md5 or sha256", "--gate-key secret"},
    {"serve", "gate-digest", "sha1", "md5 or sha256"},
    {"serve", "opt", "SO_NOSUCHOPTION=1", "sockscope-cli options"},
    {"serve", "framing", "bogus", "recv, line", "--rule equals:a=>b"},
    {"serve", "rule", "nokind:a=>b", "equals, prefix"},
    {"serve", "counter-start", "-1", "0 or more", "--rule equals:a=>b"},
    {"serve", "counter-start", "x", "0 or more"},
    {"serve", "digest", "md5", "sha256 or none"},
    {"serve", "preview", "-1", "0 or more"},
    {"serve", "join", "10.0.0.1", "224.0.0.0/4 or ff00::/8", "", "udp"},
    {"connect", "send-hex", "zz", "hex"},
    {"connect", "timeout", "-1", "0 to"},
    {"connect", "timeout", "inf", "0 to"},
    {"connect", "idle", "nan", "0 to"},
    {"connect", "opt", "SO_RCVBUF=lots", "number"},
    {"connect", "digest", "crc", "sha256 or none"},
    {"connect", "preview", "some", "0 or more"},
    {"connect", "step", "bogus:x", "accepted: send:TEXT"},
    {"connect", "framing", "bogus", "give the steps"},
    {"connect", "ttl", "300", "0 to 255", "", "udp 127.0.0.1 {port}"},
    {"connect", "loop", "maybe", "on or off", "", "udp 127.0.0.1 {port}"},
    {"blast", "size", "65508", "0 to 65507"},
    {"blast", "rate", "0", "more than 0"},
    {"blast", "rate", "inf", "more than 0"},
    {"blast", "mbit", "-5", "more than 0"},
    {"blast", "count", "0", "1 or more"},
    {"blast", "duration", "inf", "more than 0"},
    {"states", "port", "0", "1-65535"},
    {"watch", "port", "http", "1-65535"},
    {"watch", "count", "0", "1 or more"},
    {"watch", "timeout", "inf", "0 to"},
    {"capture", "port", "70000", "0 to 65535"},
    {"capture", "host", "999.0.0.1", "numeric IPv4 or IPv6 address"},
    {"capture", "interface", "no/such/if", "without /"},
    {"capture", "count", "0", "1 or more"},
    {"capture", "timeout", "-1", "0 to"},
    {"resolve", "family", "bogus", "unspec, inet, inet6"},
    {"resolve", "type", "bogus", "any, stream, dgram"},
    {"resolve", "proto", "nosuchproto", "/etc/protocols"},
    {"resolve", "flags", "AI_BOGUS", "AI_"},
    {"nameinfo", "flags", "NI_BOGUS", "NI_"},
    {"options", "family", "bogus", "inet, inet6 or unix"},
    {"options", "type", "bogus", "stream, dgram or seqpacket"},
};

// Options for which every text is a valid value.
struct AnyText
{
    const char *command;
    const char *option;
    const char *reason;
};

const AnyText kAnyText[] = {
    {"connect", "send", "a free-text payload: every text is bytes to send (an empty one sends nothing)"},
};

// Not here, because the call itself answers them (exit 2, its EAI_* or PCAP_* name), as
// tst_resolvecli and tst_capturecli require: resolve passes HOST and SERVICE to
// getaddrinfo() as typed, as Python does ("" and "99999" included); nameinfo leaves a name
// in place of ADDRESS to getnameinfo() (EAI_NONAME); capture --interface with a well-formed
// name this machine lacks is the helper's PCAP_ERROR_NO_SUCH_DEVICE.
struct BadPositional
{
    const char *name;
    const char *command;
    const char *positional; // the whole positional part
    const char *names;      // the argument the error must name
    const char *accepted;
};

const BadPositional kBadPositionals[] = {
    {"serve protocol word", "serve", "sctp", "protocol", "tcp or udp"},
    {"serve no protocol", "serve", "", "protocol", "tcp or udp"},
    {"serve two protocols", "serve", "tcp udp", "protocol", "tcp or udp"},
    {"connect protocol word", "connect", "sctp 127.0.0.1 {port}", "protocol", "tcp or udp"},
    {"connect no port", "connect", "tcp 127.0.0.1", "PORT", "tcp|udp HOST PORT"},
    {"connect empty host", "connect", "tcp {empty} {port}", "HOST", "name or a numeric address"},
    {"connect host with a space", "connect", "tcp local\thost {port}", "HOST", "name or a numeric address"},
    {"connect port out of range", "connect", "tcp 127.0.0.1 70000", "PORT", "0 to 65535"},
    {"connect port with a letter", "connect", "tcp 127.0.0.1 8o", "PORT", "0 to 65535"},
    {"connect unknown service", "connect", "tcp 127.0.0.1 nosuchservice", "PORT", "service name"},
    {"blast protocol word", "blast", "icmp 127.0.0.1 {port}", "protocol", "tcp or udp"},
    {"blast empty host", "blast", "udp {empty} {port}", "HOST", "name or a numeric address"},
    {"blast port out of range", "blast", "udp 127.0.0.1 65536", "PORT", "0 to 65535"},
    {"blast unknown service", "blast", "udp 127.0.0.1 nosuchservice", "PORT", "service name"},
    {"states argument", "states", "tcp", "\"tcp\"", "no arguments"},
    {"watch argument", "watch", "80", "\"80\"", "no arguments"},
    {"capture argument", "capture", "lo", "\"lo\"", "no arguments"},
    {"resolve three arguments", "resolve", "127.0.0.1 80 tcp", "SERVICE", "HOST [SERVICE]"},
    {"nameinfo port", "nameinfo", "127.0.0.1 70000", "PORT", "0 to 65535"},
    {"nameinfo no address", "nameinfo", "", "ADDRESS", "ADDRESS [PORT]"},
    {"options argument", "options", "tcp", "\"tcp\"", "no arguments"},
};

QString text(const char *s)
{
    return QString::fromUtf8(s);
}

QStringList words(const char *spaced, quint16 port)
{
    QStringList out;
    for (QString w : text(spaced).split(u' ', Qt::SkipEmptyParts)) {
        w.replace(QStringLiteral("{port}"), QString::number(port));
        w.replace(u'\t', u' '); // a tab in a row stands for a space inside one argument
        out << (w == u"{empty}" ? QString() : w);
    }
    return out;
}

const Base &baseOf(const QString &command)
{
    for (const Base &b : kBase) {
        if (command == text(b.command))
            return b;
    }
    qFatal("no valid arguments for %s", qPrintable(command));
}

// Subcommands as `sockscope-cli --help` lists them.
QStringList listedCommands()
{
    const CliRun run = runCli({QStringLiteral("--help")}, 5000);
    QStringList commands;
    const QString help = QString::fromUtf8(run.out);
    const QString listing = help.mid(help.indexOf(QStringLiteral("Commands:")));
    static const QRegularExpression line(QStringLiteral("^  ([a-z]+)\\s"), QRegularExpression::MultilineOption);
    for (const auto &m : line.globalMatch(listing))
        commands << m.captured(1);
    return commands;
}

// The options of `command` that take a value, as its --help lists them ("--port <P>").
QStringList valueOptions(const QString &command)
{
    const CliRun run = runCli({command, QStringLiteral("--help")}, 5000);
    QStringList options;
    static const QRegularExpression line(QStringLiteral("^  (?:-\\w, )?--([a-z][a-z0-9-]*) <[^>]+>"),
                                         QRegularExpression::MultilineOption);
    for (const auto &m : line.globalMatch(QString::fromUtf8(run.out)))
        options << m.captured(1);
    return options;
}

} // namespace

class tst_CliBadArgs : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void everyValueOptionHasARow();
    void controlValidArgumentsAreSeen();
    void badOptionValue_data();
    void badOptionValue();
    void badPositional_data();
    void badPositional();
    void unknownOption_data();
    void unknownOption();
    void missingValue_data();
    void missingValue();
    void unknownCommand();

private:
    // One bad command line: judged as the header says, `names` and `accepted` in the line.
    void expectRefused(const QStringList &arguments, const QString &names, const QString &accepted);
    QStringList validArguments(const QString &command, const char *positional = nullptr) const;

    QStringList m_commands;
    Socket m_listener;
    Socket m_udp;
    quint16 m_port = 0;
};

void tst_CliBadArgs::initTestCase()
{
    QVERIFY2(!cliPath().isEmpty(), "SOCKSCOPE_CLI must name sockscope-cli");
    m_commands = listedCommands();
    QVERIFY2(m_commands.size() >= 9, qPrintable(m_commands.join(u',')));
    // A TCP listener and a UDP socket on one loopback port: whatever a command that
    // wrongly went ahead connected or sent is waiting in one of them.
    for (int attempt = 0; attempt < 20 && !m_port; ++attempt) {
        auto listener = tcpListener(AF_INET, 16);
        QVERIFY(listener);
        auto udp = Socket::create(AF_INET, SOCK_DGRAM);
        QVERIFY(udp);
        if (udp->bind(Address::loopback(AF_INET, localPort(*listener)))) {
            m_port = localPort(*listener);
            m_listener = std::move(*listener);
            m_udp = std::move(*udp);
        }
    }
    QVERIFY(m_port);
    QVERIFY(m_listener.setBlocking(false)); // accept() answers EAGAIN when nobody came
}

QStringList tst_CliBadArgs::validArguments(const QString &command, const char *positional) const
{
    const Base &base = baseOf(command);
    return QStringList{command} + words(positional ? positional : base.positional, m_port) + words(base.options, m_port);
}

void tst_CliBadArgs::everyValueOptionHasARow()
{
    int options = 0;
    for (const QString &command : std::as_const(m_commands)) {
        baseOf(command); // every command has valid arguments to start from
        const QStringList listed = valueOptions(command);
        for (const QString &option : listed) {
            ++options;
            bool covered = false;
            for (const BadValue &row : kBadValues)
                covered |= command == text(row.command) && option == text(row.option);
            for (const AnyText &row : kAnyText)
                covered |= command == text(row.command) && option == text(row.option);
            QVERIFY2(covered, qPrintable(QStringLiteral("%1 --%2 has no bad-value row (nor a reason why any text is valid)")
                                             .arg(command, option)));
        }
        // A row for an option the command no longer has is a row that tests nothing.
        for (const BadValue &row : kBadValues) {
            if (command == text(row.command))
                QVERIFY2(listed.contains(text(row.option)), qPrintable(command + QStringLiteral(" --") + text(row.option)));
        }
        bool positional = false;
        for (const BadPositional &row : kBadPositionals)
            positional |= command == text(row.command);
        QVERIFY2(positional, qPrintable(command + QStringLiteral(": no bad positional argument row")));
    }
    QVERIFY(options >= 40);
}

// The detectors work: the same valid arguments without a bad value do reach the listener.
void tst_CliBadArgs::controlValidArgumentsAreSeen()
{
    const CliRun connect = runCli(validArguments(QStringLiteral("connect")), 5000);
    QVERIFY2(connect.finished && connect.exitCode == 0, connect.err.constData());
    QVERIFY(m_listener.accept(true));
    const CliRun blast = runCli(validArguments(QStringLiteral("blast")), 5000);
    QVERIFY2(blast.finished && blast.exitCode == 0, blast.err.constData());
    QVERIFY(m_udp.recv(65536, MSG_DONTWAIT));
}

void tst_CliBadArgs::expectRefused(const QStringList &arguments, const QString &names, const QString &accepted)
{
    // What an earlier command left in the detectors is not this one's doing.
    while (m_listener.accept(true)) {
    }
    while (m_udp.recv(65536, MSG_DONTWAIT)) {
    }
    const CliRun run = runCli(arguments, kDeadlineMs);
    const QString err = QString::fromUtf8(run.err);
    const QString shown = arguments.join(u' ') + QStringLiteral("\nstderr: ") + err + QStringLiteral("stdout: ")
                          + QString::fromUtf8(run.out.left(300));
    QVERIFY2(run.finished, qPrintable(QStringLiteral("still running after %1 ms: ").arg(kDeadlineMs) + shown));
    QVERIFY2(run.exitCode == kUsageExit, qPrintable(QStringLiteral("exit %1: ").arg(run.exitCode) + shown));
    QVERIFY2(run.out.isEmpty(), qPrintable(shown));
    QVERIFY2(err.endsWith(u'\n') && err.count(u'\n') == 1, qPrintable(QStringLiteral("not one line: ") + shown));
    QVERIFY2(err.startsWith(QStringLiteral("sockscope-cli: ")), qPrintable(shown));
    QVERIFY2(err.contains(names), qPrintable(QStringLiteral("does not name ") + names + QStringLiteral(": ") + shown));
    QVERIFY2(err.contains(accepted), qPrintable(QStringLiteral("does not say \"") + accepted + QStringLiteral("\": ") + shown));
    const auto connection = m_listener.accept(true);
    QVERIFY2(!connection, qPrintable(QStringLiteral("the listener was connected to: ") + shown));
    const auto datagram = m_udp.recv(65536, MSG_DONTWAIT);
    QVERIFY2(!datagram, qPrintable(QStringLiteral("a datagram arrived: ") + shown));
}

void tst_CliBadArgs::badOptionValue_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("names");
    QTest::addColumn<QString>("accepted");
    QSet<QString> seen;
    for (const BadValue &row : kBadValues) {
        QString name = QStringLiteral("%1 --%2 %3").arg(text(row.command), text(row.option), text(row.value));
        while (seen.contains(name))
            name += u'\'';
        seen.insert(name);
        const QString option = QStringLiteral("--") + text(row.option);
        const QStringList value = words(row.value, m_port);
        QTest::newRow(qPrintable(name)) << validArguments(text(row.command), row.positional) + words(row.extra, m_port)
                                                + QStringList{option, value.value(0)}
                                        << option << text(row.accepted);
    }
}

void tst_CliBadArgs::badOptionValue()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, names);
    QFETCH(QString, accepted);
    expectRefused(arguments, names, accepted);
}

void tst_CliBadArgs::badPositional_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("names");
    QTest::addColumn<QString>("accepted");
    for (const BadPositional &row : kBadPositionals) {
        QTest::newRow(row.name) << validArguments(text(row.command), row.positional) << text(row.names) << text(row.accepted);
    }
}

void tst_CliBadArgs::badPositional()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, names);
    QFETCH(QString, accepted);
    expectRefused(arguments, names, accepted);
}

void tst_CliBadArgs::unknownOption_data()
{
    QTest::addColumn<QString>("command");
    for (const QString &command : std::as_const(m_commands))
        QTest::newRow(qPrintable(command)) << command;
}

// The error lists what the command does take.
void tst_CliBadArgs::unknownOption()
{
    QFETCH(QString, command);
    const QStringList listed = valueOptions(command);
    QVERIFY(!listed.isEmpty());
    expectRefused(validArguments(command) + QStringList{QStringLiteral("--no-such-option")}, QStringLiteral("--no-such-option"),
                  QStringLiteral("--") + listed.first());
}

void tst_CliBadArgs::missingValue_data()
{
    QTest::addColumn<QString>("command");
    QTest::addColumn<QString>("option");
    for (const QString &command : std::as_const(m_commands)) {
        for (const QString &option : valueOptions(command))
            QTest::newRow(qPrintable(command + QStringLiteral(" --") + option)) << command << option;
    }
}

// An option that takes a value, given last with none.
void tst_CliBadArgs::missingValue()
{
    QFETCH(QString, command);
    QFETCH(QString, option);
    expectRefused(validArguments(command) + QStringList{QStringLiteral("--") + option}, QStringLiteral("--") + option,
                  QStringLiteral("needs a value"));
}

void tst_CliBadArgs::unknownCommand()
{
    for (const QString &word : {QStringLiteral("sever"), QStringLiteral("--port")}) {
        const CliRun run = runCli({word, QStringLiteral("tcp")}, kDeadlineMs);
        const QString err = QString::fromUtf8(run.err);
        QVERIFY2(run.finished && run.exitCode == kUsageExit, qPrintable(err));
        QVERIFY2(run.out.isEmpty(), run.out.constData());
        QVERIFY2(err.count(u'\n') == 1 && err.contains(u'"' + word + u'"'), qPrintable(err));
        for (const QString &command : std::as_const(m_commands))
            QVERIFY2(err.contains(command), qPrintable(err));
    }
}

QTEST_GUILESS_MAIN(tst_CliBadArgs)
#include "tst_clibadargs.moc"
