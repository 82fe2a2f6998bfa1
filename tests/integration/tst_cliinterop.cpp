// sockscope-cli against real python3 peers on loopback: the CLI server answers a python3
// socket client, the CLI client talks to a python3 server this test starts.

#include "net/socket.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTest>

using namespace sockscope::core;

namespace {

// Sends argv[3] (or b"hello") and prints the first reply of that length.
const char kTcpClientPy[] = R"PY(
import socket, sys
s = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=5)
msg = sys.argv[3].encode() if len(sys.argv) > 3 else b"hello"
s.sendall(msg)
got = b""
while len(got) < len(msg):
    chunk = s.recv(65536)
    if not chunk:
        break
    got += chunk
print(got.decode())
s.close()
)PY";

const char kUdpClientPy[] = R"PY(
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(5)
s.sendto(b"hello", (sys.argv[1], int(sys.argv[2])))
data, addr = s.recvfrom(65536)
print(data.decode(), addr[1] == int(sys.argv[2]))
)PY";

// One connection: echo until EOF, then close. Prints its port first.
const char kEchoServerPy[] = R"PY(
import socket, sys
fam = socket.AF_INET6 if ":" in sys.argv[1] else socket.AF_INET
s = socket.socket(fam, socket.SOCK_STREAM)
s.bind((sys.argv[1], 0))
s.listen(1)
s.settimeout(10)
print(s.getsockname()[1], flush=True)
c, _ = s.accept()
while True:
    d = c.recv(65536)
    if not d:
        break
    c.sendall(d)
c.close()
)PY";

QString cliPath()
{
    return qEnvironmentVariable("SOCKSCOPE_CLI");
}

// Starts a process and waits for its first stdout line.
QString startAndReadLine(QProcess &p, const QString &program, const QStringList &args)
{
    p.start(program, args);
    if (!p.waitForStarted(5000))
        return {};
    while (!p.canReadLine()) {
        if (!p.waitForReadyRead(5000))
            return {};
    }
    return QString::fromUtf8(p.readLine()).trimmed();
}

struct Run
{
    int exitCode = -1;
    QProcess::ExitStatus status = QProcess::CrashExit;
    QByteArray out;
    QByteArray err;
};

Run run(const QString &program, const QStringList &args, int timeoutMs = 10000)
{
    QProcess p;
    p.start(program, args);
    Run r;
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        r.err = "timed out";
        return r;
    }
    r.exitCode = p.exitCode();
    r.status = p.exitStatus();
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

Run runPython(const char *script, const QStringList &args)
{
    return run(QStringLiteral("python3"), QStringList{QStringLiteral("-c"), QString::fromUtf8(script)} + args);
}

QList<QJsonObject> jsonLines(const QByteArray &out, QString *problem)
{
    QList<QJsonObject> objects;
    for (const QByteArray &line : out.split('\n')) {
        if (line.isEmpty())
            continue;
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(line, &error);
        if (!doc.isObject() || !doc.object().value(QLatin1String("event")).isString()) {
            *problem = QStringLiteral("not a JSON event: ") + QString::fromUtf8(line);
            return {};
        }
        objects << doc.object();
    }
    return objects;
}

} // namespace

class tst_CliInterop : public QObject
{
    Q_OBJECT

    // Stops a serve process with SIGTERM and checks it ended cleanly.
    void stopServe(QProcess &serve, QByteArray *rest);

private slots:
    void initTestCase();
    void serveTcpUpperAnswersPython_data();
    void serveTcpUpperAnswersPython();
    void serveUdpUpperAnswersPython();
    void connectToPythonEchoServer_data();
    void connectToPythonEchoServer();
    void connectRefusedExitsTwo();
    void jsonLinesCarryTheDocumentedFields();
    void badArgumentsExitOne_data();
    void badArgumentsExitOne();
};

void tst_CliInterop::initTestCase()
{
    QVERIFY2(QFile::exists(cliPath()), "SOCKSCOPE_CLI must name the built sockscope-cli");
    QVERIFY2(!QStandardPaths::findExecutable(QStringLiteral("python3")).isEmpty(), "python3 is not on PATH");
}

void tst_CliInterop::stopServe(QProcess &serve, QByteArray *rest)
{
    serve.terminate(); // SIGTERM
    QVERIFY(serve.waitForFinished(5000));
    QCOMPARE(serve.exitStatus(), QProcess::NormalExit);
    QCOMPARE(serve.exitCode(), 0);
    *rest = serve.readAllStandardOutput();
    QVERIFY2(rest->contains("stopped (signal 15)"), rest->constData());
}

void tst_CliInterop::serveTcpUpperAnswersPython_data()
{
    QTest::addColumn<QString>("bind");
    QTest::addColumn<QString>("host");
    QTest::newRow("IPv4 default bind") << QString() << "127.0.0.1";
    QTest::newRow("IPv6") << "::1" << "::1";
}

