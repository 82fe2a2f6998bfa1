#include "observe/statetimeline.h"

#include <QTest>

#include <atomic>
#include <thread>

using namespace sockscope::core;

namespace {

QList<TcpState> states(std::initializer_list<TcpState> list)
{
    return QList<TcpState>(list);
}

} // namespace

class tst_StateTimeline : public QObject
{
    Q_OBJECT
private slots:
    void recordsChangesOnly();
    void placesLateReportsByTime_data();
    void placesLateReportsByTime();
    void earlierWitnessMovesEntryBack();
    void requestSocketIsSynReceived();
    void stateAt();
    void capacityDropsOldest();
    void sourceNames_data();
    void sourceNames();
    void concurrentReaders();
};

void tst_StateTimeline::recordsChangesOnly()
{
    StateTimeline t;
    QVERIFY(!t.current());
    QVERIFY(t.record(TcpState::Established, 100, StateSource::SockDiag));
    QVERIFY(!t.record(TcpState::Established, 200, StateSource::SockDiag));
    QVERIFY(!t.record(TcpState::Established, 300, StateSource::TcpInfo));
    QVERIFY(t.record(TcpState::FinWait2, 400, StateSource::SockDiag));
    QVERIFY(t.record(TcpState::TimeWait, 500, StateSource::SockDiag));
    QCOMPARE(t.path(), states({TcpState::Established, TcpState::FinWait2, TcpState::TimeWait}));
    QCOMPARE(t.version(), 3u);
    const auto e = t.entries();
    QCOMPARE(e.size(), 3);
    QCOMPARE(e[0], (StateEntry{TcpState::Established, 100, StateSource::SockDiag}));
    QCOMPARE(e[2].timeNs, 500);
    QCOMPARE(t.current()->state, TcpState::TimeWait);
}

void tst_StateTimeline::placesLateReportsByTime_data()
{
    QTest::addColumn<int>("lateState");
    QTest::addColumn<qint64>("lateTime");
    QTest::addColumn<QList<TcpState>>("path");
    // Sampled: ESTABLISHED at 100, FIN_WAIT_2 at 300. A packet shows FIN_WAIT_1 at 250,
    // which the sampler was too slow to see.
    QTest::newRow("between samples") << int(TcpState::FinWait1) << qint64(250)
        << states({TcpState::Established, TcpState::FinWait1, TcpState::FinWait2});
    QTest::newRow("before everything") << int(TcpState::SynSent) << qint64(10)
        << states({TcpState::SynSent, TcpState::Established, TcpState::FinWait2});
    QTest::newRow("after everything") << int(TcpState::TimeWait) << qint64(900)
        << states({TcpState::Established, TcpState::FinWait2, TcpState::TimeWait});
}

void tst_StateTimeline::placesLateReportsByTime()
{
    QFETCH(int, lateState);
    QFETCH(qint64, lateTime);
    QFETCH(QList<TcpState>, path);
    StateTimeline t;
    t.record(TcpState::Established, 100, StateSource::SockDiag);
    t.record(TcpState::FinWait2, 300, StateSource::SockDiag);
    QVERIFY(t.record(TcpState(lateState), lateTime, StateSource::Packet));
    QCOMPARE(t.path(), path);
    const auto e = t.entries();
    for (qsizetype i = 1; i < e.size(); ++i)
        QVERIFY(e[i - 1].timeNs <= e[i].timeNs);
}

void tst_StateTimeline::earlierWitnessMovesEntryBack()
{
    StateTimeline t;
    t.record(TcpState::Established, 1'000, StateSource::SockDiag);
    t.record(TcpState::CloseWait, 5'000, StateSource::SockDiag);
    // The FIN arrived at 4,200 by the capture: CLOSE_WAIT began then, not at the sample.
    QVERIFY(t.record(TcpState::CloseWait, 4'200, StateSource::Packet));
    const auto e = t.entries();
    QCOMPARE(e.size(), 2);
    QCOMPARE(e[1], (StateEntry{TcpState::CloseWait, 4'200, StateSource::Packet}));
    // A later witness of a known state changes nothing.
    QVERIFY(!t.record(TcpState::CloseWait, 4'500, StateSource::TcpInfo));
    QCOMPARE(t.entries(), e);
}

void tst_StateTimeline::requestSocketIsSynReceived()
{
    StateTimeline t;
    t.record(TcpState::NewSynReceived, 1, StateSource::SockDiag);
    QVERIFY(!t.record(TcpState::SynReceived, 2, StateSource::Packet));
    QCOMPARE(t.path(), states({TcpState::SynReceived}));
}

void tst_StateTimeline::stateAt()
{
    StateTimeline t;
    t.record(TcpState::SynSent, 10, StateSource::Packet);
    t.record(TcpState::Established, 20, StateSource::Packet);
    QVERIFY(!t.stateAt(9));
    QCOMPARE(*t.stateAt(10), TcpState::SynSent);
    QCOMPARE(*t.stateAt(19), TcpState::SynSent);
    QCOMPARE(*t.stateAt(20), TcpState::Established);
    QCOMPARE(*t.stateAt(1'000'000), TcpState::Established);
}

void tst_StateTimeline::capacityDropsOldest()
{
    StateTimeline t(3);
    const TcpState cycle[] = {TcpState::Listen, TcpState::Closed};
    for (int i = 0; i < 5; ++i)
        QVERIFY(t.record(cycle[i % 2], i * 10, StateSource::SockDiag));
    QCOMPARE(t.entries().size(), 3);
    QCOMPARE(t.dropped(), 2u);
    QCOMPARE(t.entries().first().timeNs, 20);
}

void tst_StateTimeline::sourceNames_data()
{
    QTest::addColumn<int>("source");
    QTest::addColumn<QString>("name");
    QTest::newRow("tcp_info") << int(StateSource::TcpInfo) << "TCP_INFO";
    QTest::newRow("sock_diag") << int(StateSource::SockDiag) << "sock_diag";
    QTest::newRow("packet") << int(StateSource::Packet) << "packet";
}

void tst_StateTimeline::sourceNames()
{
    QFETCH(int, source);
    QFETCH(QString, name);
    QCOMPARE(stateSourceName(StateSource(source)), name);
}

void tst_StateTimeline::concurrentReaders()
{
    // One writer and one reader at once, as the watcher thread and the UI are.
    StateTimeline t(64);
    std::atomic<bool> done{false};
    std::atomic<bool> ordered{true};
    std::thread reader([&] {
        while (!done.load()) {
            const auto e = t.entries();
            for (qsizetype i = 1; i < e.size(); ++i)
                ordered = ordered && e[i - 1].timeNs <= e[i].timeNs;
        }
    });
    for (int i = 0; i < 20'000; ++i)
        t.record(i % 2 ? TcpState::Established : TcpState::CloseWait, i, StateSource::SockDiag);
    done = true;
    reader.join();
    QVERIFY(ordered);
    QCOMPARE(t.entries().size(), 64);
    QCOMPARE(t.version(), 20'000u);
}

QTEST_APPLESS_MAIN(tst_StateTimeline)
#include "tst_statetimeline.moc"
