// `sockscope-cli states --port P --json` against `ss -tano` from iproute2, run on the same
// port in the same moment: every state of the acceptance list (LISTEN, ESTABLISHED,
// CLOSE_WAIT, FIN_WAIT_2 held and orphaned, TIME_WAIT) is built for real on loopback with
// core::Socket, then both tools must list the same sockets with the same state, queues
// and timer. And `watch` must print the changes of a half-close as they happen.

#include "../common/loopbackpair.h"

#include "observe/sockdiag.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTest>

#include <thread>

using namespace sockscope::core;
using namespace sockscope::tests;

namespace {

// One socket as both tools print it.
struct Row
{
    QString state; // RFC 9293 spelling
    QString local;
    QString peer;
    qint64 recvQ = 0;
    qint64 sendQ = 0;
    QString timer;        // ours: off, retransmit, keepalive, timewait, persist
    qint64 expiresMs = 0;

    QString key() const { return local + u' ' + peer; }
    QString toString() const
    {
        return QStringLiteral("%1 %2 -> %3 q=%4/%5 %6 %7ms").arg(state, local, peer).arg(recvQ).arg(sendQ).arg(timer).arg(expiresMs);
    }
};

using Table = std::map<QString, Row>;

struct CliResult
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

CliResult runCli(const QStringList &args, int timeoutMs = 10000)
{
    CliResult r;
    QProcess p;
    p.start(qEnvironmentVariable("SOCKSCOPE_CLI"), args);
    if (!p.waitForFinished(timeoutMs))
        return r;
    r.exitCode = p.exitCode();
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

// ss writes a timer as "59sec", "1.234ms" (1 s 234 ms), "996ms" or "1min30sec".
qint64 ssMilliseconds(const QString &text)
{
    static const QRegularExpression re(QStringLiteral("^(?:(\\d+)min)?(?:(\\d+)(?:sec|\\.))?(?:(\\d+)ms)?$"));
    const auto m = re.match(text);
    if (!m.hasMatch())
        return -1;
    return m.captured(1).toLongLong() * 60'000 + m.captured(2).toLongLong() * 1000 + m.captured(3).toLongLong();
}

std::optional<Table> ssTable(quint16 port)
{
    QProcess ss;
    ss.start(QStringLiteral("ss"), {QStringLiteral("-tanoH"), QStringLiteral("( sport = :%1 or dport = :%1 )").arg(port)});
    if (!ss.waitForFinished(10000) || ss.exitCode() != 0)
        return std::nullopt;
    static const QRegularExpression timerRe(QStringLiteral("timer:\\((\\w+),([^,]+),\\d+\\)"));
    Table table;
    for (const QString &line : QString::fromUtf8(ss.readAllStandardOutput()).split(u'\n', Qt::SkipEmptyParts)) {
        const QStringList f = line.split(u' ', Qt::SkipEmptyParts);
        if (f.size() < 5)
            return std::nullopt;
        const auto state = tcpStateFromName(f[0]);
        if (!state)
            return std::nullopt;
        Row r{tcpStateName(*state), f[3], f[4], f[1].toLongLong(), f[2].toLongLong(), QStringLiteral("off"), 0};
        if (const auto m = timerRe.match(line); m.hasMatch()) {
            r.timer = m.captured(1) == u"on" ? QStringLiteral("retransmit") : m.captured(1);
            r.expiresMs = ssMilliseconds(m.captured(2));
        }
        table[r.key()] = r;
    }
    return table;
}

std::optional<Table> cliTable(quint16 port, QByteArray *raw = nullptr)
{
    const CliResult r = runCli({QStringLiteral("states"), QStringLiteral("--port"), QString::number(port), QStringLiteral("--tcp"), QStringLiteral("--json")});
    if (r.exitCode != 0)
        return std::nullopt;
    if (raw)
        *raw = r.out;
    Table table;
    for (const QJsonValue &v : QJsonDocument::fromJson(r.out).object().value(QStringLiteral("sockets")).toArray()) {
        const QJsonObject o = v.toObject();
        Row row{o.value(QStringLiteral("state")).toString(), o.value(QStringLiteral("local")).toString(),
                o.value(QStringLiteral("peer")).toString(), o.value(QStringLiteral("recv_q")).toInteger(),
                o.value(QStringLiteral("send_q")).toInteger(), o.value(QStringLiteral("timer")).toString(),
                o.value(QStringLiteral("expires_ms")).toInteger()};
        table[row.key()] = row;
    }
    return table;
}

// Two tools, two moments: equal but for timers, which ran on meanwhile (ss also rounds
// down to whole seconds above 10 s).
bool sameTables(const Table &ours, const Table &ss, QString *why)
{
    if (ours.size() != ss.size()) {
        *why = QStringLiteral("%1 rows from us, %2 from ss").arg(ours.size()).arg(ss.size());
        return false;
    }
    for (const auto &[key, o] : ours) {
        const auto it = ss.find(key);
        if (it == ss.end()) {
            *why = QStringLiteral("ss lacks ") + o.toString();
            return false;
        }
        const Row &s = it->second;
        if (o.state != s.state || o.recvQ != s.recvQ || o.sendQ != s.sendQ || o.timer != s.timer
            || std::abs(o.expiresMs - s.expiresMs) > 1500) {
            *why = QStringLiteral("ours: %1\nss:   %2").arg(o.toString(), s.toString());
            return false;
        }
    }
    return true;
}

// Dumps until the pair is in `state` (or gone, for Closed).
bool waitForState(quint16 port, const Address &local, const Address &peer, TcpState state)
{
    auto diag = SockDiag::open();
    if (!diag)
        return false;
    DiagQuery q;
    q.protocols = int(DiagProtocol::Tcp);
    q.port = port;
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < 5000) {
        const auto dump = diag->dump(q);
        if (!dump)
            return false;
        std::optional<TcpState> now;
        for (const SocketEntry &e : *dump) {
            if (e.local.toString() == local.toString() && e.peer.toString() == peer.toString())
                now = rfcState(*e.tcpState);
        }
        if (now.value_or(TcpState::Closed) == state)
            return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return false;
}

} // namespace

class tst_StatesCli : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void initTestCase_data();
    void agreesWithSs();
    void textOutput();
    void watchPrintsHalfClose();
    void usageErrors_data();
    void usageErrors();
};

