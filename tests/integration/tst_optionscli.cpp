// sockscope-cli options, and --opt on serve and connect, run as a user would, with python3's
// socket module as the oracle for the values read on a fresh socket.

#include "../common/optiontestsupport.h"

#include "net/socketoption.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace sockscope::core;

namespace {

// Reads {"NAME": [level, ...]} from stdin; prints what getsockopt gives on a fresh socket of
// each kind for every option the socket module knows by that name.
const char kOraclePy[] = R"PY(
import json, socket, sys
asked = json.load(sys.stdin)
kinds = {"AF_INET SOCK_STREAM": (socket.AF_INET, socket.SOCK_STREAM),
         "AF_INET SOCK_DGRAM": (socket.AF_INET, socket.SOCK_DGRAM),
         "AF_INET6 SOCK_STREAM": (socket.AF_INET6, socket.SOCK_STREAM),
         "AF_INET6 SOCK_DGRAM": (socket.AF_INET6, socket.SOCK_DGRAM),
         "AF_UNIX SOCK_STREAM": (socket.AF_UNIX, socket.SOCK_STREAM)}
out = {}
for name, (level, kind) in asked.items():
    if not hasattr(socket, name) or kind not in kinds:
        continue
    s = socket.socket(*kinds[kind])
    try:
        out[name] = s.getsockopt(getattr(socket, level), getattr(socket, name))
    except OSError:
        pass
    s.close()
print(json.dumps(out))
)PY";

struct Run
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

Run run(const QStringList &args, const QString &program = qEnvironmentVariable("SOCKSCOPE_CLI"))
{
    QProcess p;
    p.start(program, args);
    Run r;
    if (!p.waitForFinished(20000)) {
        p.kill();
        p.waitForFinished();
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

QJsonObject byName(const QJsonArray &rows, const QString &name)
{
    for (const QJsonValue &v : rows) {
        if (v.toObject().value(QStringLiteral("name")).toString() == name)
            return v.toObject();
    }
    return {};
}

// A sockscope-cli server on loopback; its port once it printed `listening on`.
struct Server
{
    QProcess process;
    QString firstLines;
    quint16 port = 0;

    bool start(const QStringList &extra)
    {
        process.start(qEnvironmentVariable("SOCKSCOPE_CLI"), QStringList{QStringLiteral("serve"), QStringLiteral("tcp")} + extra);
        if (!process.waitForStarted(5000))
            return false;
        while (!process.canReadLine()) {
            if (!process.waitForReadyRead(5000))
                return false;
        }
        firstLines = QString::fromUtf8(process.readLine());
        port = firstLines.trimmed().section(u':', -1).toUShort();
        return port != 0;
    }
    ~Server()
    {
        process.terminate();
        process.waitForFinished(5000);
    }
};

} // namespace

class tst_OptionsCli : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void listsTheWholeTable();
    void valuesMatchPython();
    void filtersByKind_data();
    void filtersByKind();
    void badArguments_data();
    void badArguments();
    void connectReportsTheReadBack();
    void connectJsonReadBack();
    void serveReportsTheReadBack();
    void privilegedOptionWithoutCapability();
};

void tst_OptionsCli::initTestCase()
{
    QVERIFY2(QFile::exists(qEnvironmentVariable("SOCKSCOPE_CLI")), "SOCKSCOPE_CLI must name the built sockscope-cli");
}

