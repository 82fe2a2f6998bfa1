#include "engine/trafficlog.h"

#include <QCryptographicHash>
#include <QRandomGenerator>
#include <QTest>

#include <thread>

using namespace sockscope::core;

namespace {

QByteArray sha256(const QByteArray &bytes)
{
    return QCryptographicHash::hash(bytes, QCryptographicHash::Sha256);
}

// The digests are computed on the hasher's thread, behind the appends: wait for them.
TrafficTotals settled(const TrafficLog &log)
{
    if (!log.waitForDigest(std::chrono::seconds(10)))
        qFatal("the hasher did not catch up within 10 s");
    const TrafficTotals t = log.totals();
    if (!t.digestComplete())
        qFatal("waitForDigest returned before the digest covered every byte");
    return t;
}

QByteArray randomBytes(QRandomGenerator &rng, qsizetype n)
{
    QByteArray b(n, Qt::Uninitialized);
    for (char &c : b)
        c = char(rng.bounded(256));
    return b;
}

} // namespace

class tst_TrafficLog : public QObject
{
    Q_OBJECT
private slots:
    void sinceSemantics();
    void capDropsOldRecordsButTotalsAndHashKeepCounting();
    void missedCountsWhatTheReaderNeverSaw();
    void clearKeepsTotalsAndSequence();
    void hashAfterResultCoversEverything();
    void newestRecordSurvivesATinyCap();
    void concurrentAppendAndPull();
    void digestChoice_data();
    void digestChoice();
    void digestIsChosenBeforeTheFirstAppend();
};

void tst_TrafficLog::sinceSemantics()
{
    TrafficLog log;
    QCOMPARE(log.lastSeq(), quint64(0));
    QVERIFY(log.since(0).records.isEmpty());

    const Address peer = Address::loopback(AF_INET, 4242);
    log.append(Direction::In, TrafficCall::Recv, "a");
    log.append(Direction::Out, TrafficCall::SendTo, "bb", peer);
    log.append(Direction::In, TrafficCall::RecvFrom, QByteArray(), peer); // an empty datagram

    const TrafficSnapshot all = log.since(0);
    QCOMPARE(all.records.size(), 3);
    QCOMPARE(all.lastSeq, quint64(3));
    QCOMPARE(all.dropped, quint64(0));
    QCOMPARE(all.missed, quint64(0));
    for (int i = 0; i < 3; ++i)
        QCOMPARE(all.records[i].seq, quint64(i + 1));
    QVERIFY(all.records[0].timeNs > 0);
    QVERIFY(all.records[0].timeNs <= all.records[1].timeNs && all.records[1].timeNs <= all.records[2].timeNs);
    QCOMPARE(all.records[0].direction, Direction::In);
    QCOMPARE(all.records[0].call, TrafficCall::Recv);
    QVERIFY(!all.records[0].peer.isValid());
    QCOMPARE(all.records[1].direction, Direction::Out);
    QCOMPARE(all.records[1].bytes, QByteArray("bb"));
    QVERIFY(all.records[1].peer == peer);
    QVERIFY(all.records[2].bytes.isEmpty());

    QCOMPARE(all.totals.bytesIn, quint64(1));
    QCOMPARE(all.totals.bytesOut, quint64(2));
    QCOMPARE(all.totals.recordsIn, quint64(2)); // the empty datagram is a record
    QCOMPARE(all.totals.recordsOut, quint64(1));

    const TrafficSnapshot tail = log.since(2);
    QCOMPARE(tail.records.size(), 1);
    QCOMPARE(tail.records[0].seq, quint64(3));
    QVERIFY(log.since(3).records.isEmpty());
    QCOMPARE(log.since(3).lastSeq, quint64(3));
    QVERIFY(log.since(99).records.isEmpty());

    QCOMPARE(trafficCallName(TrafficCall::RecvFrom), QStringLiteral("recvfrom"));
    QCOMPARE(trafficCallName(TrafficCall::SendAll), QStringLiteral("sendall"));
}

