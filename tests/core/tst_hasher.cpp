#include "engine/hasher.h"

#include <QCryptographicHash>
#include <QRandomGenerator>
#include <QTest>

#include <thread>

using namespace sockscope::core;
using namespace std::chrono_literals;

class tst_Hasher : public QObject
{
    Q_OBJECT
private slots:
    void matchesQtSha256_data();
    void matchesQtSha256();
    void streamsAreIndependent();
    void feedsFromSeveralThreads();
    void destructionFinishesTheQueue();
    void sharedIsOneHasherWhileUsed();
    void callsBackWhenTheBacklogShrinks_data();
    void callsBackWhenTheBacklogShrinks();
};

void tst_Hasher::matchesQtSha256_data()
{
    QTest::addColumn<int>("chunks");
    QTest::addColumn<int>("maxChunk");
    QTest::newRow("nothing") << 0 << 1;
    QTest::newRow("one byte") << 1 << 1;
    QTest::newRow("small reads") << 500 << 100;
    // Larger than the hasher's 16 KiB slices, and not a multiple of them.
    QTest::newRow("large reads") << 20 << 1'100'000;
}

void tst_Hasher::matchesQtSha256()
{
    QFETCH(int, chunks);
    QFETCH(int, maxChunk);
    Hasher hasher;
    auto stream = hasher.open();
    QCryptographicHash expected(QCryptographicHash::Sha256);
    QRandomGenerator rng{quint32(chunks)};
    quint64 total = 0;
    for (int i = 0; i < chunks; ++i) {
        QByteArray chunk(rng.bounded(1, maxChunk + 1), Qt::Uninitialized);
        rng.fillRange(reinterpret_cast<quint32 *>(chunk.data()), chunk.size() / 4);
        expected.addData(chunk);
        total += quint64(chunk.size());
        hasher.feed(stream, chunk);
    }
    QVERIFY(Hasher::waitUntilHashed(*stream, 10s));
    QCOMPARE(Hasher::backlog(*stream), quint64(0));
    const Hasher::Digest d = Hasher::digest(*stream);
    QCOMPARE(d.bytes, total);
    QCOMPARE(d.sha256, expected.result());
    // Reading the digest does not end the stream.
    hasher.feed(stream, "more");
    expected.addData("more");
    QVERIFY(Hasher::waitUntilHashed(*stream, 10s));
    QCOMPARE(Hasher::digest(*stream).sha256, expected.result());
}

void tst_Hasher::streamsAreIndependent()
{
    Hasher hasher;
    auto a = hasher.open();
    auto b = hasher.open();
    for (int i = 0; i < 100; ++i) {
        hasher.feed(a, QByteArray::number(i));
        hasher.feed(b, "b");
    }
    QByteArray all;
    for (int i = 0; i < 100; ++i)
        all += QByteArray::number(i);
    QVERIFY(Hasher::waitUntilHashed(*a, 10s) && Hasher::waitUntilHashed(*b, 10s));
    QCOMPARE(Hasher::digest(*a).sha256, QCryptographicHash::hash(all, QCryptographicHash::Sha256));
    QCOMPARE(Hasher::digest(*b).sha256, QCryptographicHash::hash(QByteArray(100, 'b'), QCryptographicHash::Sha256));
}

void tst_Hasher::feedsFromSeveralThreads()
{
    // Each stream is fed by one thread (as each session is by the reactor), but the
    // hasher's queue is shared by all of them.
    Hasher hasher;
    constexpr int kThreads = 4;
    std::vector<std::shared_ptr<Hasher::Stream>> streams;
    for (int t = 0; t < kThreads; ++t)
        streams.push_back(hasher.open());
    {
        std::vector<std::jthread> feeders;
        for (int t = 0; t < kThreads; ++t) {
            feeders.emplace_back([&hasher, stream = streams[size_t(t)], t] {
                for (int i = 0; i < 2000; ++i)
                    hasher.feed(stream, QByteArray(37, char('a' + t)));
            });
        }
    }
    for (int t = 0; t < kThreads; ++t) {
        QVERIFY(Hasher::waitUntilHashed(*streams[size_t(t)], 10s));
        QCOMPARE(Hasher::digest(*streams[size_t(t)]).sha256,
                 QCryptographicHash::hash(QByteArray(37 * 2000, char('a' + t)), QCryptographicHash::Sha256));
    }
}

void tst_Hasher::destructionFinishesTheQueue()
{
    std::shared_ptr<Hasher::Stream> stream;
    {
        Hasher hasher;
        stream = hasher.open();
        for (int i = 0; i < 50; ++i)
            hasher.feed(stream, QByteArray(100'000, 'x'));
    }
    // Everything fed before the hasher went was hashed: a waiter is never left hanging.
    QCOMPARE(Hasher::backlog(*stream), quint64(0));
    QCOMPARE(Hasher::digest(*stream).sha256,
             QCryptographicHash::hash(QByteArray(5'000'000, 'x'), QCryptographicHash::Sha256));
}

void tst_Hasher::sharedIsOneHasherWhileUsed()
{
    std::shared_ptr<Hasher> first = Hasher::shared();
    QCOMPARE(Hasher::shared().get(), first.get());
    std::weak_ptr<Hasher> weak = first;
    first.reset();
    QVERIFY(weak.expired()); // its thread is joined when the last user lets go
}

void tst_Hasher::callsBackWhenTheBacklogShrinks_data()
{
    QTest::addColumn<int>("fedMiB");
    QTest::addColumn<int>("limitMiB");
    QTest::addColumn<quint64>("minHashed"); // when the call comes
    QTest::newRow("nothing fed: at once") << 0 << 1 << quint64(0);
    QTest::newRow("under the limit: at once") << 1 << 2 << quint64(0);
    QTest::newRow("8 MiB, down to 2") << 8 << 2 << quint64(6) * 1024 * 1024;
    QTest::newRow("8 MiB, down to 0") << 8 << 0 << quint64(8) * 1024 * 1024;
}

void tst_Hasher::callsBackWhenTheBacklogShrinks()
{
    QFETCH(int, fedMiB);
    QFETCH(int, limitMiB);
    QFETCH(quint64, minHashed);
    Hasher hasher;
    auto stream = hasher.open();
    for (int i = 0; i < fedMiB; ++i)
        hasher.feed(stream, QByteArray(1024 * 1024, char(i)));
    std::atomic<int> calls{0};
    std::atomic<quint64> hashedAtCall{0};
    Hasher::whenBacklogAtMost(*stream, quint64(limitMiB) * 1024 * 1024, [&] {
        // Runs with the stream locked: read the counter the lock-free way.
        hashedAtCall = Hasher::backlog(*stream) <= quint64(limitMiB) * 1024 * 1024 ? quint64(fedMiB) * 1024 * 1024 - Hasher::backlog(*stream) : 0;
        ++calls;
    });
    QTRY_COMPARE(calls.load(), 1);
    QVERIFY2(hashedAtCall >= minHashed, qPrintable(QString::number(hashedAtCall)));
    QVERIFY(Hasher::waitUntilHashed(*stream, 10s));
    QCOMPARE(calls.load(), 1); // once, not per slice after
}

QTEST_GUILESS_MAIN(tst_Hasher)
#include "tst_hasher.moc"