void tst_OptionsCli::listsTheWholeTable()
{
    const Run r = run({QStringLiteral("options"), QStringLiteral("--json")});
    QCOMPARE(r.exitCode, 0);
    const QJsonArray rows = QJsonDocument::fromJson(r.out).object().value(QStringLiteral("options")).toArray();
    QCOMPARE(rows.size(), qsizetype(socketOptions().size()));
    const QStringList classic{
        u"SO_ACCEPTCONN"_s, u"SO_BROADCAST"_s, u"SO_DEBUG"_s, u"SO_DONTROUTE"_s, u"SO_ERROR"_s, u"SO_KEEPALIVE"_s, u"SO_LINGER"_s, u"SO_OOBINLINE"_s,
        u"SO_RCVBUF"_s, u"SO_RCVLOWAT"_s, u"SO_RCVTIMEO"_s, u"SO_REUSEADDR"_s, u"SO_SNDBUF"_s, u"SO_SNDLOWAT"_s, u"SO_SNDTIMEO"_s, u"SO_TYPE"_s};
    for (const QString &name : classic) {
        const QJsonObject o = byName(rows, name);
        QCOMPARE(o.value(QStringLiteral("level")).toString(), QStringLiteral("SOL_SOCKET"));
        QVERIFY2(o.value(QStringLiteral("known")).toBool(), qPrintable(name));
        QVERIFY2(!o.value(QStringLiteral("value")).isNull(), qPrintable(name));
    }
    for (const SocketOption &row : socketOptions()) {
        const QJsonObject o = byName(rows, row.nameText());
        QVERIFY2(!o.isEmpty(), row.name);
        QCOMPARE(o.value(QStringLiteral("settable")).toBool(), row.settable());
        QCOMPARE(o.value(QStringLiteral("type")).toString(), optionTypeName(row.type));
        QVERIFY(!o.value(QStringLiteral("explanation")).toString().isEmpty());
        // The kernel knows every row it can be asked about (an unknown one would say ENOPROTOOPT).
        if (row.gettable())
            QVERIFY2(o.value(QStringLiteral("known")).toBool(), row.name);
    }
    QCOMPARE(byName(rows, QStringLiteral("SO_TYPE")).value(QStringLiteral("value")).toInt(), SOCK_STREAM);
    QCOMPARE(byName(rows, QStringLiteral("SO_LINGER")).value(QStringLiteral("value")).toObject().value(QStringLiteral("l_onoff")).toInt(), 0);
    QCOMPARE(byName(rows, QStringLiteral("IP_MTU")).value(QStringLiteral("error")).toObject().value(QStringLiteral("name")).toString(),
             QStringLiteral("ENOTCONN"));
    QVERIFY(byName(rows, QStringLiteral("IP_ADD_MEMBERSHIP")).value(QStringLiteral("value")).isNull());
    // The documented key order.
    QVERIFY(r.out.startsWith("{\"options\":[{\"level\":\"SOL_SOCKET\",\"name\":\"SO_ACCEPTCONN\",\"type\":\"bool\",\"value\":"));
}

void tst_OptionsCli::valuesMatchPython()
{
    const Run r = run({QStringLiteral("options"), QStringLiteral("--json")});
    QCOMPARE(r.exitCode, 0);
    const QJsonArray rows = QJsonDocument::fromJson(r.out).object().value(QStringLiteral("options")).toArray();
    QJsonObject asked;
    QHash<QString, qint64> ours;
    for (const QJsonValue &v : rows) {
        const QJsonObject o = v.toObject();
        const QString type = o.value(QStringLiteral("type")).toString();
        if (!o.value(QStringLiteral("value")).isDouble() || type == u"timeval" || o.value(QStringLiteral("name")).toString() == u"SO_ERROR")
            continue;
        asked.insert(o.value(QStringLiteral("name")).toString(),
                     QJsonArray{o.value(QStringLiteral("level")), o.value(QStringLiteral("socket"))});
        ours.insert(o.value(QStringLiteral("name")).toString(), qint64(o.value(QStringLiteral("value")).toDouble()));
    }
    QProcess py;
    py.start(QStringLiteral("python3"), {QStringLiteral("-c"), QString::fromLatin1(kOraclePy)});
    py.write(QJsonDocument(asked).toJson());
    py.closeWriteChannel();
    QVERIFY(py.waitForFinished(30000));
    QCOMPARE(py.exitCode(), 0);
    const QJsonObject theirs = QJsonDocument::fromJson(py.readAllStandardOutput()).object();
    QVERIFY2(theirs.size() >= 30, "python3 knew too few of the options to be a useful oracle");
    for (auto it = theirs.begin(); it != theirs.end(); ++it) {
        qint64 value = qint64(it.value().toDouble());
        if (it.key() == u"SO_MARK" && value < 0)
            value += 4294967296LL; // Python reads it as a signed int
        QVERIFY2(ours.value(it.key()) == value,
                 qPrintable(QStringLiteral("%1: sockscope %2, python %3").arg(it.key()).arg(ours.value(it.key())).arg(value)));
    }
}

void tst_OptionsCli::filtersByKind_data()
{
    QTest::addColumn<QString>("family");
    QTest::addColumn<QString>("type");
    QTest::addColumn<QString>("present");
    QTest::addColumn<QString>("absent");
    QTest::newRow("unix dgram") << "unix" << "dgram" << "SO_PEERCRED" << "TCP_NODELAY";
    QTest::newRow("inet6 stream") << "inet6" << "stream" << "IPV6_V6ONLY" << "IP_TTL";
    QTest::newRow("inet dgram") << "inet" << "dgram" << "IP_MULTICAST_TTL" << "TCP_INFO";
    QTest::newRow("unix seqpacket") << "unix" << "seqpacket" << "SO_ACCEPTCONN" << "SO_BROADCAST";
}

