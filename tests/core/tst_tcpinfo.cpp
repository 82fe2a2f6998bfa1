#include "net/tcpinfo.h"

#include "../common/loopbackpair.h"
#include "../common/sessionwaits.h"

#include "engine/sessionmanager.h"

#include <QFile>
#include <QTest>

#include <linux/tcp.h>

#include <cstddef>
#include <cstring>
#include <future>

using namespace sockscope::core;
using namespace sockscope::tests;

namespace {

// A failed sample reads as CLOSED with zero counters, so QTRY_* keep polling.
TcpInfo sampled(const Socket &s)
{
    return TcpInfo::sample(s).value_or(TcpInfo{});
}

quint32 loopbackMtu()
{
    QFile f(QStringLiteral("/sys/class/net/lo/mtu"));
    if (!f.open(QIODevice::ReadOnly))
        return 0;
    return f.readAll().trimmed().toUInt();
}

constexpr qsizetype kHeadSize = offsetof(tcp_info, tcpi_total_retrans) + sizeof(__u32);

} // namespace

class tst_TcpInfo : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase_data();
    void established();
    void listener_data();
    void listener();
    void halfClose();
    void reset();
    void notTcp_data();
    void notTcp();
    void decode_data();
    void decode();
    void progressedFrom_data();
    void progressedFrom();
    void throughSessionManager();
};

void tst_TcpInfo::initTestCase_data()
{
    QTest::addColumn<int>("family");
    QTest::newRow("IPv4") << AF_INET;
    QTest::newRow("IPv6") << AF_INET6;
}

