// sockscope-cli serve with responder rules, against python3 clients on loopback: framing
// a stream into messages (粘包: two sends in one recv), regex captures, macros, delays and
// closing after a reply, and the trace line that says why nothing answered.

#include "clirun.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QTest>

namespace {

// argv: host port payload(with \n escapes) want-bytes; sends the payload in ONE sendall()
// and prints repr() of what came back before want-bytes arrived, EOF, or 1.5 s of silence,
// then the seconds it took and whether the server closed.
const char kClientPy[] = R"PY(
import socket, sys, time
s = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=5)
payload = sys.argv[3].encode().decode("unicode_escape").encode("latin-1")
want = int(sys.argv[4])
t0 = time.monotonic()
s.sendall(payload)
s.settimeout(1.5)
got, eof = b"", False
try:
    while len(got) < want:
        d = s.recv(65536)
        if not d:
            eof = True
            break
        got += d
    if len(got) >= want:
        s.settimeout(0.5)
        eof = s.recv(1) == b""
except socket.timeout:
    pass
print(repr(got), "%.2f" % (time.monotonic() - t0), "eof" if eof else "open", flush=True)
)PY";

const char kUdpPy[] = R"PY(
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(5)
s.bind(("127.0.0.1", 0))
s.sendto(b"hi", (sys.argv[1], int(sys.argv[2])))
data, _ = s.recvfrom(65536)
print(data.decode(), s.getsockname()[1], flush=True)
)PY";

using sockscope::tests::cliPath;
using sockscope::tests::startServe;

QString python(const char *script, const QStringList &args)
{
    QProcess p;
    p.start(QStringLiteral("python3"), QStringList{QStringLiteral("-c"), QString::fromUtf8(script)} + args);
    if (!p.waitForFinished(10000)) {
        p.kill();
        p.waitForFinished();
        return QStringLiteral("timed out");
    }
    return QString::fromUtf8(p.readAllStandardOutput() + p.readAllStandardError()).trimmed();
}

// Stops the server and returns everything it printed.
QString stop(QProcess &server)
{
    server.terminate();
    server.waitForFinished(5000);
    return QString::fromUtf8(server.readAll());
}

struct Usage
{
    int code = -1;
    QString err;
};

Usage usage(const QStringList &args)
{
    QProcess p;
    p.start(cliPath(), QStringList{QStringLiteral("serve")} + args);
    p.waitForFinished(5000);
    return {p.exitCode(), QString::fromUtf8(p.readAllStandardError())};
}

} // namespace

class tst_ResponderCli : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase() { QVERIFY2(!cliPath().isEmpty(), "SOCKSCOPE_CLI must name sockscope-cli"); }
    void pingPong_data();
    void pingPong();
    void delayThenClose();
    void udpMacros();
    void badRulesNameTheOption_data();
    void badRulesNameTheOption();
};

void tst_ResponderCli::pingPong_data()
{
    QTest::addColumn<QString>("framing");
    QTest::addColumn<QString>("reply");
    QTest::addColumn<QString>("trace"); // a line the server must have printed
    QTest::newRow("line") << "line" << "b'PONG 1\\nPONG 2\\n'" << "rule 1 (regex ^PING (\\d+)$) answered the 6-byte message, hit 2";
    // The same bytes as one message per recv(): "PING 1\nPING 2\n" is no "^PING (\d+)$".
    QTest::newRow("recv") << "recv" << "b''" << "no rule answered the 14-byte message PING 1\\nPING 2\\n: none of the 1 rule(s) matched it";
}

void tst_ResponderCli::pingPong()
{
    QFETCH(QString, framing);
    QFETCH(QString, reply);
    QFETCH(QString, trace);
    QProcess server;
    const quint16 port = startServe(server, {QStringLiteral("tcp"), QStringLiteral("--framing"), framing, QStringLiteral("--rule"),
                                              QStringLiteral("regex:^PING (\\d+)$=>PONG \\1\\n")});
    QVERIFY(port);
    const QString got = python(kClientPy, {QStringLiteral("127.0.0.1"), QString::number(port), QStringLiteral("PING 1\\nPING 2\\n"),
                                           QStringLiteral("14")});
    QVERIFY2(got.startsWith(reply + u' '), qPrintable(got));
    const QString out = stop(server);
    QVERIFY2(out.contains(trace), qPrintable(out));
}

