#include "socketchecks.h"

#include "net/socket.h"

#include <QElapsedTimer>
#include <QFile>
#include <QScopeGuard>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/time.h>
#include <thread>
#include <unistd.h>

using namespace sockscope::core;
using sockscope::tests::guardRecv;

namespace {

struct Connected
{
    Socket listener;
    Socket client;
    Socket server;
};

} // namespace

class tst_Socket : public QObject
{
    Q_OBJECT

    int family() const { return m_family; }
    Socket tcp(int f = 0) { return std::move(*Socket::create(f ? f : m_family, SOCK_STREAM)); }
    Socket udp(int f = 0) { return std::move(*Socket::create(f ? f : m_family, SOCK_DGRAM)); }
    Socket listener(int backlog = 5, bool reuse = false);
    Connected connectedPair();
    int m_family = AF_INET;

private slots:
    void initTestCase_data();
    void init();
    void raiiClosesTheDescriptor();
    void connectionRefused();
    void connectTimeout();
    void addrInUseThenReuseAddrInTimeWait();
    void closeWithUnreadDataResetsPeer();
    void abortMakesPeerSeeReset();
    void writeAfterPeerClosedGivesEpipe();
    void recvReturnsZeroOnOrderlyClose();
    void halfClose();
    void partialSendWithFullBuffer();
    void peekLeavesData();
    void waitAllGathersSegments();
    void dontWaitGivesEagain();
    void outOfBandByte();
    void timeoutSemantics();
    void socknameAndPeername();
    void udpTruncReportsRealLength();
    void udpEmptyDatagram();
};

void tst_Socket::initTestCase_data()
{
    QTest::addColumn<int>("family");
    QTest::newRow("IPv4") << AF_INET;
    QTest::newRow("IPv6") << AF_INET6;
}

void tst_Socket::init()
{
    QFETCH_GLOBAL(int, family);
    m_family = family;
}

Socket tst_Socket::listener(int backlog, bool reuse)
{
    Socket s = tcp();
    if (reuse)
        s.setIntOption(SOL_SOCKET, SO_REUSEADDR, 1);
    if (!s.bind(Address::loopback(family())) || !s.listen(backlog))
        qFatal("bind/listen on loopback failed");
    return s;
}

Connected tst_Socket::connectedPair()
{
    Connected c{listener(), {}, {}};
    c.client = tcp();
    if (!c.client.connect(*c.listener.localAddress()))
        qFatal("connect to our own listener failed");
    c.server = std::move(c.listener.accept()->socket);
    guardRecv(c.client);
    guardRecv(c.server);
    return c;
}

void tst_Socket::raiiClosesTheDescriptor()
{
    int fd = -1;
    {
        auto s = Socket::create(family(), SOCK_STREAM);
        CHECK_OK(s);
        fd = s->fileno();
        QVERIFY(fcntl(fd, F_GETFD) & FD_CLOEXEC);
        Socket moved = std::move(*s);
        QVERIFY(!s->isValid());
        QCOMPARE(moved.fileno(), fd);
        QCOMPARE(moved.family().value_or(-1), family());
        QCOMPARE(moved.type().value_or(-1), SOCK_STREAM);
    }
    QCOMPARE(fcntl(fd, F_GETFD), -1);
    QCOMPARE(errno, EBADF);

    Socket s = udp();
    const int released = s.release();
    QVERIFY(!s.isValid());
    QVERIFY(fcntl(released, F_GETFD) != -1);
    ::close(released);
    CHECK_ERRNO(s.close(), EBADF);
}

