// `sockscope-cli capture --json` against tshark capturing the same flow in the same run:
// both start on `lo` with a filter for one port, a real loopback connection is made with
// core::Socket (handshake, exchange, teardown; and a refused connect), and the two tools
// must list the same segments in the same order: flags, ports, relative seq and ack,
// payload length and the raw window field. Also: --count, usage errors, and the clear
// message (PCAP_ERROR_PERM_DENIED with the setcap hint, within a second) when the CLI
// runs as an unprivileged user.

#include "../common/loopbackpair.h"

#include "observe/segment.h"

#include <QElapsedTimer>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <unistd.h>

using namespace Qt::StringLiterals;
using namespace sockscope::core;
using namespace sockscope::tests;

namespace {

// "41234>5000 S. seq 0 ack 1 len 0 win 65483": what both tools must agree on.
using Listing = QStringList;

QString row(int src, int dst, quint8 flags, qint64 seq, qint64 ack, qint64 len, qint64 win)
{
    return QStringLiteral("%1>%2 %3 seq %4 ack %5 len %6 win %7").arg(src).arg(dst).arg(tcpFlagsText(flags)).arg(seq).arg(ack).arg(len).arg(win);
}

int portOf(const QString &endpoint)
{
    return endpoint.section(u':', -1).toInt();
}

Listing cliListing(const QByteArray &out)
{
    Listing rows;
    for (const QByteArray &line : out.split('\n')) {
        if (line.isEmpty())
            continue;
        const QJsonObject o = QJsonDocument::fromJson(line).object();
        rows << row(portOf(o[u"src"].toString()), portOf(o[u"dst"].toString()), *tcpFlagsFromText(o[u"flags"].toString()),
                    o[u"seq"].toInteger(), o[u"ack"].toInteger(), o[u"len"].toInteger(), o[u"win"].toInteger());
    }
    return rows;
}

// tshark -T fields: srcport,dstport,flags(hex),seq,ack,len,window_size_value; seq and
// ack relative (tshark's default).
Listing tsharkListing(const QByteArray &out)
{
    Listing rows;
    for (const QByteArray &line : out.split('\n')) {
        const QList<QByteArray> f = line.trimmed().split(',');
        if (f.size() != 7)
            continue;
        rows << row(f[0].toInt(), f[1].toInt(), quint8(f[2].toUInt(nullptr, 16) & 0xff), f[3].toLongLong(), f[4].toLongLong(),
                    f[5].toLongLong(), f[6].toLongLong());
    }
    return rows;
}

QStringList flagsOnly(const Listing &rows)
{
    QStringList out;
    for (const QString &r : rows)
        out << r.section(u' ', 1, 1);
    return out;
}

// Reads a process's stderr until `marker` shows up.
bool waitForStderr(QProcess &p, const QByteArray &marker, QByteArray &seen, int timeoutMs)
{
    if (!p.waitForStarted(10000))
        return false;
    QElapsedTimer t;
    t.start();
    while (!seen.contains(marker) && t.elapsed() < timeoutMs && p.state() == QProcess::Running) {
        p.waitForReadyRead(50);
        seen += p.readAllStandardError();
    }
    return seen.contains(marker);
}

bool waitForLines(QProcess &p, QByteArray &out, int lines, int timeoutMs)
{
    QElapsedTimer t;
    t.start();
    while (out.count('\n') < lines && t.elapsed() < timeoutMs) {
        p.waitForReadyRead(20);
        out += p.readAllStandardOutput();
    }
    return out.count('\n') >= lines;
}

QByteArray stop(QProcess &p, QByteArray out)
{
    p.terminate();
    p.waitForFinished(10000);
    return out + p.readAllStandardOutput();
}

const QStringList kAsNobody = {QStringLiteral("--reuid=65534"), QStringLiteral("--regid=65534"),
                               QStringLiteral("--clear-groups"), QStringLiteral("--inh-caps=-all")};

} // namespace

class tst_CaptureCli : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void agreesWithTshark_data();
    void agreesWithTshark();
    void countStops();
    void usageErrors_data();
    void usageErrors();
    void noSuchInterface();
    void withoutPermission_data();
    void withoutPermission();
};

