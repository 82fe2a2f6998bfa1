// FlowTimelines: both ends of one connection merged from sock_diag, TCP_INFO and packets;
// the merge is idempotent, a faster witness moves a late sighting back, segments of other
// flows are left out, and rows come out in time order. The last case merges what a real
// KernelWatch saw of a loopback connection with the client's own TCP_INFO.

#include "observe/flowtimelines.h"
#include "observe/kernelwatch.h"
#include "net/tcpinfo.h"

#include "../common/loopbackpair.h"
#include "../common/segmentscript.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace sockscope::core;
namespace tests = sockscope::tests;
using End = FlowTimelines::End;

namespace {

QStringList states(const StateTimeline &t)
{
    QStringList out;
    for (const TcpState s : t.path())
        out << tcpStateName(s);
    return out;
}


} // namespace

class tst_FlowTimelines : public QObject
{
    Q_OBJECT
private slots:
    void endsAreFoundByLocalAddress();
    void mergeIsIdempotent();
    void packetMovesLateSightingBack();
    void segmentsOfThisFlowOnly();
    void rowsInTimeOrder();
    void watcherAndTcpInfoOfRealConnection_data();
    void watcherAndTcpInfoOfRealConnection();
};

void tst_FlowTimelines::endsAreFoundByLocalAddress()
{
    FlowTimelines flow(tests::kScriptClient, tests::kScriptServer);
    QCOMPARE(flow.endAt(tests::kScriptClient), End::Client);
    QCOMPARE(flow.endAt(tests::kScriptServer), End::Server);
    QVERIFY(!flow.endAt(tests::kScriptOther).has_value());
    QCOMPARE(flowEndName(End::Client), QStringLiteral("client"));
    QCOMPARE(flowEndName(End::Server), QStringLiteral("server"));
}

void tst_FlowTimelines::mergeIsIdempotent()
{
    StateTimeline diag;
    diag.record(TcpState::Established, 100, StateSource::SockDiag);
    diag.record(TcpState::FinWait1, 200, StateSource::SockDiag);
    diag.record(TcpState::TimeWait, 300, StateSource::SockDiag);
    FlowTimelines flow(tests::kScriptClient, tests::kScriptServer);
    QVERIFY(flow.merge(End::Client, diag));
    const quint64 version = flow.version();
    QVERIFY(!flow.merge(End::Client, diag));
    QCOMPARE(flow.version(), version);
    QCOMPARE(states(*flow.timeline(End::Client)).join(u' '), QStringLiteral("ESTABLISHED FIN_WAIT_1 TIME_WAIT"));
    QVERIFY(flow.timeline(End::Server)->entries().isEmpty());
}

void tst_FlowTimelines::packetMovesLateSightingBack()
{
    FlowTimelines flow(tests::kScriptClient, tests::kScriptServer);
    flow.record(End::Client, TcpState::Established, 5000, StateSource::SockDiag);
    QVERIFY(flow.record(End::Client, TcpState::Established, 3000, StateSource::Packet));
    const QList<StateEntry> e = flow.timeline(End::Client)->entries();
    QCOMPARE(e.size(), 1);
    QCOMPARE(e[0].timeNs, 3000);
    QCOMPARE(e[0].source, StateSource::Packet);
    // The sampler's later report of the same state changes nothing now.
    QVERIFY(!flow.record(End::Client, TcpState::Established, 5000, StateSource::SockDiag));
    // TCP_INFO saw SYN_SENT before anything else: it goes first.
    QVERIFY(flow.record(End::Client, TcpState::SynSent, 1000, StateSource::TcpInfo));
    QCOMPARE(states(*flow.timeline(End::Client)).join(u' '), QStringLiteral("SYN_SENT ESTABLISHED"));
}

