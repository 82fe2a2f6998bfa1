// PcapngWriter: files read back by an independent strict reader (tests/common), and by
// tshark, which must see the same packets, time stamps to the nanosecond, and flags.

#include "../common/pcapngreader.h"
#include "capturerecordings.h"

#include "observe/capture.h"
#include "observe/packetdecoder.h"
#include "observe/pcapngwriter.h"

#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace sockscope::core;
using namespace sockscope::tests;

namespace {

QList<CapturedPacket> recorded(const char *stream)
{
    Capture capture;
    capture.feed(QByteArray("sockscope-capture 1\nready lo 1 262144 ns tcp\n") + stream);
    return capture.snapshot().packets;
}

} // namespace

class tst_PcapngWriter : public QObject
{
    Q_OBJECT
private slots:
    void roundTrip_data();
    void roundTrip();
    void tsharkReadsIt();
    void unwritablePath();
};

void tst_PcapngWriter::roundTrip_data()
{
    QTest::addColumn<QList<CapturedPacket>>("packets");
    QTest::addColumn<int>("linkType");
    QTest::addColumn<QString>("interfaceName");

    QTest::newRow("no packets") << QList<CapturedPacket>{} << LinkType::Ethernet << QStringLiteral("lo");
    QTest::newRow("IPv4 exchange") << recorded(kIpv4Exchange) << LinkType::Ethernet << QStringLiteral("lo");
    QTest::newRow("IPv6 abort") << recorded(kIpv6Abort) << LinkType::Ethernet << QStringLiteral("lo");
    QList<CapturedPacket> odd;
    for (int n = 1; n <= 5; ++n)
        odd << CapturedPacket{1'700'000'000'123'456'789LL + n, quint32(n), QByteArray(n, char(0xa0 + n))};
    QTest::newRow("lengths that need padding") << odd << LinkType::Raw << QString();
    QList<CapturedPacket> cut = recorded(kIpv4Exchange);
    cut[3].data.chop(5);
    QTest::newRow("cut by the snap length") << cut << LinkType::Ethernet << QStringLiteral("eth0.100");
}

void tst_PcapngWriter::roundTrip()
{
    QFETCH(QList<CapturedPacket>, packets);
    QFETCH(int, linkType);
    QFETCH(QString, interfaceName);

    const QByteArray bytes = PcapngWriter::encode(linkType, 262144, interfaceName, packets);
    QCOMPARE(bytes.size() % 4, 0);
    QString why;
    const auto file = readPcapng(bytes, &why);
    QVERIFY2(file, qPrintable(why));
    QCOMPARE(file->linkType, linkType);
    QCOMPARE(file->snaplen, 262144u);
    QCOMPARE(file->interfaceName, interfaceName);
    QCOMPARE(file->tsresol, 9);
    QCOMPARE(file->packets.size(), packets.size());
    for (qsizetype i = 0; i < packets.size(); ++i) {
        QCOMPARE(file->packets[i].wallNs, packets[i].wallNs);
        QCOMPARE(file->packets[i].origLen, packets[i].origLen);
        QCOMPARE(file->packets[i].data, packets[i].data);
    }
}

void tst_PcapngWriter::tsharkReadsIt()
{
    const QString tshark = QStandardPaths::findExecutable(QStringLiteral("tshark"));
    QVERIFY2(!tshark.isEmpty(), "tshark is the oracle here (.ci/install-deps installs it)");
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("flow.pcapng"));
    const QList<CapturedPacket> packets = recorded(kIpv6Exchange);
    QVERIFY(PcapngWriter::writeFile(path, LinkType::Ethernet, 262144, QStringLiteral("lo"), packets));

    QProcess p;
    p.start(tshark, {QStringLiteral("-r"), path, QStringLiteral("-T"), QStringLiteral("fields"), QStringLiteral("-E"),
                     QStringLiteral("separator=,"), QStringLiteral("-e"), QStringLiteral("frame.time_epoch"),
                     QStringLiteral("-e"), QStringLiteral("frame.len"), QStringLiteral("-e"), QStringLiteral("tcp.flags"),
                     QStringLiteral("-e"), QStringLiteral("frame.interface_name")});
    QVERIFY(p.waitForFinished(30000));
    QCOMPARE(p.exitCode(), 0);
    const QStringList lines = QString::fromUtf8(p.readAllStandardOutput()).split(u'\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), packets.size());
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const QStringList f = lines[i].split(u',');
        QCOMPARE(f.size(), 4);
        // "1795444581.238552403": seconds and all nine digits of the nanoseconds.
        const qint64 ns = f[0].section(u'.', 0, 0).toLongLong() * 1'000'000'000 + f[0].section(u'.', 1).leftJustified(9, u'0').toLongLong();
        QCOMPARE(ns, packets[i].wallNs);
        QCOMPARE(f[1].toUInt(), packets[i].origLen);
        const auto segment = PacketDecoder::decode(LinkType::Ethernet, packets[i]);
        QVERIFY(segment);
        QCOMPARE(f[2].toUInt(nullptr, 16), uint(segment->flags));
        QCOMPARE(f[3], QStringLiteral("lo"));
    }
}

void tst_PcapngWriter::unwritablePath()
{
    const auto r = PcapngWriter::writeFile(QStringLiteral("/nonexistent-dir/x.pcapng"), LinkType::Ethernet, 262144, {}, {});
    QVERIFY(!r);
    QCOMPARE(r.error().field(), QStringLiteral("file"));
    QVERIFY(r.error().detail().contains(u"/nonexistent-dir/x.pcapng"));
}

QTEST_GUILESS_MAIN(tst_PcapngWriter)
#include "tst_pcapngwriter.moc"