void tst_CaptureCli::initTestCase()
{
    QVERIFY2(!qEnvironmentVariableIsEmpty("SOCKSCOPE_CLI"), "SOCKSCOPE_CLI must name the built sockscope-cli");
    QVERIFY2(!QStandardPaths::findExecutable(QStringLiteral("tshark")).isEmpty(), "tshark is the oracle here");
}

void tst_CaptureCli::agreesWithTshark_data()
{
    QTest::addColumn<int>("family");
    QTest::addColumn<bool>("refused");
    QTest::addColumn<QStringList>("flags");
    const QStringList exchange{u"S"_s, u"S."_s, u"."_s, u"P."_s, u"."_s, u"P."_s, u"."_s, u"F."_s, u"."_s, u"F."_s, u"."_s};
    QTest::newRow("IPv4 handshake, exchange, teardown") << AF_INET << false << exchange;
    QTest::newRow("IPv6 handshake, exchange, teardown") << AF_INET6 << false << exchange;
    QTest::newRow("IPv4 connection refused") << AF_INET << true << QStringList{u"S"_s, u"R."_s};
}

void tst_CaptureCli::agreesWithTshark()
{
    QFETCH(int, family);
    QFETCH(bool, refused);
    QFETCH(QStringList, flags);
    if (geteuid() != 0)
        QSKIP("capturing with tshark and sockscope-capture needs root (or CAP_NET_RAW on both)");

    auto listener = tcpListener(family, 8);
    QVERIFY(listener);
    const quint16 port = localPort(*listener);
    if (refused)
        QVERIFY(listener->close());

    QProcess tshark;
    tshark.start(QStringLiteral("tshark"), {QStringLiteral("-i"), QStringLiteral("lo"), QStringLiteral("-f"), QStringLiteral("tcp port %1").arg(port),
                                           QStringLiteral("-l"), QStringLiteral("-n"), QStringLiteral("-T"), QStringLiteral("fields"),
                                           QStringLiteral("-E"), QStringLiteral("separator=,"), QStringLiteral("-e"), QStringLiteral("tcp.srcport"),
                                           QStringLiteral("-e"), QStringLiteral("tcp.dstport"), QStringLiteral("-e"), QStringLiteral("tcp.flags"),
                                           QStringLiteral("-e"), QStringLiteral("tcp.seq"), QStringLiteral("-e"), QStringLiteral("tcp.ack"),
                                           QStringLiteral("-e"), QStringLiteral("tcp.len"), QStringLiteral("-e"), QStringLiteral("tcp.window_size_value")});
    QProcess cli;
    cli.start(qEnvironmentVariable("SOCKSCOPE_CLI"), {QStringLiteral("capture"), QStringLiteral("--port"), QString::number(port), QStringLiteral("--json")});
    // Both must be capturing before the first SYN: tshark says so once dumpcap has started
    // ("Capturing on" comes earlier), the CLI once the helper's filter is in place.
    QByteArray tsharkErr;
    QByteArray cliErr;
    QVERIFY2(waitForStderr(tshark, "Capture started", tsharkErr, 20000), tsharkErr.constData());
    QVERIFY2(waitForStderr(cli, "listening on lo", cliErr, 10000), cliErr.constData());

    QByteArray cliOut;
    auto client = Socket::create(family, SOCK_STREAM);
    QVERIFY(client);
    if (refused) {
        QCOMPARE(client->connectEx(Address::loopback(family, port)), ECONNREFUSED);
    } else {
        // Each step waits for the ACK the previous one drew, so none rides on a later segment.
        QVERIFY(client->connect(Address::loopback(family, port)));
        auto accepted = listener->accept();
        QVERIFY(accepted);
        Socket &server = accepted->socket;
        QVERIFY(waitForLines(cli, cliOut, 3, 5000));
        QVERIFY(client->sendAll("hello"));
        QVERIFY(waitForLines(cli, cliOut, 5, 5000));
        QCOMPARE(server.recv(16)->data, QByteArray("hello"));
        QVERIFY(server.sendAll("HELLO, WORLD"));
        QVERIFY(waitForLines(cli, cliOut, 7, 5000));
        QCOMPARE(client->recv(16)->data, QByteArray("HELLO, WORLD"));
        QVERIFY(client->close());
        QVERIFY(waitForLines(cli, cliOut, 9, 5000));
        QVERIFY(server.recv(16)->eof());
        QVERIFY(server.close());
    }
    QVERIFY(waitForLines(cli, cliOut, flags.size(), 5000));
    QByteArray tsharkOut;
    QVERIFY2(waitForLines(tshark, tsharkOut, flags.size(), 10000), tsharkOut.constData());
    QTest::qWait(200); // a fixed wait is the point: anything late would show up in one of them
    cliOut = stop(cli, cliOut);
    tsharkOut = stop(tshark, tsharkOut);

    const Listing ours = cliListing(cliOut);
    const Listing theirs = tsharkListing(tsharkOut);
    QCOMPARE(ours, theirs);
    QCOMPARE(flagsOnly(ours), flags);
    qInfo().noquote() << "sockscope-cli and tshark both list:" << ours.join(QStringLiteral(" | "));
    QCOMPARE(cli.exitStatus(), QProcess::NormalExit);
    QCOMPARE(cli.exitCode(), 0);
}