void tst_Socket::connectionRefused()
{
    // A bound but not listening socket holds the port, so nothing else can take it and
    // the kernel answers our SYN with RST.
    Socket holder = tcp();
    CHECK_OK(holder.bind(Address::loopback(family())));
    const Address target = *holder.localAddress();

    Socket blocking = tcp();
    CHECK_ERRNO(blocking.connect(target), ECONNREFUSED);

    Socket ex = tcp();
    QCOMPARE(ex.connectEx(target), ECONNREFUSED);

    Socket timed = tcp();
    CHECK_OK(timed.setTimeout(2000));
    CHECK_ERRNO(timed.connect(target), ECONNREFUSED);

    // Non-blocking: EINPROGRESS (or the refusal at once), the outcome comes from SO_ERROR.
    Socket nb = tcp();
    CHECK_OK(nb.setBlocking(false));
    const int rc = nb.connectEx(target);
    QVERIFY2(rc == EINPROGRESS || rc == ECONNREFUSED, qPrintable(SysError::fromErrno(rc).name()));
    if (rc == EINPROGRESS) {
        pollfd p{nb.fileno(), POLLOUT, 0};
        QCOMPARE(::poll(&p, 1, 2000), 1);
        CHECK_ERRNO(nb.connectResult(), ECONNREFUSED);
    }
}

void tst_Socket::connectTimeout()
{
    // With backlog 0 the accept queue holds one connection; once it is full the kernel
    // drops further SYNs, so the next connect() waits for a SYN-ACK that never comes.
    Socket l = listener(0);
    const Address target = *l.localAddress();
    std::vector<Socket> clients;
    std::optional<SysError> failure;
    qint64 failedAfterMs = 0;
    for (int i = 0; i < 4 && !failure; ++i) {
        Socket c = tcp();
        CHECK_OK(c.setTimeout(300));
        QElapsedTimer t;
        t.start();
        if (auto r = c.connect(target); !r) {
            failure = r.error();
            failedAfterMs = t.elapsed();
        }
        clients.push_back(std::move(c));
    }
    QVERIFY(failure.has_value());
    QVERIFY2(failure->is(ETIMEDOUT), qPrintable(failure->toString()));
    QVERIFY2(clients.size() >= 2, "the first connection must fit the accept queue");
    QVERIFY2(failedAfterMs >= 250 && failedAfterMs < 2000, qPrintable(QString::number(failedAfterMs)));

    // connect_ex reports the same errno as a number.
    Socket ex = tcp();
    CHECK_OK(ex.setTimeout(200));
    QCOMPARE(ex.connectEx(target), ETIMEDOUT);
}

void tst_Socket::addrInUseThenReuseAddrInTimeWait()
{
    Address where;
    {
        Socket l = listener(5, true);
        where = *l.localAddress();

        Socket rival = tcp();
        CHECK_ERRNO(rival.bind(where), EADDRINUSE);
        // SO_REUSEADDR does not let two sockets share a port while one listens.
        Socket rivalReuse = tcp();
        CHECK_OK(rivalReuse.setIntOption(SOL_SOCKET, SO_REUSEADDR, 1));
        CHECK_ERRNO(rivalReuse.bind(where), EADDRINUSE);

        // The server side closes first: its socket (local port = the server port) goes
        // through FIN_WAIT to TIME_WAIT and stays there after the client closes too.
        Socket client = tcp();
        CHECK_OK(client.connect(where));
        guardRecv(client);
        Socket server = std::move(l.accept()->socket);
        CHECK_OK(server.close());
        auto eof = client.recv(16);
        CHECK_OK(eof);
        QVERIFY(eof->eof());
        CHECK_OK(client.close());
        CHECK_OK(l.close());
    }

    Socket plain = tcp();
    auto failed = plain.bind(where);
    CHECK_ERRNO(failed, EADDRINUSE);
    QVERIFY(failed.error().hint().contains(QLatin1String("TIME_WAIT")));

    Socket reuse = tcp();
    CHECK_OK(reuse.setIntOption(SOL_SOCKET, SO_REUSEADDR, 1));
    QCOMPARE(reuse.getIntOption(SOL_SOCKET, SO_REUSEADDR).value_or(0), 1);
    CHECK_OK(reuse.bind(where));
    CHECK_OK(reuse.listen(5));
    QCOMPARE(reuse.localAddress()->port(), where.port());
}