void tst_ResponderCli::delayThenClose()
{
    QProcess server;
    const quint16 port = startServe(server, {QStringLiteral("tcp"), QStringLiteral("--framing"), QStringLiteral("line"),
                                              QStringLiteral("--rule"), QStringLiteral("[delay=300,then=close]equals:QUIT=>BYE\\n"),
                                              QStringLiteral("--rule"), QStringLiteral("prefix:=>?")});
    QVERIFY(port == 0); // an empty prefix is refused: the server never starts
    const quint16 again = startServe(server, {QStringLiteral("tcp"), QStringLiteral("--framing"), QStringLiteral("line"),
                                               QStringLiteral("--rule"), QStringLiteral("[delay=300,then=close]equals:QUIT=>BYE\\n")});
    QVERIFY(again);
    const QString got = python(kClientPy, {QStringLiteral("127.0.0.1"), QString::number(again), QStringLiteral("QUIT\\n"), QStringLiteral("4")});
    const QStringList parts = got.split(u' ');
    QCOMPARE(parts.size(), 3);
    QCOMPARE(parts[0], QStringLiteral("b'BYE\\n'"));
    QVERIFY2(parts[1].toDouble() >= 0.29, qPrintable(got)); // the delay was kept
    QCOMPARE(parts[2], QStringLiteral("eof"));               // then the server closed
    stop(server);
}

void tst_ResponderCli::udpMacros()
{
    QProcess server;
    const quint16 port = startServe(server, {QStringLiteral("udp"), QStringLiteral("--counter-start"), QStringLiteral("5"),
                                              QStringLiteral("--rule"), QStringLiteral("equals:hi=>{{COUNTER}} {{LEN}} {{PEER}}")});
    QVERIFY(port);
    const QString got = python(kUdpPy, {QStringLiteral("127.0.0.1"), QString::number(port)});
    const QStringList parts = got.split(u' ');
    QCOMPARE(parts.size(), 4);
    QCOMPARE(parts[0], QStringLiteral("5"));
    QCOMPARE(parts[1], QStringLiteral("2"));
    QCOMPARE(parts[2], QStringLiteral("127.0.0.1:") + parts[3]); // {{PEER}} is the sender
    stop(server);
}

void tst_ResponderCli::badRulesNameTheOption_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("error");
    // Arguments without spaces, split on the spaces between them.
    const auto words = [](const char *text) { return QString::fromUtf8(text).split(u' '); };
    QTest::newRow("unknown macro") << words("tcp --rule equals:a=>ok --rule equals:b=>{{WHO}}")
                                   << QStringLiteral("serve: --rule 2: reply: {{WHO}} is not a macro");
    QTest::newRow("framing alone") << words("tcp --framing line") << QStringLiteral("give at least one --rule");
    QTest::newRow("framing udp") << words("udp --framing line --rule equals:a=>b") << QStringLiteral("tcp only");
    QTest::newRow("bad framing") << words("tcp --framing lines --rule equals:a=>b") << QStringLiteral("'lines' is not a framing");
    QTest::newRow("mode rules alone") << words("tcp --mode rules") << QStringLiteral("give the rules with --rule");
}

void tst_ResponderCli::badRulesNameTheOption()
{
    QFETCH(QStringList, args);
    QFETCH(QString, error);
    const Usage u = usage(args);
    QCOMPARE(u.code, 1);
    QVERIFY2(u.err.contains(error), qPrintable(u.err));
}

QTEST_GUILESS_MAIN(tst_ResponderCli)
#include "tst_respondercli.moc"
