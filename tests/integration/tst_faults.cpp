// The fault suite: what the network does to a session when it misbehaves, on real
// loopback sockets. Each case asserts the row the user is shown for it (the call trace
// row, as the session tree's trace and sockscope-cli print it: `code -> ENAME (n): text`)
// and, in cleanup(), that the same engine still serves a fresh echo round trip.

#include "../common/tryuntil.h"

#include "engine/sessionmanager.h"
#include "net/socket.h"

#include <QElapsedTimer>
#include <QTest>

#include <memory>

using namespace sockscope::core;
using namespace std::chrono_literals;
using sockscope::tests::tryUntil;

namespace {

QString rowText(const CallRecord &r)
{
    return r.code + QStringLiteral(" -> ") + (r.ok() ? r.result : r.error->toString());
}

QString traceText(const SessionManager &m, SessionId id)
{
    QStringList lines;
    if (auto trace = m.trace(id)) {
        for (const CallRecord &r : trace->since(0))
            lines << rowText(r);
    }
    return lines.join(u'\n');
}

// The first row that failed with `errorName`, waiting for it up to 5 s.
std::optional<CallRecord> failedRow(const SessionManager &m, SessionId id, const QString &errorName)
{
    std::optional<CallRecord> found;
    static_cast<void>(tryUntil([&] {
        if (auto trace = m.trace(id)) {
            for (const CallRecord &r : trace->since(0)) {
                if (r.error && r.error->name() == errorName) {
                    found = r;
                    return true;
                }
            }
        }
        return false;
    }, 5000));
    return found;
}

QString errorText(int code)
{
    return SysError::fromErrno(code).toString();
}

} // namespace

#define EXPECT_ROW(id, errnoCode, codeText)                                                         \
    do {                                                                                             \
        const auto row_ = failedRow(*m_sessions, (id), SysError::fromErrno(errnoCode).name());      \
        QVERIFY2(row_, qPrintable(traceText(*m_sessions, (id))));                                    \
        QCOMPARE(rowText(*row_), QString(codeText) + QStringLiteral(" -> ") + errorText(errnoCode)); \
    } while (false)

class tst_Faults : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase_data();
    void init();
    void cleanup();

    void connectRefused();
    void connectTimedOut();
    void connectToPortZero();
    void timedOutCandidateThenTheNextConnects();
    void sourceOfTheOtherFamily();
    void bindInUseWithoutReuseAddr();
    void bindInUseWithReuseAddr();
    void rebindOverTimeWaitWithReuseAddr();
    void rebindOverTimeWaitWithoutReuseAddr();
    void bindNonLocalAddress();
    void peerResetWhileReceiving();
    void peerResetWhileSending();
    void writeAfterPeerCloseIsEpipeNotSigpipe();
    void peerClosesWithOurDataUnread();
    void sendAfterOurShutdownWrite();
    void halfOpenPeerStillSends();
    void peerHalfClosesWeStillSend();
    void resetWhileQueuedBeforeAccept();
    void listenerClosedWithClientsQueued();
    void ourAbortSendsRst();
    void thousandClientsVanishAtOnce();
    void slowReaderQueuesAndLosesNothing();
    void udpToAClosedPort();
    void reactorStopsWithAThousandSessions();

private:
    Address loopback(quint16 port = 0) const { return Address::loopback(m_family, port); }
    QString py(const Address &a) const { return a.toPython(); }
    Socket plainListener(int backlog = 16);
    Socket plainClient(const Address &to);
    struct Connected
    {
        Socket listener;
        Socket server; // the accepted end, plain
        SessionId id;  // the client session
    };
    Connected connectedSession();
    std::optional<SessionInfo> waitState(SessionId id, SessionState state);
    SessionId echoListener();

    int m_family = AF_INET;
    std::unique_ptr<SessionManager> m_sessions;
};

void tst_Faults::initTestCase_data()
{
    QTest::addColumn<int>("family");
    QTest::newRow("IPv4") << int(AF_INET);
    QTest::newRow("IPv6") << int(AF_INET6);
}

void tst_Faults::init()
{
    QFETCH_GLOBAL(int, family);
    m_family = family;
    m_sessions = std::make_unique<SessionManager>();
}

