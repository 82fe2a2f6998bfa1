#include "observe/kernelwatch.h"

#include "../common/loopbackpair.h"

#include <QElapsedTimer>
#include <QTest>

#include <unistd.h>

using namespace sockscope::core;
using namespace sockscope::tests;

namespace {

std::optional<TcpState> currentOf(const KernelWatch &w, const Address &local, const Address &peer)
{
    const auto t = w.timeline(local, peer);
    if (!t)
        return std::nullopt;
    const auto e = t->current();
    return e ? std::optional(e->state) : std::nullopt;
}

QStringList names(const QList<TcpState> &states)
{
    QStringList out;
    for (TcpState s : states)
        out.append(tcpStateName(s));
    return out;
}

} // namespace

class tst_KernelWatch : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase_data();
    void halfCloseOnItsThread();
    void changeLog();
    void rateAdaptsAndIsCapped();
    void onlyTcp();
    void portsComeAndGo();
    void sleepsWithoutInterest();
    void tableWithOwners();
};

void tst_KernelWatch::initTestCase_data()
{
    QTest::addColumn<int>("family");
    QTest::newRow("IPv4") << AF_INET;
    QTest::newRow("IPv6") << AF_INET6;
}

void tst_KernelWatch::halfCloseOnItsThread()
{
    QFETCH_GLOBAL(int, family);
    auto l = tcpListener(family, 4);
    QVERIFY(l);
    KernelWatch w;
    const auto interest = w.watchStates(localPort(*l));
    auto pair = tcpPair(*l);
    QVERIFY(pair);
    const Address c = *pair->client.localAddress(), s = *pair->server.localAddress();
    w.wake();
    QTRY_COMPARE(currentOf(w, c, s), std::optional(TcpState::Established));
    QTRY_COMPARE(currentOf(w, s, c), std::optional(TcpState::Established));

    QVERIFY(pair->client.shutdown(SHUT_WR));
    w.wake();
    QTRY_COMPARE(currentOf(w, c, s), std::optional(TcpState::FinWait2));
    QTRY_COMPARE(currentOf(w, s, c), std::optional(TcpState::CloseWait));

    QVERIFY(pair->server.close());
    w.wake();
    QTRY_COMPARE(currentOf(w, c, s), std::optional(TcpState::TimeWait));
    QTRY_COMPARE(currentOf(w, s, c), std::optional(TcpState::Closed));

    // Each state was held until seen, and the transient ones pass within a syscall on
    // loopback, so the watcher saw exactly the stable ones.
    QCOMPARE(names(w.timeline(c, s)->path()),
             names({TcpState::Established, TcpState::FinWait2, TcpState::TimeWait}));
    QCOMPARE(names(w.timeline(s, c)->path()),
             names({TcpState::Established, TcpState::CloseWait, TcpState::Closed}));
    for (const StateEntry &e : w.timeline(c, s)->entries())
        QCOMPARE(e.source, StateSource::SockDiag);
    const auto listener = w.timeline(*l->localAddress(), Address::any(family));
    QVERIFY(listener);
    QCOMPARE(names(listener->path()), names({TcpState::Listen}));
    QVERIFY(!w.error());
}

void tst_KernelWatch::changeLog()
{
    // Driven by hand as well: each sampleNow() is one dump (the thread's dumps log the
    // same changes once).
    QFETCH_GLOBAL(int, family);
    auto l = tcpListener(family, 4);
    QVERIFY(l);
    KernelWatch w;
    const auto interest = w.watchStates(localPort(*l));
    QVERIFY(w.sampleNow());
    const quint64 generation = w.generation();
    auto first = w.changesSince(0);
    // The listener (and any TIME_WAIT an earlier user of the port left) is first seen.
    QVERIFY(!first.empty());
    for (const StateChange &c : first)
        QVERIFY(!c.from);
    const quint64 last = first.back().seq;

    QVERIFY(w.sampleNow());
    QVERIFY(w.changesSince(last).empty());
    QCOMPARE(w.generation(), generation);

    auto pair = tcpPair(*l);
    QVERIFY(pair);
    QVERIFY(w.sampleNow());
    auto opened = w.changesSince(last);
    QCOMPARE(opened.size(), size_t(2)); // both ends, first seen ESTABLISHED
    for (const StateChange &c : opened) {
        QVERIFY(c.seq > last);
        QVERIFY(!c.from);
        QCOMPARE(c.to, TcpState::Established);
        QVERIFY(c.timeNs > 0);
    }
    QVERIFY(w.generation() > generation);

    const Address c = *pair->server.peerAddress(), s = *pair->server.localAddress();
    QVERIFY(pair->client.abort());
    QTRY_VERIFY(w.sampleNow() && currentOf(w, s, c) == TcpState::Closed);
    quint64 missed = 99;
    const auto closed = w.changesSince(opened.back().seq, &missed);
    QCOMPARE(missed, 0u);
    QCOMPARE(closed.size(), size_t(2));
    for (const StateChange &ch : closed) {
        QCOMPARE(ch.from, std::optional(TcpState::Established));
        QCOMPARE(ch.to, TcpState::Closed);
        QVERIFY(ch.entry.local.port() != 0); // the socket as last seen
    }
    QCOMPARE(w.snapshot().size(), qsizetype(first.size())); // back to what was there
}

