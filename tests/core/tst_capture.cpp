// Capture: the helper's stream decoded into numbered segments (recorded streams, fed
// whole and in pieces), error lines and how permission failures are told apart, then the
// real thing: sockscope-capture on `lo` watching a handshake, an exchange, a teardown and
// two kinds of RST made with core::Socket, and the helper run as `nobody` failing with
// PCAP_ERROR_PERM_DENIED in well under a second.

#include "../common/segmentscript.h"
#include "../common/loopbackpair.h"
#include "../common/unprivilegedcapture.h"
#include "../common/tryuntil.h"

#include "capturerecordings.h"

#include "engine/monotonic.h"
#include "observe/capture.h"
#include "observe/packetdecoder.h"
#include "observe/segmentstates.h"

#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <netinet/in.h>
#include <netinet/tcp.h>

#include <unistd.h>

using namespace Qt::StringLiterals;
using namespace sockscope::core;
using namespace sockscope::tests;

namespace {

const QByteArray kHeader = "sockscope-capture 1\nready lo 1 262144 ns tcp and port 5000\n";

QList<quint32> field(const QList<Segment> &segments, quint32 Segment::*member)
{
    QList<quint32> out;
    for (const Segment &s : segments)
        out << s.*member;
    return out;
}

// The pkt lines of a recording from `first` on.
QByteArray packetsFrom(const char *recording, int first)
{
    return QByteArray(recording).split('\n').mid(first).join('\n');
}

QString helperPath()
{
    return Capture::defaultHelperPath();
}

} // namespace

class tst_Capture : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void recordedStreams_data();
    void recordedStreams();
    void failures_data();
    void failures();
    void readyLine();
    void truncatedAndNoisyPackets_data();
    void truncatedAndNoisyPackets();
    void helperProblems();
    void stopAtOnce();
    void live_data();
    void live();
    void burstIsNotDropped();
    void permissionDeniedWithinOneSecond();
    void setcapLetsNobodyCapture();

private:
    // Waits until the capture holds `n` segments (and, after a moment, no more).
    bool waitForSegments(Capture &capture, qsizetype n);
};

void tst_Capture::initTestCase()
{
    QVERIFY2(!helperPath().isEmpty() && QFile::exists(helperPath()),
             "SOCKSCOPE_CAPTURE must name the built sockscope-capture");
}

void tst_Capture::recordedStreams_data()
{
    QTest::addColumn<QByteArray>("stream");
    QTest::addColumn<int>("piece"); // bytes per feed(); 0 = all at once
    QTest::addColumn<QStringList>("flags");
    QTest::addColumn<QList<quint32>>("seq");
    QTest::addColumn<QList<quint32>>("ack");
    QTest::addColumn<QList<quint32>>("len");
    QTest::addColumn<int>("malformed");

    const QStringList exchangeFlags = QStringList{u"S"_s, u"S."_s, u"."_s, u"P."_s, u"."_s, u"P."_s, u"."_s, u"F."_s, u"."_s, u"F."_s, u"."_s};
    const QList<quint32> exchangeSeq{0, 0, 1, 1, 1, 1, 6, 6, 6, 6, 7};
    const QList<quint32> exchangeAck{0, 1, 1, 1, 6, 6, 6, 6, 7, 7, 7};
    const QList<quint32> exchangeLen{0, 0, 0, 5, 0, 5, 0, 0, 0, 0, 0};
    QTest::newRow("IPv4 exchange, whole") << QByteArray(kIpv4Exchange) << 0 << exchangeFlags << exchangeSeq << exchangeAck << exchangeLen << 0;
    QTest::newRow("IPv4 exchange, 1 byte at a time") << QByteArray(kIpv4Exchange) << 1 << exchangeFlags << exchangeSeq << exchangeAck << exchangeLen << 0;
    QTest::newRow("IPv6 exchange, 7 bytes at a time") << QByteArray(kIpv6Exchange) << 7 << exchangeFlags << exchangeSeq << exchangeAck << exchangeLen << 0;
    // The capture began after the handshake: each side's first byte is still 1.
    QTest::newRow("IPv4 exchange, joined mid-flow") << packetsFrom(kIpv4Exchange, 3) << 0 << exchangeFlags.mid(3)
                                                    << exchangeSeq.mid(3) << exchangeAck.mid(3) << exchangeLen.mid(3) << 0;
    QTest::newRow("IPv4 refused") << QByteArray(kIpv4Refused) << 0 << QStringList{u"S"_s, u"R."_s} << QList<quint32>{0, 1}
                                  << QList<quint32>{0, 1} << QList<quint32>{0, 0} << 0;
    QTest::newRow("IPv6 abort") << QByteArray(kIpv6Abort) << 0 << QStringList{u"S"_s, u"S."_s, u"."_s, u"R."_s} << QList<quint32>{0, 0, 1, 1}
                                << QList<quint32>{0, 1, 1, 1} << QList<quint32>{0, 0, 0, 0} << 0;

    // The "hello" segment cut by a small snap length: the length comes from the IP header.
    QList<QByteArray> lines = QByteArray(kIpv4Exchange).split('\n');
    QList<QByteArray> hello = lines[3].split(' ');
    hello[3].chop(10);
    lines[3] = hello.join(' ');
    QTest::newRow("payload cut by the snap length") << lines.join('\n') << 0 << exchangeFlags << exchangeSeq << exchangeAck << exchangeLen << 0;

    QByteArray noisy = QByteArray(kIpv4Exchange);
    noisy.insert(0, "pkt x y z\nbogus line\npkt 1 10 abc\npkt 1 1 00ff00\n");
    // Not TCP (an ARP frame): kept for the pcapng export, no segment.
    noisy.append("pkt 1 42 ffffffffffff000000000000080600010800060400010000000000007f000001000000000000\n");
    QTest::newRow("bad lines are skipped") << noisy << 5 << exchangeFlags << exchangeSeq << exchangeAck << exchangeLen << 4;
}

