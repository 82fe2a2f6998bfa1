#include "models/workbenchmodel.h"

#include "../common/loopbackpair.h"
#include "../common/sessionwaits.h"

#include "panes/pane.h"

#include "engine/sessionmanager.h"
#include "net/socket.h"

#include <QAbstractItemModelTester>
#include <QPersistentModelIndex>
#include <QSignalSpy>
#include <QTest>

#include <chrono>
#include <iterator>
#include <memory>
#include <vector>

using namespace sockscope::core;
using sockscope::ui::Pane;
using sockscope::ui::WorkbenchModel;
using sockscope::tests::waitUntilOpened;

namespace {

// A server pane reduced to what the tree reads: a real loopback listener of the manager,
// its accepted connections as children.
class ListenerPane : public Pane
{
public:
    ListenerPane(SessionManager &sessions, const QString &name)
        : Pane(sessions)
        , m_name(name)
    {
        ListenSpec spec;
        spec.bind = Address::loopback(AF_INET, 0);
        spec.backlog = 16;
        m_listener = sessions.listen(spec);
        const auto info = waitUntilOpened(sessions, m_listener);
        m_port = info ? info->local.port() : 0;
    }

    QString kindName() const override { return QStringLiteral("TCP server"); }
    QString title() const override { return m_name; }
    QString status() const override { return QStringLiteral("%1 accepted").arg(childSessions().size()); }
    QString iconName() const override { return QStringLiteral("network-server"); }
    SessionId currentSession() const override { return m_listener; }
    QList<SessionId> childSessions() const override { return m_sessions.children(m_listener); }
    void refresh() override {}
    void shutdownSessions() override { m_sessions.close(m_listener); }

    // Connects `count` clients (blocking connects: the kernel completes them) and waits until
    // the listener's session accepted them all.
    bool connectClients(int count)
    {
        auto clients = sockscope::tests::connectClients(Address::loopback(AF_INET, m_port), count);
        if (!clients)
            return false;
        std::move(clients->begin(), clients->end(), std::back_inserter(m_clients));
        return sockscope::tests::waitForChildren(m_sessions, m_listener, qsizetype(m_clients.size()));
    }

private:
    QString m_name;
    SessionId m_listener = 0;
    quint16 m_port = 0;
    std::vector<Socket> m_clients;
};

} // namespace

// The session tree over real listeners and accepted connections, checked by
// QAbstractItemModelTester through every change the main window makes.
class tst_WorkbenchModel : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void cleanup();

    void childrenFollowAcceptedConnections();
    void childIndexesSurvivePaneRemoval_data();
    void childIndexesSurvivePaneRemoval();
    void forgottenChildRebuildsItsPane();
    void paneTextsRepaint();

private:
    ListenerPane *addPane(const QString &name)
    {
        m_panes.push_back(std::make_unique<ListenerPane>(*m_sessions, name));
        m_model->addPane(m_panes.back().get());
        return m_panes.back().get();
    }

    std::unique_ptr<SessionManager> m_sessions;
    std::unique_ptr<WorkbenchModel> m_model;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
    std::vector<std::unique_ptr<ListenerPane>> m_panes;
};

void tst_WorkbenchModel::init()
{
    m_sessions = std::make_unique<SessionManager>();
    m_model = std::make_unique<WorkbenchModel>(*m_sessions);
    m_tester = std::make_unique<QAbstractItemModelTester>(m_model.get(),
                                                          QAbstractItemModelTester::FailureReportingMode::QtTest);
}

void tst_WorkbenchModel::cleanup()
{
    m_tester.reset();
    m_model.reset();
    m_panes.clear();
    m_sessions.reset();
}