void tst_TcpInfo::established()
{
    QFETCH_GLOBAL(int, family);
    auto listener = tcpListener(family, 4);
    QVERIFY(listener);
    const QByteArray payload(200'000, 'x');
    // A quiet transfer on loopback retransmits nothing, and TCP_INFO says so. On a loaded
    // machine the kernel may send a tail-loss probe (10 ms without an ACK), which counts as
    // a retransmission: such a connection is set aside and a fresh one tried, at most 5.
    std::optional<TcpPair> pair;
    QList<quint32> probed;
    while (probed.size() < 5) {
        auto attempt = tcpPair(*listener);
        QVERIFY(attempt);
        QCOMPARE(*attempt->client.sendAll(payload), payload.size());
        qsizetype got = 0;
        while (got < payload.size()) {
            auto r = attempt->server.recv(64 * 1024);
            QVERIFY(r && !r->eof());
            got += r->length;
        }
        // The active opener's count starts with its SYN acknowledged (one sequence number);
        // the passive opener's count starts at 0 (the kernel takes the SYN-ACK's ACK outside
        // the code that counts).
        QTRY_COMPARE(sampled(attempt->client).bytesAcked, quint64(payload.size()) + 1);
        if (const quint32 retrans = sampled(attempt->client).totalRetrans; retrans != 0) {
            probed.append(retrans);
            continue;
        }
        pair = std::move(*attempt);
        break;
    }
    QStringList counts;
    for (const quint32 n : probed)
        counts << QString::number(n);
    QVERIFY2(pair, qPrintable(QStringLiteral("all %1 connections retransmitted (%2 segments)").arg(probed.size()).arg(counts.join(u','))));

    const TcpInfo c = sampled(pair->client);
    QCOMPARE(c.state, TcpState::Established);
    QVERIFY(c.hasByteCounters);
    QVERIFY2(c.rttUs > 0, "a sent-and-acknowledged segment gives an RTT sample");
    QVERIFY2(c.rtoUs >= 200'000 && c.rtoUs <= 120'000'000, qPrintable(QString::number(c.rtoUs)));
    QVERIFY2(c.sndCwnd >= 10, "the initial window is 10 segments (RFC 6928)");
    // IPv4's 16-bit total length caps a datagram at 65535 bytes, below lo's MTU of 65536.
    QCOMPARE(c.pmtu, family == AF_INET ? std::min(loopbackMtu(), 65535u) : loopbackMtu());
    QVERIFY(c.sndMss > 0 && c.sndMss < c.pmtu);
    QCOMPARE(c.totalRetrans, 0u);
    QCOMPARE(c.retransmits, quint8(0));
    QVERIFY2(c.ssthreshInfinite(), "nothing was lost on loopback, so no threshold yet");
    QCOMPARE(c.unacked, 0u);
    QVERIFY(c.segsOut > 0);

    const TcpInfo s = sampled(pair->server);
    QCOMPARE(s.state, TcpState::Established);
    QCOMPARE(s.bytesReceived, quint64(payload.size()));
    QCOMPARE(s.bytesAcked, quint64(0)); // the server sent nothing (the SYN-ACK does not count)
    QVERIFY(!s.isListener());
    QCOMPARE(s.acceptQueue(), 0u);
}

void tst_TcpInfo::listener_data()
{
    QTest::addColumn<int>("backlog");
    QTest::newRow("backlog 1") << 1;
    QTest::newRow("backlog 3") << 3;
    QTest::newRow("backlog 8") << 8;
}

void tst_TcpInfo::listener()
{
    QFETCH_GLOBAL(int, family);
    QFETCH(int, backlog);
    auto listener = tcpListener(family, backlog);
    QVERIFY(listener);
    TcpInfo l = sampled(*listener);
    QCOMPARE(l.state, TcpState::Listen);
    QVERIFY(l.isListener());
    QCOMPARE(l.backlog(), quint32(backlog));
    QCOMPARE(l.acceptQueue(), 0u);

    // Connections the application has not accepted wait in the accept queue.
    std::vector<Socket> clients;
    const Address where = *listener->localAddress();
    for (int i = 0; i < backlog; ++i) {
        auto c = Socket::create(family, SOCK_STREAM);
        QVERIFY(c);
        QVERIFY(c->connect(where));
        clients.push_back(std::move(*c));
    }
    QTRY_COMPARE(sampled(*listener).acceptQueue(), quint32(backlog));
    auto accepted = listener->accept();
    QVERIFY(accepted);
    QCOMPARE(sampled(*listener).acceptQueue(), quint32(backlog - 1));
    QCOMPARE(sampled(*listener).backlog(), quint32(backlog));
}

void tst_TcpInfo::halfClose()
{
    QFETCH_GLOBAL(int, family);
    auto listener = tcpListener(family, 4);
    QVERIFY(listener);
    auto pair = tcpPair(*listener);
    QVERIFY(pair);

    QVERIFY(pair->client.shutdown(SHUT_WR));
    QTRY_COMPARE(sampled(pair->client).state, TcpState::FinWait2);
    QTRY_COMPARE(sampled(pair->server).state, TcpState::CloseWait);

    QVERIFY(pair->server.close());
    // The client's socket ends CLOSED: its TIME_WAIT lives on in a separate, smaller
    // kernel object that only sock_diag can see.
    QTRY_COMPARE(sampled(pair->client).state, TcpState::Closed);
}

void tst_TcpInfo::reset()
{
    QFETCH_GLOBAL(int, family);
    auto listener = tcpListener(family, 4);
    QVERIFY(listener);
    auto pair = tcpPair(*listener);
    QVERIFY(pair);
    QVERIFY(pair->client.abort());
    QTRY_COMPARE(sampled(pair->server).state, TcpState::Closed);
    const auto r = pair->server.recv(16);
    QVERIFY(!r);
    QCOMPARE(r.error().name(), QStringLiteral("ECONNRESET"));
}

void tst_TcpInfo::notTcp_data()
{
    QTest::addColumn<int>("type");
    QTest::addColumn<QString>("error");
    // Each family's getsockopt answers a level it does not know in its own way.
    QTest::newRow("udp") << int(SOCK_DGRAM) << "EOPNOTSUPP (IPv4), ENOPROTOOPT (IPv6)";
    QTest::newRow("no socket") << 0 << "EBADF";
}

void tst_TcpInfo::notTcp()
{
    QFETCH_GLOBAL(int, family);
    QFETCH(int, type);
    QFETCH(QString, error);
    if (type == SOCK_DGRAM)
        error = family == AF_INET ? QStringLiteral("EOPNOTSUPP") : QStringLiteral("ENOPROTOOPT");
    Socket s;
    if (type != 0)
        s = std::move(*Socket::create(family, type));
    const auto info = TcpInfo::sample(s);
    QVERIFY(!info);
    QCOMPARE(info.error().name(), error);
}

void tst_TcpInfo::decode_data()
{
    QTest::addColumn<int>("size");
    QTest::addColumn<int>("state");
    QTest::addColumn<bool>("decodes");
    QTest::addColumn<bool>("byteCounters");
    const int full = int(sizeof(tcp_info));
    QTest::newRow("shorter than the 2.6 head") << int(kHeadSize - 1) << 1 << false << false;
    QTest::newRow("2.6 head only") << int(kHeadSize) << 1 << true << false;
    QTest::newRow("full") << full << 1 << true << true;
    QTest::newRow("newer kernel, longer struct") << full + 24 << 1 << true << true;
    QTest::newRow("state 0") << full << 0 << false << false;
    QTest::newRow("state 13") << full << 13 << false << false;
    QTest::newRow("request socket") << full << 12 << true << true;
}

void tst_TcpInfo::decode()
{
    QFETCH(int, size);
    QFETCH(int, state);
    QFETCH(bool, decodes);
    QFETCH(bool, byteCounters);

    tcp_info t;
    std::memset(&t, 0, sizeof t);
    t.tcpi_state = quint8(state);
    t.tcpi_retransmits = 2;
    t.tcpi_rto = 408'000;
    t.tcpi_unacked = 5;
    t.tcpi_sacked = 128;
    t.tcpi_pmtu = 1500;
    t.tcpi_rtt = 1234;
    t.tcpi_rttvar = 567;
    t.tcpi_snd_ssthresh = 20;
    t.tcpi_snd_cwnd = 14;
    t.tcpi_total_retrans = 9;
    t.tcpi_bytes_acked = 0x1'0000'0001ull; // past 32 bits
    t.tcpi_bytes_received = 42;
    QByteArray raw(size, '\x7f'); // bytes past our struct are a newer kernel's fields
    std::memcpy(raw.data(), &t, size_t(std::min(size, int(sizeof t))));
    // Netlink attributes are 4-byte aligned only: decode from an odd address too.
    QByteArray shifted = QByteArray(4, '\0') + raw;

    for (QByteArrayView view : {QByteArrayView(raw), QByteArrayView(shifted).sliced(4)}) {
        const auto info = TcpInfo::decode(view);
        QCOMPARE(bool(info), decodes);
        if (!info)
            continue;
        QCOMPARE(int(info->state), state);
        QCOMPARE(info->retransmits, quint8(2));
        QCOMPARE(info->rtoUs, 408'000u);
        QCOMPARE(info->pmtu, 1500u);
        QCOMPARE(info->rttUs, 1234u);
        QCOMPARE(info->rttVarUs, 567u);
        QCOMPARE(info->sndSsthresh, 20u);
        QCOMPARE(info->sndCwnd, 14u);
        QCOMPARE(info->totalRetrans, 9u);
        QCOMPARE(info->unacked, 5u);
        QCOMPARE(info->hasByteCounters, byteCounters);
        QCOMPARE(info->bytesAcked, byteCounters ? 0x1'0000'0001ull : 0ull);
        QCOMPARE(info->bytesReceived, byteCounters ? 42ull : 0ull);
    }

    // A listener's two reused fields.
    t.tcpi_state = quint8(TcpState::Listen);
    const auto listener = TcpInfo::decode(QByteArrayView(reinterpret_cast<const char *>(&t), sizeof t));
    QVERIFY(listener);
    QCOMPARE(listener->acceptQueue(), 5u);
    QCOMPARE(listener->backlog(), 128u);
}

void tst_TcpInfo::progressedFrom_data()
{
    QTest::addColumn<QString>("field");
    QTest::addColumn<bool>("progressed");
    QTest::newRow("nothing") << "" << false;
    QTest::newRow("rtt smoothing") << "rtt" << false;
    QTest::newRow("age of last data") << "lastDataRecv" << false;
    QTest::newRow("state") << "state" << true;
    QTest::newRow("in flight") << "unacked" << true;
    QTest::newRow("retransmission") << "totalRetrans" << true;
    QTest::newRow("bytes acked") << "bytesAcked" << true;
    QTest::newRow("bytes received") << "bytesReceived" << true;
}

void tst_TcpInfo::progressedFrom()
{
    QFETCH(QString, field);
    QFETCH(bool, progressed);
    TcpInfo before;
    before.state = TcpState::Established;
    TcpInfo after = before;
    if (field == u"rtt")
        after.rttUs += 10;
    else if (field == u"lastDataRecv")
        after.lastDataRecvMs += 100;
    else if (field == u"state")
        after.state = TcpState::CloseWait;
    else if (field == u"unacked")
        after.unacked = 3;
    else if (field == u"totalRetrans")
        after.totalRetrans = 1;
    else if (field == u"bytesAcked")
        after.bytesAcked = 1;
    else if (field == u"bytesReceived")
        after.bytesReceived = 1;
    QCOMPARE(after.progressedFrom(before), progressed);
}

// The engine hook: SessionInfo carries the TCP_INFO of the session's own descriptor,
// read on the reactor thread at each change and on sampleKernel().
void tst_TcpInfo::throughSessionManager()
{
    QFETCH_GLOBAL(int, family);
    using namespace std::chrono_literals;
    SessionManager m;
    // Runs everything posted so far on the I/O thread, so a sample has surely happened.
    const auto barrier = [&m] {
        std::promise<void> done;
        m.post([&done] { done.set_value(); });
        done.get_future().wait();
    };

    ListenSpec ls;
    ls.bind = Address::loopback(family, 0);
    ls.backlog = 4;
    const SessionId listener = m.listen(ls);
    const auto listening = waitForState(m, listener, SessionState::Listening);
    QVERIFY(listening && listening->tcpInfo);
    QCOMPARE(listening->tcpInfo->state, TcpState::Listen);
    QCOMPARE(listening->tcpInfo->backlog(), 4u);

    ConnectSpec cs;
    cs.candidates = {listening->local};
    const SessionId client = m.connect(cs);
    const auto connected = waitForState(m, client, SessionState::Connected);
    QVERIFY(connected && connected->tcpInfo);
    QCOMPARE(connected->tcpInfo->state, TcpState::Established);
    QTRY_COMPARE(m.children(listener).size(), 1);
    const SessionId child = m.children(listener).first();

    // Nothing moves: sampling an idle connection leaves the generation alone.
    barrier();
    const quint64 generation = m.generation();
    m.sampleKernel(client);
    barrier();
    QCOMPARE(m.generation(), generation);

    m.shutdown(client, SHUT_WR);
    QTRY_VERIFY((m.sampleKernel(client), m.info(client)->tcpInfo->state == TcpState::FinWait2));
    QTRY_VERIFY((m.sampleKernel(child), m.info(child)->tcpInfo->state == TcpState::CloseWait));
    QVERIFY(m.generation() > generation);

    m.close(client);
    const auto closed = waitForState(m, client, SessionState::Closed);
    QVERIFY(closed);
    QVERIFY(!closed->tcpInfo); // no descriptor, no TCP_INFO: sock_diag follows it from here

    DatagramSpec ds;
    ds.family = family;
    ds.bind = Address::loopback(family, 0);
    const SessionId udp = m.openDatagram(ds);
    const auto bound = waitForState(m, udp, SessionState::Bound);
    QVERIFY(bound);
    QVERIFY(!bound->tcpInfo);
}

QTEST_GUILESS_MAIN(tst_TcpInfo)
#include "tst_tcpinfo.moc"
