// SegmentStates: the RFC 9293 states of both ends read off a flow's segments, for the
// handshake, each shape of teardown (separate ACK, ACK riding on the passive FIN,
// simultaneous close, half-close with data after), RSTs, a retransmitted SYN, a capture
// joined mid-flow, and segments of another flow mixed in.

#include "observe/segmentstates.h"

#include "../common/segmentscript.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace sockscope::core;
namespace tests = sockscope::tests;

namespace {

const Address kClient = tests::kScriptClient;
const Address kServer = tests::kScriptServer;
const Address kOther = tests::kScriptOther;

QList<Segment> segments(const QStringList &lines)
{
    return tests::scriptedSegments(lines);
}

QStringList path(const QList<EndStates> &states, std::optional<TcpState> EndStates::*end)
{
    QStringList out;
    for (const EndStates &e : states) {
        const auto state = e.*end;
        if (state && (out.isEmpty() || out.last() != tcpStateName(*state)))
            out << tcpStateName(*state);
    }
    return out;
}

QStringList names(const QString &spaced)
{
    return spaced.split(u' ', Qt::SkipEmptyParts);
}

} // namespace

class tst_SegmentStates : public QObject
{
    Q_OBJECT
private slots:
    void paths_data();
    void paths();
    void statesBetweenArrows();
    void firstFlowIsTheSynSender();
    void recordsIntoTimelines();
};

void tst_SegmentStates::paths_data()
{
    QTest::addColumn<QStringList>("wire");
    QTest::addColumn<QString>("client");
    QTest::addColumn<QString>("server");

    const QStringList handshake{u"c S 0 0 0"_s, u"s S. 0 1 0"_s, u"c . 1 1 0"_s};
    QTest::newRow("teardown, separate ACK") << handshake + QStringList{u"c P. 1 1 5"_s, u"s . 1 6 0"_s, u"c F. 6 1 0"_s, u"s . 1 7 0"_s, u"s F. 1 7 0"_s, u"c . 7 2 0"_s}
        << "CLOSED SYN_SENT ESTABLISHED FIN_WAIT_1 FIN_WAIT_2 TIME_WAIT"
        << "LISTEN SYN_RECEIVED ESTABLISHED CLOSE_WAIT LAST_ACK CLOSED";
    QTest::newRow("passive FIN carries the ACK") << handshake + QStringList{u"c F. 1 1 0"_s, u"s F. 1 2 0"_s, u"c . 2 2 0"_s}
        << "CLOSED SYN_SENT ESTABLISHED FIN_WAIT_1 TIME_WAIT"
        << "LISTEN SYN_RECEIVED ESTABLISHED CLOSE_WAIT LAST_ACK CLOSED";
    QTest::newRow("simultaneous close") << handshake + QStringList{u"c F. 1 1 0"_s, u"s F. 1 1 0"_s, u"c . 2 2 0"_s, u"s . 2 2 0"_s}
        << "CLOSED SYN_SENT ESTABLISHED FIN_WAIT_1 CLOSING TIME_WAIT"
        << "LISTEN SYN_RECEIVED ESTABLISHED CLOSE_WAIT LAST_ACK CLOSED";
    QTest::newRow("half-close, then data the other way") << handshake + QStringList{u"c F. 1 1 0"_s, u"s . 1 2 0"_s, u"s P. 1 2 100"_s, u"c . 2 101 0"_s, u"s F. 101 2 0"_s, u"c . 2 102 0"_s}
        << "CLOSED SYN_SENT ESTABLISHED FIN_WAIT_1 FIN_WAIT_2 TIME_WAIT"
        << "LISTEN SYN_RECEIVED ESTABLISHED CLOSE_WAIT LAST_ACK CLOSED";
    QTest::newRow("server closes first") << handshake + QStringList{u"s F. 1 1 0"_s, u"c . 1 2 0"_s, u"c F. 1 2 0"_s, u"s . 2 2 0"_s}
        << "CLOSED SYN_SENT ESTABLISHED CLOSE_WAIT LAST_ACK CLOSED"
        << "LISTEN SYN_RECEIVED ESTABLISHED FIN_WAIT_1 FIN_WAIT_2 TIME_WAIT";
    QTest::newRow("connection refused") << QStringList{u"c S 0 0 0"_s, u"s R. 1 1 0"_s} << "CLOSED SYN_SENT CLOSED" << "CLOSED";
    QTest::newRow("abortive close") << handshake + QStringList{u"c R. 1 1 0"_s} << "CLOSED SYN_SENT ESTABLISHED CLOSED"
                                    << "LISTEN SYN_RECEIVED ESTABLISHED CLOSED";
    QTest::newRow("SYN retransmitted") << QStringList{u"c S 0 0 0"_s, u"c S 0 0 0"_s, u"s S. 0 1 0"_s, u"c . 1 1 0"_s}
        << "CLOSED SYN_SENT ESTABLISHED" << "LISTEN SYN_RECEIVED ESTABLISHED";
    QTest::newRow("SYN not answered yet") << QStringList{u"c S 0 0 0"_s} << "CLOSED SYN_SENT" << "";
    QTest::newRow("joined mid-flow") << QStringList{u"c P. 1 1 5"_s, u"s . 1 6 0"_s, u"c F. 6 1 0"_s, u"s . 1 7 0"_s}
        << "ESTABLISHED FIN_WAIT_1 FIN_WAIT_2" << "ESTABLISHED CLOSE_WAIT";
    QTest::newRow("another flow mixed in") << QStringList{u"c S 0 0 0"_s, u"o S 0 0 0"_s, u"s S. 0 1 0"_s, u"o R. 1 1 0"_s, u"c . 1 1 0"_s}
        << "CLOSED SYN_SENT ESTABLISHED" << "LISTEN SYN_RECEIVED ESTABLISHED";
}

