#include "observe/statewatcher.h"

#include "../common/loopbackpair.h"

#include <QElapsedTimer>
#include <QTest>

using namespace sockscope::core;
using namespace sockscope::tests;

namespace {

std::optional<TcpState> currentOf(const StateWatcher &w, const Address &local, const Address &peer)
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

DiagQuery portQuery(quint16 port)
{
    DiagQuery q;
    q.port = port;
    return q;
}

} // namespace

class tst_StateWatcher : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase_data();
    void halfCloseOnItsThread();
    void changeLog();
    void rateAdaptsAndIsCapped();
    void onlyTcp();
};

void tst_StateWatcher::initTestCase_data()
{
    QTest::addColumn<int>("family");
    QTest::newRow("IPv4") << AF_INET;
    QTest::newRow("IPv6") << AF_INET6;
}

void tst_StateWatcher::halfCloseOnItsThread()
{
    QFETCH_GLOBAL(int, family);
    auto l = tcpListener(family, 4);
    QVERIFY(l);
    StateWatcher w(portQuery(localPort(*l)));
    QVERIFY(w.start());
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

void tst_StateWatcher::changeLog()
{
    // Driven by hand (no thread): each sampleNow() is one dump.
    QFETCH_GLOBAL(int, family);
    auto l = tcpListener(family, 4);
    QVERIFY(l);
    StateWatcher w(portQuery(localPort(*l)));
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

void tst_StateWatcher::rateAdaptsAndIsCapped()
{
    QFETCH_GLOBAL(int, family);
    auto l = tcpListener(family, 4);
    QVERIFY(l);
    StateWatcher w(portQuery(localPort(*l)));
    QCOMPARE(w.interval(), StateWatcher::kFastest);
    QVERIFY(w.start());
    // Nothing happens: the period doubles up to once a second (0.1+0.2+0.4+0.8 s).
    QTRY_COMPARE_WITH_TIMEOUT(w.interval(), StateWatcher::kSlowest, 4000);

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
    QTRY_COMPARE(w.interval(), StateWatcher::kFastest);
}

void tst_StateWatcher::onlyTcp()
{
    QFETCH_GLOBAL(int, family);
    auto udp = Socket::create(family, SOCK_DGRAM);
    QVERIFY(udp && udp->bind(Address::loopback(family, 0)));
    DiagQuery q = portQuery(localPort(*udp));
    q.protocols = int(DiagProtocol::Udp) | int(DiagProtocol::Unix);
    StateWatcher w(q); // the watcher narrows any query to TCP
    QVERIFY(w.sampleNow());
    for (const SocketEntry &e : w.snapshot())
        QCOMPARE(e.protocol, DiagProtocol::Tcp);
    QVERIFY(!w.timeline(*udp->localAddress(), Address::any(family)));
}

QTEST_GUILESS_MAIN(tst_StateWatcher)
#include "tst_statewatcher.moc"
