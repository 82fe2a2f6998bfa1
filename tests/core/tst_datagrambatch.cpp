#include "net/datagrambatch.h"

#include <QTest>

#include <netinet/in.h>

using namespace sockscope::core;

// DatagramBatch: recvmmsg() hands every queued datagram over whole, in order, with its
// sender; SO_RXQ_OVFL's counter says how many the kernel dropped on a full queue, so that
// received + dropped == sent.
class tst_DatagramBatch : public QObject
{
    Q_OBJECT

    struct Pair
    {
        Socket receiver;
        Socket sender;
        Address to;
    };

    // nullopt when a call failed.
    static std::optional<Pair> udpPair(int family, int rcvbuf)
    {
        Pair p;
        auto receiver = Socket::create(family, SOCK_DGRAM);
        auto sender = Socket::create(family, SOCK_DGRAM);
        if (!receiver || !sender)
            return std::nullopt;
        p.receiver = std::move(*receiver);
        p.sender = std::move(*sender);
        if ((rcvbuf > 0 && !p.receiver.setIntOption(SOL_SOCKET, SO_RCVBUF, rcvbuf)) || !p.receiver.bind(Address::loopback(family, 0))
            || !p.sender.bind(Address::loopback(family, 0)))
            return std::nullopt;
        p.to = *p.receiver.localAddress();
        return p;
    }

private slots:
    void receivesEachDatagramWhole_data()
    {
        QTest::addColumn<int>("family");
        QTest::addColumn<int>("count");
        QTest::addColumn<int>("capacity");
        QTest::newRow("v4, fewer than a batch") << int(AF_INET) << 5 << 8;
        QTest::newRow("v4, three batches and a bit") << int(AF_INET) << 27 << 8;
        QTest::newRow("v6, exactly a batch") << int(AF_INET6) << 8 << 8;
    }
    void receivesEachDatagramWhole()
    {
        QFETCH(int, family);
        QFETCH(int, count);
        QFETCH(int, capacity);
        auto pair = udpPair(family, 0);
        QVERIFY(pair);
        Pair &p = *pair;
        QVERIFY(DatagramBatch::enableDropCount(p.receiver));
        for (int i = 0; i < count; ++i) {
            // Sizes differ per datagram: each must come back at its own length.
            const QByteArray payload = QByteArray::number(i).repeated(i + 1);
            QCOMPARE(p.sender.sendTo(payload, p.to).value_or(-1), payload.size());
        }
        const Address from = *p.sender.localAddress();
        DatagramBatch batch(capacity, 2048);
        int seen = 0;
        while (seen < count) {
            const auto got = batch.receive(p.receiver, MSG_DONTWAIT);
            QVERIFY2(got, qPrintable(got ? QString() : got.error().toString()));
            QVERIFY(*got >= 1 && *got <= capacity);
            for (int i = 0; i < *got; ++i, ++seen) {
                const Received r = batch.take(i);
                QCOMPARE(r.data, QByteArray::number(seen).repeated(seen + 1));
                QCOMPARE(r.length, r.data.size());
                QCOMPARE(r.from, from);
            }
        }
        const auto none = batch.receive(p.receiver, MSG_DONTWAIT);
        QVERIFY(!none && none.error().is(EAGAIN));
        QVERIFY(!batch.dropCounter().has_value()); // nothing dropped: the kernel attaches no counter
    }

    void countsWhatTheKernelDropped_data()
    {
        QTest::addColumn<int>("family");
        QTest::newRow("v4") << int(AF_INET);
        QTest::newRow("v6") << int(AF_INET6);
    }
    void countsWhatTheKernelDropped()
    {
        QFETCH(int, family);
        // The smallest receive buffer holds a few 1 KiB datagrams; nobody reads while 200
        // arrive, so the kernel must drop most of them.
        auto pair = udpPair(family, 1);
        QVERIFY(pair);
        Pair &p = *pair;
        QVERIFY(DatagramBatch::enableDropCount(p.receiver));
        constexpr int kSent = 200;
        const QByteArray payload(1024, 'x');
        for (int i = 0; i < kSent; ++i)
            QCOMPARE(p.sender.sendTo(payload, p.to).value_or(-1), payload.size());
        DatagramBatch batch(16, 2048);
        int received = 0;
        for (;;) {
            const auto got = batch.receive(p.receiver, MSG_DONTWAIT);
            if (!got) {
                QVERIFY(got.error().is(EAGAIN));
                break;
            }
            received += *got;
        }
        QVERIFY(received > 0);
        QVERIFY(received < kSent);
        // The queue was full when the last drops happened, so no datagram carries the final
        // count yet: one sent now that the queue is empty does.
        QCOMPARE(p.sender.sendTo(payload, p.to).value_or(-1), payload.size());
        const auto last = batch.receive(p.receiver, MSG_DONTWAIT);
        QVERIFY(last && *last == 1);
        ++received;
        QVERIFY(batch.dropCounter().has_value());
        QCOMPARE(qint64(*batch.dropCounter()) + received, qint64(kSent + 1));
    }

    void dropCountOffByDefault()
    {
        auto pair = udpPair(AF_INET, 1);
        QVERIFY(pair);
        Pair &p = *pair;
        const QByteArray payload(1024, 'x');
        for (int i = 0; i < 100; ++i)
            p.sender.sendTo(payload, p.to);
        DatagramBatch batch(16, 2048);
        while (batch.receive(p.receiver, MSG_DONTWAIT)) {
        }
        QVERIFY(!batch.dropCounter().has_value());
    }
};

QTEST_GUILESS_MAIN(tst_DatagramBatch)
#include "tst_datagrambatch.moc"
