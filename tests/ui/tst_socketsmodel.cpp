#include "models/socketsmodel.h"

#include "../common/loopbackpair.h"

#include "engine/monotonic.h"
#include "observe/sockdiag.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

#include <optional>

using namespace sockscope::core;
using namespace sockscope::tests;
using sockscope::ui::SocketFilter;
using sockscope::ui::SocketsModel;

// The system sockets table fed with real sock_diag dumps of this host while loopback
// listeners come and go: rows update in place, leave and arrive (never a reset), a filter
// resets, all checked by QAbstractItemModelTester.
class tst_SocketsModel : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void tablesUpdateRowsInPlace();
    void filterAndOwnSessions();

private:
    SocketTable dump()
    {
        SocketTable table;
        auto entries = m_diag.dump(DiagQuery{});
        if (entries)
            table.entries = *entries;
        else
            table.error = entries.error();
        table.timeNs = monotonicNs();
        return table;
    }
    static Address wildcardPeer(const Address &local) { return Address::any(local.family(), 0); }

    SockDiag m_diag;
};

void tst_SocketsModel::initTestCase()
{
    auto diag = SockDiag::open();
    if (!diag)
        QSKIP(qPrintable(QStringLiteral("no sock_diag here: %1").arg(diag.error().toString())));
    m_diag = std::move(*diag);
}

void tst_SocketsModel::tablesUpdateRowsInPlace()
{
    auto first = tcpListener(AF_INET, 4);
    QVERIFY(first);
    const Address firstAt = *first->localAddress();
    SocketsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setTable(dump());
    QVERIFY(model.rowCount() > 0);
    QCOMPARE(model.totalCount(), model.rowCount());
    const int firstRow = model.rowOf(firstAt, wildcardPeer(firstAt));
    QVERIFY(firstRow >= 0);
    QCOMPARE(model.index(firstRow, SocketsModel::State).data().toString(), QStringLiteral("LISTEN"));
    QCOMPARE(model.index(firstRow, SocketsModel::Local).data().toString(), firstAt.toString());

    // A new listener arrives at the end, the closed one leaves; no reset.
    auto second = tcpListener(AF_INET, 4);
    QVERIFY(second);
    const Address secondAt = *second->localAddress();
    *first = Socket();
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    model.setTable(dump());
    QCOMPARE(reset.count(), 0);
    QVERIFY(removed.count() >= 1);
    QVERIFY(inserted.count() >= 1);
    QCOMPARE(model.rowOf(firstAt, wildcardPeer(firstAt)), -1);
    QVERIFY(model.rowOf(secondAt, wildcardPeer(secondAt)) >= 0);

    // A connection adds two rows (both ends), which the timer column repaints on tick().
    auto pair = tcpPair(*second);
    QVERIFY(pair);
    model.setTable(dump());
    const Address clientAt = *pair->client.localAddress();
    QVERIFY(model.rowOf(clientAt, secondAt) >= 0);
    QVERIFY(model.rowOf(secondAt, clientAt) >= 0);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.tick(monotonicNs());
    QCOMPARE(changed.count(), 1);
}

void tst_SocketsModel::filterAndOwnSessions()
{
    auto listener = tcpListener(AF_INET, 4);
    QVERIFY(listener);
    auto pair = tcpPair(*listener);
    QVERIFY(pair);
    const Address at = *listener->localAddress();
    SocketsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setTable(dump());
    const int all = model.rowCount();

    SocketFilter byPort;
    byPort.port = at.port();
    byPort.protocols = int(DiagProtocol::Tcp);
    // The port alone also matched a test running beside this one that drew the same
    // number on ::1 (each family has its own ports): ctest -j2 saw 4 rows once.
    byPort.address = QStringLiteral("127.0.0.1");
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    model.setFilter(byPort);
    QCOMPARE(reset.count(), 1);
    QCOMPARE(model.rowCount(), 3); // the listener and both ends of the connection
    QVERIFY(model.rowCount() < all);
    model.setTable(dump()); // a new table keeps the filter
    QCOMPARE(model.rowCount(), 3);

    QHash<QString, quint64> own;
    own.insert(SocketsModel::endpointKey(at, wildcardPeer(at)), 42);
    model.setOwnEndpoints(own);
    const int row = model.rowOf(at, wildcardPeer(at));
    QVERIFY(row >= 0);
    QCOMPARE(model.sessionAt(row), quint64(42));
    SocketFilter ownOnly = byPort;
    ownOnly.ownOnly = true;
    model.setFilter(ownOnly);
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.sessionAt(0), quint64(42));
    model.setFilter(SocketFilter{});
    QCOMPARE(model.rowCount(), model.totalCount());
}

QTEST_MAIN(tst_SocketsModel)
#include "tst_socketsmodel.moc"