// The app goes on working: after the fault, the same engine serves an echo round trip.
void tst_Faults::cleanup()
{
    if (!m_sessions)
        return;
    const SessionId listener = echoListener();
    const auto where = m_sessions->info(listener);
    QVERIFY(where && where->state == SessionState::Listening);
    const SessionId client = m_sessions->connect({.candidates = {where->local}});
    QVERIFY(waitState(client, SessionState::Connected));
    m_sessions->send(client, "still working");
    const bool echoed = tryUntil([&] {
        auto traffic = m_sessions->traffic(client);
        QByteArray in;
        for (const TrafficRecord &r : traffic->since(0).records)
            in += r.direction == Direction::In ? r.bytes : QByteArray();
        return in == "still working";
    }, 5000);
    QVERIFY2(echoed, qPrintable(traceText(*m_sessions, client)));
    m_sessions.reset();
}

Socket tst_Faults::plainListener(int backlog)
{
    Socket s = std::move(*Socket::create(m_family, SOCK_STREAM));
    s.setIntOption(SOL_SOCKET, SO_REUSEADDR, 1);
    s.bind(loopback());
    s.listen(backlog);
    return s;
}

Socket tst_Faults::plainClient(const Address &to)
{
    Socket s = std::move(*Socket::create(m_family, SOCK_STREAM));
    s.connect(to);
    return s;
}

// A client session connected to a plain listener, and the listener's accepted end.
tst_Faults::Connected tst_Faults::connectedSession()
{
    Connected c{plainListener(), Socket(), 0};
    c.id = m_sessions->connect({.candidates = {*c.listener.localAddress()}});
    if (auto accepted = c.listener.accept())
        c.server = std::move(accepted->socket);
    waitState(c.id, SessionState::Connected);
    return c;
}

std::optional<SessionInfo> tst_Faults::waitState(SessionId id, SessionState state)
{
    auto info = m_sessions->waitFor(id, [state](const SessionInfo &i) { return i.state == state; }, 5s);
    return info && info->state == state ? info : std::nullopt;
}

SessionId tst_Faults::echoListener()
{
    ListenSpec spec;
    spec.bind = loopback();
    spec.service = ServiceMode::Echo;
    const SessionId id = m_sessions->listen(spec);
    waitState(id, SessionState::Listening);
    return id;
}

// ---- connecting -------------------------------------------------------------------

void tst_Faults::connectRefused()
{
    Socket holder = std::move(*Socket::create(m_family, SOCK_STREAM));
    holder.bind(loopback()); // a port that is ours and has no listener
    const Address to = *holder.localAddress();
    const SessionId id = m_sessions->connect({.candidates = {to}});
    EXPECT_ROW(id, ECONNREFUSED, QStringLiteral("s.connect(%1)").arg(py(to)));
    QVERIFY(waitState(id, SessionState::Closed));
}

void tst_Faults::connectTimedOut()
{
    // A backlog-0 listener whose one queue place is taken drops the next SYN.
    Socket l = plainListener(0);
    Socket filler = plainClient(*l.localAddress());
    const SessionId id = m_sessions->connect({.candidates = {*l.localAddress()}, .timeoutMs = 300});
    EXPECT_ROW(id, ETIMEDOUT, QStringLiteral("s.connect(%1)").arg(py(*l.localAddress())));
}

void tst_Faults::connectToPortZero()
{
    const SessionId id = m_sessions->connect({.candidates = {loopback(0)}});
    EXPECT_ROW(id, ECONNREFUSED, QStringLiteral("s.connect(%1)").arg(py(loopback(0))));
}

void tst_Faults::timedOutCandidateThenTheNextConnects()
{
    Socket full = plainListener(0);
    Socket filler = plainClient(*full.localAddress());
    Socket open = plainListener();
    const SessionId id = m_sessions->connect({.candidates = {*full.localAddress(), *open.localAddress()}, .timeoutMs = 300});
    EXPECT_ROW(id, ETIMEDOUT, QStringLiteral("s.connect(%1)").arg(py(*full.localAddress())));
    const auto info = waitState(id, SessionState::Connected);
    QVERIFY2(info, qPrintable(traceText(*m_sessions, id)));
    QCOMPARE(info->peer, *open.localAddress());
}

