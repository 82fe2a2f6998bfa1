#include "engine/calltrace.h"

#include <QTest>

#include <cerrno>
#include <thread>

using namespace sockscope::core;

class tst_CallTrace : public QObject
{
    Q_OBJECT
private slots:
    void recordsCallsInOrder();
    void capKeepsTheNewest_data();
    void capKeepsTheNewest();
    void concurrentAdds();
};

void tst_CallTrace::recordsCallsInOrder()
{
    CallTrace trace;
    QCOMPARE(trace.lastSeq(), quint64(0));
    QVERIFY(trace.since(0).isEmpty());

    trace.add(QStringLiteral("s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)"), QStringLiteral("<socket fd=3>"));
    trace.add(QStringLiteral("s.connect((\"127.0.0.1\", 9))"), QString(), SysError::fromErrno(ECONNREFUSED));
    QCOMPARE(trace.lastSeq(), quint64(2));

    const QList<CallRecord> all = trace.since(0);
    QCOMPARE(all.size(), 2);
    QCOMPARE(all[0].seq, quint64(1));
    QCOMPARE(all[1].seq, quint64(2));
    QVERIFY(all[0].timeNs > 0 && all[0].timeNs <= all[1].timeNs);
    QVERIFY(all[0].ok());
    QCOMPARE(all[0].result, QStringLiteral("<socket fd=3>"));
    QVERIFY(all[0].errorName().isEmpty());
    QVERIFY(!all[1].ok());
    QCOMPARE(all[1].errorName(), QStringLiteral("ECONNREFUSED"));
    QVERIFY(all[1].error->is(ECONNREFUSED));

    QCOMPARE(trace.since(1).size(), 1);
    QCOMPARE(trace.since(1).first().code, QStringLiteral("s.connect((\"127.0.0.1\", 9))"));
    QVERIFY(trace.since(2).isEmpty());
}

void tst_CallTrace::capKeepsTheNewest_data()
{
    QTest::addColumn<int>("cap");
    QTest::addColumn<int>("calls");
    QTest::newRow("under the cap") << 10 << 7;
    QTest::newRow("exactly the cap") << 10 << 10;
    QTest::newRow("over the cap") << 10 << 1000;
    QTest::newRow("cap of one") << 1 << 5;
}

void tst_CallTrace::capKeepsTheNewest()
{
    QFETCH(int, cap);
    QFETCH(int, calls);
    CallTrace trace(cap);
    for (int i = 1; i <= calls; ++i)
        trace.add(QStringLiteral("call %1").arg(i), QStringLiteral("None"));
    const QList<CallRecord> kept = trace.since(0);
    QCOMPARE(kept.size(), std::min(cap, calls));
    QCOMPARE(trace.lastSeq(), quint64(calls)); // numbering goes on past the cap
    QCOMPARE(kept.last().code, QStringLiteral("call %1").arg(calls));
    QCOMPARE(kept.first().seq, quint64(calls - kept.size() + 1));
    for (qsizetype i = 1; i < kept.size(); ++i)
        QCOMPARE(kept[i].seq, kept[i - 1].seq + 1);
}

void tst_CallTrace::concurrentAdds()
{
    CallTrace trace(100000);
    {
        std::vector<std::jthread> threads;
        for (int t = 0; t < 4; ++t) {
            threads.emplace_back([&trace] {
                for (int i = 0; i < 2000; ++i)
                    trace.add(QStringLiteral("x"), QString());
            });
        }
    }
    const QList<CallRecord> all = trace.since(0);
    QCOMPARE(all.size(), 8000);
    for (qsizetype i = 0; i < all.size(); ++i)
        QCOMPARE(all[i].seq, quint64(i + 1)); // unique and contiguous
}

QTEST_GUILESS_MAIN(tst_CallTrace)
#include "tst_calltrace.moc"