void tst_Capture::recordedStreams()
{
    QFETCH(QByteArray, stream);
    QFETCH(int, piece);
    QFETCH(QStringList, flags);
    QFETCH(QList<quint32>, seq);
    QFETCH(QList<quint32>, ack);
    QFETCH(QList<quint32>, len);
    QFETCH(int, malformed);

    Capture capture;
    QSignalSpy added(&capture, &Capture::segmentsAdded);
    QSignalSpy failed(&capture, &Capture::failed);
    const QByteArray all = kHeader + stream;
    if (piece == 0) {
        capture.feed(all);
    } else {
        for (qsizetype at = 0; at < all.size(); at += piece)
            capture.feed(QByteArrayView(all).sliced(at, qMin<qsizetype>(piece, all.size() - at)));
    }
    QCOMPARE(failed.count(), 0);
    QCOMPARE(capture.status(), Capture::Status::Capturing);
    QCOMPARE(flagsOf(capture.segments()), flags);
    QCOMPARE(field(capture.segments(), &Segment::seq), seq);
    QCOMPARE(field(capture.segments(), &Segment::ack), ack);
    QCOMPARE(field(capture.segments(), &Segment::len), len);
    QCOMPARE(capture.malformedLines(), quint64(malformed));
    // Signals come per read, never per segment when a read holds several.
    qsizetype signalled = 0;
    for (const auto &args : added)
        signalled += args.at(1).value<qsizetype>();
    QCOMPARE(signalled, capture.segmentCount());
    if (piece == 0)
        QCOMPARE(added.count(), 1);

    const QList<Segment> &segments = capture.segments();
    const Segment &first = segments.first();
    for (qsizetype i = 1; i < segments.size(); ++i)
        QVERIFY2(segments[i].tNs >= segments[i - 1].tNs, "time stamps go forward");
    QCOMPARE(first.tNs - first.wallNs, segments.last().tNs - segments.last().wallNs);
    if (first.has(TcpFlag::Syn)) {
        QVERIFY(first.mss.has_value());
        QVERIFY(first.windowScale.has_value());
        QVERIFY(first.sackPermitted);
    }
    for (const Segment &s : segments) {
        QVERIFY(s.packet >= 0 && s.packet < capture.snapshot().packets.size());
        QCOMPARE(s.src.family(), first.src.family());
    }
}

