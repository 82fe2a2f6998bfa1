// sockscope-cli connect --step: send scripts against our own upper server and a python3
// peer, a failing expect that ends within its timeout naming the step and what arrived,
// and bad steps refused as usage errors.

#include <QElapsedTimer>
#include <QProcess>
#include <QRegularExpression>
#include <QTest>

namespace {

// Answers each line "OK <line>" and prints what it got when the client closes.
const char kPeerPy[] = R"PY(
import socket, sys
l = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
l.bind(("127.0.0.1", 0))
l.listen(1)
print(l.getsockname()[1], flush=True)
l.settimeout(10)
c, _ = l.accept()
got = []
for line in c.makefile("rb"):
    line = line.rstrip(b"\n")
    got.append(line.decode())
    c.sendall(b"OK " + line + b"\n")
print("got", got, flush=True)
)PY";

QString cli()
{
    return qEnvironmentVariable("SOCKSCOPE_CLI");
}

// Reads the port a child prints on its first line ("listening on 127.0.0.1:P" or "P").
quint16 firstLinePort(QProcess &child)
{
    while (!child.canReadLine()) {
        if (!child.waitForReadyRead(5000))
            return 0;
    }
    const QString line = QString::fromUtf8(child.readLine()).trimmed();
    const auto m = QRegularExpression(QStringLiteral("(\\d+)$")).match(line);
    return m.hasMatch() ? quint16(m.captured(1).toUInt()) : 0;
}

struct Run
{
    int code = -1;
    QString out;
    QString err;
    qint64 ms = 0;
};

Run runConnect(quint16 port, const QStringList &steps)
{
    QStringList args{QStringLiteral("connect"), QStringLiteral("tcp"), QStringLiteral("127.0.0.1"), QString::number(port)};
    for (const QString &step : steps)
        args << QStringLiteral("--step") << step;
    QProcess p;
    QElapsedTimer clock;
    clock.start();
    p.start(cli(), args);
    if (!p.waitForFinished(20000)) {
        p.kill();
        p.waitForFinished();
    }
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, QString::fromUtf8(p.readAllStandardOutput()),
            QString::fromUtf8(p.readAllStandardError()), clock.elapsed()};
}

// How long `connect` takes when nothing waits: what a failing run may add to its timeout.
qint64 baselineMs(quint16 port)
{
    qint64 best = 1'000'000;
    for (int i = 0; i < 3; ++i)
        best = std::min(best, runConnect(port, {QStringLiteral("send:x\\n")}).ms);
    return best;
}

} // namespace

class tst_ScriptCli : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase() { QVERIFY2(!cli().isEmpty(), "SOCKSCOPE_CLI must name sockscope-cli"); }
    void againstUpperServer();
    void againstPythonPeer();
    void failingExpectExits3InTime();
    void jsonStepEvents();
    void badStepIsAUsageError_data();
    void badStepIsAUsageError();
};

void tst_ScriptCli::againstUpperServer()
{
    QProcess server;
    server.start(cli(), {QStringLiteral("serve"), QStringLiteral("tcp"), QStringLiteral("--mode"), QStringLiteral("upper")});
    const quint16 port = firstLinePort(server);
    QVERIFY(port);
    const Run r = runConnect(port, {QStringLiteral("send:hello\\n"), QStringLiteral("expect:equals:HELLO@3"), QStringLiteral("sleep:200"),
                                 QStringLiteral("send:again {{COUNTER}}\\n"), QStringLiteral("expect:regex:^AGAIN \\d$@3")});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY2(r.err.contains(QStringLiteral("step 2 (expect:equals:HELLO@3): matched \"HELLO\"")), qPrintable(r.err));
    QVERIFY2(r.err.contains(QStringLiteral("step 5 (expect:regex:^AGAIN \\d$@3): matched \"AGAIN 1\"")), qPrintable(r.err));
    QVERIFY2(r.ms >= 200, qPrintable(QString::number(r.ms))); // the sleep was kept
    QCOMPARE(r.out, QStringLiteral("HELLO\nAGAIN 1\n"));      // stdout: what arrived, unchanged
    server.terminate();
    server.waitForFinished(5000);
}

void tst_ScriptCli::againstPythonPeer()
{
    QProcess peer;
    peer.start(QStringLiteral("python3"), {QStringLiteral("-c"), QString::fromUtf8(kPeerPy)});
    const quint16 port = firstLinePort(peer);
    QVERIFY(port);
    const Run r = runConnect(port, {QStringLiteral("send:PING 1\\nPING 2\\n"), QStringLiteral("expect:equals:OK PING 1@3"),
                                 QStringLiteral("sleep:50"), QStringLiteral("expect:prefix:OK PING@3"),
                                 QStringLiteral("sendhex:50 49 4e 47 20 33 0a"), QStringLiteral("expect:hex:4f 4b 20 50 49 4e 47 20 33@3"),
                                 QStringLiteral("shutdown")});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY2(r.err.contains(QStringLiteral("step 4 (expect:prefix:OK PING@3): matched \"OK PING 2\"")), qPrintable(r.err));
    QVERIFY(peer.waitForFinished(5000));
    QCOMPARE(QString::fromUtf8(peer.readAll()).trimmed(), QStringLiteral("got ['PING 1', 'PING 2', 'PING 3']"));
}