void tst_Faults::sourceOfTheOtherFamily()
{
    const Address other = Address::loopback(m_family == AF_INET ? AF_INET6 : AF_INET, 0);
    Socket l = plainListener();
    const SessionId id = m_sessions->connect({.candidates = {*l.localAddress()}, .source = other});
    const int expected = m_family == AF_INET ? EAFNOSUPPORT : EINVAL;
    EXPECT_ROW(id, expected, QStringLiteral("s.bind(%1)").arg(py(other)));
}

// ---- binding ----------------------------------------------------------------------

void tst_Faults::bindInUseWithoutReuseAddr()
{
    Socket l = plainListener();
    ListenSpec spec{.bind = *l.localAddress(), .reuseAddr = false};
    const SessionId id = m_sessions->listen(spec);
    EXPECT_ROW(id, EADDRINUSE, QStringLiteral("s.bind(%1)").arg(py(spec.bind)));
}

void tst_Faults::bindInUseWithReuseAddr()
{
    // SO_REUSEADDR lets a port in TIME_WAIT be taken again, never a live listener's.
    Socket l = plainListener();
    ListenSpec spec{.bind = *l.localAddress(), .reuseAddr = true};
    const SessionId id = m_sessions->listen(spec);
    EXPECT_ROW(id, EADDRINUSE, QStringLiteral("s.bind(%1)").arg(py(spec.bind)));
}

namespace {

// A port whose server side closed first, so that end sits in TIME_WAIT; no listener left.
Address portInTimeWait(int family)
{
    Socket l = std::move(*Socket::create(family, SOCK_STREAM));
    l.setIntOption(SOL_SOCKET, SO_REUSEADDR, 1);
    l.bind(Address::loopback(family, 0));
    l.listen(1);
    const Address where = *l.localAddress();
    Socket c = std::move(*Socket::create(family, SOCK_STREAM));
    c.connect(where);
    Socket s = std::move(l.accept()->socket);
    l.close();
    s.close(); // the active closer keeps TIME_WAIT on the listener's port
    c.setTimeout(2000);
    c.recv(16); // EOF: the server's FIN is in
    c.close();
    return where;
}

} // namespace

void tst_Faults::rebindOverTimeWaitWithReuseAddr()
{
    const Address where = portInTimeWait(m_family);
    const SessionId id = m_sessions->listen({.bind = where, .reuseAddr = true});
    const auto info = waitState(id, SessionState::Listening);
    QVERIFY2(info, qPrintable(traceText(*m_sessions, id)));
    QCOMPARE(info->local.port(), where.port());
    QVERIFY2(traceText(*m_sessions, id).contains(QStringLiteral("s.bind(%1) -> None").arg(py(where))),
             qPrintable(traceText(*m_sessions, id)));
}

void tst_Faults::rebindOverTimeWaitWithoutReuseAddr()
{
    const Address where = portInTimeWait(m_family);
    const SessionId id = m_sessions->listen({.bind = where, .reuseAddr = false});
    EXPECT_ROW(id, EADDRINUSE, QStringLiteral("s.bind(%1)").arg(py(where)));
}

void tst_Faults::bindNonLocalAddress()
{
    // Documentation addresses (RFC 5737 / RFC 3849): on no interface here. bind() sends nothing.
    const Address foreign = *Address::ip(m_family == AF_INET ? QStringLiteral("192.0.2.1") : QStringLiteral("2001:db8::1"), 0);
    const SessionId id = m_sessions->listen({.bind = foreign});
    EXPECT_ROW(id, EADDRNOTAVAIL, QStringLiteral("s.bind(%1)").arg(py(foreign)));
}

// ---- resets and closes ------------------------------------------------------------

void tst_Faults::peerResetWhileReceiving()
{
    auto [l, server, id] = connectedSession();
    server.abort();
    EXPECT_ROW(id, ECONNRESET, QStringLiteral("s.recv(65536)"));
    QVERIFY(waitState(id, SessionState::Closed));
}

