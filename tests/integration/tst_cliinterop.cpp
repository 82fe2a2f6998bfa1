// sockscope-cli against real python3 peers on loopback: the CLI server answers a python3
// socket client, the CLI client talks to a python3 server this test starts.

#include "net/socket.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <unistd.h>

using namespace Qt::StringLiterals;
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

// Sends argv[3] (the file's bytes for "@path") in one sendall() and closes.
const char kSendPy[] = R"PY(
import socket, sys
s = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=5)
arg = sys.argv[3]
s.sendall(open(arg[1:], "rb").read() if arg.startswith("@") else arg.encode())
s.close()
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
    void serveTotalsAndDigest_data();
    void serveTotalsAndDigest();
    void previewCapsEachLine_data();
    void previewCapsEachLine();
    void serveWarnsWhatItExposes_data();
    void serveWarnsWhatItExposes();
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
    QVERIFY2(m.hasMatch(), qPrintable(first + QString::fromUtf8(serve.readAllStandardError())));
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
    QVERIFY2(port.toInt() > 0, qPrintable(port + QString::fromUtf8(server.readAllStandardError())));

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
    QTest::newRow("serve port 70000") << QStringList{u"serve"_s, u"tcp"_s, u"--port"_s, u"70000"_s} << QStringList{u"port"_s, u"70000"_s};
    QTest::newRow("serve port abc") << QStringList{u"serve"_s, u"udp"_s, u"--port"_s, u"abc"_s} << QStringList{u"port"_s, u"abc"_s};
    QTest::newRow("connect port 70000") << QStringList{u"connect"_s, u"tcp"_s, u"127.0.0.1"_s, u"70000"_s} << QStringList{u"PORT"_s, u"70000"_s};
    QTest::newRow("connect port -1") << QStringList{u"connect"_s, u"udp"_s, u"127.0.0.1"_s, u"--"_s, u"-1"_s} << QStringList{u"PORT"_s, u"-1"_s};
    QTest::newRow("unknown protocol") << QStringList{u"serve"_s, u"sctp"_s} << QStringList{u"tcp or udp"_s};
    QTest::newRow("bad mode") << QStringList{u"serve"_s, u"tcp"_s, u"--mode"_s, u"shout"_s} << QStringList{u"--mode"_s};
    QTest::newRow("bad digest") << QStringList{u"serve"_s, u"tcp"_s, u"--digest"_s, u"md5"_s} << QStringList{u"--digest"_s, u"sha256 or none"_s};
    QTest::newRow("negative preview") << QStringList{u"connect"_s, u"tcp"_s, u"127.0.0.1"_s, u"9"_s, u"--preview"_s, u"-1"_s} << QStringList{u"--preview"_s};
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

void tst_CliInterop::serveTotalsAndDigest_data()
{
    QTest::addColumn<QString>("digest");
    QTest::addColumn<bool>("quiet");
    QTest::newRow("sha256") << "sha256" << false;
    QTest::newRow("sha256 quiet") << "sha256" << true;
    QTest::newRow("none quiet") << "none" << true;
}

void tst_CliInterop::serveTotalsAndDigest()
{
    QFETCH(QString, digest);
    QFETCH(bool, quiet);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("payload.bin"));
    QByteArray payload(3'000'001, Qt::Uninitialized);
    for (qsizetype i = 0; i < payload.size(); ++i)
        payload[i] = char((i * 7919) >> 3);
    {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly) && f.write(payload) == payload.size());
    }
    // The reference digest is sha256sum's, not ours.
    const Run sum = run(QStringLiteral("sha256sum"), {path});
    QCOMPARE(sum.exitCode, 0);
    const QByteArray expected = sum.out.left(64);

    QStringList args{QStringLiteral("serve"), QStringLiteral("tcp"), QStringLiteral("--mode"), QStringLiteral("discard"),
                     QStringLiteral("--digest"), digest};
    if (quiet)
        args << QStringLiteral("--quiet");
    QProcess serve;
    const auto m = QRegularExpression(QStringLiteral(R"(:(\d+)$)")).match(startAndReadLine(serve, cliPath(), args));
    QVERIFY(m.hasMatch());
    const Run client = runPython(kSendPy, {QStringLiteral("127.0.0.1"), m.captured(1), u'@' + path});
    QVERIFY2(client.exitCode == 0, client.err.constData());
    // The connection's totals come when it ends (the discard server closes at EOF).
    QByteArray out;
    QTRY_VERIFY((out += serve.readAllStandardOutput()).contains("totals:"));
    QByteArray rest;
    stopServe(serve, &rest);
    out += rest;
    const QByteArray want = "totals: received 3000001 bytes in ";
    QVERIFY2(out.contains(want), out.constData());
    const QByteArray totals = out.mid(out.indexOf(want));
    if (digest == u"sha256")
        QVERIFY2(totals.contains(", sha256 " + expected + "; sent 0 bytes in 0 records"), totals.constData());
    else
        QVERIFY2(totals.contains(", digest none; sent 0 bytes in 0 records, digest none"), totals.constData());
    // Quiet: no event lines at all, only the totals.
    QCOMPARE(out.contains("recv "), !quiet);
    QCOMPARE(out.contains("conn.close()"), !quiet);
}

