#include "models/connectionlistmodel.h"

#include "../common/loopbackpair.h"
#include "../common/sessionwaits.h"

#include "engine/sessionmanager.h"
#include "net/socket.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

#include <chrono>
#include <iterator>
#include <memory>
#include <vector>

using namespace sockscope::core;
using sockscope::ui::ConnectionListModel;
using sockscope::tests::waitUntilOpened;

// The accepted connections of a real loopback listener, checked by QAbstractItemModelTester
// while connections arrive, move bytes, close and are forgotten.
class tst_ConnectionListModel : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase_data();
    void init();
    void cleanup();

    void rowsFollowAccepts();
    void cellsComeFromOneSnapshotPerRefresh();
    void closedAndForgottenConnections();
    void switchingListenerResets();

private:
    SessionId listen()
    {
        QFETCH_GLOBAL(int, family);
        ListenSpec spec;
        spec.bind = Address::loopback(family, 0);
        spec.backlog = 16;
        const SessionId id = m_sessions->listen(spec);
        const auto info = waitUntilOpened(*m_sessions, id);
        m_ports[id] = info ? info->local.port() : 0;
        return id;
    }
    // Connects `count` clients to `listener` and waits until it listed them all.
    bool connectClients(SessionId listener, int count)
    {
        QFETCH_GLOBAL(int, family);
        auto clients = sockscope::tests::connectClients(Address::loopback(family, m_ports[listener]), count);
        if (!clients)
            return false;
        std::move(clients->begin(), clients->end(), std::back_inserter(m_clients));
        return sockscope::tests::waitForChildren(*m_sessions, listener, m_expected[listener] += count);
    }
    QString cell(int row, int column) const { return m_model->index(row, column).data().toString(); }

    std::unique_ptr<SessionManager> m_sessions;
    std::unique_ptr<ConnectionListModel> m_model;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
    std::vector<Socket> m_clients;
    QHash<SessionId, quint16> m_ports;
    QHash<SessionId, qsizetype> m_expected;
};

void tst_ConnectionListModel::initTestCase_data()
{
    QTest::addColumn<int>("family");
    QTest::newRow("IPv4") << AF_INET;
    auto v6 = Socket::create(AF_INET6, SOCK_STREAM);
    if (v6 && v6->bind(Address::loopback(AF_INET6, 0)))
        QTest::newRow("IPv6") << AF_INET6;
}

void tst_ConnectionListModel::init()
{
    m_sessions = std::make_unique<SessionManager>();
    m_model = std::make_unique<ConnectionListModel>(*m_sessions);
    m_tester = std::make_unique<QAbstractItemModelTester>(m_model.get(),
                                                          QAbstractItemModelTester::FailureReportingMode::QtTest);
}

void tst_ConnectionListModel::cleanup()
{
    m_tester.reset();
    m_model.reset();
    m_clients.clear();
    m_sessions.reset();
    m_ports.clear();
    m_expected.clear();
}

void tst_ConnectionListModel::rowsFollowAccepts()
{
    const SessionId listener = listen();
    m_model->setListener(listener);
    QCOMPARE(m_model->rowCount(), 0);
    QVERIFY(connectClients(listener, 2));
    QSignalSpy inserted(m_model.get(), &QAbstractItemModel::rowsInserted);
    m_model->refresh();
    QCOMPARE(inserted.count(), 1);
    QVERIFY(connectClients(listener, 3));
    m_model->refresh();
    QCOMPARE(inserted.count(), 2);
    QCOMPARE(m_model->rowCount(), 5);
    const QList<SessionId> children = m_sessions->children(listener);
    for (int row = 0; row < 5; ++row) {
        QCOMPARE(m_model->idAt(row), children[row]);
        QCOMPARE(m_model->rowOf(children[row]), row);
        QCOMPARE(cell(row, ConnectionListModel::Id), QStringLiteral("#%1").arg(children[row]));
        const auto info = m_sessions->info(children[row]);
        QVERIFY(info);
        QCOMPARE(cell(row, ConnectionListModel::Peer), info->peer.toString());
    }
    QCOMPARE(m_model->rowOf(listener), -1);
    QCOMPARE(m_model->idAt(5), SessionId(0));
}

void tst_ConnectionListModel::cellsComeFromOneSnapshotPerRefresh()
{
    const SessionId listener = listen();
    m_model->setListener(listener);
    QVERIFY(connectClients(listener, 1));
    m_model->refresh();
    const SessionId child = m_model->idAt(0);
    QCOMPARE(cell(0, ConnectionListModel::Received), QStringLiteral("0 bytes"));

    QVERIFY(m_clients.back().sendAll("hello"));
    QTRY_COMPARE(m_sessions->traffic(child)->counts().bytesIn, quint64(5));
    // The cells of this refresh were read already: they stay as they were until the next one.
    QCOMPARE(cell(0, ConnectionListModel::Received), QStringLiteral("0 bytes"));
    QSignalSpy changed(m_model.get(), &QAbstractItemModel::dataChanged);
    m_model->refresh();
    QCOMPARE(changed.count(), 1);
    QCOMPARE(cell(0, ConnectionListModel::Received), QStringLiteral("5 bytes"));
    QCOMPARE(cell(0, ConnectionListModel::Sent), QStringLiteral("0 bytes"));
}

void tst_ConnectionListModel::closedAndForgottenConnections()
{
    const SessionId listener = listen();
    m_model->setListener(listener);
    QVERIFY(connectClients(listener, 3));
    m_model->refresh();
    const SessionId first = m_model->idAt(0);
    const QString openState = cell(0, ConnectionListModel::State);

    // The peer of the first one closes: its state changes, the row stays.
    m_clients.front() = Socket();
    QTRY_VERIFY((m_model->refresh(), cell(0, ConnectionListModel::State) != openState));
    QCOMPARE(m_model->rowCount(), 3);

    // Forgotten: the list is rebuilt without it.
    QSignalSpy reset(m_model.get(), &QAbstractItemModel::modelReset);
    m_sessions->forget(first);
    m_model->refresh();
    QCOMPARE(reset.count(), 1);
    QCOMPARE(m_model->rowCount(), 2);
    QCOMPARE(m_model->rowOf(first), -1);
}

void tst_ConnectionListModel::switchingListenerResets()
{
    const SessionId a = listen();
    const SessionId b = listen();
    QVERIFY(connectClients(a, 2));
    QVERIFY(connectClients(b, 1));
    m_model->setListener(a);
    QCOMPARE(m_model->rowCount(), 2);
    QSignalSpy reset(m_model.get(), &QAbstractItemModel::modelReset);
    m_model->setListener(b);
    QVERIFY(reset.count() >= 1);
    QCOMPARE(m_model->rowCount(), 1);
    QCOMPARE(m_model->idAt(0), m_sessions->children(b).first());
    m_model->setListener(0);
    QCOMPARE(m_model->rowCount(), 0);
}

QTEST_MAIN(tst_ConnectionListModel)
#include "tst_connectionlistmodel.moc"
