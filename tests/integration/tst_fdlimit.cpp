// `sockscope-cli serve tcp` started with a low RLIMIT_NOFILE and more clients than it has
// descriptors: it must not spin on accept() (CPU <= 10 % of a core), say so in one line,
// keep serving the clients it has, and serve the queued ones by itself once descriptors
// free up.

#include "../common/cpuusage.h"
#include "net/socket.h"

#include <QProcess>
#include <QRegularExpression>
#include <QTest>

#include <sys/resource.h>

using namespace sockscope::core;
using namespace sockscope::tests;

namespace {

// The server's whole descriptor table: stdio, epoll, eventfds, the signal pipe and the
// listener take about a dozen, so a score of clients is well past it.
constexpr rlim_t kFdLimit = 24;
constexpr int kClients = 40;

qsizetype countLines(const QByteArray &out, QByteArrayView needle)
{
    qsizetype n = 0;
    for (const QByteArray &line : out.split('\n'))
        n += line.contains(needle) ? 1 : 0;
    return n;
}

// Sends `msg` and reads the echo back, waiting at most `timeoutMs` per recv().
bool echoes(Socket &client, const QByteArray &msg, int timeoutMs)
{
    if (!client.setTimeout(timeoutMs) || !client.sendAll(msg))
        return false;
    QByteArray got;
    while (got.size() < msg.size()) {
        auto chunk = client.recv(msg.size() - got.size());
        if (!chunk || chunk->eof())
            return false;
        got += chunk->data;
    }
    return got == msg;
}

// The first line holding `needle`.
QByteArray lineWith(const QByteArray &out, QByteArrayView needle)
{
    for (const QByteArray &line : out.split('\n')) {
        if (line.contains(needle))
            return line;
    }
    return {};
}

} // namespace

class tst_FdLimit : public QObject
{
    Q_OBJECT

private slots:
    void cliServerPausesOnceAndResumes();
};

void tst_FdLimit::cliServerPausesOnceAndResumes()
{
    const QString cli = qEnvironmentVariable("SOCKSCOPE_CLI");
    if (cli.isEmpty())
        QSKIP("SOCKSCOPE_CLI is not set (ctest sets it)");
    QProcess server;
    server.setChildProcessModifier([] {
        const rlimit limit{kFdLimit, kFdLimit};
        ::setrlimit(RLIMIT_NOFILE, &limit);
    });
    server.start(cli, {QStringLiteral("serve"), QStringLiteral("tcp"), QStringLiteral("--port"), QStringLiteral("0"),
                       QStringLiteral("--backlog"), QStringLiteral("128"), QStringLiteral("--mode"), QStringLiteral("echo"),
                       QStringLiteral("--preview"), QStringLiteral("0")});
    QVERIFY(server.waitForStarted());
    QByteArray out;
    auto pull = [&] {
        out += server.readAllStandardOutput();
        return out;
    };
    QTRY_VERIFY_WITH_TIMEOUT(pull().contains('\n'), 5000);
    const auto m = QRegularExpression(QStringLiteral("listening on 127.0.0.1:(\\d+)")).match(QString::fromUtf8(out));
    QVERIFY2(m.hasMatch(), out.constData());
    const Address where = *Address::ip(QStringLiteral("127.0.0.1"), m.captured(1).toUShort());

    std::vector<Socket> clients;
    for (int i = 0; i < kClients; ++i) {
        auto c = Socket::create(AF_INET, SOCK_STREAM);
        QVERIFY(c);
        QVERIFY2(c->connect(where), "the kernel completes the handshake whether or not accept() keeps up");
        clients.push_back(std::move(*c));
    }
    QTRY_VERIFY_WITH_TIMEOUT(pull().contains("EMFILE"), 5000);

    // Two seconds of wall time at the limit with a score of clients queued: the old loop
    // spun a whole core here. A fixed wait: the window is what is measured.
    const double share = cpuShareWhile(server.processId(), [] {
        QTest::qWait(2000); // a fixed wait is the point: the window is what is measured
    });
    qInfo("CPU at the fd limit: %.1f %% of a core", share * 100);
    QVERIFY(share >= 0);
    QVERIFY2(share <= 0.10, qPrintable(QStringLiteral("%1 % of a core").arg(share * 100, 0, 'f', 1)));

    // One line says what happened, with the errno and what the server does about it.
    pull();
    QCOMPARE(countLines(out, "EMFILE"), 1);
    const QByteArray line = lineWith(out, "EMFILE");
    QVERIFY2(line.contains("s.accept()  # paused: the clients wait in the queue, retried every 100 ms -> EMFILE (24)"), line.constData());
    QVERIFY2(line.contains("ulimit -n"), line.constData());

    // The clients it took are still served while the rest wait.
    QVERIFY(echoes(clients.front(), "still here", 5000));

    // The other clients leave; their descriptors free up and the queue drains without
    // anyone restarting anything: the last client to connect, queued behind all the
    // others, gets its echo.
    for (size_t i = 0; i + 1 < clients.size(); ++i)
        clients[i].close();
    QVERIFY(echoes(clients.back(), "served at last", 10000));
    QTRY_COMPARE_WITH_TIMEOUT(countLines(pull(), "accepting resumed"), 1, 5000);
    QCOMPARE(countLines(out, "EMFILE"), 1);
    QCOMPARE(server.state(), QProcess::Running);

    server.terminate();
    QVERIFY(server.waitForFinished(5000));
}

QTEST_GUILESS_MAIN(tst_FdLimit)
#include "tst_fdlimit.moc"
