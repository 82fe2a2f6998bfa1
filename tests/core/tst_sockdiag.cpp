#include "observe/sockdiag.h"
#include "observe/statetimeline.h"

#include "../common/loopbackpair.h"

#include <QElapsedTimer>
#include <QRandomGenerator>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include <map>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

using namespace sockscope::core;
using namespace sockscope::tests;

namespace {

QString key(const Address &local, const Address &peer)
{
    return local.toString() + u'|' + peer.toString();
}

QString key(const SocketEntry &e)
{
    return key(e.local, e.peer);
}

quint64 inodeOf(const Socket &s)
{
    struct stat st{};
    return ::fstat(s.fileno(), &st) == 0 ? quint64(st.st_ino) : 0;
}

// The TCP entries of `family` some process holds: TIME_WAIT sockets from an earlier user
// of a port number (they outlive their test by 60 s) have no inode, and a test running
// beside this one may hold the same port number in the other family or in UDP.
QList<SocketEntry> live(const QList<SocketEntry> &dump, int family)
{
    QList<SocketEntry> out;
    for (const SocketEntry &e : dump) {
        if (e.inode != 0 && e.protocol == DiagProtocol::Tcp && e.local.family() == family)
            out.append(e);
    }
    return out;
}

QStringList names(const QList<TcpState> &states)
{
    QStringList out;
    for (TcpState s : states)
        out.append(tcpStateName(s));
    return out;
}

// Dumps one port's TCP sockets over and over and keeps what each connection end went
// through, as a StateTimeline per address pair (CLOSED once a pair seen before is gone).
class Recorder
{
public:
    explicit Recorder(quint16 port)
    {
        m_query.protocols = int(DiagProtocol::Tcp);
        m_query.port = port;
        auto diag = SockDiag::open();
        if (diag)
            m_diag = std::move(*diag);
    }

    bool sample()
    {
        auto dump = m_diag.dump(m_query);
        if (!dump)
            return false;
        ++m_samples;
        QSet<QString> seen;
        for (const SocketEntry &e : *dump) {
            seen.insert(key(e));
            line(key(e)).record(*e.tcpState, m_samples, StateSource::SockDiag);
        }
        for (auto &[k, timeline] : m_timelines) {
            if (!seen.contains(k))
                timeline->record(TcpState::Closed, m_samples, StateSource::SockDiag);
        }
        m_last = *dump;
        return true;
    }

    // Samples as fast as it can until the pair is in `state` (or gone, for Closed).
    bool waitFor(const Address &local, const Address &peer, TcpState state, int timeoutMs = 5000)
    {
        QElapsedTimer t;
        t.start();
        while (t.elapsed() < timeoutMs) {
            if (!sample())
                return false;
            const auto now = line(key(local, peer)).current();
            if (now && now->state == state)
                return true;
            std::this_thread::sleep_for(std::chrono::microseconds(200));
        }
        return false;
    }

    QList<TcpState> path(const Address &local, const Address &peer) { return line(key(local, peer)).path(); }

    std::optional<SocketEntry> entry(const Address &local, const Address &peer) const
    {
        for (const SocketEntry &e : m_last) {
            if (key(e) == key(local, peer))
                return e;
        }
        return std::nullopt;
    }

private:
    StateTimeline &line(const QString &k)
    {
        auto &slot = m_timelines[k];
        if (!slot)
            slot = std::make_unique<StateTimeline>();
        return *slot;
    }

    SockDiag m_diag;
    DiagQuery m_query;
    qint64 m_samples = 0;
    std::map<QString, std::unique_ptr<StateTimeline>> m_timelines;
    QList<SocketEntry> m_last;
};

// The states seen must come in the order the state machine allows (samples may miss the
// transient ones) and must include every state we held long enough to be seen.
void checkPath(const QList<TcpState> &seen, const QList<TcpState> &legal, const QList<TcpState> &required)
{
    qsizetype at = 0;
    for (TcpState s : seen) {
        while (at < legal.size() && legal[at] != s)
            ++at;
        QVERIFY2(at < legal.size(), qPrintable(QStringLiteral("out of order: ") + names(seen).join(QStringLiteral(" -> "))));
    }
    for (TcpState s : required)
        QVERIFY2(seen.contains(s), qPrintable(QStringLiteral("missing ") + tcpStateName(s) + QStringLiteral(" in ") + names(seen).join(QStringLiteral(" -> "))));
}

} // namespace