void tst_CliInterop::serveTcpUpperAnswersPython()
{
    QFETCH(QString, bind);
    QFETCH(QString, host);
    QStringList args{QStringLiteral("serve"), QStringLiteral("tcp"), QStringLiteral("--port"), QStringLiteral("0"),
                     QStringLiteral("--mode"), QStringLiteral("upper")};
    if (!bind.isEmpty())
        args << QStringLiteral("--bind") << bind;
    QProcess serve;
    const QString first = startAndReadLine(serve, cliPath(), args);
    const QRegularExpression re(QStringLiteral(R"(^listening on \[?([0-9a-f.:]+)\]?:(\d+)$)"));
    const auto m = re.match(first);
    QVERIFY2(m.hasMatch(), qPrintable(first + serve.readAllStandardError()));
    QCOMPARE(m.captured(1), host);
    const QString port = m.captured(2);
    QVERIFY(port.toInt() > 0);

    const Run client = runPython(kTcpClientPy, {host, port});
    QVERIFY2(client.exitCode == 0, client.err.constData());
    QCOMPARE(client.out, QByteArray("HELLO\n"));
    // A second client is served too: the server takes any number of them.
    QCOMPARE(runPython(kTcpClientPy, {host, port, QStringLiteral("again")}).out, QByteArray("AGAIN\n"));

    QByteArray rest;
    stopServe(serve, &rest);
    if (QTest::currentTestFailed())
        return;
    QVERIFY2(rest.contains("recv 5 bytes: hello"), rest.constData());
    QVERIFY2(rest.contains("send 5 bytes: HELLO"), rest.constData());
}

void tst_CliInterop::serveUdpUpperAnswersPython()
{
    QProcess serve;
    const QString first = startAndReadLine(serve, cliPath(),
                                           {QStringLiteral("serve"), QStringLiteral("udp"), QStringLiteral("--mode"), QStringLiteral("upper")});
    const auto m = QRegularExpression(QStringLiteral(R"(^listening on 127\.0\.0\.1:(\d+)$)")).match(first);
    QVERIFY2(m.hasMatch(), qPrintable(first));

    const Run client = runPython(kUdpClientPy, {QStringLiteral("127.0.0.1"), m.captured(1)});
    QVERIFY2(client.exitCode == 0, client.err.constData());
    QCOMPARE(client.out, QByteArray("HELLO True\n")); // the reply comes from the server's port

    QByteArray rest;
    stopServe(serve, &rest);
}

void tst_CliInterop::connectToPythonEchoServer_data()
{
    QTest::addColumn<QString>("host");
    QTest::newRow("IPv4") << "127.0.0.1";
    QTest::newRow("IPv6") << "::1";
}

void tst_CliInterop::connectToPythonEchoServer()
{
    QFETCH(QString, host);
    QProcess server;
    const QString port = startAndReadLine(server, QStringLiteral("python3"),
                                          {QStringLiteral("-c"), QString::fromUtf8(kEchoServerPy), host});
    QVERIFY2(port.toInt() > 0, qPrintable(port + server.readAllStandardError()));

    const Run cli = run(cliPath(), {QStringLiteral("connect"), QStringLiteral("tcp"), host, port, QStringLiteral("--send"),
                                    QStringLiteral("hi"), QStringLiteral("--shutdown-write")});
    QVERIFY2(cli.exitCode == 0, cli.err.constData());
    QCOMPARE(cli.out, QByteArray("hi")); // received bytes, unchanged, nothing else
    QVERIFY(cli.err.contains("s.shutdown(socket.SHUT_WR)")); // status goes to stderr

    QVERIFY(server.waitForFinished(5000));
    QCOMPARE(server.exitCode(), 0);
}

void tst_CliInterop::connectRefusedExitsTwo()
{
    Socket holder = std::move(*Socket::create(AF_INET, SOCK_STREAM)); // bound, never listening
    QVERIFY(holder.bind(Address::loopback(AF_INET)));
    const QString port = QString::number(holder.localAddress()->port());

    const Run cli = run(cliPath(), {QStringLiteral("connect"), QStringLiteral("tcp"), QStringLiteral("127.0.0.1"), port,
                                    QStringLiteral("--send"), QStringLiteral("x")});
    QCOMPARE(cli.status, QProcess::NormalExit);
    QCOMPARE(cli.exitCode, 2);
    QVERIFY2(cli.err.contains("ECONNREFUSED"), cli.err.constData());
    QVERIFY(cli.out.isEmpty());

    const Run json = run(cliPath(), {QStringLiteral("connect"), QStringLiteral("tcp"), QStringLiteral("127.0.0.1"), port,
                                     QStringLiteral("--json")});
    QCOMPARE(json.exitCode, 2);
    QString problem;
    const QList<QJsonObject> events = jsonLines(json.out, &problem);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    QVERIFY(!events.isEmpty());
    const QJsonObject last = events.last();
    QCOMPARE(last.value(QLatin1String("event")).toString(), QStringLiteral("error"));
    QCOMPARE(last.value(QLatin1String("error")).toObject().value(QLatin1String("name")).toString(), QStringLiteral("ECONNREFUSED"));
    QCOMPARE(last.value(QLatin1String("error")).toObject().value(QLatin1String("code")).toInt(), ECONNREFUSED);
}