void tst_CliInterop::previewCapsEachLine_data()
{
    QTest::addColumn<QStringList>("options");
    QTest::addColumn<QByteArray>("line");
    const QByteArray head = "[#2] recv 100 bytes";
    QTest::newRow("default 64") << QStringList{} << head + ": " + QByteArray(64, 'x') + " … (36 more)";
    QTest::newRow("4") << QStringList{u"--preview"_s, u"4"_s} << head + ": xxxx … (96 more)";
    QTest::newRow("0") << QStringList{u"--preview"_s, u"0"_s} << head + "\n";
    QTest::newRow("whole") << QStringList{u"--preview"_s, u"100"_s} << head + ": " + QByteArray(100, 'x') + "\n";
    QTest::newRow("json 4") << QStringList{u"--preview"_s, u"4"_s, u"--json"_s}
                            << QByteArray(R"("bytes":100,"call":"recv","direction":"in","event":"data","hex":"78787878",)"
                                          R"("session":2,"t_ns":)");
}

void tst_CliInterop::previewCapsEachLine()
{
    QFETCH(QStringList, options);
    QFETCH(QByteArray, line);
    QProcess serve;
    const QString first = startAndReadLine(serve, cliPath(), QStringList{u"serve"_s, u"tcp"_s, u"--mode"_s, u"discard"_s} + options);
    const bool json = options.contains(QStringLiteral("--json"));
    const int port = json ? QJsonDocument::fromJson(first.toUtf8()).object().value(QLatin1String("port")).toInt()
                          : first.section(u':', -1).toInt();
    QVERIFY2(port > 0, qPrintable(first));
    // One 100-byte send arrives as one recv() on loopback.
    const Run client = runPython(kSendPy, {QStringLiteral("127.0.0.1"), QString::number(port), QString(100, u'x')});
    QVERIFY2(client.exitCode == 0, client.err.constData());
    // The client left: the discard server closed and printed its totals.
    QByteArray rest;
    QTRY_VERIFY((rest += serve.readAllStandardOutput()).contains(json ? "\"totals\"" : "totals:"));
    serve.terminate();
    QVERIFY(serve.waitForFinished(5000));
    rest += serve.readAllStandardOutput();
    QVERIFY2(rest.contains(line), rest.constData());
    if (json) {
        QVERIFY2(rest.contains(R"("text":"xxxx","truncated":true})"), rest.constData());
        QVERIFY2(rest.contains(R"("event":"totals")"), rest.constData());
    }
}

void tst_CliInterop::serveWarnsWhatItExposes_data()
{
    QTest::addColumn<QString>("protocol");
    QTest::addColumn<QString>("bind"); // empty: the default
    QTest::addColumn<bool>("isolated"); // in an empty network namespace: nothing can reach it
    QTest::addColumn<QString>("warning"); // empty: no warning line
    const QString everywhere = QStringLiteral("accepts %1 from every network this machine is on");
    QTest::newRow("tcp, default bind") << "tcp" << QString() << false << QString();
    QTest::newRow("udp, default bind") << "udp" << QString() << false << QString();
    QTest::newRow("tcp ::1") << "tcp" << "::1" << false << QString();
    QTest::newRow("tcp 0.0.0.0") << "tcp" << "0.0.0.0" << true << (QStringLiteral("0.0.0.0 ") + everywhere.arg(QStringLiteral("connections")));
    QTest::newRow("tcp ::") << "tcp" << "::" << true << (QStringLiteral(":: ") + everywhere.arg(QStringLiteral("connections")));
    QTest::newRow("udp 0.0.0.0") << "udp" << "0.0.0.0" << true << (QStringLiteral("0.0.0.0 ") + everywhere.arg(QStringLiteral("datagrams")));
    // TEST-NET-1 is no address of this machine: bind() fails, after the warning.
    QTest::newRow("tcp 192.0.2.7") << "tcp" << "192.0.2.7" << false
                                   << QStringLiteral("192.0.2.7 accepts connections from other machines on its network");
}

// One stderr line says what a non-loopback bind opens; stdout (the event stream) is
// untouched. Every address is bound only inside `unshare --net`: tests stay on loopback.
void tst_CliInterop::serveWarnsWhatItExposes()
{
    QFETCH(QString, protocol);
    QFETCH(QString, bind);
    QFETCH(bool, isolated);
    QFETCH(QString, warning);
    QStringList args{QStringLiteral("serve"), protocol, QStringLiteral("--mode"), QStringLiteral("discard")};
    if (!bind.isEmpty())
        args << QStringLiteral("--bind") << bind;
    QString program = cliPath();
    if (isolated) {
        if (geteuid() != 0)
            QSKIP("binds every address only inside an empty network namespace, which needs root (unshare --net)");
        program = QStandardPaths::findExecutable(QStringLiteral("unshare"));
        QVERIFY2(!program.isEmpty(), "unshare (util-linux) isolates the wildcard bind");
        args.prepend(cliPath());
        args.prepend(QStringLiteral("--net"));
    }
    QProcess serve;
    const QString first = startAndReadLine(serve, program, args);
    serve.terminate(); // a failed bind has ended it already
    QVERIFY(serve.state() == QProcess::NotRunning || serve.waitForFinished(5000));
    const QString err = QString::fromUtf8(serve.readAllStandardError());
    const QStringList warnings = err.split(u'\n').filter(QStringLiteral("warning:"));
    if (warning.isEmpty()) {
        QVERIFY2(warnings.isEmpty(), qPrintable(err));
        QVERIFY2(first.startsWith(u"listening on "), qPrintable(first + err));
        return;
    }
    QCOMPARE(warnings.size(), 1);
    QVERIFY2(warnings[0].startsWith(QStringLiteral("sockscope-cli: serve: warning: ") + warning), qPrintable(warnings[0]));
    QVERIFY2(warnings[0].contains(u"--bind 127.0.0.1"), qPrintable(warnings[0]));
    QVERIFY(!first.contains(u"warning"));
    if (isolated)
        QVERIFY2(first.startsWith(u"listening on "), qPrintable(first + err));
}

QTEST_GUILESS_MAIN(tst_CliInterop)
#include "tst_cliinterop.moc"
