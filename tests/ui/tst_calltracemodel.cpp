#include "models/calltracemodel.h"

#include "../common/sessionwaits.h"

#include "engine/sessionmanager.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

#include <chrono>
#include <memory>

using namespace sockscope::core;
using sockscope::ui::CallTraceModel;
using sockscope::tests::waitUntilOpened;

// The call trace table: what it shows of a real session's trace, and that it never holds
// more rows than the trace it mirrors keeps (QAbstractItemModelTester through every step).
class tst_CallTraceModel : public QObject
{
    Q_OBJECT
private slots:
    void keepsTheTracesCap_data();
    void keepsTheTracesCap();
    void sessionTraceAtDefaultCap();
    void switchingTracesResets();

private:
    // A loopback UDP session sending `count` datagrams to a second one; returns the sender.
    static SessionId sendDatagrams(SessionManager &sessions, int count)
    {
        DatagramSpec to;
        to.bind = Address::loopback(AF_INET, 0);
        const SessionId receiver = sessions.openDatagram(to);
        const auto bound = waitUntilOpened(sessions, receiver);
        DatagramSpec from;
        from.bind = Address::loopback(AF_INET, 0);
        const SessionId sender = sessions.openDatagram(from);
        for (int i = 0; i < count; ++i)
            sessions.sendTo(sender, QByteArray::number(i), bound->local);
        return sender;
    }
};

void tst_CallTraceModel::keepsTheTracesCap_data()
{
    QTest::addColumn<int>("cap");
    QTest::addColumn<QList<int>>("batches"); // records added before each refresh
    QTest::newRow("under the cap") << 10 << QList<int>{3, 4};
    QTest::newRow("exactly the cap") << 10 << QList<int>{4, 6};
    QTest::newRow("one batch overflows") << 10 << QList<int>{6, 7};
    QTest::newRow("a whole cap at once") << 10 << QList<int>{5, 10};
    QTest::newRow("more than the cap at once") << 10 << QList<int>{5, 25};
    QTest::newRow("many small overflows") << 4 << QList<int>{3, 2, 2, 1, 5};
}

void tst_CallTraceModel::keepsTheTracesCap()
{
    QFETCH(int, cap);
    QFETCH(QList<int>, batches);
    auto trace = std::make_shared<CallTrace>(cap);
    CallTraceModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setTrace(trace);
    int added = 0;
    for (int batch : batches) {
        for (int i = 0; i < batch; ++i) {
            ++added;
            trace->add(QStringLiteral("s.send(b'%1')").arg(added), QString::number(added));
        }
        model.refresh();
        const QList<CallRecord> kept = trace->since(0);
        QCOMPARE(model.rowCount(), int(kept.size()));
        QVERIFY(model.rowCount() <= cap);
        QCOMPARE(model.record(0).seq, kept.first().seq);
        QCOMPARE(model.record(model.rowCount() - 1).seq, quint64(added));
        QCOMPARE(model.index(model.rowCount() - 1, CallTraceModel::Call).data().toString(),
                 QStringLiteral("s.send(b'%1')").arg(added));
    }
}

void tst_CallTraceModel::sessionTraceAtDefaultCap()
{
    SessionManager sessions;
    const int sends = int(CallTrace::kDefaultCap) + 300;
    const SessionId sender = sendDatagrams(sessions, sends);
    const auto trace = sessions.trace(sender);
    CallTraceModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setTrace(trace);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    // Refreshed while the I/O thread is still sending, as the window's timer would.
    const QString lastCall = QStringLiteral("b'%1'").arg(sends - 1);
    QTRY_VERIFY_WITH_TIMEOUT((model.refresh(), model.rowCount() > 0
                              && model.index(model.rowCount() - 1, CallTraceModel::Call).data().toString().contains(lastCall)),
                             10000);
    QCOMPARE(model.rowCount(), int(CallTrace::kDefaultCap));
    QVERIFY(!removed.isEmpty());
    QCOMPARE(model.record(0).seq, trace->since(0).first().seq);

    // A failing call shows its errno, in the error colour.
    sessions.close(sender);
    sessions.sendTo(sender, "late", Address::loopback(AF_INET, 9));
    QTRY_VERIFY((model.refresh(), !model.record(model.rowCount() - 1).ok()));
    const QModelIndex errnoCell = model.index(model.rowCount() - 1, CallTraceModel::Errno);
    QVERIFY2(errnoCell.data().toString().startsWith(QStringLiteral("EBADF")), qPrintable(errnoCell.data().toString()));
    QVERIFY(errnoCell.data(Qt::ForegroundRole).isValid());
    QCOMPARE(model.rowCount(), int(CallTrace::kDefaultCap));
}

void tst_CallTraceModel::switchingTracesResets()
{
    SessionManager sessions;
    const SessionId a = sendDatagrams(sessions, 3);
    const SessionId b = sendDatagrams(sessions, 1);
    CallTraceModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setTrace(sessions.trace(a));
    QTRY_COMPARE((model.refresh(), int(model.rowCount())), int(sessions.trace(a)->since(0).size()));
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    model.setTrace(sessions.trace(b));
    QCOMPARE(reset.count(), 1);
    QTRY_COMPARE((model.refresh(), int(model.rowCount())), int(sessions.trace(b)->since(0).size()));
    model.setTrace(nullptr);
    QCOMPARE(model.rowCount(), 0);
}

QTEST_MAIN(tst_CallTraceModel)
#include "tst_calltracemodel.moc"