void tst_Socket::closeWithUnreadDataResetsPeer()
{
    Connected c = connectedPair();
    CHECK_OK(c.client.sendAll("unread"));
    QTRY_VERIFY(c.server.recv(16, MSG_PEEK | MSG_DONTWAIT).has_value());
    // Closing with bytes still unread makes the kernel send RST, not FIN.
    CHECK_OK(c.server.close());
    CHECK_ERRNO(c.client.recv(16), ECONNRESET);
}

void tst_Socket::abortMakesPeerSeeReset()
{
    Connected c = connectedPair();
    CHECK_OK(c.client.abort());
    QVERIFY(!c.client.isValid());
    CHECK_ERRNO(c.server.recv(16), ECONNRESET);
    // After the reset the connection is gone: a send fails too.
    CHECK_ERRNO(c.server.send("more"), EPIPE);
}

void tst_Socket::writeAfterPeerClosedGivesEpipe()
{
    // SIGPIPE stays at its default (terminate) on purpose: only MSG_NOSIGNAL keeps us alive.
    struct sigaction dfl{}, old{};
    dfl.sa_handler = SIG_DFL;
    QCOMPARE(sigaction(SIGPIPE, &dfl, &old), 0);
    const auto restore = qScopeGuard([&old] { sigaction(SIGPIPE, &old, nullptr); });

    Connected c = connectedPair();
    CHECK_OK(c.server.close());
    // The first send still goes out (the peer answers it with RST); later ones fail.
    std::optional<SysError> failure;
    QTRY_VERIFY_WITH_TIMEOUT([&] {
        if (auto r = c.client.send("ping"); !r)
            failure = r.error();
        return failure.has_value();
    }(), 1000);
    QVERIFY2(failure->is(EPIPE), qPrintable(failure->toString()));
    CHECK_ERRNO(c.client.sendAll(QByteArray(100000, 'x')), EPIPE);
}

void tst_Socket::recvReturnsZeroOnOrderlyClose()
{
    Connected c = connectedPair();
    CHECK_OK(c.server.sendAll("last words"));
    CHECK_OK(c.server.close());
    auto data = c.client.recv(64, MSG_WAITALL);
    CHECK_OK(data);
    QCOMPARE(data->data, QByteArray("last words"));
    for (int i = 0; i < 2; ++i) { // EOF is sticky
        auto eof = c.client.recv(64);
        CHECK_OK(eof);
        QCOMPARE(eof->length, 0);
        QVERIFY(eof->eof());
    }
}

void tst_Socket::halfClose()
{
    Connected c = connectedPair();
    CHECK_OK(c.client.sendAll("request"));
    CHECK_OK(c.client.shutdown(SHUT_WR));
    CHECK_ERRNO(c.client.send("too late"), EPIPE);

    QByteArray got;
    for (;;) {
        auto r = c.server.recv(64);
        CHECK_OK(r);
        if (r->eof())
            break;
        got += r->data;
    }
    QCOMPARE(got, QByteArray("request"));
    // The other direction is still open.
    CHECK_OK(c.server.sendAll("response"));
    CHECK_OK(c.server.shutdown(SHUT_WR));
    auto reply = c.client.recv(64, MSG_WAITALL);
    CHECK_OK(reply);
    QCOMPARE(reply->data, QByteArray("response"));
    QVERIFY(c.client.recv(64)->eof());
}