void tst_OptionsCli::filtersByKind()
{
    QFETCH(QString, family);
    QFETCH(QString, type);
    QFETCH(QString, present);
    QFETCH(QString, absent);
    const Run r = run({QStringLiteral("options"), QStringLiteral("--family"), family, QStringLiteral("--type"), type, QStringLiteral("--json")});
    QCOMPARE(r.exitCode, 0);
    const QJsonArray rows = QJsonDocument::fromJson(r.out).object().value(QStringLiteral("options")).toArray();
    const int f = family == u"inet" ? AF_INET : family == u"inet6" ? AF_INET6 : AF_UNIX;
    const int t = type == u"stream" ? SOCK_STREAM : type == u"dgram" ? SOCK_DGRAM : SOCK_SEQPACKET;
    QCOMPARE(rows.size(), socketOptionsFor(f, t).size());
    QVERIFY(!byName(rows, present).isEmpty());
    QVERIFY(byName(rows, absent).isEmpty());
    for (const QJsonValue &v : rows)
        QCOMPARE(v.toObject().value(QStringLiteral("socket")).toString(), familyName(f) + u' ' + socketTypeName(t));

    const Run text = run({QStringLiteral("options"), QStringLiteral("--family"), family, QStringLiteral("--type"), type});
    QCOMPARE(text.exitCode, 0);
    QVERIFY(text.out.contains(present.toLatin1()));
}

void tst_OptionsCli::badArguments_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("family") << QStringList{u"options"_s, u"--family"_s, u"ipx"_s} << "--family";
    QTest::newRow("type") << QStringList{u"options"_s, u"--type"_s, u"raw"_s} << "--type";
    QTest::newRow("unknown option") << QStringList{u"connect"_s, u"tcp"_s, u"127.0.0.1"_s, u"9"_s, u"--opt"_s, u"SO_WHATEVER=1"_s} << "SO_WHATEVER";
    QTest::newRow("negative buffer") << QStringList{u"connect"_s, u"tcp"_s, u"127.0.0.1"_s, u"9"_s, u"--opt"_s, u"SO_RCVBUF=-1"_s} << "SO_RCVBUF";
    QTest::newRow("TTL 256") << QStringList{u"serve"_s, u"udp"_s, u"--opt"_s, u"IP_TTL=256"_s} << "1 to 255";
    QTest::newRow("no equals") << QStringList{u"serve"_s, u"tcp"_s, u"--opt"_s, u"TCP_NODELAY"_s} << "NAME=VALUE";
    QTest::newRow("tcp option on udp") << QStringList{u"serve"_s, u"udp"_s, u"--opt"_s, u"TCP_NODELAY=1"_s} << "SOCK_STREAM";
    QTest::newRow("read-only") << QStringList{u"serve"_s, u"tcp"_s, u"--opt"_s, u"SO_ERROR=0"_s} << "read-only";
    QTest::newRow("unknown congestion") << QStringList{u"serve"_s, u"tcp"_s, u"--opt"_s, u"TCP_CONGESTION=warp9"_s} << "unknown congestion algorithm";
}

void tst_OptionsCli::badArguments()
{
    QFETCH(QStringList, args);
    QFETCH(QString, mentions);
    const Run r = run(args);
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(QString::fromUtf8(r.err).contains(mentions), r.err.constData());
}

void tst_OptionsCli::connectReportsTheReadBack()
{
    Server server;
    QVERIFY(server.start({}));
    const Run r = run({QStringLiteral("connect"), QStringLiteral("tcp"), QStringLiteral("127.0.0.1"), QString::number(server.port),
                       QStringLiteral("--opt"), QStringLiteral("SO_RCVBUF=65536"), QStringLiteral("--opt"), QStringLiteral("TCP_NODELAY=1"),
                       QStringLiteral("--send"), QStringLiteral("hi"), QStringLiteral("--shutdown-write")});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.out, QByteArray("hi")); // stdout keeps only the peer's bytes
    const QString err = QString::fromUtf8(r.err);
    QVERIFY2(err.contains(u"option SO_RCVBUF: asked 65536, the kernel kept 131072"), qPrintable(err));
    QVERIFY2(err.contains(u"option TCP_NODELAY: asked 1, the kernel kept 1"), qPrintable(err));
    // The trace shows the calls, in order, before connect().
    const qsizetype set = err.indexOf(u"s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 65536)");
    const qsizetype connect = err.indexOf(u"s.connect(");
    QVERIFY(set > 0 && set < connect);
}