void tst_Faults::peerResetWhileSending()
{
    auto [l, server, id] = connectedSession();
    server.setIntOption(SOL_SOCKET, SO_RCVBUF, 4096);
    m_sessions->send(id, QByteArray(8 * 1024 * 1024, 'x')); // more than the buffers hold
    QTRY_VERIFY(m_sessions->info(id)->pendingOut > 0);
    server.abort();
    EXPECT_ROW(id, ECONNRESET, QStringLiteral("s.send(...)"));
    const auto info = waitState(id, SessionState::Closed);
    QVERIFY(info);
    QCOMPARE(info->pendingOut, 0); // what could not go went with the connection
}

void tst_Faults::writeAfterPeerCloseIsEpipeNotSigpipe()
{
    auto [l, server, id] = connectedSession();
    server.close();                                     // FIN; our first send draws the RST
    QTRY_VERIFY(m_sessions->info(id)->peerClosed);
    m_sessions->send(id, "one");
    QTest::qWait(50); // a fixed wait is the point: the RST must be back before the second send
    m_sessions->send(id, "two");
    // Still alive to tell: MSG_NOSIGNAL turned SIGPIPE into the error row.
    EXPECT_ROW(id, EPIPE, QStringLiteral("s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)"));
    QVERIFY(waitState(id, SessionState::Closed));
}

void tst_Faults::peerClosesWithOurDataUnread()
{
    auto [l, server, id] = connectedSession();
    m_sessions->send(id, "unread by the peer");
    QTRY_COMPARE(m_sessions->info(id)->pendingOut, 0);
    QTest::qWait(20); // a fixed wait is the point: the bytes must sit in the peer's buffer
    server.close();   // unread data: the kernel answers with RST, not FIN
    EXPECT_ROW(id, ECONNRESET, QStringLiteral("s.recv(65536)"));
}

void tst_Faults::sendAfterOurShutdownWrite()
{
    auto [l, server, id] = connectedSession();
    m_sessions->shutdown(id, SHUT_WR);
    QTRY_VERIFY(m_sessions->info(id)->writeShut);
    m_sessions->send(id, "after FIN");
    EXPECT_ROW(id, EPIPE, QStringLiteral("s.send(...)"));
}

void tst_Faults::halfOpenPeerStillSends()
{
    auto [l, server, id] = connectedSession();
    m_sessions->shutdown(id, SHUT_WR);
    server.setTimeout(3000);
    QVERIFY(server.recv(16)->eof()); // our FIN arrived
    server.sendAll("after your FIN");
    QTRY_COMPARE(m_sessions->info(id)->state, SessionState::Connected);
    QTRY_VERIFY(traceText(*m_sessions, id).contains(QLatin1String("s.shutdown(socket.SHUT_WR) -> None")));
    const bool got = tryUntil([&] {
        for (const TrafficRecord &r : m_sessions->traffic(id)->since(0).records) {
            if (r.direction == Direction::In && r.bytes == "after your FIN")
                return true;
        }
        return false;
    }, 5000);
    QVERIFY(got);
}

void tst_Faults::peerHalfClosesWeStillSend()
{
    auto [l, server, id] = connectedSession();
    server.shutdown(SHUT_WR);
    QTRY_VERIFY(m_sessions->info(id)->peerClosed);
    QVERIFY(traceText(*m_sessions, id).contains(QLatin1String("s.recv(65536) -> b''")));
    m_sessions->send(id, "still talking");
    server.setTimeout(3000);
    QCOMPARE(server.recv(64)->data, QByteArray("still talking"));
}

void tst_Faults::resetWhileQueuedBeforeAccept()
{
    const SessionId listener = m_sessions->listen({.bind = loopback(), .autoAccept = false, .service = ServiceMode::Echo});
    const auto where = waitState(listener, SessionState::Listening);
    QVERIFY(where);
    Socket c = plainClient(where->local);
    c.abort(); // gone while still in the accept queue
    m_sessions->acceptOne(listener);
    QTRY_COMPARE(m_sessions->children(listener).size(), 1);
    const SessionId child = m_sessions->children(listener).first();
    EXPECT_ROW(child, ECONNRESET, QStringLiteral("conn.recv(65536)"));
}