void tst_Capture::failures_data()
{
    QTest::addColumn<QByteArray>("stream");
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("permission");

    QTest::newRow("no CAP_NET_RAW") << QByteArray("sockscope-capture 1\nerror -8 You don't have permission to perform this capture on that device (socket: Operation not permitted)\n")
                                    << QStringLiteral("PCAP_ERROR_PERM_DENIED") << true;
    QTest::newRow("promiscuous mode refused") << QByteArray("sockscope-capture 1\nerror -11 no\n") << QStringLiteral("PCAP_ERROR_PROMISC_PERM_DENIED") << true;
    // The text says "permission" too: only the code decides.
    QTest::newRow("no such device") << QByteArray("sockscope-capture 1\nerror -5 permission denied? no: no such device\n") << QStringLiteral("PCAP_ERROR_NO_SUCH_DEVICE") << false;
    QTest::newRow("generic error") << QByteArray("sockscope-capture 1\nerror -1 socket: Operation not permitted\n") << QStringLiteral("PCAP_ERROR") << false;
    QTest::newRow("no greeting") << QByteArray("ready lo 1 262144 ns tcp\n") << QStringLiteral("invalid capture stream") << false;
    QTest::newRow("another stream version") << QByteArray("sockscope-capture 2\n") << QStringLiteral("invalid capture stream") << false;
    QTest::newRow("a link type not decoded") << QByteArray("sockscope-capture 1\nready wlan0 127 262144 ns tcp\n") << QStringLiteral("PCAP_ERROR") << false;
}

void tst_Capture::failures()
{
    QFETCH(QByteArray, stream);
    QFETCH(QString, name);
    QFETCH(bool, permission);

    Capture capture;
    QSignalSpy failed(&capture, &Capture::failed);
    QSignalSpy ready(&capture, &Capture::ready);
    capture.feed(stream);
    QCOMPARE(failed.count(), 1);
    QCOMPARE(ready.count(), 0);
    QCOMPARE(capture.status(), Capture::Status::Failed);
    const SysError error = failed.at(0).at(0).value<SysError>();
    QCOMPARE(error.name(), name);
    QCOMPARE(*capture.error(), error);
    QCOMPARE(Capture::isPermissionError(error), permission);
    if (error.code() == -8)
        QVERIFY2(error.hint().contains(u"setcap"), qPrintable(error.hint()));
    capture.feed(QByteArray(kIpv4Exchange));
    QCOMPARE(capture.segmentCount(), 0); // nothing after a failure
}

void tst_Capture::readyLine()
{
    Capture capture;
    QSignalSpy ready(&capture, &Capture::ready);
    capture.feed("sockscope-capture 1\nready lo 1 65535 us tcp and port 80 and ip6 host ::1\n");
    QCOMPARE(ready.count(), 1);
    QVERIFY(capture.isReady());
    QCOMPARE(capture.snapshot().interfaceName, QStringLiteral("lo"));
    QCOMPARE(capture.snapshot().linkType, 1);
    QCOMPARE(capture.snapshot().snaplen, 65535);
    QCOMPARE(capture.snapshot().filter, QStringLiteral("tcp and port 80 and ip6 host ::1"));
    capture.feed("stats 12 3 1\nend\n");
    QCOMPARE(capture.snapshot().kernelDropped, quint64(4));
}

void tst_Capture::truncatedAndNoisyPackets_data()
{
    QTest::addColumn<QByteArray>("stream");
    QTest::newRow("IPv4") << QByteArray(kIpv4Exchange);
    QTest::newRow("IPv6") << QByteArray(kIpv6Exchange);
}