void tst_Socket::partialSendWithFullBuffer()
{
    Connected c = connectedPair();
    CHECK_OK(c.client.setIntOption(SOL_SOCKET, SO_SNDBUF, 16 * 1024));
    CHECK_OK(c.server.setIntOption(SOL_SOCKET, SO_RCVBUF, 16 * 1024));
    CHECK_OK(c.client.setBlocking(false));

    const QByteArray big(4 * 1024 * 1024, 'z');
    auto first = c.client.send(big);
    CHECK_OK(first);
    QVERIFY2(*first > 0 && *first < big.size(), qPrintable(QString::number(*first)));
    // The peer does not read: the buffers are full and the next send would block.
    qsizetype queued = *first;
    std::optional<SysError> blocked;
    for (int i = 0; i < 100 && !blocked; ++i) {
        if (auto more = c.client.send(QByteArrayView(big).sliced(queued)); more)
            queued += *more;
        else
            blocked = more.error();
    }
    QVERIFY(blocked && blocked->is(EAGAIN));
    QVERIFY(queued < big.size());

    // Everything the kernel took arrives.
    qsizetype received = 0;
    while (received < queued) {
        auto r = c.server.recv(256 * 1024);
        CHECK_OK(r);
        QVERIFY(!r->eof());
        received += r->data.size();
    }
    QCOMPARE(received, queued);
}

void tst_Socket::peekLeavesData()
{
    Connected c = connectedPair();
    CHECK_OK(c.client.sendAll("peekaboo"));
    auto peeked = c.server.recv(8, MSG_PEEK | MSG_WAITALL);
    CHECK_OK(peeked);
    QCOMPARE(peeked->data, QByteArray("peekaboo"));
    auto again = c.server.recv(4, MSG_PEEK);
    QCOMPARE(again->data, QByteArray("peek"));
    auto taken = c.server.recv(64);
    CHECK_OK(taken);
    QCOMPARE(taken->data, QByteArray("peekaboo"));
    CHECK_OK(c.server.setBlocking(false));
    CHECK_ERRNO(c.server.recv(64, MSG_PEEK), EAGAIN);
}

void tst_Socket::waitAllGathersSegments()
{
    Connected c = connectedPair();
    CHECK_OK(c.client.setIntOption(IPPROTO_TCP, TCP_NODELAY, 1));
    std::thread sender([&c] {
        c.client.sendAll("abc");
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        c.client.sendAll("def");
    });
    // Without MSG_WAITALL the first recv would return "abc" alone.
    auto r = c.server.recv(6, MSG_WAITALL);
    sender.join();
    CHECK_OK(r);
    QCOMPARE(r->data, QByteArray("abcdef"));
}

void tst_Socket::dontWaitGivesEagain()
{
    Connected c = connectedPair();
    QVERIFY(!c.server.timeout().has_value()); // blocking socket
    QElapsedTimer t;
    t.start();
    CHECK_ERRNO(c.server.recv(64, MSG_DONTWAIT), EAGAIN);
    QVERIFY(t.elapsed() < 100);
    CHECK_OK(c.client.sendAll("now"));
    pollfd p{c.server.fileno(), POLLIN, 0};
    QCOMPARE(::poll(&p, 1, 2000), 1);
    auto r = c.server.recv(64, MSG_DONTWAIT);
    CHECK_OK(r);
    QCOMPARE(r->data, QByteArray("now"));
}

void tst_Socket::outOfBandByte()
{
    Connected c = connectedPair();
    CHECK_OK(c.client.sendAll("in"));
    CHECK_OK(c.client.send("!", MSG_OOB));
    pollfd p{c.server.fileno(), POLLPRI, 0};
    QCOMPARE(::poll(&p, 1, 2000), 1);
    auto urgent = c.server.recv(1, MSG_OOB);
    CHECK_OK(urgent);
    QCOMPARE(urgent->data, QByteArray("!"));
    // The urgent byte is taken out of band: the normal stream does not contain it.
    auto normal = c.server.recv(64);
    CHECK_OK(normal);
    QCOMPARE(normal->data, QByteArray("in"));
}