void tst_Faults::listenerClosedWithClientsQueued()
{
    const SessionId listener = m_sessions->listen({.bind = loopback(), .autoAccept = false});
    const auto where = waitState(listener, SessionState::Listening);
    QVERIFY(where);
    const SessionId client = m_sessions->connect({.candidates = {where->local}});
    QVERIFY(waitState(client, SessionState::Connected)); // the kernel's handshake, never accepted
    m_sessions->close(listener); // the queued connection is reset
    EXPECT_ROW(client, ECONNRESET, QStringLiteral("s.recv(65536)"));
}

void tst_Faults::ourAbortSendsRst()
{
    auto [l, server, id] = connectedSession();
    m_sessions->abort(id);
    QVERIFY(waitState(id, SessionState::Closed));
    QVERIFY2(traceText(*m_sessions, id).endsWith(QLatin1String("s.close()  # with linger 0: RST, not FIN -> None")),
             qPrintable(traceText(*m_sessions, id)));
    server.setTimeout(3000);
    const auto got = server.recv(16);
    QVERIFY(!got);
    QCOMPARE(got.error().name(), QStringLiteral("ECONNRESET"));
}

void tst_Faults::thousandClientsVanishAtOnce()
{
    constexpr int kClients = 1000;
    const SessionId listener = m_sessions->listen({.bind = loopback(), .backlog = 1024, .service = ServiceMode::Echo});
    const auto where = waitState(listener, SessionState::Listening);
    QVERIFY(where);
    std::vector<Socket> clients;
    for (int i = 0; i < kClients; ++i)
        clients.push_back(plainClient(where->local));
    QTRY_COMPARE_WITH_TIMEOUT(m_sessions->info(listener)->accepted, quint64(kClients), 15000);
    for (Socket &c : clients)
        c.abort();
    const bool allGone = tryUntil([&] {
        for (SessionId child : m_sessions->children(listener)) {
            if (m_sessions->info(child)->state != SessionState::Closed)
                return false;
        }
        return true;
    }, 15000);
    QVERIFY(allGone);
    const auto last = m_sessions->info(m_sessions->children(listener).last());
    QVERIFY(last->error && last->error->is(ECONNRESET));
    QCOMPARE(m_sessions->info(listener)->state, SessionState::Listening);
}

void tst_Faults::slowReaderQueuesAndLosesNothing()
{
    auto [l, server, id] = connectedSession();
    const QByteArray payload(16 * 1024 * 1024, 'z');
    m_sessions->send(id, payload);
    // The kernel takes what fits; the rest waits in user space and the session says how much.
    QTRY_VERIFY(m_sessions->info(id)->pendingOut > 0);
    server.setTimeout(5000);
    qsizetype got = 0;
    while (got < payload.size()) {
        auto r = server.recv(256 * 1024);
        QVERIFY(r && !r->eof());
        got += r->data.size();
    }
    QCOMPARE(got, payload.size());
    QTRY_COMPARE(m_sessions->info(id)->pendingOut, 0);
}

// ---- datagrams ----------------------------------------------------------------------

void tst_Faults::udpToAClosedPort()
{
    Socket holder = std::move(*Socket::create(m_family, SOCK_DGRAM));
    holder.bind(loopback());
    const Address closed = *holder.localAddress();
    holder.close(); // nobody there now: ICMP port unreachable comes back
    DatagramSpec spec{.family = m_family, .connectTo = closed};
    const SessionId id = m_sessions->openDatagram(spec);
    QVERIFY(waitState(id, SessionState::Bound));
    m_sessions->send(id, "anyone?");
    EXPECT_ROW(id, ECONNREFUSED, QStringLiteral("data, addr = s.recvfrom(65536)"));
    QCOMPARE(m_sessions->info(id)->state, SessionState::Bound); // the socket stays usable
}

// ---- the engine itself ------------------------------------------------------------------

void tst_Faults::reactorStopsWithAThousandSessions()
{
    for (int i = 0; i < 500; ++i)
        m_sessions->openPair(SOCK_STREAM);
    QTRY_COMPARE(m_sessions->totals().open, 1000);
    QElapsedTimer t;
    t.start();
    m_sessions.reset(); // closes every session on the I/O thread, joins it
    QVERIFY2(t.elapsed() < 3000, qPrintable(QString::number(t.elapsed())));
    m_sessions = std::make_unique<SessionManager>(); // cleanup() checks a new engine still works
}

QTEST_GUILESS_MAIN(tst_Faults)
#include "tst_faults.moc"