void tst_CaptureCli::countStops()
{
    if (geteuid() != 0)
        QSKIP("capturing needs root (or CAP_NET_RAW on sockscope-capture)");
    auto listener = tcpListener(AF_INET, 8);
    QVERIFY(listener);
    const quint16 port = localPort(*listener);
    QProcess cli;
    cli.start(qEnvironmentVariable("SOCKSCOPE_CLI"), {QStringLiteral("capture"), QStringLiteral("--port"), QString::number(port), QStringLiteral("--count"), QStringLiteral("3")});
    QByteArray err;
    QVERIFY2(waitForStderr(cli, "listening on lo", err, 10000), err.constData());
    auto pair = tcpPair(*listener);
    QVERIFY(pair);
    QVERIFY(cli.waitForFinished(5000));
    QCOMPARE(cli.exitCode(), 0);
    const QStringList lines = QString::fromUtf8(cli.readAllStandardOutput()).split(u'\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 3);
    QVERIFY2(lines[0].contains(QStringLiteral("> 127.0.0.1:%1 Flags [S], seq 0, win ").arg(port)), qPrintable(lines[0]));
    QVERIFY2(lines[1].contains(u"Flags [S.], seq 0, ack 1, win "), qPrintable(lines[1]));
    QVERIFY2(lines[2].contains(u"Flags [.], seq 1, ack 1, win "), qPrintable(lines[2]));
}

void tst_CaptureCli::usageErrors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    QTest::newRow("no port") << QStringList{} << "--port";
    QTest::newRow("port 0") << QStringList{u"--port"_s, u"0"_s} << "no port 0";
    QTest::newRow("port not a number") << QStringList{u"--port"_s, u"http"_s} << "not a port";
    QTest::newRow("filter syntax in host") << QStringList{u"--port"_s, u"80"_s, u"--host"_s, u"1.2.3.4 or tcp"_s} << "not a numeric";
    QTest::newRow("bad interface") << QStringList{u"--port"_s, u"80"_s, u"--interface"_s, u"lo or x"_s} << "not an interface";
    QTest::newRow("count 0") << QStringList{u"--port"_s, u"80"_s, u"--count"_s, u"0"_s} << "--count";
    QTest::newRow("positional argument") << QStringList{u"--port"_s, u"80"_s, u"extra"_s} << "takes no arguments";
}

void tst_CaptureCli::usageErrors()
{
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    QProcess cli;
    cli.start(qEnvironmentVariable("SOCKSCOPE_CLI"), QStringList{QStringLiteral("capture")} + args);
    QVERIFY(cli.waitForFinished(10000));
    QCOMPARE(cli.exitCode(), 1);
    const QString err = QString::fromUtf8(cli.readAllStandardError());
    QVERIFY2(err.contains(message), qPrintable(err));
    QVERIFY(cli.readAllStandardOutput().isEmpty());
}