void tst_KernelWatch::rateAdaptsAndIsCapped()
{
    QFETCH_GLOBAL(int, family);
    auto l = tcpListener(family, 4);
    QVERIFY(l);
    KernelWatch w;
    QCOMPARE(w.interval(), KernelWatch::kFastest);
    const auto interest = w.watchStates(localPort(*l));
    // Nothing happens: the period doubles up to once a second (0.1+0.2+0.4+0.8 s).
    QTRY_COMPARE_WITH_TIMEOUT(w.interval(), KernelWatch::kSlowest, 4000);

    // Asking all the time still gives at most 10 samples a second.
    const quint64 before = w.samples();
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < 600) {
        w.wake();
        QTest::qSleep(2);
    }
    const quint64 taken = w.samples() - before;
    QVERIFY2(taken >= 3 && taken <= 7, qPrintable(QString::number(taken)));

    // Something changes: back to the fast pace.
    auto pair = tcpPair(*l);
    QVERIFY(pair);
    w.wake();
    QTRY_COMPARE(w.interval(), KernelWatch::kFastest);
}

void tst_KernelWatch::onlyTcp()
{
    QFETCH_GLOBAL(int, family);
    auto udp = Socket::create(family, SOCK_DGRAM);
    QVERIFY(udp && udp->bind(Address::loopback(family, 0)));
    KernelWatch w;
    const auto interest = w.watchStates(localPort(*udp)); // states are TCP's alone
    QVERIFY(w.sampleNow());
    for (const SocketEntry &e : w.snapshot())
        QCOMPARE(e.protocol, DiagProtocol::Tcp);
    QVERIFY(!w.timeline(*udp->localAddress(), Address::any(family)));
}

void tst_KernelWatch::portsComeAndGo()
{
    // Two views watch two ports through one watch. A port nobody watches any more is not
    // looked at, so its sockets are neither gone nor present until it is watched again.
    QFETCH_GLOBAL(int, family);
    auto a = tcpListener(family, 4);
    auto b = tcpListener(family, 4);
    QVERIFY(a && b);
    KernelWatch w;
    auto onA = w.watchStates(localPort(*a));
    const auto onB = w.watchStates(localPort(*b));
    auto pairA = tcpPair(*a);
    auto pairB = tcpPair(*b);
    QVERIFY(pairA && pairB);
    const Address ca = *pairA->client.localAddress(), sa = *pairA->server.localAddress();
    const Address cb = *pairB->client.localAddress(), sb = *pairB->server.localAddress();
    QTRY_VERIFY(w.sampleNow() && currentOf(w, ca, sa) == TcpState::Established
                && currentOf(w, cb, sb) == TcpState::Established);
    for (const SocketEntry &e : w.snapshot())
        QVERIFY(e.local.port() == localPort(*a) || e.peer.port() == localPort(*a) || e.local.port() == localPort(*b)
                || e.peer.port() == localPort(*b));

    onA.reset();
    QVERIFY(!w.isIdle());
    // A dump the thread began before the reset still covers port A: let it land.
    const quint64 before = w.samples();
    QTRY_VERIFY_WITH_TIMEOUT(w.samples() >= before + 2, 5000);
    QVERIFY(pairA->client.abort());
    QVERIFY(pairB->client.abort());
    QTRY_VERIFY(w.sampleNow() && currentOf(w, cb, sb) == TcpState::Closed);
    QCOMPARE(currentOf(w, ca, sa), std::optional(TcpState::Established)); // not looked at: as last seen

    onA = w.watchStates(localPort(*a));
    QVERIFY(w.sampleNow());
    QCOMPARE(currentOf(w, ca, sa), std::optional(TcpState::Closed)); // looked at again: gone
}

void tst_KernelWatch::sleepsWithoutInterest()
{
    QFETCH_GLOBAL(int, family);
    auto l = tcpListener(family, 4);
    QVERIFY(l);
    KernelWatch w;
    QVERIFY(w.isIdle());
    QTest::qWait(250); // a fixed wait is the point: nobody looks, so no dump may be made
    QCOMPARE(w.samples(), 0u);
    {
        const auto interest = w.watchStates(localPort(*l));
        QTRY_VERIFY(w.samples() > 0);
        QTRY_VERIFY(w.timeline(*l->localAddress(), Address::any(family)));
    }
    QVERIFY(w.isIdle());
    // A fixed wait is the point: a dump under way may land, then none for longer than the
    // slowest pace.
    QTest::qWait(int(KernelWatch::kFastest.count()) + 50); // a fixed wait is the point: as said above
    const quint64 after = w.samples();
    QTest::qWait(int(KernelWatch::kSlowest.count()) + 200); // a fixed wait is the point: as said above
    QCOMPARE(w.samples(), after);
    w.wake(); // a wake with nobody looking still makes no dump
    QTest::qWait(int(KernelWatch::kFastest.count()) * 2); // a fixed wait is the point: as above
    QCOMPARE(w.samples(), after);
}

void tst_KernelWatch::tableWithOwners()
{
    QFETCH_GLOBAL(int, family);
    auto l = tcpListener(family, 4);
    QVERIFY(l);
    KernelWatch w;
    QCOMPARE(w.tableGeneration(), 0u);
    const auto interest = w.watchTable();
    QTRY_VERIFY(w.tableGeneration() > 0);
    const SocketTable table = w.table();
    QVERIFY(!table.error);
    const auto ours = std::find_if(table.entries.begin(), table.entries.end(), [&](const SocketEntry &e) {
        return e.protocol == DiagProtocol::Tcp && e.local == *l->localAddress();
    });
    QVERIFY(ours != table.entries.end());
    QVERIFY(ours->inode != 0);
    const QList<SocketOwner> owners = table.owners.value(ours->inode);
    QVERIFY(std::any_of(owners.begin(), owners.end(), [](const SocketOwner &o) { return o.pid == getpid(); }));
    QCOMPARE(w.samples(), 0u); // the table alone: no state dumps
}

QTEST_GUILESS_MAIN(tst_KernelWatch)
#include "tst_kernelwatch.moc"
