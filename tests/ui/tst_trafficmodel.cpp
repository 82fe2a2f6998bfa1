#include "models/trafficmodel.h"

#include "../common/sessionwaits.h"

#include "engine/sessionmanager.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

#include <chrono>

using namespace sockscope::core;
using sockscope::ui::TrafficModel;
using sockscope::tests::waitUntilOpened;

// The traffic table fed with the records of a real loopback UDP exchange, in batches as
// the traffic view pulls them, through the caps' removals, limits, clears and time
// changes, checked by QAbstractItemModelTester.
class tst_TrafficModel : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void batchesKeepTheCaps_data();
    void batchesKeepTheCaps();
    void limitsClearAndTime();

private:
    QList<TrafficRecord> m_records; // the receiver's log: 40 datagrams from one peer
};

void tst_TrafficModel::initTestCase()
{
    SessionManager sessions;
    DatagramSpec spec;
    spec.bind = Address::loopback(AF_INET, 0);
    const SessionId receiver = sessions.openDatagram(spec);
    const auto bound = waitUntilOpened(sessions, receiver);
    QVERIFY(bound && bound->local.port() != 0);
    const SessionId sender = sessions.openDatagram(spec);
    for (int i = 1; i <= 40; ++i)
        sessions.sendTo(sender, QByteArray("datagram ") + QByteArray::number(i), bound->local);
    const auto log = sessions.traffic(receiver);
    QTRY_COMPARE(log->counts().recordsIn, quint64(40));
    m_records = log->since(0).records;
    QCOMPARE(m_records.size(), 40);
}

void tst_TrafficModel::batchesKeepTheCaps_data()
{
    QTest::addColumn<int>("maxRows");
    QTest::addColumn<qsizetype>("maxBytes");
    QTest::addColumn<int>("batch");
    QTest::newRow("no cap reached") << 100 << qsizetype(1 << 20) << 7;
    QTest::newRow("row cap, small batches") << 10 << qsizetype(1 << 20) << 3;
    QTest::newRow("row cap, batch above it") << 10 << qsizetype(1 << 20) << 25;
    QTest::newRow("one row") << 1 << qsizetype(1 << 20) << 4;
}

void tst_TrafficModel::batchesKeepTheCaps()
{
    QFETCH(int, maxRows);
    QFETCH(qsizetype, maxBytes);
    QFETCH(int, batch);
    TrafficModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setLimits(maxRows, maxBytes);
    qsizetype dropped = 0;
    for (qsizetype at = 0; at < m_records.size(); at += batch) {
        dropped += model.append(m_records.mid(at, batch));
        const qsizetype seen = std::min<qsizetype>(at + batch, m_records.size());
        QCOMPARE(model.rowCount(), int(std::min<qsizetype>(seen, maxRows)));
        QCOMPARE(qsizetype(model.rowCount()) + dropped, seen);
        const int last = model.rowCount() - 1;
        QCOMPARE(model.index(last, TrafficModel::SeqColumn).data().toString(), QString::number(m_records[seen - 1].seq));
        QCOMPARE(model.index(last, TrafficModel::TextColumn).data(TrafficModel::BytesRole).toByteArray(),
                 m_records[seen - 1].bytes);
    }
    QVERIFY(model.hasPeers());
    QCOMPARE(model.index(0, TrafficModel::PeerColumn).data().toString(), m_records.first().peer.toString());
}

void tst_TrafficModel::limitsClearAndTime()
{
    TrafficModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.append(m_records);
    QCOMPARE(model.rowCount(), 40);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    model.setLimits(15, model.maxBytes());
    QCOMPARE(removed.count(), 1);
    QCOMPARE(model.rowCount(), 15);
    QCOMPARE(model.record(0).seq, m_records[25].seq);
    // A byte cap under one record keeps the newest record whole.
    model.setLimits(15, 1);
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.record(0).seq, m_records.last().seq);

    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    const QString relative = model.index(0, TrafficModel::TimeColumn).data().toString();
    model.setTimeMode(TrafficModel::TimeMode::Absolute);
    QCOMPARE(changed.count(), 1);
    QVERIFY(model.index(0, TrafficModel::TimeColumn).data().toString() != relative);

    model.clear();
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.memoryBytes(), qsizetype(0));
    model.setLimits(TrafficModel::kDefaultMaxRows, TrafficModel::kDefaultMaxBytes);
    model.append(m_records.mid(0, 5));
    QCOMPARE(model.rowCount(), 5);
}

QTEST_MAIN(tst_TrafficModel)
#include "tst_trafficmodel.moc"