class tst_SockDiag : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase_data();
    void listener();
    void portFilterMatchesFullDump();
    void handshakeWithSynReceived();
    void synSentWhileQueueFull();
    void activeCloseTeardown();
    void halfClose();
    void reset();
    void timeWaitTimerCountsDown();
    void tcpInfoAttribute();
    void udp();
    void unixSockets();
    void invalid();
};

void tst_SockDiag::initTestCase_data()
{
    QTest::addColumn<int>("family");
    QTest::newRow("IPv4") << AF_INET;
    QTest::newRow("IPv6") << AF_INET6;
}

void tst_SockDiag::listener()
{
    QFETCH_GLOBAL(int, family);
    auto l = tcpListener(family, 7);
    QVERIFY(l);
    auto diag = SockDiag::open();
    QVERIFY(diag);
    DiagQuery q;
    q.port = localPort(*l);
    auto dump = diag->dump(q);
    QVERIFY(dump);
    // Only the listener is alive on its port (a TIME_WAIT left by an earlier user of the
    // port number may be there too: those have no inode).
    QCOMPARE(live(*dump, family).size(), 1);
    const SocketEntry e = live(*dump, family).first();
    QCOMPARE(e.protocol, DiagProtocol::Tcp);
    QCOMPARE(e.family, family);
    QCOMPARE(*e.tcpState, TcpState::Listen);
    QCOMPARE(e.stateName(), QStringLiteral("LISTEN"));
    QCOMPARE(e.local.toString(), l->localAddress()->toString());
    QVERIFY(e.peer.isWildcard());
    QCOMPARE(e.peer.port(), quint16(0));
    QCOMPARE(e.sendQ, 7u); // a listener's backlog
    QCOMPARE(e.recvQ, 0u);
    QCOMPARE(e.timer, DiagTimer::Off);
    QCOMPARE(e.inode, inodeOf(*l));
    QCOMPARE(e.uid, quint32(::getuid()));
    QVERIFY(e.cookie != 0);

    std::vector<Socket> clients;
    for (int i = 0; i < 2; ++i) {
        auto c = Socket::create(family, SOCK_STREAM);
        QVERIFY(c && c->connect(*l->localAddress()));
        clients.push_back(std::move(*c));
    }
    QTRY_COMPARE(live(*diag->dump(q), family).first().recvQ, 2u); // the accept queue
}

void tst_SockDiag::portFilterMatchesFullDump()
{
    QFETCH_GLOBAL(int, family);
    auto a = tcpListener(family, 4);
    auto b = tcpListener(family, 4);
    QVERIFY(a && b);
    auto pa = tcpPair(*a);
    auto pb = tcpPair(*b);
    QVERIFY(pa && pb);
    const quint16 port = localPort(*a);

    auto diag = SockDiag::open();
    QVERIFY(diag);
    DiagQuery q;
    q.protocols = int(DiagProtocol::Tcp);
    const auto all = diag->dump(q);
    q.port = port;
    const auto filtered = diag->dump(q);
    QVERIFY(all && filtered);

    QSet<QString> fromKernel, fromUs;
    for (const SocketEntry &e : *filtered) {
        QVERIFY(e.local.port() == port || e.peer.port() == port);
        fromKernel.insert(key(e));
    }
    for (const SocketEntry &e : *all) {
        if (e.local.port() == port || e.peer.port() == port)
            fromUs.insert(key(e));
    }
    QCOMPARE(fromKernel, fromUs);
    QCOMPARE(live(*filtered, family).size(), 3); // the listener and both ends of its connection
    QVERIFY(fromKernel.contains(key(*pa->client.localAddress(), *pa->client.peerAddress())));
    QVERIFY(fromKernel.contains(key(*pa->server.localAddress(), *pa->server.peerAddress())));
    bool otherListener = false;
    for (const SocketEntry &e : *all)
        otherListener = otherListener || (e.local.port() == localPort(*b) && e.tcpState == TcpState::Listen);
    QVERIFY(otherListener);
}