void tst_TrafficLog::capDropsOldRecordsButTotalsAndHashKeepCounting()
{
    constexpr qsizetype kPayload = 100;
    const qsizetype cap = 10 * (kPayload + TrafficLog::kRecordOverhead);
    TrafficLog log(cap);
    QCOMPARE(log.capacity(), cap);
    QRandomGenerator rng(7);
    QByteArray allIn;
    QByteArray allOut;
    for (int i = 0; i < 100; ++i) {
        const QByteArray chunk = randomBytes(rng, kPayload);
        const Direction d = i % 3 == 0 ? Direction::Out : Direction::In;
        (d == Direction::In ? allIn : allOut) += chunk;
        log.append(d, d == Direction::In ? TrafficCall::Recv : TrafficCall::Send, chunk);
        QVERIFY(log.memoryBytes() <= cap);
    }
    const TrafficSnapshot s = log.since(0);
    QCOMPARE(s.records.size(), 10);
    QCOMPARE(s.dropped, quint64(90));
    QCOMPARE(s.missed, quint64(90));
    QCOMPARE(s.records.first().seq, quint64(91));
    QCOMPARE(s.records.last().seq, quint64(100));
    QCOMPARE(s.lastSeq, quint64(100));
    QCOMPARE(log.memoryBytes(), cap);

    QCOMPARE(s.totals.bytesIn, quint64(allIn.size()));
    QCOMPARE(s.totals.bytesOut, quint64(allOut.size()));
    QCOMPARE(s.totals.recordsIn + s.totals.recordsOut, quint64(100));
    const TrafficTotals t = settled(log);
    QCOMPARE(t.sha256In, sha256(allIn));
    QCOMPARE(t.sha256Out, sha256(allOut));

    // Shrinking the cap trims at once; growing it does not bring anything back.
    log.setCapacity(3 * (kPayload + TrafficLog::kRecordOverhead));
    QCOMPARE(log.since(0).records.size(), 3);
    QCOMPARE(log.since(0).dropped, quint64(97));
    log.setCapacity(cap);
    QCOMPARE(log.since(0).records.size(), 3);
    QCOMPARE(settled(log).sha256In, sha256(allIn));
}

void tst_TrafficLog::missedCountsWhatTheReaderNeverSaw()
{
    TrafficLog log(5 * (10 + TrafficLog::kRecordOverhead));
    for (int i = 0; i < 4; ++i)
        log.append(Direction::In, TrafficCall::Recv, QByteArray(10, 'x'));
    quint64 cursor = log.since(0).lastSeq;
    QCOMPARE(cursor, quint64(4));

    // The reader falls behind: 10 more arrive, only the newest 5 stay in memory.
    for (int i = 0; i < 10; ++i)
        log.append(Direction::In, TrafficCall::Recv, QByteArray(10, 'y'));
    TrafficSnapshot s = log.since(cursor);
    QCOMPARE(s.dropped, quint64(9));
    QCOMPARE(s.missed, quint64(5)); // seqs 5..9 were dropped before the reader saw them
    QCOMPARE(s.records.size(), 5);
    QCOMPARE(s.records.first().seq, quint64(10));
    cursor = s.lastSeq;

    // Keeping up: nothing missed even though older records keep being dropped.
    log.append(Direction::In, TrafficCall::Recv, "z");
    s = log.since(cursor);
    QCOMPARE(s.missed, quint64(0));
    QCOMPARE(s.records.size(), 1);
    QCOMPARE(s.records.first().bytes, QByteArray("z"));
}

void tst_TrafficLog::clearKeepsTotalsAndSequence()
{
    TrafficLog log;
    log.append(Direction::In, TrafficCall::Recv, "hello");
    log.append(Direction::Out, TrafficCall::Send, "world");
    const TrafficTotals before = settled(log);
    log.clear();
    QCOMPARE(log.memoryBytes(), 0);
    TrafficSnapshot s = log.since(0);
    QVERIFY(s.records.isEmpty());
    QCOMPARE(s.dropped, quint64(2));
    QCOMPARE(s.missed, quint64(2));
    QCOMPARE(s.lastSeq, quint64(2));
    QCOMPARE(s.totals.bytesIn, before.bytesIn);
    QCOMPARE(settled(log).sha256In, before.sha256In);
    QCOMPARE(settled(log).sha256Out, sha256("world"));

    log.append(Direction::In, TrafficCall::Recv, "!");
    s = log.since(2);
    QCOMPARE(s.records.size(), 1);
    QCOMPARE(s.records[0].seq, quint64(3)); // seqs are never reused
    QCOMPARE(s.missed, quint64(0));
    QCOMPARE(s.totals.bytesIn, quint64(6));
    QCOMPARE(settled(log).sha256In, sha256("hello!"));
}

void tst_TrafficLog::hashAfterResultCoversEverything()
{
    TrafficLog log;
    QCOMPARE(log.totals().sha256In, sha256(QByteArray())); // the hash of nothing
    QVERIFY(log.totals().digestComplete());
    QByteArray all;
    QRandomGenerator rng(11);
    for (int i = 0; i < 20; ++i) {
        const QByteArray chunk = randomBytes(rng, rng.bounded(1, 5000));
        all += chunk;
        log.append(Direction::In, TrafficCall::Recv, chunk);
        // Reading the hash mid-stream must not finalise or reset the running state.
        QCOMPARE(settled(log).sha256In, sha256(all));
        QCOMPARE(log.since(log.lastSeq()).totals.sha256In, sha256(all));
        QCOMPARE(log.since(log.lastSeq()).totals.hashedIn, quint64(all.size()));
    }
    QCOMPARE(log.totals().sha256Out, sha256(QByteArray()));
}

