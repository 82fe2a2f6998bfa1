// `sockscope-cli blast`: what it says it sent is what a plain receiver got, byte for byte
// in count, and --rate paces: N datagrams at R per second take (N - 1) / R seconds.

#include "net/socket.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTest>

#include <thread>

using namespace sockscope::core;

namespace {

struct BlastRun
{
    int exitCode = -1;
    QJsonObject json;
    QString stderrText;
};

BlastRun blast(const QStringList &args)
{
    QProcess cli;
    cli.start(qEnvironmentVariable("SOCKSCOPE_CLI"), QStringList{QStringLiteral("blast")} + args + QStringList{QStringLiteral("--json")});
    BlastRun r;
    if (!cli.waitForFinished(30'000))
        return r;
    r.exitCode = cli.exitCode();
    r.json = QJsonDocument::fromJson(cli.readAllStandardOutput()).object();
    r.stderrText = QString::fromLocal8Bit(cli.readAllStandardError());
    return r;
}

} // namespace

class tst_BlastCli : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QVERIFY2(QFile::exists(qEnvironmentVariable("SOCKSCOPE_CLI")), "SOCKSCOPE_CLI must point at sockscope-cli");
    }

    void udpCountReachesTheReceiver_data()
    {
        QTest::addColumn<QString>("rate");
        QTest::addColumn<int>("count");
        QTest::addColumn<int>("size");
        QTest::addColumn<double>("minSeconds");
        QTest::newRow("flat out") << QString() << 200 << 64 << 0.0;
        QTest::newRow("paced 2000/s") << QStringLiteral("2000") << 201 << 100 << 0.1; // 200 gaps of 0.5 ms
        QTest::newRow("empty datagrams") << QString() << 10 << 0 << 0.0;
    }
    void udpCountReachesTheReceiver()
    {
        QFETCH(QString, rate);
        QFETCH(int, count);
        QFETCH(int, size);
        QFETCH(double, minSeconds);
        auto receiver = Socket::create(AF_INET, SOCK_DGRAM);
        QVERIFY(receiver);
        QVERIFY(receiver->setIntOption(SOL_SOCKET, SO_RCVBUF, 1 << 20)); // holds them all: no loss to explain
        QVERIFY(receiver->bind(Address::loopback(AF_INET, 0)));
        const QString port = QString::number(receiver->localAddress()->port());
        QStringList args{QStringLiteral("udp"), QStringLiteral("127.0.0.1"), port, QStringLiteral("--size"), QString::number(size),
                         QStringLiteral("--count"), QString::number(count)};
        if (!rate.isEmpty())
            args << QStringLiteral("--rate") << rate;
        const BlastRun r = blast(args);
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.json.value(QStringLiteral("packets")).toInteger(), count);
        QCOMPARE(r.json.value(QStringLiteral("bytes")).toInteger(), qint64(count) * size);
        QCOMPARE(r.json.value(QStringLiteral("errors")).toInteger(), 0);
        QVERIFY2(r.json.value(QStringLiteral("seconds")).toDouble() >= minSeconds, qPrintable(QString::number(r.json.value(QStringLiteral("seconds")).toDouble())));
        for (int i = 0; i < count; ++i) {
            const auto got = receiver->recv(65536, MSG_DONTWAIT);
            QVERIFY2(got, qPrintable(QStringLiteral("datagram %1 of %2 missing").arg(i + 1).arg(count)));
            QCOMPARE(got->data.size(), size);
        }
        QVERIFY(!receiver->recv(65536, MSG_DONTWAIT)); // and no more
    }

    void tcpWritesArriveInOrder()
    {
        auto listener = Socket::create(AF_INET, SOCK_STREAM);
        QVERIFY(listener);
        QVERIFY(listener->bind(Address::loopback(AF_INET, 0)));
        QVERIFY(listener->listen(1));
        const QString port = QString::number(listener->localAddress()->port());
        QByteArray received;
        std::thread reader([&] {
            auto conn = listener->accept();
            if (!conn)
                return;
            for (;;) {
                auto got = conn->socket.recv(65536);
                if (!got || got->eof())
                    break;
                received += got->data;
            }
        });
        const BlastRun r = blast({QStringLiteral("tcp"), QStringLiteral("127.0.0.1"), port, QStringLiteral("--size"),
                                  QStringLiteral("1000"), QStringLiteral("--count"), QStringLiteral("50")});
        reader.join();
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.json.value(QStringLiteral("packets")).toInteger(), 50);
        QCOMPARE(received.size(), 50'000);
        // The same 1000-byte pattern, 50 times: nothing reordered or cut.
        QCOMPARE(received.first(1000).repeated(50), received);
    }

    void badArgumentsAreUsageErrors_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::newRow("no protocol") << QStringList{QStringLiteral("127.0.0.1"), QStringLiteral("9")};
        QTest::newRow("rate and mbit") << QStringList{QStringLiteral("udp"), QStringLiteral("127.0.0.1"), QStringLiteral("9"),
                                                      QStringLiteral("--rate"), QStringLiteral("10"), QStringLiteral("--mbit"), QStringLiteral("1")};
        QTest::newRow("size too big") << QStringList{QStringLiteral("udp"), QStringLiteral("127.0.0.1"), QStringLiteral("9"),
                                                     QStringLiteral("--size"), QStringLiteral("70000")};
        QTest::newRow("port out of range") << QStringList{QStringLiteral("udp"), QStringLiteral("127.0.0.1"), QStringLiteral("70000")};
    }
    void badArgumentsAreUsageErrors()
    {
        QFETCH(QStringList, args);
        const BlastRun r = blast(args);
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.stderrText.startsWith(QLatin1String("sockscope-cli: blast")), qPrintable(r.stderrText));
    }

    void refusedTcpNamesTheError()
    {
        // A port nobody listens on: bind one, read it, close it.
        quint16 port = 0;
        {
            auto s = Socket::create(AF_INET, SOCK_STREAM);
            QVERIFY(s && s->bind(Address::loopback(AF_INET, 0)));
            port = s->localAddress()->port();
        }
        const BlastRun r = blast({QStringLiteral("tcp"), QStringLiteral("127.0.0.1"), QString::number(port), QStringLiteral("--count"),
                                  QStringLiteral("1")});
        QCOMPARE(r.exitCode, 2);
        QCOMPARE(r.json.value(QStringLiteral("error")).toObject().value(QStringLiteral("name")).toString(), QStringLiteral("ECONNREFUSED"));
    }
};

QTEST_GUILESS_MAIN(tst_BlastCli)
#include "tst_blastcli.moc"