void tst_WorkbenchModel::childrenFollowAcceptedConnections()
{
    ListenerPane *pane = addPane(QStringLiteral("server"));
    QCOMPARE(m_model->rowCount(), 1);
    QVERIFY(pane->connectClients(3));
    m_model->refresh();
    const QModelIndex top = m_model->indexOf(pane);
    QCOMPARE(m_model->rowCount(top), 3);
    QVERIFY(pane->connectClients(2));
    QSignalSpy inserted(m_model.get(), &QAbstractItemModel::rowsInserted);
    m_model->refresh();
    QCOMPARE(inserted.count(), 1); // one batch for the two new children
    QCOMPARE(m_model->rowCount(top), 5);
    const QList<SessionId> children = pane->childSessions();
    for (int row = 0; row < 5; ++row) {
        const QModelIndex child = m_model->index(row, 0, top);
        QCOMPARE(m_model->childAt(child), children[row]);
        QCOMPARE(m_model->paneAt(child), pane);
        QVERIFY2(child.data().toString().startsWith(QStringLiteral("#%1 ").arg(children[row])), qPrintable(child.data().toString()));
    }
    QCOMPARE(m_model->childAt(top), SessionId(0));
}

void tst_WorkbenchModel::childIndexesSurvivePaneRemoval_data()
{
    QTest::addColumn<int>("removed");
    QTest::newRow("first pane") << 0;
    QTest::newRow("middle pane") << 1;
}

void tst_WorkbenchModel::childIndexesSurvivePaneRemoval()
{
    QFETCH(int, removed);
    QList<ListenerPane *> panes;
    for (int i = 0; i < 3; ++i) {
        panes << addPane(QStringLiteral("server %1").arg(i));
        QVERIFY(panes.last()->connectClients(2));
    }
    m_model->refresh();
    ListenerPane *last = panes.last();
    const QPersistentModelIndex child(m_model->index(1, 0, m_model->indexOf(last)));
    const SessionId id = m_model->childAt(child);
    QVERIFY(id != 0);

    m_model->removePane(panes[removed]);
    QCOMPARE(m_model->rowCount(), 2);
    // The last pane moved up a row; its child's index still names it and the same session.
    QVERIFY(child.isValid());
    QCOMPARE(child.parent().row(), 1);
    QCOMPARE(m_model->paneAt(child), last);
    QCOMPARE(m_model->childAt(child), id);
    const QModelIndex fresh = m_model->index(1, 0, m_model->index(1, 0));
    QCOMPARE(fresh, QModelIndex(child));
    QCOMPARE(m_model->paneAt(fresh), last);
    // The panes left keep working through another round of accepts.
    QVERIFY(last->connectClients(1));
    m_model->refresh();
    QCOMPARE(m_model->rowCount(m_model->indexOf(last)), 3);
}

void tst_WorkbenchModel::forgottenChildRebuildsItsPane()
{
    ListenerPane *pane = addPane(QStringLiteral("server"));
    QVERIFY(pane->connectClients(3));
    m_model->refresh();
    const QModelIndex top = m_model->indexOf(pane);
    const SessionId first = pane->childSessions().first();
    m_sessions->forget(first);
    QVERIFY(!pane->childSessions().contains(first)); // forget() drops it at once
    QSignalSpy removed(m_model.get(), &QAbstractItemModel::rowsRemoved);
    m_model->refresh();
    QCOMPARE(removed.count(), 1);
    QCOMPARE(m_model->rowCount(top), 2);
    QCOMPARE(m_model->childAt(m_model->index(0, 0, top)), pane->childSessions().first());
}

void tst_WorkbenchModel::paneTextsRepaint()
{
    ListenerPane *pane = addPane(QStringLiteral("server"));
    const QModelIndex top = m_model->indexOf(pane);
    QCOMPARE(top.data().toString(), QStringLiteral("server — 0 accepted"));
    QVERIFY(pane->connectClients(1));
    QSignalSpy changed(m_model.get(), &QAbstractItemModel::dataChanged);
    m_model->refresh();
    QVERIFY(!changed.isEmpty());
    QCOMPARE(top.data().toString(), QStringLiteral("server — 1 accepted"));
    QCOMPARE(top.data(Qt::ToolTipRole).toString(), QStringLiteral("TCP server: 1 accepted"));
}

QTEST_MAIN(tst_WorkbenchModel)
#include "tst_workbenchmodel.moc"