// Wire bytes are untrusted: every prefix of every packet, and packets with bytes
// flipped, must decode to a segment or to nothing, never read past the data (run under
// the asan preset to see it).
void tst_Capture::truncatedAndNoisyPackets()
{
    QFETCH(QByteArray, stream);
    Capture capture;
    capture.feed(kHeader + stream);
    const QList<CapturedPacket> packets = capture.snapshot().packets;
    QVERIFY(!packets.isEmpty());
    int decoded = 0;
    for (const CapturedPacket &p : packets) {
        for (qsizetype n = 0; n <= p.data.size(); ++n) {
            const auto s = PacketDecoder::decode(LinkType::Ethernet, CapturedPacket{p.wallNs, p.origLen, p.data.left(n)});
            // A segment needs everything up to the end of the TCP header and options.
            if (s)
                ++decoded;
        }
        for (const int linkType : {LinkType::Null, LinkType::Raw, LinkType::Loop, LinkType::LinuxSll, LinkType::LinuxSll2, 99999})
            PacketDecoder::decode(linkType, p);
        quint32 noise = 0x9e3779b9;
        for (int round = 0; round < 200; ++round) {
            QByteArray flipped = p.data;
            for (int k = 0; k < 4; ++k) {
                noise = noise * 1664525 + 1013904223;
                flipped[qsizetype(noise % quint32(flipped.size()))] = char(noise >> 24);
            }
            if (const auto s = PacketDecoder::decode(LinkType::Ethernet, CapturedPacket{p.wallNs, p.origLen, flipped}))
                QVERIFY(s->len <= 0xffff);
        }
    }
    // Only the prefixes holding the whole TCP header decode: at least the full packets.
    QVERIFY(decoded >= packets.size());
    QVERIFY(decoded < packets.size() * 20);
}

void tst_Capture::helperProblems()
{
    {
        Capture capture;
        capture.setHelper(QStringLiteral("/nonexistent/sockscope-capture"));
        QSignalSpy failed(&capture, &Capture::failed);
        const auto r = capture.start(*CaptureFilter::forPort(5000));
        QVERIFY(!r);
        QCOMPARE(r.error().domain(), SysError::Domain::Pcap);
        QVERIFY2(r.error().message().contains(u"/nonexistent/sockscope-capture"), qPrintable(r.error().message()));
        QCOMPARE(failed.count(), 0); // returned, not signalled too
        QCOMPARE(capture.status(), Capture::Status::Idle);
    }
    {
        // A command line the helper refuses: exit status 1, its reason as the message.
        Capture capture;
        capture.setHelper(helperPath(), {QStringLiteral("--snaplen"), QStringLiteral("1")});
        QSignalSpy failed(&capture, &Capture::failed);
        QVERIFY(capture.start(*CaptureFilter::forPort(5000)));
        QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 5000);
        const SysError error = failed.at(0).at(0).value<SysError>();
        QCOMPARE(error.domain(), SysError::Domain::Input);
        QVERIFY2(error.detail().contains(u"snaplen"), qPrintable(error.detail()));
    }
}

void tst_Capture::stopAtOnce()
{
    // Stopping before the helper is even ready is a stop, never a failure.
    Capture capture;
    QSignalSpy failed(&capture, &Capture::failed);
    QSignalSpy finished(&capture, &Capture::finished);
    QVERIFY(capture.start(*CaptureFilter::forPort(5000)));
    capture.stop();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 5000);
    QCOMPARE(failed.count(), 0);
    QCOMPARE(capture.status(), Capture::Status::Finished);
}

bool tst_Capture::waitForSegments(Capture &capture, qsizetype n)
{
    tryUntil([&] { return capture.segmentCount() >= n; });
    return capture.segmentCount() == n;
}

void tst_Capture::live_data()
{
    QTest::addColumn<int>("family");
    QTest::addColumn<QString>("scenario");
    QTest::addColumn<QStringList>("flags");

    // Each step waits for the kernel's ACK on the wire before the next call, so no ACK
    // rides on a later segment: the passive side's FIN would otherwise often carry it.
    const QStringList exchange{u"S"_s, u"S."_s, u"."_s, u"P."_s, u"."_s, u"P."_s, u"."_s, u"F."_s, u"."_s, u"F."_s, u"."_s};
    for (const int family : {AF_INET, AF_INET6}) {
        const char *f = family == AF_INET ? "IPv4" : "IPv6";
        QTest::addRow("%s handshake, exchange, teardown", f) << family << QStringLiteral("exchange") << exchange;
        QTest::addRow("%s connection refused", f) << family << QStringLiteral("refused") << QStringList{u"S"_s, u"R."_s};
        QTest::addRow("%s abortive close", f) << family << QStringLiteral("abort") << QStringList{u"S"_s, u"S."_s, u"."_s, u"R."_s};
    }
}