void tst_FlowTimelines::segmentsOfThisFlowOnly()
{
    const QList<Segment> segs = tests::scriptedSegments({u"c S 0 0 0"_s, u"o S 0 0 0"_s, u"s S. 0 1 0"_s, u"c . 1 1 0"_s,
                                                         u"c F. 1 1 0"_s, u"s . 1 2 0"_s, u"s F. 1 2 0"_s, u"c . 2 2 0"_s});
    FlowTimelines flow(tests::kScriptClient, tests::kScriptServer);
    QVERIFY(flow.recordSegments(segs));
    QVERIFY(!flow.recordSegments(segs)); // the same segments again: nothing new
    QCOMPARE(states(*flow.timeline(End::Client)).join(u' '), QStringLiteral("CLOSED SYN_SENT ESTABLISHED FIN_WAIT_1 FIN_WAIT_2 TIME_WAIT"));
    QCOMPARE(states(*flow.timeline(End::Server)).join(u' '), QStringLiteral("LISTEN SYN_RECEIVED ESTABLISHED CLOSE_WAIT LAST_ACK CLOSED"));
    for (const End end : {End::Client, End::Server}) {
        for (const StateEntry &e : flow.timeline(end)->entries())
            QCOMPARE(e.source, StateSource::Packet);
    }
}

void tst_FlowTimelines::rowsInTimeOrder()
{
    FlowTimelines flow(tests::kScriptClient, tests::kScriptServer);
    flow.record(End::Server, TcpState::Listen, 10, StateSource::TcpInfo);
    flow.record(End::Client, TcpState::SynSent, 20, StateSource::Packet);
    flow.record(End::Server, TcpState::SynReceived, 20, StateSource::Packet);
    flow.record(End::Client, TcpState::Established, 30, StateSource::Packet);
    QStringList got;
    qint64 last = 0;
    for (const FlowTimelines::Row &r : flow.rows()) {
        QVERIFY(r.entry.timeNs >= last);
        last = r.entry.timeNs;
        got << flowEndName(r.end) + u' ' + tcpStateName(r.entry.state);
    }
    QCOMPARE(got, QStringList({u"server LISTEN"_s, u"client SYN_SENT"_s, u"server SYN_RECEIVED"_s, u"client ESTABLISHED"_s}));
}

void tst_FlowTimelines::watcherAndTcpInfoOfRealConnection_data()
{
    QTest::addColumn<int>("family");
    QTest::newRow("IPv4") << AF_INET;
    QTest::newRow("IPv6") << AF_INET6;
}

void tst_FlowTimelines::watcherAndTcpInfoOfRealConnection()
{
    QFETCH(int, family);
    auto listener = tests::tcpListener(family, 1);
    QVERIFY(listener);
    auto pair = tests::tcpPair(*listener);
    QVERIFY(pair);
    const Address client = *pair->client.localAddress();
    const Address server = *pair->client.peerAddress();

    KernelWatch watcher;
    const auto interest = watcher.watchStates(server.port());
    QVERIFY(watcher.sampleNow());
    FlowTimelines flow(client, server);
    auto info = TcpInfo::sample(pair->client);
    QVERIFY(info);
    flow.record(End::Client, info->state, 1, StateSource::TcpInfo); // before any dump

    QVERIFY(pair->client.shutdown(SHUT_WR));
    QTRY_VERIFY_WITH_TIMEOUT(watcher.sampleNow() && watcher.timeline(client, server)
                                 && watcher.timeline(client, server)->current()->state == TcpState::FinWait2, 2000);
    QVERIFY(flow.merge(End::Client, *watcher.timeline(client, server)));
    QVERIFY(flow.merge(End::Server, *watcher.timeline(server, client)));
    // FIN_WAIT_1 lasts as long as the peer takes to ACK the FIN: a dump may catch it or not.
    const QString clientPath = states(*flow.timeline(End::Client)).join(u' ');
    QVERIFY2(clientPath == u"ESTABLISHED FIN_WAIT_2" || clientPath == u"ESTABLISHED FIN_WAIT_1 FIN_WAIT_2", qPrintable(clientPath));
    QCOMPARE(states(*flow.timeline(End::Server)).join(u' '), QStringLiteral("ESTABLISHED CLOSE_WAIT"));
    // The first client entry is TCP_INFO's: it saw ESTABLISHED before sock_diag did.
    QCOMPARE(flow.timeline(End::Client)->entries().first().source, StateSource::TcpInfo);
    QCOMPARE(flow.timeline(End::Server)->entries().last().source, StateSource::SockDiag);
}

QTEST_GUILESS_MAIN(tst_FlowTimelines)
#include "tst_flowtimelines.moc"