void tst_SegmentStates::paths()
{
    QFETCH(QStringList, wire);
    QFETCH(QString, client);
    QFETCH(QString, server);

    const QList<Segment> s = segments(wire);
    const auto flow = SegmentStates::firstFlow(s);
    QVERIFY(flow);
    QCOMPARE(flow->client, kClient);
    QCOMPARE(flow->server, kServer);
    const QList<EndStates> states = SegmentStates::infer(s, *flow);
    const auto ours = std::count_if(s.cbegin(), s.cend(), [&](const Segment &x) { return flow->contains(x); });
    QCOMPARE(states.size(), ours + 1);
    QCOMPARE(path(states, &EndStates::client), names(client));
    QCOMPARE(path(states, &EndStates::server), names(server));
}

void tst_SegmentStates::statesBetweenArrows()
{
    // What a ladder shows after each arrow of a handshake.
    const auto states = SegmentStates::infer(segments({u"c S 0 0 0"_s, u"s S. 0 1 0"_s, u"c . 1 1 0"_s}), {kClient, kServer});
    QCOMPARE(states, (QList<EndStates>{
                         {TcpState::Closed, TcpState::Listen},
                         {TcpState::SynSent, TcpState::SynReceived},
                         {TcpState::Established, TcpState::SynReceived},
                         {TcpState::Established, TcpState::Established},
                     }));
}

void tst_SegmentStates::firstFlowIsTheSynSender()
{
    // The capture began between the SYN and the SYN-ACK; the retransmitted SYN that
    // follows still names the client.
    const auto flow = SegmentStates::firstFlow(segments({u"s S. 0 1 0"_s, u"c S 0 0 0"_s}));
    QCOMPARE(flow->client, kClient);
    QVERIFY(!SegmentStates::firstFlow({}));
    // No SYN at all: the first sender is taken as the client.
    const auto midFlow = SegmentStates::firstFlow(segments({u"s P. 1 1 5"_s, u"c . 1 6 0"_s}));
    QCOMPARE(midFlow->client, kServer);
}

void tst_SegmentStates::recordsIntoTimelines()
{
    const QList<Segment> s = segments({u"c S 0 0 0"_s, u"s S. 0 1 0"_s, u"c . 1 1 0"_s, u"c R. 1 1 0"_s});
    StateTimeline client;
    StateTimeline server;
    SegmentStates::record(s, {kClient, kServer}, client, server);
    QCOMPARE(client.path(), (QList<TcpState>{TcpState::Closed, TcpState::SynSent, TcpState::Established, TcpState::Closed}));
    QCOMPARE(server.path(), (QList<TcpState>{TcpState::Listen, TcpState::SynReceived, TcpState::Established, TcpState::Closed}));
    const auto entries = client.entries();
    QCOMPARE(entries[0].timeNs, s[0].tNs - 1);
    QCOMPARE(entries[1].timeNs, s[0].tNs);
    QCOMPARE(entries[2].timeNs, s[1].tNs);
    for (const StateEntry &e : entries)
        QCOMPARE(e.source, StateSource::Packet);
    QCOMPARE(server.stateAt(s[1].tNs + 1), TcpState::SynReceived);
}

QTEST_GUILESS_MAIN(tst_SegmentStates)
#include "tst_segmentstates.moc"