void tst_TrafficLog::newestRecordSurvivesATinyCap()
{
    TrafficLog log(100);
    log.append(Direction::In, TrafficCall::Recv, QByteArray(1000, 'a'));
    TrafficSnapshot s = log.since(0);
    QCOMPARE(s.records.size(), 1);
    QCOMPARE(s.records[0].bytes.size(), 1000);
    log.append(Direction::Out, TrafficCall::Send, QByteArray(500, 'b'));
    s = log.since(0);
    QCOMPARE(s.records.size(), 1);
    QCOMPARE(s.records[0].seq, quint64(2));
    QCOMPARE(s.dropped, quint64(1));
    QCOMPARE(s.totals.bytesIn, quint64(1000));
}

void tst_TrafficLog::concurrentAppendAndPull()
{
    TrafficLog log(64 * (8 + TrafficLog::kRecordOverhead));
    constexpr int kRecords = 20000;
    std::jthread writer([&log] { // joins even if a check below returns early
        for (int i = 0; i < kRecords; ++i)
            log.append(Direction::In, TrafficCall::Recv, QByteArray::number(i).rightJustified(8, '0'));
    });
    // The reader sees every record exactly once or counts it as missed.
    quint64 cursor = 0;
    quint64 seen = 0;
    quint64 missed = 0;
    while (cursor < kRecords) {
        const TrafficSnapshot s = log.since(cursor);
        missed += s.missed;
        quint64 expected = cursor + s.missed + 1;
        for (const TrafficRecord &r : s.records) {
            QCOMPARE(r.seq, expected);
            QCOMPARE(r.bytes, QByteArray::number(qulonglong(r.seq - 1)).rightJustified(8, '0'));
            ++expected;
            ++seen;
        }
        cursor = s.lastSeq;
    }
    writer.join();
    QCOMPARE(seen + missed, quint64(kRecords));
    QCOMPARE(log.totals().bytesIn, quint64(kRecords) * 8);
}

void tst_TrafficLog::digestChoice_data()
{
    QTest::addColumn<TrafficDigest>("digest");
    QTest::newRow("sha256") << TrafficDigest::Sha256;
    QTest::newRow("none") << TrafficDigest::None;
}

void tst_TrafficLog::digestChoice()
{
    QFETCH(TrafficDigest, digest);
    TrafficLog log(TrafficLog::kDefaultCapBytes, digest);
    QCOMPARE(log.digest(), digest);
    QRandomGenerator rng(5);
    QByteArray allIn, allOut;
    for (int i = 0; i < 200; ++i) {
        const QByteArray chunk = randomBytes(rng, rng.bounded(0, 70'000));
        const Direction d = i % 4 ? Direction::In : Direction::Out;
        (d == Direction::In ? allIn : allOut) += chunk;
        log.append(d, TrafficCall::Recv, chunk);
        // Whatever the hasher's lag, it never claims more than was appended.
        const TrafficTotals now = log.totals();
        QVERIFY(now.hashedIn <= now.bytesIn && now.hashedOut <= now.bytesOut);
    }
    const TrafficTotals t = settled(log);
    QCOMPARE(t.digest, digest);
    // The totals are exact with either choice.
    QCOMPARE(t.bytesIn, quint64(allIn.size()));
    QCOMPARE(t.bytesOut, quint64(allOut.size()));
    QCOMPARE(t.recordsIn + t.recordsOut, quint64(200));
    QCOMPARE(log.digestBacklog(), quint64(0));
    if (digest == TrafficDigest::Sha256) {
        QCOMPARE(t.sha256In, sha256(allIn));
        QCOMPARE(t.sha256Out, sha256(allOut));
        QCOMPARE(t.hashedIn, t.bytesIn);
    } else {
        QVERIFY(t.sha256In.isEmpty() && t.sha256Out.isEmpty());
        QCOMPARE(t.hashedIn, quint64(0));
    }
    QCOMPARE(trafficDigestFromName(trafficDigestName(digest)), std::optional<TrafficDigest>(digest));
}

void tst_TrafficLog::digestIsChosenBeforeTheFirstAppend()
{
    TrafficLog log;
    QVERIFY(log.setDigest(TrafficDigest::None));
    QVERIFY(log.setDigest(TrafficDigest::Sha256));
    log.append(Direction::In, TrafficCall::Recv, "abc");
    // A digest of part of the stream would pass for the whole: refused once data moved.
    QVERIFY(!log.setDigest(TrafficDigest::None));
    QCOMPARE(log.digest(), TrafficDigest::Sha256);
    QCOMPARE(settled(log).sha256In, sha256("abc"));
    QVERIFY(!trafficDigestFromName(QStringLiteral("md5")));
}

QTEST_GUILESS_MAIN(tst_TrafficLog)
#include "tst_trafficlog.moc"