void tst_ScriptCli::failingExpectExits3InTime()
{
    QProcess server;
    server.start(cli(), {QStringLiteral("serve"), QStringLiteral("tcp"), QStringLiteral("--mode"), QStringLiteral("upper")});
    const quint16 port = firstLinePort(server);
    QVERIFY(port);
    const qint64 base = baselineMs(port);
    const Run r = runConnect(port, {QStringLiteral("send:hello\\npart"), QStringLiteral("expect:equals:NOPE@0.8")});
    QCOMPARE(r.code, 3);
    qInfo("timeout 800 ms: exited after %lld ms (a run without waiting: %lld ms)", r.ms, base);
    QVERIFY2(r.ms >= 800 && r.ms <= 800 + base + 300, qPrintable(QString::number(r.ms)));
    const QStringList lines = r.err.split(u'\n', Qt::SkipEmptyParts).filter(QStringLiteral("sockscope-cli:"));
    QCOMPARE(lines.size(), 1);
    QCOMPARE(lines[0], QStringLiteral("sockscope-cli: connect: step 2 (expect:equals:NOPE@0.8): timed out after 0.8 s; arrived: "
                                      "1 message(s) that did not match: \"HELLO\"; 4 bytes of an unfinished message: \"PART\""));
    server.terminate();
    server.waitForFinished(5000);
}

void tst_ScriptCli::jsonStepEvents()
{
    QProcess server;
    server.start(cli(), {QStringLiteral("serve"), QStringLiteral("tcp"), QStringLiteral("--mode"), QStringLiteral("upper")});
    const quint16 port = firstLinePort(server);
    QVERIFY(port);
    QProcess p;
    p.start(cli(), {QStringLiteral("connect"), QStringLiteral("tcp"), QStringLiteral("127.0.0.1"), QString::number(port),
                    QStringLiteral("--json"), QStringLiteral("--step"), QStringLiteral("send:ok\\n"), QStringLiteral("--step"),
                    QStringLiteral("expect:equals:no@0.3")});
    QVERIFY(p.waitForFinished(5000));
    QCOMPARE(p.exitCode(), 3);
    const QStringList steps = QString::fromUtf8(p.readAllStandardOutput()).split(u'\n').filter(QStringLiteral("\"event\":\"step\""));
    QCOMPARE(steps.size(), 2);
    QVERIFY2(steps[0].contains(QStringLiteral("\"ok\":true")) && steps[0].contains(QStringLiteral("\"step\":1")), qPrintable(steps[0]));
    QVERIFY2(steps[1].contains(QStringLiteral("\"ok\":false")) && steps[1].contains(QStringLiteral("\\\"OK\\\"")), qPrintable(steps[1]));
    server.terminate();
    server.waitForFinished(5000);
}

void tst_ScriptCli::badStepIsAUsageError_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("error");
    const auto words = [](const char *text) { return QString::fromUtf8(text).split(u' '); };
    QTest::newRow("unknown") << words("--step send:a --step wait:5")
                             << QStringLiteral("connect: --step 2: 'wait:5' is not a step; accepted: send:TEXT, sendhex:HEX, "
                                               "expect:KIND:PATTERN[@SECONDS]");
    QTest::newRow("bad kind") << words("--step expect:startswith:x") << QStringLiteral("--step 1: expect: give expect:KIND:PATTERN[@SECONDS]");
    QTest::newRow("bad sleep") << words("--step sleep:x") << QStringLiteral("--step 1: sleep:MS: give milliseconds");
    QTest::newRow("open repeat") << words("--step repeat:2 --step send:a") << QStringLiteral("--step 1: repeat:N is never closed with end");
    QTest::newRow("with --send") << words("--send hi --step send:a") << QStringLiteral("--send: not with --step");
    QTest::newRow("framing alone") << words("--framing line") << QStringLiteral("--framing: cuts messages for --step expect");
    QTest::newRow("bad framing") << words("--framing lines --step send:a") << QStringLiteral("'lines' is not a framing");
}

void tst_ScriptCli::badStepIsAUsageError()
{
    QFETCH(QStringList, args);
    QFETCH(QString, error);
    QProcess p;
    // Port 9 on loopback: nothing is ever connected, the arguments are refused first.
    p.start(cli(), QStringList{QStringLiteral("connect"), QStringLiteral("tcp"), QStringLiteral("127.0.0.1"), QStringLiteral("9")} + args);
    QVERIFY(p.waitForFinished(5000));
    const QString err = QString::fromUtf8(p.readAllStandardError());
    QCOMPARE(p.exitCode(), 1);
    QVERIFY2(err.contains(error), qPrintable(err));
}

QTEST_GUILESS_MAIN(tst_ScriptCli)
#include "tst_scriptcli.moc"