void tst_CaptureCli::noSuchInterface()
{
    if (geteuid() != 0)
        QSKIP("unprivileged, the helper fails with PCAP_ERROR_PERM_DENIED before it looks for the interface");
    QProcess cli;
    cli.start(qEnvironmentVariable("SOCKSCOPE_CLI"), {QStringLiteral("capture"), QStringLiteral("--port"), QStringLiteral("80"),
                                                      QStringLiteral("--interface"), QStringLiteral("nosuch0")});
    QVERIFY(cli.waitForFinished(10000));
    QCOMPARE(cli.exitCode(), 2);
    const QString err = QString::fromUtf8(cli.readAllStandardError());
    QVERIFY2(err.contains(u"PCAP_ERROR_NO_SUCH_DEVICE"), qPrintable(err));
    QVERIFY2(err.contains(u"loopback is `lo`"), qPrintable(err));
}

void tst_CaptureCli::withoutPermission_data()
{
    QTest::addColumn<bool>("json");
    QTest::newRow("text") << false;
    QTest::newRow("json") << true;
}

void tst_CaptureCli::withoutPermission()
{
    QFETCH(bool, json);
    if (geteuid() != 0)
        QSKIP("needs root to run the CLI as the unprivileged user nobody (setpriv)");
    // The CLI and the helper side by side in a directory nobody can enter: the CLI finds
    // the helper beside itself.
    QTemporaryDir dir;
    QFile::setPermissions(dir.path(), QFile::permissions(dir.path()) | QFileDevice::ExeOther | QFileDevice::ReadOther);
    const QString cliCopy = dir.filePath(QStringLiteral("sockscope-cli"));
    const QString helperCopy = dir.filePath(QStringLiteral("sockscope-capture"));
    const QString helper = QFileInfo(qEnvironmentVariable("SOCKSCOPE_CLI")).dir().filePath(QStringLiteral("../capture/sockscope-capture"));
    QVERIFY(QFile::copy(qEnvironmentVariable("SOCKSCOPE_CLI"), cliCopy));
    QVERIFY(QFile::copy(helper, helperCopy));
    for (const QString &f : {cliCopy, helperCopy})
        QFile::setPermissions(f, QFile::permissions(f) | QFileDevice::ExeOther | QFileDevice::ReadOther);

    QProcess cli;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("SOCKSCOPE_CAPTURE"));
    cli.setProcessEnvironment(env);
    QStringList args = kAsNobody + QStringList{cliCopy, QStringLiteral("capture"), QStringLiteral("--port"), QStringLiteral("5000")};
    if (json)
        args << QStringLiteral("--json");
    QElapsedTimer t;
    t.start();
    cli.start(QStandardPaths::findExecutable(QStringLiteral("setpriv")), args);
    QVERIFY(cli.waitForFinished(5000));
    QVERIFY2(t.elapsed() < 1000, qPrintable(QStringLiteral("%1 ms").arg(t.elapsed())));
    QCOMPARE(cli.exitCode(), 2);
    if (json) {
        const QJsonObject o = QJsonDocument::fromJson(cli.readAllStandardOutput()).object();
        QCOMPARE(o[u"event"].toString(), QStringLiteral("error"));
        QCOMPARE(o[u"error"][u"name"].toString(), QStringLiteral("PCAP_ERROR_PERM_DENIED"));
        QCOMPARE(o[u"error"][u"code"].toInt(), -8);
        QVERIFY(o[u"error"][u"hint"].toString().contains(u"setcap cap_net_raw+ep"));
    } else {
        const QString err = QString::fromUtf8(cli.readAllStandardError());
        QVERIFY2(err.contains(u"PCAP_ERROR_PERM_DENIED"), qPrintable(err));
        QVERIFY2(err.contains(u"hint: capturing needs CAP_NET_RAW"), qPrintable(err));
    }
}

QTEST_GUILESS_MAIN(tst_CaptureCli)
#include "tst_capturecli.moc"