void tst_SockDiag::handshakeWithSynReceived()
{
    // On loopback the handshake is over before connect() returns. TCP_DEFER_ACCEPT makes
    // the listener ignore the bare final ACK, so its end stays SYN_RECEIVED (a request
    // socket) until the client's first data, while the client is already ESTABLISHED.
    QFETCH_GLOBAL(int, family);
    auto l = tcpListener(family, 4);
    QVERIFY(l);
    QVERIFY(l->setIntOption(IPPROTO_TCP, TCP_DEFER_ACCEPT, 5));
    Recorder rec(localPort(*l));

    auto client = Socket::create(family, SOCK_STREAM);
    QVERIFY(client && client->connect(*l->localAddress()));
    const Address c = *client->localAddress(), s = *l->localAddress();
    QVERIFY(rec.waitFor(c, s, TcpState::Established));
    QVERIFY(rec.waitFor(s, c, TcpState::SynReceived));
    const auto request = rec.entry(s, c);
    QVERIFY(request);
    QCOMPARE(request->kernelState, int(TcpState::SynReceived));
    QCOMPARE(request->stateName(), QStringLiteral("SYN_RECEIVED"));
    QCOMPARE(request->timer, DiagTimer::Retransmit); // the SYN-ACK's retransmission
    QVERIFY2(request->expiresMs > 0 && request->expiresMs <= 3000, qPrintable(QString::number(request->expiresMs)));
    QCOMPARE(request->inode, 0u); // no process holds a request socket

    QVERIFY(client->send("hi"));
    QVERIFY(rec.waitFor(s, c, TcpState::Established));
    auto conn = l->accept();
    QVERIFY(conn);
    QCOMPARE(conn->socket.localAddress()->toString(), s.toString());
    QCOMPARE(names(rec.path(s, c)), names({TcpState::SynReceived, TcpState::Established}));
    QCOMPARE(names(rec.path(c, s)), names({TcpState::Established}));
}

void tst_SockDiag::synSentWhileQueueFull()
{
    // listen(0): one connection fits in the accept queue; the kernel drops the next SYN,
    // and that client sits in SYN_SENT, retransmitting, until there is room.
    QFETCH_GLOBAL(int, family);
    auto l = tcpListener(family, 0);
    QVERIFY(l);
    Recorder rec(localPort(*l));
    auto first = Socket::create(family, SOCK_STREAM);
    QVERIFY(first && first->connect(*l->localAddress()));

    auto second = Socket::create(family, SOCK_STREAM);
    QVERIFY(second && second->setTimeout(0));
    const auto r = second->connect(*l->localAddress());
    QVERIFY(!r);
    QCOMPARE(r.error().name(), QStringLiteral("EINPROGRESS"));
    const Address c = *second->localAddress(), s = *l->localAddress();
    QVERIFY(rec.waitFor(c, s, TcpState::SynSent));
    const auto waiting = rec.entry(c, s);
    QVERIFY(waiting);
    QCOMPARE(waiting->timer, DiagTimer::Retransmit);
    QVERIFY2(waiting->expiresMs <= 1000, "the first SYN retransmission comes after 1 s (RFC 6298)");
    QCOMPARE(rec.entry(s, Address::any(family))->recvQ, 1u); // the queue is full

    QVERIFY(l->accept()); // room again: the next retransmitted SYN gets in
    QVERIFY(rec.waitFor(c, s, TcpState::Established, 5000));
    QCOMPARE(names(rec.path(c, s)), names({TcpState::SynSent, TcpState::Established}));
    QVERIFY(rec.entry(c, s)->timerRetransmits <= 3);
}