void tst_Capture::live()
{
    QFETCH(int, family);
    QFETCH(QString, scenario);
    QFETCH(QStringList, flags);

    auto listener = tcpListener(family, 8);
    QVERIFY(listener);
    const quint16 port = localPort(*listener);
    if (scenario == u"refused")
        QVERIFY(listener->close());

    Capture capture;
    QSignalSpy failed(&capture, &Capture::failed);
    const qint64 startNs = monotonicNs();
    QVERIFY(capture.start(*CaptureFilter::forPort(port)));
    QTRY_VERIFY_WITH_TIMEOUT(capture.isReady() || failed.count() > 0, 5000);
    if (failed.count() > 0 && geteuid() != 0 && Capture::isPermissionError(*capture.error()))
        QSKIP("not root and sockscope-capture has no CAP_NET_RAW: setcap cap_net_raw+ep it to run this");
    QVERIFY2(capture.isReady(), capture.error() ? qPrintable(capture.error()->toString()) : "no ready line");

    auto client = Socket::create(family, SOCK_STREAM);
    QVERIFY(client);
    const Address server = Address::loopback(family, port);
    if (scenario == u"refused") {
        QCOMPARE(client->connectEx(server), ECONNREFUSED);
        QVERIFY(waitForSegments(capture, 2));
    } else {
        QVERIFY(client->connect(server));
        auto accepted = listener->accept();
        QVERIFY(accepted);
        Socket &peer = accepted->socket;
        QVERIFY(waitForSegments(capture, 3));
        if (scenario == u"abort") {
            QVERIFY(client->abort());
            QVERIFY(waitForSegments(capture, 4));
        } else {
            QVERIFY(client->sendAll("hello"));
            QVERIFY(waitForSegments(capture, 5)); // the server's ACK
            QCOMPARE(peer.recv(16)->data, QByteArray("hello"));
            QVERIFY(peer.sendAll("HELLO"));
            QVERIFY(waitForSegments(capture, 7));
            QCOMPARE(client->recv(16)->data, QByteArray("HELLO"));
            QVERIFY(client->close());
            QVERIFY(waitForSegments(capture, 9)); // FIN, then the server's (delayed) ACK
            QVERIFY(peer.recv(16)->eof());
            QVERIFY(peer.close());
            QVERIFY(waitForSegments(capture, 11));
        }
    }
    QTest::qWait(50); // a fixed wait is the point: nothing more may follow
    QCOMPARE(flagsOf(capture.segments()), flags);

    const QList<Segment> &segments = capture.segments();
    const auto clientAddress = segments.first().src;
    QCOMPARE(segments.first().dst, server);
    QCOMPARE(clientAddress.family(), family);
    for (const Segment &s : segments) {
        QVERIFY2(s.tNs >= startNs && s.tNs <= monotonicNs(), "t_ns is on CLOCK_MONOTONIC");
        QVERIFY((s.src == clientAddress && s.dst == server) || (s.src == server && s.dst == clientAddress));
    }
    if (scenario == u"exchange") {
        QCOMPARE(field(segments, &Segment::seq), (QList<quint32>{0, 0, 1, 1, 1, 1, 6, 6, 6, 6, 7}));
        QCOMPARE(field(segments, &Segment::ack), (QList<quint32>{0, 1, 1, 1, 6, 6, 6, 6, 7, 7, 7}));
        QCOMPARE(field(segments, &Segment::len), (QList<quint32>{0, 0, 0, 5, 0, 5, 0, 0, 0, 0, 0}));
        const auto states = SegmentStates::infer(segments, *SegmentStates::firstFlow(segments));
        QCOMPARE(states.last(), (EndStates{TcpState::TimeWait, TcpState::Closed}));
    }

    QSignalSpy finished(&capture, &Capture::finished);
    capture.stop();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 5000);
    QCOMPARE(capture.status(), Capture::Status::Finished);
    QCOMPARE(failed.count(), 0);
}