void tst_StatesCli::initTestCase()
{
    QVERIFY2(!qEnvironmentVariableIsEmpty("SOCKSCOPE_CLI"), "SOCKSCOPE_CLI must name the built sockscope-cli");
    QVERIFY2(!QStandardPaths::findExecutable(QStringLiteral("ss")).isEmpty(), "ss (iproute2) is the oracle here");
}

void tst_StatesCli::initTestCase_data()
{
    QTest::addColumn<int>("family");
    QTest::newRow("IPv4") << AF_INET;
    QTest::newRow("IPv6") << AF_INET6;
}

void tst_StatesCli::agreesWithSs()
{
    QFETCH_GLOBAL(int, family);
    auto l = tcpListener(family, 5);
    QVERIFY(l);
    const quint16 port = localPort(*l);

    // ESTABLISHED, with 5 bytes the server has not read.
    auto open = tcpPair(*l);
    QVERIFY(open);
    QCOMPARE(*open->client.sendAll("hello"), 5);
    // Half-close: FIN_WAIT_2 (held by its process) and CLOSE_WAIT, 3 bytes unread.
    auto half = tcpPair(*l);
    QVERIFY(half);
    QVERIFY(half->client.shutdown(SHUT_WR));
    QCOMPARE(*half->server.sendAll("bye"), 3);
    // Active close, peer not closed yet: an orphaned FIN_WAIT_2 on the timewait timer.
    auto orphan = tcpPair(*l);
    QVERIFY(orphan);
    const Address oc = *orphan->client.localAddress(), os = *orphan->server.localAddress();
    QVERIFY(orphan->client.close());
    // Active close, then the peer's: TIME_WAIT.
    auto done = tcpPair(*l);
    QVERIFY(done);
    const Address dc = *done->client.localAddress(), ds = *done->server.localAddress();
    QVERIFY(done->client.close());
    QVERIFY(done->server.close());

    QVERIFY(waitForState(port, *half->client.localAddress(), *half->server.localAddress(), TcpState::FinWait2));
    QVERIFY(waitForState(port, *half->server.localAddress(), *half->client.localAddress(), TcpState::CloseWait));
    QVERIFY(waitForState(port, oc, os, TcpState::FinWait2));
    QVERIFY(waitForState(port, dc, ds, TcpState::TimeWait));
    QVERIFY(waitForState(port, ds, dc, TcpState::Closed));
    QTRY_VERIFY(waitForState(port, *open->server.localAddress(), *open->client.localAddress(), TcpState::Established));

    const auto ssBefore = ssTable(port);
    QByteArray raw;
    const auto ours = cliTable(port, &raw);
    const auto ssAfter = ssTable(port);
    QVERIFY(ssBefore && ours && ssAfter);
    QString whyBefore, whyAfter;
    // A TIME_WAIT left on this port number by an earlier run may expire between the
    // runs, so agreeing with ss just before or just after is enough.
    QVERIFY2(sameTables(*ours, *ssBefore, &whyBefore) || sameTables(*ours, *ssAfter, &whyAfter),
             qPrintable(whyBefore + u'\n' + whyAfter));

    // Our sockets are there, each in the state built for it.
    const auto row = [&](const Address &local, const Address &peer) {
        const auto it = ours->find(local.toString() + u' ' + peer.toString());
        return it == ours->end() ? Row{} : it->second;
    };
    const QString anyPeer = family == AF_INET ? QStringLiteral("0.0.0.0:*") : QStringLiteral("[::]:*");
    QCOMPARE(ours->at(l->localAddress()->toString() + u' ' + anyPeer).state, QStringLiteral("LISTEN"));
    QCOMPARE(ours->at(l->localAddress()->toString() + u' ' + anyPeer).sendQ, 5);
    const Row established = row(*open->server.localAddress(), *open->client.localAddress());
    QCOMPARE(established.state, QStringLiteral("ESTABLISHED"));
    QCOMPARE(established.recvQ, 5);
    const Row finWait2 = row(*half->client.localAddress(), *half->server.localAddress());
    QCOMPARE(finWait2.state, QStringLiteral("FIN_WAIT_2"));
    QCOMPARE(finWait2.recvQ, 3);
    QCOMPARE(finWait2.timer, QStringLiteral("off"));
    QCOMPARE(row(*half->server.localAddress(), *half->client.localAddress()).state, QStringLiteral("CLOSE_WAIT"));
    const Row orphaned = row(oc, os);
    QCOMPARE(orphaned.state, QStringLiteral("FIN_WAIT_2"));
    QCOMPARE(orphaned.timer, QStringLiteral("timewait"));
    const Row timeWait = row(dc, ds);
    QCOMPARE(timeWait.state, QStringLiteral("TIME_WAIT"));
    QCOMPARE(timeWait.timer, QStringLiteral("timewait"));
    QVERIFY(timeWait.expiresMs > 0 && timeWait.expiresMs <= 60'000);

    // The JSON is written with the keys in the order.
    static const QRegularExpression shape(QStringLiteral(
        "^\\{\"sockets\":\\[(\\{\"protocol\":\"tcp\",\"state\":\"[A-Z_12]+\",\"local\":\"[^\"]+\",\"peer\":\"[^\"]+\","
        "\"recv_q\":\\d+,\"send_q\":\\d+,\"timer\":\"[a-z]+\",\"expires_ms\":\\d+\\},?)+\\]\\}\n$"));
    QVERIFY2(shape.match(QString::fromUtf8(raw)).hasMatch(), raw.constData());
}

void tst_StatesCli::textOutput()
{
    QFETCH_GLOBAL(int, family);
    auto l = tcpListener(family, 3);
    QVERIFY(l);
    const CliResult r = runCli({QStringLiteral("states"), QStringLiteral("--port"), QString::number(localPort(*l))});
    QCOMPARE(r.exitCode, 0);
    const QStringList lines = QString::fromUtf8(r.out).split(u'\n', Qt::SkipEmptyParts);
    QVERIFY(lines.size() >= 2);
    QVERIFY(lines[0].startsWith(QLatin1String("Proto")));
    bool found = false;
    for (const QString &line : lines.mid(1)) {
        const QStringList f = line.split(u' ', Qt::SkipEmptyParts);
        if (f.size() >= 5 && f[1] == u"LISTEN" && f[4] == l->localAddress()->toString()) {
            QCOMPARE(f[0], QStringLiteral("tcp"));
            QCOMPARE(f[3], QStringLiteral("3"));
            found = true;
        }
    }
    QVERIFY2(found, r.out.constData());
}

void tst_StatesCli::watchPrintsHalfClose()
{
    QFETCH_GLOBAL(int, family);
    auto l = tcpListener(family, 3);
    QVERIFY(l);
    const quint16 port = localPort(*l);
    QProcess watch;
    watch.start(qEnvironmentVariable("SOCKSCOPE_CLI"),
                {QStringLiteral("watch"), QStringLiteral("--port"), QString::number(port), QStringLiteral("--json"),
                 QStringLiteral("--timeout"), QStringLiteral("20")});
    QVERIFY(watch.waitForStarted());

    QList<QJsonObject> changes;
    // Reads lines until `want` changes of `local -> peer` have come, in order.
    const auto expect = [&](const Address &local, const QString &peer, const QStringList &want) {
        QStringList seen;
        QElapsedTimer t;
        t.start();
        while (seen != want && t.elapsed() < 5000) {
            if (!watch.canReadLine() && !watch.waitForReadyRead(200))
                continue;
            while (watch.canReadLine()) {
                const QJsonObject o = QJsonDocument::fromJson(watch.readLine()).object();
                changes.append(o);
                if (o.value(QStringLiteral("local")).toString() == local.toString() && o.value(QStringLiteral("peer")).toString() == peer)
                    seen.append(o.value(QStringLiteral("from")).toString(QStringLiteral("null")) + u'>' + o.value(QStringLiteral("to")).toString());
            }
        }
        return seen == want;
    };
    const QString anyPeer = family == AF_INET ? QStringLiteral("0.0.0.0:*") : QStringLiteral("[::]:*");
    QVERIFY(expect(*l->localAddress(), anyPeer, {QStringLiteral("null>LISTEN")}));

    auto pair = tcpPair(*l);
    QVERIFY(pair);
    const Address c = *pair->client.localAddress(), s = *pair->server.localAddress();
    QVERIFY(expect(c, s.toString(), {QStringLiteral("null>ESTABLISHED")}));
    QVERIFY(pair->client.shutdown(SHUT_WR));
    QVERIFY(expect(c, s.toString(), {QStringLiteral("ESTABLISHED>FIN_WAIT_2")}));
    QVERIFY(pair->server.close());
    QVERIFY(expect(c, s.toString(), {QStringLiteral("FIN_WAIT_2>TIME_WAIT")}));
    QVERIFY(expect(s, c.toString(), {})); // drain
    watch.terminate(); // SIGTERM: a clean exit
    QVERIFY(watch.waitForFinished(5000));
    QCOMPARE(watch.exitStatus(), QProcess::NormalExit);
    QCOMPARE(watch.exitCode(), 0);
    while (watch.canReadLine())
        changes.append(QJsonDocument::fromJson(watch.readLine()).object());

    QStringList server;
    for (const QJsonObject &o : changes) {
        QCOMPARE(o.value(QStringLiteral("source")).toString(), QStringLiteral("sock_diag"));
        QVERIFY(o.value(QStringLiteral("t_ns")).toInteger() > 0);
        if (o.value(QStringLiteral("local")).toString() == s.toString() && o.value(QStringLiteral("peer")).toString() == c.toString())
            server.append(o.value(QStringLiteral("to")).toString());
    }
    QCOMPARE(server, (QStringList{QStringLiteral("ESTABLISHED"), QStringLiteral("CLOSE_WAIT"), QStringLiteral("CLOSED")}));
}

void tst_StatesCli::usageErrors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::newRow("states port not a number") << QStringList{QStringLiteral("states"), QStringLiteral("--port"), QStringLiteral("http")};
    QTest::newRow("states port 0") << QStringList{QStringLiteral("states"), QStringLiteral("--port"), QStringLiteral("0")};
    QTest::newRow("states positional") << QStringList{QStringLiteral("states"), QStringLiteral("tcp")};
    QTest::newRow("watch count 0") << QStringList{QStringLiteral("watch"), QStringLiteral("--count"), QStringLiteral("0")};
    QTest::newRow("watch port too big") << QStringList{QStringLiteral("watch"), QStringLiteral("--port"), QStringLiteral("70000")};
}

void tst_StatesCli::usageErrors()
{
    QFETCH(QStringList, args);
    const CliResult r = runCli(args);
    QCOMPARE(r.exitCode, 1);
    QVERIFY(r.out.isEmpty());
    QVERIFY2(r.err.contains("sockscope-cli:"), r.err.constData());
}

QTEST_GUILESS_MAIN(tst_StatesCli)
#include "tst_statescli.moc"