void tst_SockDiag::activeCloseTeardown()
{
    QFETCH_GLOBAL(int, family);
    auto l = tcpListener(family, 4);
    QVERIFY(l);
    auto pair = tcpPair(*l);
    QVERIFY(pair);
    const Address c = *pair->client.localAddress(), s = *pair->server.localAddress();
    Recorder rec(localPort(*l));
    QVERIFY(rec.waitFor(c, s, TcpState::Established));
    QVERIFY(rec.waitFor(s, c, TcpState::Established));

    QVERIFY(pair->client.close());
    QVERIFY(rec.waitFor(c, s, TcpState::FinWait2));
    QVERIFY(rec.waitFor(s, c, TcpState::CloseWait));
    // Closed by its process, the client end is an orphan the kernel keeps for
    // tcp_fin_timeout, on the TIME_WAIT timer.
    const auto orphan = rec.entry(c, s);
    QCOMPARE(orphan->inode, 0u);
    QCOMPARE(orphan->timer, DiagTimer::TimeWait);
    QVERIFY(orphan->expiresMs > 0 && orphan->expiresMs <= 60'000);

    QVERIFY(pair->server.close());
    QVERIFY(rec.waitFor(c, s, TcpState::TimeWait));
    QVERIFY(rec.waitFor(s, c, TcpState::Closed));
    checkPath(rec.path(c, s), {TcpState::Established, TcpState::FinWait1, TcpState::FinWait2, TcpState::TimeWait},
              {TcpState::Established, TcpState::FinWait2, TcpState::TimeWait});
    checkPath(rec.path(s, c), {TcpState::Established, TcpState::CloseWait, TcpState::LastAck, TcpState::Closed},
              {TcpState::Established, TcpState::CloseWait, TcpState::Closed});
}

void tst_SockDiag::halfClose()
{
    QFETCH_GLOBAL(int, family);
    auto l = tcpListener(family, 4);
    QVERIFY(l);
    auto pair = tcpPair(*l);
    QVERIFY(pair);
    const Address c = *pair->client.localAddress(), s = *pair->server.localAddress();
    Recorder rec(localPort(*l));
    QVERIFY(rec.waitFor(c, s, TcpState::Established));

    QVERIFY(pair->client.shutdown(SHUT_WR));
    QVERIFY(rec.waitFor(c, s, TcpState::FinWait2));
    QVERIFY(rec.waitFor(s, c, TcpState::CloseWait));
    // Still held by its process: no orphan timer.
    QCOMPARE(rec.entry(c, s)->timer, DiagTimer::Off);
    QCOMPARE(rec.entry(c, s)->inode, inodeOf(pair->client));

    // The other direction still works: CLOSE_WAIT may send, FIN_WAIT_2 may receive.
    QCOMPARE(*pair->server.sendAll("bye"), 3);
    const auto got = pair->client.recv(16);
    QVERIFY(got);
    QCOMPARE(got->data, QByteArray("bye"));
    const auto eof = pair->server.recv(16);
    QVERIFY(eof && eof->eof());

    QVERIFY(pair->server.close());
    QVERIFY(rec.waitFor(c, s, TcpState::TimeWait));
    QVERIFY(rec.waitFor(s, c, TcpState::Closed));
    checkPath(rec.path(c, s), {TcpState::Established, TcpState::FinWait1, TcpState::FinWait2, TcpState::TimeWait},
              {TcpState::Established, TcpState::FinWait2, TcpState::TimeWait});
    checkPath(rec.path(s, c), {TcpState::Established, TcpState::CloseWait, TcpState::LastAck, TcpState::Closed},
              {TcpState::Established, TcpState::CloseWait, TcpState::Closed});
}

void tst_SockDiag::reset()
{
    QFETCH_GLOBAL(int, family);
    auto l = tcpListener(family, 4);
    QVERIFY(l);
    auto pair = tcpPair(*l);
    QVERIFY(pair);
    const Address c = *pair->client.localAddress(), s = *pair->server.localAddress();
    Recorder rec(localPort(*l));
    QVERIFY(rec.waitFor(s, c, TcpState::Established));

    QVERIFY(pair->client.abort()); // SO_LINGER {1, 0}: RST, no TIME_WAIT
    QVERIFY(rec.waitFor(c, s, TcpState::Closed));
    QVERIFY(rec.waitFor(s, c, TcpState::Closed));
    QCOMPARE(names(rec.path(c, s)), names({TcpState::Established, TcpState::Closed}));
    QCOMPARE(names(rec.path(s, c)), names({TcpState::Established, TcpState::Closed}));
}

void tst_SockDiag::timeWaitTimerCountsDown()
{
    QFETCH_GLOBAL(int, family);
    auto l = tcpListener(family, 4);
    QVERIFY(l);
    auto pair = tcpPair(*l);
    QVERIFY(pair);
    const Address c = *pair->client.localAddress(), s = *pair->server.localAddress();
    Recorder rec(localPort(*l));
    QVERIFY(pair->client.close());
    QVERIFY(pair->server.close());
    QVERIFY(rec.waitFor(c, s, TcpState::TimeWait));
    const SocketEntry first = *rec.entry(c, s);
    QCOMPARE(first.timer, DiagTimer::TimeWait);
    QCOMPARE(first.inode, 0u);
    QCOMPARE(first.recvQ, 0u);
    QCOMPARE(first.sendQ, 0u);
    QVERIFY2(first.expiresMs > 0 && first.expiresMs <= 60'000, qPrintable(QString::number(first.expiresMs)));

    QTest::qWait(150); // a fixed wait is the point: time has to pass for the TIME_WAIT countdown to move
    QVERIFY(rec.sample());
    const SocketEntry second = *rec.entry(c, s);
    QCOMPARE(*second.tcpState, TcpState::TimeWait);
    QVERIFY2(second.expiresMs < first.expiresMs && second.expiresMs > 0,
             qPrintable(QStringLiteral("%1 then %2").arg(first.expiresMs).arg(second.expiresMs)));
    QVERIFY2(first.expiresMs - second.expiresMs >= 100, "150 ms passed; jiffies are at most 10 ms coarse");
}

void tst_SockDiag::tcpInfoAttribute()
{
    QFETCH_GLOBAL(int, family);
    auto l = tcpListener(family, 6);
    QVERIFY(l);
    auto pair = tcpPair(*l);
    QVERIFY(pair);
    QCOMPARE(*pair->client.sendAll("0123456789"), 10);
    QCOMPARE(pair->server.recv(64)->length, 10);

    auto diag = SockDiag::open();
    QVERIFY(diag);
    DiagQuery q;
    q.port = localPort(*l);
    q.tcpInfo = true;
    const Address c = *pair->client.localAddress(), s = *pair->server.localAddress();
    QTRY_VERIFY([&] {
        const auto dump = diag->dump(q);
        for (const SocketEntry &e : *dump) {
            if (key(e) == key(c, s) && e.tcpInfo)
                return e.tcpInfo->bytesAcked == 10 + 1; // + the client's SYN
        }
        return false;
    }());
    const auto dump = diag->dump(q);
    QVERIFY(dump);
    QCOMPARE(live(*dump, family).size(), 3);
    for (const SocketEntry &e : live(*dump, family)) {
        QVERIFY(e.tcpInfo);
        QCOMPARE(e.tcpInfo->state, *e.tcpState);
        if (e.tcpState == TcpState::Listen)
            QCOMPARE(e.tcpInfo->backlog(), 6u);
        else if (key(e) == key(s, c))
            QCOMPARE(e.tcpInfo->bytesReceived, 10u);
    }
    // Without the extension, nothing extra is asked for or decoded.
    q.tcpInfo = false;
    const auto plain = diag->dump(q);
    QVERIFY(plain);
    for (const SocketEntry &e : *plain)
        QVERIFY(!e.tcpInfo);
}

void tst_SockDiag::udp()
{
    QFETCH_GLOBAL(int, family);
    auto server = Socket::create(family, SOCK_DGRAM);
    QVERIFY(server && server->bind(Address::loopback(family, 0)));
    auto client = Socket::create(family, SOCK_DGRAM);
    QVERIFY(client && client->connect(*server->localAddress()));
    QCOMPARE(*client->send("datagram"), 8);

    auto diag = SockDiag::open();
    QVERIFY(diag);
    DiagQuery q;
    q.protocols = int(DiagProtocol::Udp);
    q.port = localPort(*server);
    QTRY_VERIFY(diag->dump(q)->size() == 2);
    const auto dump = diag->dump(q);
    QVERIFY(dump);
    for (const SocketEntry &e : *dump) {
        QCOMPARE(e.protocol, DiagProtocol::Udp);
        QCOMPARE(e.type, int(SOCK_DGRAM));
        QVERIFY(!e.tcpState);
        if (e.inode == inodeOf(*server)) {
            QCOMPARE(e.stateName(), QStringLiteral("UNCONNECTED"));
            QCOMPARE(e.local.toString(), server->localAddress()->toString());
            QVERIFY(e.recvQ > 0); // the datagram waits unread (counted with its overhead)
        } else {
            QCOMPARE(e.inode, inodeOf(*client));
            QCOMPARE(e.stateName(), QStringLiteral("CONNECTED"));
            QCOMPARE(e.peer.toString(), server->localAddress()->toString());
        }
    }
}

void tst_SockDiag::unixSockets()
{
    auto pair = Socket::pair(AF_UNIX, SOCK_STREAM);
    QVERIFY(pair);
    QCOMPARE(*pair->first.sendAll("12345"), 5);
    const QString abstractName = QStringLiteral("@sockscope-tst-sockdiag-%1-%2").arg(::getpid()).arg(QRandomGenerator::global()->generate());
    auto listener = Socket::create(AF_UNIX, SOCK_STREAM);
    QVERIFY(listener && listener->bind(*Address::unixPath(abstractName)) && listener->listen(3));
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("dgram.sock"));
    auto dgram = Socket::create(AF_UNIX, SOCK_DGRAM);
    QVERIFY(dgram && dgram->bind(*Address::unixPath(path)));

    auto diag = SockDiag::open();
    QVERIFY(diag);
    DiagQuery q;
    q.protocols = int(DiagProtocol::Unix);
    const auto dump = diag->dump(q);
    QVERIFY(dump);
    std::map<quint64, SocketEntry> byInode;
    for (const SocketEntry &e : *dump) {
        QCOMPARE(e.protocol, DiagProtocol::Unix);
        byInode[e.inode] = e;
    }
    const quint64 a = inodeOf(pair->first), b = inodeOf(pair->second);
    QVERIFY(byInode.contains(a) && byInode.contains(b));
    QCOMPARE(byInode[a].peerInode, b);
    QCOMPARE(byInode[b].peerInode, a);
    QCOMPARE(byInode[a].stateName(), QStringLiteral("CONNECTED"));
    QCOMPARE(byInode[a].type, int(SOCK_STREAM));
    QCOMPARE(byInode[b].recvQ, 5u);

    const SocketEntry &l = byInode[inodeOf(*listener)];
    QCOMPARE(l.stateName(), QStringLiteral("LISTEN"));
    QCOMPARE(l.local.toString(), abstractName);
    QCOMPARE(l.sendQ, 3u);

    const SocketEntry &d = byInode[inodeOf(*dgram)];
    QCOMPARE(d.type, int(SOCK_DGRAM));
    QCOMPARE(d.stateName(), QStringLiteral("UNCONNECTED"));
    QCOMPARE(d.local.toString(), path);

    // Unix sockets have no port: a port filter leaves them all out.
    q.port = 1;
    QVERIFY(diag->dump(q)->isEmpty());
}

void tst_SockDiag::invalid()
{
    SockDiag closed;
    QVERIFY(!closed.isValid());
    const auto dump = closed.dump({});
    QVERIFY(!dump);
    QCOMPARE(dump.error().name(), QStringLiteral("EBADF"));

    auto open = SockDiag::open();
    QVERIFY(open);
    SockDiag moved = std::move(*open);
    QVERIFY(moved.isValid());
    QVERIFY(!open->isValid());
    DiagQuery q;
    q.protocols = int(DiagProtocol::Tcp);
    QVERIFY(moved.dump(q));
}

QTEST_GUILESS_MAIN(tst_SockDiag)
#include "tst_sockdiag.moc"