// 300 one-byte writes with TCP_NODELAY leave as a burst of small segments faster than the
// helper is scheduled: every one must be in the helper's ring (a 2 MiB ring of 64 KiB
// slots once dropped most of them). The bytes are counted, so autocorking that merges a
// few writes into one segment does not matter.
void tst_Capture::burstIsNotDropped()
{
    constexpr int kWrites = 300;
    auto listener = tcpListener(AF_INET, 8);
    QVERIFY(listener);
    const quint16 port = localPort(*listener);
    Capture capture;
    QSignalSpy failed(&capture, &Capture::failed);
    QVERIFY(capture.start(*CaptureFilter::forPort(port)));
    QTRY_VERIFY_WITH_TIMEOUT(capture.isReady() || failed.count() > 0, 5000);
    if (failed.count() > 0 && geteuid() != 0 && Capture::isPermissionError(*capture.error()))
        QSKIP("not root and sockscope-capture has no CAP_NET_RAW: setcap cap_net_raw+ep it to run this");
    QVERIFY(capture.isReady());

    auto client = Socket::create(AF_INET, SOCK_STREAM);
    QVERIFY(client);
    QVERIFY(client->connect(Address::loopback(AF_INET, port)));
    auto accepted = listener->accept();
    QVERIFY(accepted);
    QVERIFY(client->setIntOption(IPPROTO_TCP, TCP_NODELAY, 1));
    for (int i = 0; i < kWrites; ++i)
        QVERIFY(client->send("x"));
    const Address from = *client->localAddress();
    const auto bytesFromClient = [&] {
        quint64 sum = 0;
        for (const Segment &s : capture.segments())
            sum += s.src == from ? s.len : 0;
        return sum;
    };
    QTRY_COMPARE_WITH_TIMEOUT(bytesFromClient(), quint64(kWrites), 5000);

    QSignalSpy finished(&capture, &Capture::finished);
    capture.stop();
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 5000);
    QCOMPARE(capture.snapshot().kernelDropped, quint64(0));
}

void tst_Capture::permissionDeniedWithinOneSecond()
{
    if (geteuid() != 0)
        QSKIP("needs root to run the helper as the unprivileged user nobody (setpriv)");
    const QString setpriv = QStandardPaths::findExecutable(QStringLiteral("setpriv"));
    QVERIFY2(!setpriv.isEmpty(), "setpriv (util-linux) runs the helper as nobody");
    QTemporaryDir dir;
    const QString helper = publicHelperCopy(dir);
    QVERIFY(!helper.isEmpty());

    Capture capture;
    capture.setHelper(setpriv, kAsNobody + QStringList{helper});
    QSignalSpy failed(&capture, &Capture::failed);
    QSignalSpy finished(&capture, &Capture::finished);
    QElapsedTimer t;
    t.start();
    QVERIFY(capture.start(*CaptureFilter::forPort(5000)));
    QTRY_VERIFY_WITH_TIMEOUT(failed.count() == 1, 1000);
    QVERIFY2(t.elapsed() < 1000, qPrintable(QStringLiteral("%1 ms").arg(t.elapsed())));
    const SysError error = failed.at(0).at(0).value<SysError>();
    QVERIFY2(Capture::isPermissionError(error), qPrintable(error.toString()));
    QCOMPARE(error.name(), QStringLiteral("PCAP_ERROR_PERM_DENIED"));
    QVERIFY(error.hint().contains(u"setcap cap_net_raw+ep"));
    QVERIFY(!capture.isReady());
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 2000);
    QCOMPARE(capture.status(), Capture::Status::Failed);
}

void tst_Capture::setcapLetsNobodyCapture()
{
    if (geteuid() != 0)
        QSKIP("needs root to set file capabilities and to run the helper as nobody");
    const QString setcap = QStandardPaths::findExecutable(QStringLiteral("setcap"), {u"/usr/sbin"_s, u"/sbin"_s});
    QVERIFY2(!setcap.isEmpty(), "setcap (libcap2-bin) is what the README tells users to run");
    QTemporaryDir dir;
    const QString helper = publicHelperCopy(dir);
    QVERIFY(!helper.isEmpty());
    QCOMPARE(QProcess::execute(setcap, {QStringLiteral("cap_net_raw+ep"), helper}), 0);

    Capture capture;
    capture.setHelper(QStandardPaths::findExecutable(QStringLiteral("setpriv")), kAsNobody + QStringList{helper});
    QSignalSpy failed(&capture, &Capture::failed);
    QVERIFY(capture.start(*CaptureFilter::forPort(5000)));
    QTRY_VERIFY_WITH_TIMEOUT(capture.isReady() || failed.count() > 0, 5000);
    QVERIFY2(capture.isReady(), capture.error() ? qPrintable(capture.error()->toString()) : "");
}

QTEST_GUILESS_MAIN(tst_Capture)
#include "tst_capture.moc"
