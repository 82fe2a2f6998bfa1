#include "widgets/backlogview.h"

#include "../common/sessionwaits.h"

#include "engine/sessionmanager.h"
#include "net/socket.h"

#include <QImage>
#include <QTest>

using namespace sockscope;

namespace {

core::SessionId listenWithoutAccepting(core::SessionManager &sessions, int family, int backlog, core::Address *at)
{
    core::ListenSpec spec;
    spec.bind = core::Address::loopback(family, 0);
    spec.backlog = backlog;
    spec.autoAccept = false;
    const core::SessionId id = sessions.listen(spec);
    const auto info = tests::waitForState(sessions, id, core::SessionState::Listening);
    if (info)
        *at = info->local;
    return info ? id : 0;
}

} // namespace

class tst_BacklogView : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase_data();
    void queueFillsThenClientsRetry();
    void notAListener_data();
    void notAListener();
};

void tst_BacklogView::initTestCase_data()
{
    QTest::addColumn<int>("family");
    QTest::newRow("IPv4") << AF_INET;
    QTest::newRow("IPv6") << AF_INET6;
}

// listen(1) without accept(): two clients fill the queue (backlog + 1 on Linux), a third is
// left in SYN_SENT retrying; accept() makes room and the third gets in at its next retry.
void tst_BacklogView::queueFillsThenClientsRetry()
{
    QFETCH_GLOBAL(int, family);
    core::SessionManager sessions;
    core::KernelWatch kernel;
    core::Address at;
    const core::SessionId id = listenWithoutAccepting(sessions, family, 1, &at);
    QVERIFY(id);
    ui::BacklogView view(sessions, kernel);
    view.resize(460, 260);
    view.show();
    view.setListener(id);
    QTRY_VERIFY(view.hasListener());
    QCOMPARE(view.backlog(), 1u);
    QCOMPARE(view.capacity(), 2u);
    QCOMPARE(view.acceptQueue(), 0u);

    std::vector<core::Socket> clients;
    for (int i = 0; i < 2; ++i) {
        auto c = core::Socket::create(family, SOCK_STREAM);
        QVERIFY(c);
        QVERIFY(c->connect(at)); // the kernel completes it: no accept() needed
        clients.push_back(std::move(*c));
    }
    QTRY_COMPARE(view.acceptQueue(), 2u);
    QVERIFY(view.queueFull());
    QVERIFY(view.history().contains(2u));
    QVERIFY(view.summary().contains(QStringLiteral("full")));

    auto third = core::Socket::create(family, SOCK_STREAM);
    QVERIFY(third);
    QVERIFY(third->setTimeout(0));
    QCOMPARE(third->connectEx(at), EINPROGRESS);
    QTRY_COMPARE(view.retrying().size(), 1);
    QCOMPARE(view.retrying().first().local.toString(), third->localAddress()->toString());
    QVERIFY(view.summary().contains(QStringLiteral("SYN_SENT")));
    const QImage full = view.grab().toImage();
    QVERIFY(!full.isNull());

    sessions.acceptOne(id);
    // The third client's SYN is retransmitted after 1 s and now finds room.
    QTRY_VERIFY_WITH_TIMEOUT(view.retrying().isEmpty(), 5000);
    QTRY_COMPARE(view.acceptQueue(), 2u);
    QVERIFY(view.history().contains(1u)); // the moment between accept() and the retry
}

void tst_BacklogView::notAListener_data()
{
    QTest::addColumn<bool>("none");
    QTest::newRow("no session") << true;
    QTest::newRow("a UDP socket") << false;
}

void tst_BacklogView::notAListener()
{
    QFETCH_GLOBAL(int, family);
    QFETCH(bool, none);
    core::SessionManager sessions;
    core::KernelWatch kernel;
    ui::BacklogView view(sessions, kernel);
    view.show();
    core::SessionId id = 0;
    if (!none) {
        core::DatagramSpec spec;
        spec.family = family;
        spec.bind = core::Address::loopback(family, 0);
        id = sessions.openDatagram(spec);
        QVERIFY(tests::reachedState(sessions, id, core::SessionState::Bound));
    }
    view.setListener(id);
    view.refresh();
    QVERIFY(!view.hasListener());
    QCOMPARE(view.acceptQueue(), 0u);
    QVERIFY(view.summary().contains(none ? QStringLiteral("No listener") : QStringLiteral("not a listening")));
    QVERIFY(!view.grab().isNull());
}

QTEST_MAIN(tst_BacklogView)
#include "tst_backlogview.moc"