void tst_OptionsCli::connectJsonReadBack()
{
    Server server;
    QVERIFY(server.start({}));
    const Run r = run({QStringLiteral("connect"), QStringLiteral("tcp"), QStringLiteral("127.0.0.1"), QString::number(server.port),
                       QStringLiteral("--opt"), QStringLiteral("SO_RCVBUF=65536"), QStringLiteral("--opt"), QStringLiteral("SO_LINGER=on,3"),
                       QStringLiteral("--json"), QStringLiteral("--shutdown-write")});
    QCOMPARE(r.exitCode, 0);
    QHash<QString, QJsonObject> options;
    for (const QByteArray &line : r.out.split('\n')) {
        const QJsonObject o = QJsonDocument::fromJson(line).object();
        if (o.value(QStringLiteral("event")).toString() == u"option")
            options.insert(o.value(QStringLiteral("name")).toString(), o);
    }
    QCOMPARE(options.size(), 2);
    QCOMPARE(options[QStringLiteral("SO_RCVBUF")].value(QStringLiteral("value")).toInt(), 131072);
    QCOMPARE(options[QStringLiteral("SO_RCVBUF")].value(QStringLiteral("asked")).toString(), QStringLiteral("65536"));
    const QJsonObject linger = options[QStringLiteral("SO_LINGER")].value(QStringLiteral("value")).toObject();
    QCOMPARE(linger.value(QStringLiteral("l_onoff")).toInt(), 1);
    QCOMPARE(linger.value(QStringLiteral("l_linger")).toInt(), 3);
}

void tst_OptionsCli::serveReportsTheReadBack()
{
    Server server;
    QVERIFY(server.start({QStringLiteral("--opt"), QStringLiteral("TCP_DEFER_ACCEPT=5"), QStringLiteral("--opt"),
                          QStringLiteral("IPV6_V6ONLY=1")}));
    QVERIFY(server.firstLines.startsWith(u"listening on 127.0.0.1:"));
    QString lines;
    while (!lines.contains(u"IPV6_V6ONLY")) {
        if (!server.process.canReadLine() && !server.process.waitForReadyRead(5000))
            break;
        lines += QString::fromUtf8(server.process.readLine());
    }
    QVERIFY2(lines.contains(u"option TCP_DEFER_ACCEPT: asked 5, the kernel kept 7"), qPrintable(lines));
    QVERIFY2(lines.contains(u"option IPV6_V6ONLY: skipped"), qPrintable(lines));
}

void tst_OptionsCli::privilegedOptionWithoutCapability()
{
    const QString setpriv = QStandardPaths::findExecutable(QStringLiteral("setpriv"));
    if (setpriv.isEmpty())
        QSKIP("setpriv (util-linux) is not installed: the capability cannot be dropped for the child");
    // Dropping the capabilities from the bounding set keeps uid 0 but takes CAP_NET_ADMIN away.
    const Run r = run({QStringLiteral("--bounding-set=-net_admin,-net_raw"), QStringLiteral("--inh-caps=-net_admin,-net_raw"),
                       qEnvironmentVariable("SOCKSCOPE_CLI"), QStringLiteral("serve"), QStringLiteral("tcp"), QStringLiteral("--opt"),
                       QStringLiteral("SO_MARK=7")},
                      setpriv);
    if (r.exitCode == -1 || r.err.contains("setpriv:"))
        QSKIP(qPrintable(QStringLiteral("setpriv cannot drop capabilities here: %1").arg(QString::fromUtf8(r.err))));
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains("EPERM"), r.err.constData());

    if (!sockscope::tests::NetCapabilitiesDropped::held())
        QSKIP("not running with CAP_NET_ADMIN: the privileged success path cannot be tested");
    Server server;
    QVERIFY(server.start({QStringLiteral("--opt"), QStringLiteral("SO_MARK=7")}));
    QVERIFY(server.process.waitForReadyRead(5000) || server.process.canReadLine());
    QCOMPARE(QString::fromUtf8(server.process.readLine()).trimmed(), QStringLiteral("option SO_MARK: asked 7, the kernel kept 7"));
}

QTEST_GUILESS_MAIN(tst_OptionsCli)
#include "tst_optionscli.moc"