void tst_Socket::timeoutSemantics()
{
    Connected c = connectedPair();
    QVERIFY(!c.server.timeout().has_value());

    CHECK_OK(c.server.setTimeout(100));
    QCOMPARE(c.server.timeout(), std::optional<int>(100));
    QElapsedTimer t;
    t.start();
    CHECK_ERRNO(c.server.recv(64), ETIMEDOUT);
    QVERIFY2(t.elapsed() >= 90 && t.elapsed() < 1000, qPrintable(QString::number(t.elapsed())));

    CHECK_OK(c.server.setTimeout(0));
    QCOMPARE(c.server.timeout(), std::optional<int>(0));
    t.restart();
    CHECK_ERRNO(c.server.recv(64), EAGAIN);
    QVERIFY(t.elapsed() < 50);
    QVERIFY(fcntl(c.server.fileno(), F_GETFL) & O_NONBLOCK);

    CHECK_OK(c.server.setBlocking(true));
    QVERIFY(!c.server.timeout().has_value());
    QVERIFY(!(fcntl(c.server.fileno(), F_GETFL) & O_NONBLOCK));

    auto negative = c.server.setTimeout(-5);
    QVERIFY(!negative);
    QCOMPARE(negative.error().field(), QStringLiteral("timeout"));

    // A timed accept() waits at most the timeout too.
    CHECK_OK(c.listener.setTimeout(100));
    CHECK_ERRNO(c.listener.accept(), ETIMEDOUT);
    CHECK_OK(c.listener.setTimeout(0));
    CHECK_ERRNO(c.listener.accept(), EAGAIN);
}

void tst_Socket::socknameAndPeername()
{
    Socket l = listener();
    const Address listening = *l.localAddress();
    QCOMPARE(listening.family(), family());
    QCOMPARE(listening.host(), Address::loopback(family()).host());
    QVERIFY(listening.port() != 0);
    CHECK_ERRNO(l.peerAddress(), ENOTCONN);

    Socket client = tcp();
    CHECK_OK(client.connect(listening));
    auto accepted = l.accept();
    CHECK_OK(accepted);
    QVERIFY(*client.peerAddress() == listening);
    QVERIFY(*client.localAddress() == accepted->peer);
    QVERIFY(*accepted->socket.peerAddress() == accepted->peer);
    QCOMPARE(accepted->socket.localAddress()->port(), listening.port());
}

void tst_Socket::udpTruncReportsRealLength()
{
    Socket a = udp();
    Socket b = udp();
    CHECK_OK(a.bind(Address::loopback(family())));
    CHECK_OK(b.bind(Address::loopback(family())));
    guardRecv(b);
    const QByteArray datagram(100, 'd');
    QCOMPARE(a.sendTo(datagram, *b.localAddress()).value_or(-1), 100);
    QCOMPARE(a.sendTo("second", *b.localAddress()).value_or(-1), 6);

    auto r = b.recvFrom(10, MSG_TRUNC);
    CHECK_OK(r);
    QCOMPARE(r->length, 100);
    QCOMPARE(r->data, QByteArray(10, 'd'));
    QVERIFY(r->msgFlags & MSG_TRUNC);
    QVERIFY(r->from == *a.localAddress());
    // The rest of a truncated datagram is gone: the next recv is the next datagram.
    auto next = b.recv(64);
    CHECK_OK(next);
    QCOMPARE(next->data, QByteArray("second"));
    QVERIFY(!(next->msgFlags & MSG_TRUNC));
}

void tst_Socket::udpEmptyDatagram()
{
    Socket a = udp();
    Socket b = udp();
    CHECK_OK(b.bind(Address::loopback(family())));
    guardRecv(b);
    QCOMPARE(a.sendTo(QByteArray(), *b.localAddress()).value_or(-1), 0);
    auto r = b.recvFrom(64);
    CHECK_OK(r);
    QCOMPARE(r->length, 0);
    QVERIFY(r->data.isEmpty());
    QCOMPARE(r->from.port(), a.localAddress()->port()); // the sendto bound it implicitly
    QVERIFY(r->from.port() != 0);
}

QTEST_GUILESS_MAIN(tst_Socket)
#include "tst_socket.moc"
