// The fault suite's datagram cases that need more than tst_faults' loopback pair: a
// datagram longer than the session's receive buffer (MSG_TRUNC), and a send buffer held
// full by a slow interface in a network namespace of the test's own (EAGAIN, and ENOBUFS
// once the interface's queue overflows). Each asserts the trace row the user sees and that
// the session goes on sending and receiving afterwards.

#include "../common/scratchnetns.h"
#include "../common/sessionwaits.h"
#include "../common/tryuntil.h"

#include "engine/sessionmanager.h"
#include "net/pycode.h"
#include "net/socket.h"

#include <QRegularExpression>
#include <QTest>

#include <memory>

using namespace sockscope::core;
using namespace sockscope::tests;

namespace {

QString rowText(const CallRecord &r)
{
    return r.code + QStringLiteral(" -> ") + (r.ok() ? r.result : r.error->toString());
}

QStringList traceLines(const SessionManager &m, SessionId id)
{
    QStringList lines;
    if (auto trace = m.trace(id)) {
        for (const CallRecord &r : trace->since(0))
            lines << rowText(r);
    }
    return lines;
}

QList<TrafficRecord> records(const SessionManager &m, SessionId id, Direction direction)
{
    QList<TrafficRecord> kept;
    if (auto traffic = m.traffic(id)) {
        for (const TrafficRecord &r : traffic->since(0).records) {
            if (r.direction == direction)
                kept << r;
        }
    }
    return kept;
}

} // namespace

class tst_FaultsDatagram : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase_data();
    void init();

    void datagramLongerThanTheBufferIsCut();
    void fullSendBufferQueuesAndRetries();
    void overflowingQdiscIsEnobufs();

private:
    Address loopback(quint16 port = 0) const { return Address::loopback(m_family, port); }
    // The namespace: an ifb device (this kernel has no dummy; ifb likewise drops what it is
    // given, and needs no ARP) with our address on it, behind a token bucket of
    // 100 kbit/s holding at most `queueBytes`: what goes out of it waits there, charged
    // to the sending socket's buffer, or is dropped once the queue is full.
    bool slowLink(ScratchNetns &ns, int queueBytes);
    Address ours(quint16 port = 0) const;
    Address nobody() const; // on the slow link, never answers
    // The session still works: it sends to a second session of the same engine (over the
    // namespace's loopback route), which receives it whole.
    void stillSendsAndReceives(SessionId id);

    int m_family = AF_INET;
    std::unique_ptr<SessionManager> m_sessions;
};

void tst_FaultsDatagram::initTestCase_data()
{
    QTest::addColumn<int>("family");
    QTest::newRow("IPv4") << int(AF_INET);
    QTest::newRow("IPv6") << int(AF_INET6);
}

void tst_FaultsDatagram::init()
{
    QFETCH_GLOBAL(int, family);
    m_family = family;
}

Address tst_FaultsDatagram::ours(quint16 port) const
{
    return *Address::ip(m_family == AF_INET ? QStringLiteral("192.0.2.1") : QStringLiteral("2001:db8::1"), port);
}

Address tst_FaultsDatagram::nobody() const
{
    return *Address::ip(m_family == AF_INET ? QStringLiteral("192.0.2.2") : QStringLiteral("2001:db8::2"), 9);
}

bool tst_FaultsDatagram::slowLink(ScratchNetns &ns, int queueBytes)
{
    ns.run(QStringLiteral("ip link add slow0 type ifb"));
    ns.run(m_family == AF_INET ? QStringLiteral("ip addr add 192.0.2.1/24 dev slow0")
                               : QStringLiteral("ip addr add 2001:db8::1/64 dev slow0 nodad"));
    ns.run(QStringLiteral("ip link set slow0 up"));
    ns.run(QStringLiteral("tc qdisc add dev slow0 root tbf rate 100kbit burst 1600 limit %1").arg(queueBytes));
    return ns.ok();
}

void tst_FaultsDatagram::stillSendsAndReceives(SessionId id)
{
    const SessionId peer = m_sessions->openDatagram({.family = m_family, .bind = ours()});
    const auto where = waitForState(*m_sessions, peer, SessionState::Bound);
    QVERIFY(where && where->state == SessionState::Bound);
    m_sessions->sendTo(id, "still working", where->local);
    QVERIFY(tryUntil([&] {
        const auto in = records(*m_sessions, peer, Direction::In);
        return !in.isEmpty() && in.last().bytes == "still working";
    }));
}

void tst_FaultsDatagram::datagramLongerThanTheBufferIsCut()
{
    m_sessions = std::make_unique<SessionManager>();
    const SessionId id = m_sessions->openDatagram({.family = m_family, .bind = loopback(), .receiveSize = 64});
    const auto bound = waitForState(*m_sessions, id, SessionState::Bound);
    QVERIFY(bound && bound->state == SessionState::Bound);

    Socket sender = std::move(*Socket::create(m_family, SOCK_DGRAM));
    QVERIFY(sender.bind(loopback()));
    const Address from = *sender.localAddress();
    const QByteArray longOne = QByteArray("0123456789").repeated(10); // 100 bytes into 64
    QVERIFY(sender.sendTo(longOne, bound->local));

    // The row says MSG_TRUNC and the real length, as recvmsg() would tell a Python user.
    const QString expected = QStringLiteral("data, ancdata, flags, addr = s.recvmsg(64) -> (%1, [], socket.MSG_TRUNC, %2)"
                                            "  # MSG_TRUNC: the datagram had 100 bytes, 36 did not fit and were discarded")
                                 .arg(pycode::bytes(longOne.first(64)), from.toPython());
    QVERIFY2(tryUntil([&] { return traceLines(*m_sessions, id).contains(expected); }),
             qPrintable(traceLines(*m_sessions, id).join(u'\n')));
    auto in = records(*m_sessions, id, Direction::In);
    QCOMPARE(in.size(), 1);
    QCOMPARE(in[0].bytes, longOne.first(64));
    QCOMPARE(in[0].truncatedFrom, 100);
    QCOMPARE(in[0].peer, from);

    // The next datagram, within the buffer, arrives whole and draws no row.
    const qsizetype rows = traceLines(*m_sessions, id).size();
    QVERIFY(sender.sendTo("short and whole", bound->local));
    QVERIFY(tryUntil([&] { return records(*m_sessions, id, Direction::In).size() == 2; }));
    in = records(*m_sessions, id, Direction::In);
    QCOMPARE(in[1].bytes, QByteArray("short and whole"));
    QCOMPARE(in[1].truncatedFrom, 0);
    QCOMPARE(traceLines(*m_sessions, id).size(), rows);

    // And it answers: the sender reads the reply.
    m_sessions->sendTo(id, "reply", from);
    sender.setTimeout(3000);
    const auto reply = sender.recvFrom(64);
    QVERIFY(reply);
    QCOMPARE(reply->data, QByteArray("reply"));
}

