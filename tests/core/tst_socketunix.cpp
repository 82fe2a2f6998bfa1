#include "socketchecks.h"

#include "net/socket.h"

#include <QTemporaryDir>
#include <QTest>

#include <unistd.h>

using namespace sockscope::core;
using sockscope::tests::guardRecv;

// core::Socket over AF_UNIX: stream, datagram, seqpacket, paths and abstract names, and
// socketpair(). (The IPv4/IPv6 behaviour is in tst_socket.)
class tst_SocketUnix : public QObject
{
    Q_OBJECT

    static Socket tcp(int family) { return std::move(*Socket::create(family, SOCK_STREAM)); }
    static Socket udp(int family) { return std::move(*Socket::create(family, SOCK_DGRAM)); }

private slots:
    void unixStream_data();
    void unixStream();
    void unixDatagram_data();
    void unixDatagram();
    void socketPair_data();
    void socketPair();
};

void tst_SocketUnix::unixStream_data()
{
    QTest::addColumn<bool>("abstract");
    QTest::newRow("path") << false;
    QTest::newRow("abstract") << true;
}

void tst_SocketUnix::unixStream()
{
    QFETCH(bool, abstract);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString name = abstract ? QStringLiteral("@sockscope-tst-%1-%2").arg(getpid()).arg(quintptr(this))
                                   : dir.filePath(QStringLiteral("s.sock"));
    const Address where = *Address::unixPath(name);

    Socket l = tcp(AF_UNIX);
    CHECK_OK(l.bind(where));
    CHECK_OK(l.listen(1));
    QCOMPARE(l.localAddress()->host(), name);
    QCOMPARE(QFile::exists(name), !abstract);

    Socket client = tcp(AF_UNIX);
    CHECK_OK(client.connect(where));
    auto accepted = l.accept();
    CHECK_OK(accepted);
    QCOMPARE(accepted->peer.family(), AF_UNIX);
    QCOMPARE(client.peerAddress()->host(), name);
    guardRecv(accepted->socket);
    guardRecv(client);

    CHECK_OK(client.sendAll("over unix"));
    CHECK_OK(client.shutdown(SHUT_WR));
    QCOMPARE(accepted->socket.recv(64, MSG_WAITALL)->data, QByteArray("over unix"));
    CHECK_OK(accepted->socket.sendAll("back"));
    QCOMPARE(client.recv(64)->data, QByteArray("back"));

    // A second listener on the same name is refused.
    Socket rival = tcp(AF_UNIX);
    CHECK_ERRNO(rival.bind(where), EADDRINUSE);
    CHECK_OK(l.close());
    Socket late = tcp(AF_UNIX);
    CHECK_ERRNO(late.connect(where), ECONNREFUSED);
}

void tst_SocketUnix::unixDatagram_data()
{
    unixStream_data();
}

void tst_SocketUnix::unixDatagram()
{
    QFETCH(bool, abstract);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    auto name = [&](const char *what) {
        return abstract ? QStringLiteral("@sockscope-tst-%1-%2").arg(getpid()).arg(QLatin1String(what))
                        : dir.filePath(QLatin1String(what));
    };
    const Address serverAddr = *Address::unixPath(name("server"));
    const Address clientAddr = *Address::unixPath(name("client"));

    Socket server = udp(AF_UNIX);
    Socket client = udp(AF_UNIX);
    CHECK_OK(server.bind(serverAddr));
    CHECK_OK(client.bind(clientAddr));
    guardRecv(server);
    guardRecv(client);

    QCOMPARE(client.sendTo("one", serverAddr).value_or(-1), 3);
    QCOMPARE(client.sendTo("two", serverAddr).value_or(-1), 3);
    auto first = server.recvFrom(64);
    CHECK_OK(first);
    QCOMPARE(first->data, QByteArray("one")); // boundaries are kept
    QCOMPARE(first->from.host(), name("client"));
    QCOMPARE(server.recvFrom(64)->data, QByteArray("two"));
    QCOMPARE(server.sendTo("reply", first->from).value_or(-1), 5);
    QCOMPARE(client.recv(64)->data, QByteArray("reply"));

    Socket stranger = udp(AF_UNIX);
    CHECK_ERRNO(stranger.sendTo("x", *Address::unixPath(name("nobody"))), abstract ? ECONNREFUSED : ENOENT);
}

void tst_SocketUnix::socketPair_data()
{
    QTest::addColumn<int>("type");
    QTest::newRow("stream") << int(SOCK_STREAM);
    QTest::newRow("dgram") << int(SOCK_DGRAM);
    QTest::newRow("seqpacket") << int(SOCK_SEQPACKET);
}

void tst_SocketUnix::socketPair()
{
    QFETCH(int, type);
    auto pair = Socket::pair(AF_UNIX, type);
    CHECK_OK(pair);
    auto &[a, b] = *pair;
    QCOMPARE(a.type().value_or(-1), type);
    QCOMPARE(b.family().value_or(-1), AF_UNIX);
    guardRecv(a);
    guardRecv(b);

    CHECK_OK(a.sendAll("ab"));
    CHECK_OK(a.sendAll("cd"));
    if (type == SOCK_STREAM) {
        QCOMPARE(b.recv(4, MSG_WAITALL)->data, QByteArray("abcd"));
    } else {
        QCOMPARE(b.recv(64)->data, QByteArray("ab")); // one message per recv
        QCOMPARE(b.recv(64)->data, QByteArray("cd"));
    }
    CHECK_OK(b.sendAll("back"));
    QCOMPARE(a.recv(64)->data, QByteArray("back"));
    CHECK_OK(b.close());
    if (type == SOCK_DGRAM)
        CHECK_ERRNO(a.send("x"), ECONNREFUSED);
    else
        QVERIFY(a.recv(64)->eof());
}

QTEST_GUILESS_MAIN(tst_SocketUnix)
#include "tst_socketunix.moc"