void tst_CliInterop::jsonLinesCarryTheDocumentedFields()
{
    // serve --json: the first line says where it listens.
    QProcess serve;
    const QString first = startAndReadLine(serve, cliPath(), {QStringLiteral("serve"), QStringLiteral("tcp"), QStringLiteral("--json")});
    const QJsonObject listening = QJsonDocument::fromJson(first.toUtf8()).object();
    QCOMPARE(listening.value(QLatin1String("event")).toString(), QStringLiteral("listening"));
    QCOMPARE(listening.value(QLatin1String("protocol")).toString(), QStringLiteral("tcp"));
    QCOMPARE(listening.value(QLatin1String("mode")).toString(), QStringLiteral("echo"));
    const int port = listening.value(QLatin1String("port")).toInt();
    QVERIFY(port > 0);
    QCOMPARE(listening.value(QLatin1String("address")).toString(), QStringLiteral("127.0.0.1:%1").arg(port));

    // connect --json against it: every line is an event; data carries text and hex.
    const Run cli = run(cliPath(), {QStringLiteral("connect"), QStringLiteral("tcp"), QStringLiteral("127.0.0.1"),
                                    QString::number(port), QStringLiteral("--send-hex"), QStringLiteral("68 69 0a"),
                                    QStringLiteral("--shutdown-write"), QStringLiteral("--json")});
    QVERIFY2(cli.exitCode == 0, cli.err.constData());
    QString problem;
    const QList<QJsonObject> events = jsonLines(cli.out, &problem);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    bool sawConnect = false;
    QByteArray in;
    QByteArray out;
    for (const QJsonObject &e : events) {
        const QString kind = e.value(QLatin1String("event")).toString();
        QVERIFY(e.value(QLatin1String("session")).isDouble());
        QVERIFY(e.value(QLatin1String("t_ns")).isDouble());
        if (kind == u"call") {
            QVERIFY(e.value(QLatin1String("code")).isString());
            sawConnect |= e.value(QLatin1String("code")).toString().startsWith(QLatin1String("s.connect((\"127.0.0.1\", "));
        } else if (kind == u"data") {
            const QByteArray hex = e.value(QLatin1String("hex")).toString().toLatin1();
            const QByteArray bytes = QByteArray::fromHex(hex);
            QCOMPARE(e.value(QLatin1String("text")).toString(), QString::fromUtf8(bytes));
            QCOMPARE(e.value(QLatin1String("bytes")).toInt(), bytes.size());
            (e.value(QLatin1String("direction")).toString() == u"in" ? in : out) += bytes;
        }
    }
    QVERIFY(sawConnect);
    QCOMPARE(out, QByteArray("hi\n"));
    QCOMPARE(in, QByteArray("hi\n"));

    serve.terminate();
    QVERIFY(serve.waitForFinished(5000));
    QCOMPARE(serve.exitCode(), 0);
    const QList<QJsonObject> served = jsonLines(serve.readAllStandardOutput(), &problem);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    QCOMPARE(served.last().value(QLatin1String("event")).toString(), QStringLiteral("stopped"));
    QCOMPARE(served.last().value(QLatin1String("signal")).toInt(), 15);
}

void tst_CliInterop::badArgumentsExitOne_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QStringList>("mentions");
    QTest::newRow("serve port 70000") << QStringList{"serve", "tcp", "--port", "70000"} << QStringList{"port", "70000"};
    QTest::newRow("serve port abc") << QStringList{"serve", "udp", "--port", "abc"} << QStringList{"port", "abc"};
    QTest::newRow("connect port 70000") << QStringList{"connect", "tcp", "127.0.0.1", "70000"} << QStringList{"PORT", "70000"};
    QTest::newRow("connect port -1") << QStringList{"connect", "udp", "127.0.0.1", "--", "-1"} << QStringList{"PORT", "-1"};
    QTest::newRow("unknown protocol") << QStringList{"serve", "sctp"} << QStringList{"tcp or udp"};
    QTest::newRow("bad mode") << QStringList{"serve", "tcp", "--mode", "shout"} << QStringList{"--mode"};
}

void tst_CliInterop::badArgumentsExitOne()
{
    QFETCH(QStringList, args);
    QFETCH(QStringList, mentions);
    const Run cli = run(cliPath(), args);
    QCOMPARE(cli.status, QProcess::NormalExit);
    QCOMPARE(cli.exitCode, 1);
    for (const QString &word : mentions)
        QVERIFY2(cli.err.contains(word.toUtf8()), cli.err.constData());
    QVERIFY(cli.out.isEmpty()); // nothing started, nothing listened
}

QTEST_GUILESS_MAIN(tst_CliInterop)
#include "tst_cliinterop.moc"