void tst_FaultsDatagram::fullSendBufferQueuesAndRetries()
{
    ScratchNetns ns;
    if (!ns.ok())
        QSKIP(qPrintable(ns.error()));
    QVERIFY2(slowLink(ns, 100'000), qPrintable(ns.error()));
    m_sessions = std::make_unique<SessionManager>(); // its reactor thread lives in the namespace
    ns.leave();

    // The smallest send buffer the kernel allows: a few datagrams in the qdisc fill it.
    const SessionId id = m_sessions->openDatagram(
        {.family = m_family, .bind = ours(), .options = {{QStringLiteral("SO_SNDBUF"), QStringLiteral("4096")}}});
    QVERIFY(reachedState(*m_sessions, id, SessionState::Bound));
    constexpr int kDatagrams = 20;
    constexpr int kSize = 600;
    for (int i = 0; i < kDatagrams; ++i)
        m_sessions->sendTo(id, QByteArray(kSize, char('a' + i)), nobody());

    // EAGAIN is shown once, the datagrams wait in our queue (pendingOut says how much)...
    const QString row = QStringLiteral("s.sendto(...)  # send buffer full: 1 datagram queued here, sent when it drains -> ")
                        + SysError::fromErrno(EAGAIN).toString();
    QVERIFY2(tryUntil([&] { return traceLines(*m_sessions, id).contains(row); }),
             qPrintable(traceLines(*m_sessions, id).join(u'\n')));
    QVERIFY(m_sessions->info(id)->pendingOut > 0);
    // ...and go as the link drains: ~12 kB at 100 kbit/s take about a second.
    QVERIFY(tryUntil([&] { return m_sessions->info(id)->pendingOut == 0; }, 10000));
    const auto out = records(*m_sessions, id, Direction::Out);
    QCOMPARE(out.size(), kDatagrams);
    for (int i = 0; i < kDatagrams; ++i)
        QCOMPARE(out[i].bytes, QByteArray(kSize, char('a' + i))); // in order, none lost
    QCOMPARE(traceLines(*m_sessions, id).count(row), 1);
    // The kernel agrees: the qdisc dropped nothing.
    const QString stats = ns.run(QStringLiteral("tc -s qdisc show dev slow0"));
    QVERIFY2(stats.contains(QLatin1String("dropped 0,")), qPrintable(stats));

    stillSendsAndReceives(id);
}

void tst_FaultsDatagram::overflowingQdiscIsEnobufs()
{
    ScratchNetns ns;
    if (!ns.ok())
        QSKIP(qPrintable(ns.error()));
    QVERIFY2(slowLink(ns, 3000), qPrintable(ns.error())); // two or three datagrams queue, no more
    m_sessions = std::make_unique<SessionManager>();
    ns.leave();

    // With IP_RECVERR the kernel reports the qdisc's drop; without it, it stays silent.
    const QString recvErr = m_family == AF_INET ? QStringLiteral("IP_RECVERR") : QStringLiteral("IPV6_RECVERR");
    const SessionId id = m_sessions->openDatagram(
        {.family = m_family, .bind = ours(), .options = {{recvErr, QStringLiteral("1")}}});
    QVERIFY(reachedState(*m_sessions, id, SessionState::Bound));
    constexpr int kDatagrams = 20;
    for (int i = 0; i < kDatagrams; ++i)
        m_sessions->sendTo(id, QByteArray(1000, 'x'), nobody());

    const QString row = QStringLiteral("s.sendto(...) -> ") + SysError::fromErrno(ENOBUFS).toString();
    QVERIFY2(tryUntil([&] { return traceLines(*m_sessions, id).contains(row); }),
             qPrintable(traceLines(*m_sessions, id).join(u'\n')));
    QVERIFY(tryUntil([&] { return m_sessions->info(id)->pendingOut == 0; }));
    // Every datagram is accounted for: sent (in the traffic log) or refused (a row each).
    const qsizetype refused = traceLines(*m_sessions, id).count(row);
    const qsizetype sent = records(*m_sessions, id, Direction::Out).size();
    QVERIFY2(refused > 0 && sent > 0, qPrintable(QStringLiteral("%1 sent, %2 refused").arg(sent).arg(refused)));
    QCOMPARE(sent + refused, qsizetype(kDatagrams));
    const QString stats = ns.run(QStringLiteral("tc -s qdisc show dev slow0"));
    QVERIFY2(stats.contains(QStringLiteral("dropped %1,").arg(refused)), qPrintable(stats));

    stillSendsAndReceives(id);
}

QTEST_GUILESS_MAIN(tst_FaultsDatagram)
#include "tst_faultsdatagram.moc"
