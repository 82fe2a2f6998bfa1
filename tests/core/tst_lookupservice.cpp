#include "engine/lookupservice.h"

#include <QElapsedTimer>
#include <QSemaphore>
#include <QSet>
#include <QTest>
#include <QThread>

#include <atomic>
#include <chrono>
#include <memory>
#include <pthread.h>
#include <thread>

using namespace sockscope::core;
using namespace std::chrono_literals;

namespace {

// Stands in for a getaddrinfo stuck on a dead DNS server: blocks until released.
std::function<int()> blockedOn(std::shared_ptr<QSemaphore> gate, std::shared_ptr<std::atomic<int>> ran = {})
{
    return [gate, ran] {
        if (ran)
            ++*ran;
        gate->acquire();
        return 42;
    };
}

// Waits without running the event loop, so that posted results stay queued.
bool waitUntil(const std::function<bool()> &condition, std::chrono::milliseconds limit = 5s)
{
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (!condition()) {
        if (std::chrono::steady_clock::now() > deadline)
            return false;
        std::this_thread::sleep_for(1ms);
    }
    return true;
}

QString currentThreadName()
{
    char name[16] = {};
    pthread_getname_np(pthread_self(), name, sizeof name);
    return QString::fromLatin1(name);
}

} // namespace

class tst_LookupService : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase_data();
    void deliversOnTheContextThread();
    void nameinfoThroughTheService();
    void errorsAreDelivered();
    void workersAreNamedAndBounded();
    void manyLookupsAtOnce();
    void cancelBeforeStartSkipsTheCall();
    void cancelAbandonsARunningLookup();
    void cancelAfterTheResultWasPosted();
    void destroyedContextGetsNothing_data();
    void destroyedContextGetsNothing();
    void destroyingTheServiceNeverWaitsForAHungLookup();
    void eachLookupIsTimed();
};

void tst_LookupService::initTestCase_data()
{
    QTest::addColumn<QString>("loopback");
    QTest::addColumn<int>("family");
    QTest::newRow("IPv4") << "127.0.0.1" << AF_INET;
    QTest::newRow("IPv6") << "::1" << AF_INET6;
}

void tst_LookupService::deliversOnTheContextThread()
{
    QFETCH_GLOBAL(QString, loopback);
    QFETCH_GLOBAL(int, family);
    LookupService service;
    QObject context;
    std::optional<LookupResult<AddrInfoResult>> got;
    QThread *deliveredOn = nullptr;
    const auto id = service.getaddrinfo(loopback, QStringLiteral("80"), {AF_UNSPEC, SOCK_STREAM, 0, AI_NUMERICHOST},
                                        &context, [&](const LookupResult<AddrInfoResult> &r) {
                                            got = r;
                                            deliveredOn = QThread::currentThread();
                                        });
    QVERIFY(id != 0);
    QCOMPARE(service.pendingCount(), 1);
    QTRY_VERIFY(got.has_value());
    QCOMPARE(deliveredOn, QThread::currentThread());
    QCOMPARE(got->id, id);
    QVERIFY(got->value.has_value());
    QCOMPARE(got->value->size(), 1);
    QCOMPARE(got->value->first().family, family);
    QCOMPARE(got->value->first().address, *Address::ip(loopback, 80));
    QCOMPARE(service.pendingCount(), 0);
    QVERIFY(!service.cancel(id)); // delivered: nothing left to cancel
}

void tst_LookupService::nameinfoThroughTheService()
{
    QFETCH_GLOBAL(QString, loopback);
    LookupService service;
    QObject context;
    std::optional<LookupResult<NameInfoResult>> got;
    service.getnameinfo(*Address::ip(loopback, 8080), NI_NUMERICHOST | NI_NUMERICSERV, &context,
                        [&](const LookupResult<NameInfoResult> &r) { got = r; });
    QTRY_VERIFY(got.has_value());
    QVERIFY(got->value.has_value());
    QCOMPARE(got->value->host, loopback);
    QCOMPARE(got->value->service, QStringLiteral("8080"));
}

void tst_LookupService::errorsAreDelivered()
{
    LookupService service;
    QObject context;
    std::optional<LookupResult<AddrInfoResult>> got;
    service.getaddrinfo(QStringLiteral("::g"), QStringLiteral("80"), {AF_UNSPEC, 0, 0, AI_NUMERICHOST}, &context,
                        [&](const LookupResult<AddrInfoResult> &r) { got = r; });
    QTRY_VERIFY(got.has_value());
    QVERIFY(!got->value.has_value());
    QCOMPARE(got->value.error().name(), QStringLiteral("EAI_NONAME"));
}

void tst_LookupService::workersAreNamedAndBounded()
{
    LookupService service(2);
    QCOMPARE(service.maxWorkers(), 2);
    QObject context;
    auto gate = std::make_shared<QSemaphore>();
    auto ran = std::make_shared<std::atomic<int>>(0);
    int delivered = 0;
    for (int i = 0; i < 4; ++i)
        service.submit<int>(blockedOn(gate, ran), &context, [&](const LookupResult<int> &) { ++delivered; });
    // Two workers take two calls; the other two wait in the queue.
    QVERIFY(waitUntil([&] { return service.busyWorkers() == 2; }));
    QTest::qWait(50); // a fixed wait is the point: no third call may start meanwhile
    QCOMPARE(ran->load(), 2);
    QCOMPARE(service.workerCount(), 2);
    gate->release(4);
    QTRY_COMPARE(delivered, 4);
    QCOMPARE(ran->load(), 4);

    QString name;
    service.submit<QString>(currentThreadName, &context, [&](const LookupResult<QString> &r) { name = r.value; });
    QTRY_VERIFY(!name.isEmpty());
    QVERIFY2(name.startsWith(QLatin1String("sockscope-lk")), qPrintable(name));
}

void tst_LookupService::manyLookupsAtOnce()
{
    QFETCH_GLOBAL(QString, loopback);
    LookupService service(4);
    QObject context;
    constexpr int kLookups = 300;
    QSet<LookupService::RequestId> submitted;
    QHash<LookupService::RequestId, int> deliveries;
    QSet<QString> workerNames;
    for (int i = 0; i < kLookups; ++i) {
        LookupService::RequestId id;
        if (i % 3 == 0) {
            id = service.submit<QString>(currentThreadName, &context, [&](const LookupResult<QString> &r) {
                ++deliveries[r.id];
                workerNames.insert(r.value);
            });
        } else {
            const QString port = QString::number(1000 + i);
            id = service.getaddrinfo(loopback, port, {AF_UNSPEC, SOCK_DGRAM, 0, AI_NUMERICHOST | AI_NUMERICSERV},
                                     &context, [&, i](const LookupResult<AddrInfoResult> &r) {
                                         ++deliveries[r.id];
                                         QVERIFY(r.value.has_value());
                                         QCOMPARE(r.value->first().address.port(), quint16(1000 + i));
                                     });
        }
        QVERIFY(!submitted.contains(id));
        submitted.insert(id);
    }
    QTRY_COMPARE(deliveries.size(), kLookups);
    for (auto it = deliveries.cbegin(); it != deliveries.cend(); ++it) {
        QVERIFY(submitted.contains(it.key()));
        QCOMPARE(it.value(), 1);
    }
    QVERIFY(workerNames.size() <= service.maxWorkers());
    QVERIFY(service.workerCount() <= service.maxWorkers());
    QCOMPARE(service.pendingCount(), 0);
}

void tst_LookupService::cancelBeforeStartSkipsTheCall()
{
    LookupService service(1);
    QObject context;
    auto gate = std::make_shared<QSemaphore>();
    auto ran = std::make_shared<std::atomic<int>>(0);
    bool firstDelivered = false;
    bool secondDelivered = false;
    service.submit<int>(blockedOn(gate, ran), &context, [&](const LookupResult<int> &) { firstDelivered = true; });
    const auto queued = service.submit<int>(blockedOn(gate, ran), &context,
                                            [&](const LookupResult<int> &) { secondDelivered = true; });
    QVERIFY(waitUntil([&] { return ran->load() == 1; }));
    QVERIFY(service.cancel(queued));
    QVERIFY(!service.cancel(queued));
    gate->release(2);
    QTRY_VERIFY(firstDelivered);
    QVERIFY(waitUntil([&] { return service.busyWorkers() == 0; }));
    QTest::qWait(50); // a fixed wait is the point: the cancelled call may not run meanwhile
    QCOMPARE(ran->load(), 1); // the cancelled call was never made
    QVERIFY(!secondDelivered);
}

void tst_LookupService::cancelAbandonsARunningLookup()
{
    LookupService service(1);
    QObject context;
    auto gate = std::make_shared<QSemaphore>();
    auto ran = std::make_shared<std::atomic<int>>(0);
    bool delivered = false;
    const auto id = service.submit<int>(blockedOn(gate, ran), &context,
                                        [&](const LookupResult<int> &) { delivered = true; });
    QVERIFY(waitUntil([&] { return ran->load() == 1; }));
    QVERIFY(service.cancel(id));
    QCOMPARE(service.pendingCount(), 0);
    gate->release();
    QVERIFY(waitUntil([&] { return service.busyWorkers() == 0; }));
    // The worker is free again, and the next lookup is delivered; the abandoned one never.
    bool next = false;
    service.submit<int>([] { return 1; }, &context, [&](const LookupResult<int> &) { next = true; });
    QTRY_VERIFY(next);
    QVERIFY(!delivered);
}

void tst_LookupService::cancelAfterTheResultWasPosted()
{
    LookupService service(1);
    QObject context;
    bool delivered = false;
    auto ran = std::make_shared<std::atomic<int>>(0);
    const auto id = service.submit<int>(
        [ran] {
            ++*ran;
            return 7;
        },
        &context, [&](const LookupResult<int> &) { delivered = true; });
    // The call is done and its result posted to this thread, but the loop has not run.
    QVERIFY(waitUntil([&] { return ran->load() == 1 && service.busyWorkers() == 0; }));
    QVERIFY(service.cancel(id));
    QCoreApplication::processEvents();
    QTest::qWait(20); // a fixed wait is the point: no late delivery may arrive meanwhile
    QVERIFY(!delivered);
}

void tst_LookupService::destroyedContextGetsNothing_data()
{
    QTest::addColumn<bool>("beforeTheCallReturns");
    QTest::newRow("destroyed while the call runs") << true;
    QTest::newRow("destroyed with the result queued") << false;
}

void tst_LookupService::destroyedContextGetsNothing()
{
    QFETCH(bool, beforeTheCallReturns);
    LookupService service(2);
    auto gate = std::make_shared<QSemaphore>();
    auto ran = std::make_shared<std::atomic<int>>(0);
    QObject survivor;
    auto *doomed = new QObject;
    bool doomedCalled = false;
    bool survivorCalled = false;
    service.submit<int>(blockedOn(gate, ran), doomed, [&](const LookupResult<int> &) { doomedCalled = true; });
    service.submit<int>(blockedOn(gate, ran), &survivor, [&](const LookupResult<int> &) { survivorCalled = true; });
    QVERIFY(waitUntil([&] { return ran->load() == 2; }));
    if (beforeTheCallReturns) {
        delete doomed;
        QCOMPARE(service.pendingCount(), 1);
        gate->release(2);
    } else {
        gate->release(2);
        QVERIFY(waitUntil([&] { return service.busyWorkers() == 0; }));
        delete doomed; // Qt drops the event posted to it
    }
    QTRY_VERIFY(survivorCalled);
    QTest::qWait(20); // a fixed wait is the point: nothing may reach the destroyed context meanwhile
    QVERIFY(!doomedCalled);
    QCOMPARE(service.pendingCount(), 0);

    // A new object at the same address is a new context, and is served.
    auto *next = new QObject;
    bool nextCalled = false;
    service.submit<int>([] { return 1; }, next, [&](const LookupResult<int> &) { nextCalled = true; });
    QTRY_VERIFY(nextCalled);
    delete next;
}

void tst_LookupService::destroyingTheServiceNeverWaitsForAHungLookup()
{
    auto gate = std::make_shared<QSemaphore>();
    auto ran = std::make_shared<std::atomic<int>>(0);
    auto finished = std::make_shared<std::atomic<bool>>(false);
    QObject context;
    bool delivered = false;
    auto service = std::make_unique<LookupService>(2);
    service->submit<int>(
        [gate, ran, finished] {
            ++*ran;
            gate->acquire(); // hung until released below
            *finished = true;
            return 0;
        },
        &context, [&](const LookupResult<int> &) { delivered = true; });
    bool quickOne = false;
    service->submit<int>([] { return 1; }, &context, [&](const LookupResult<int> &) { quickOne = true; });
    QTRY_VERIFY(quickOne);
    QVERIFY(waitUntil([&] { return ran->load() == 1; }));

    QElapsedTimer timer;
    timer.start();
    service.reset();
    const qint64 ms = timer.elapsed();
    QVERIFY2(ms <= 1000, qPrintable(QStringLiteral("destruction took %1 ms").arg(ms)));
    QVERIFY(!*finished);

    // The detached worker ends when its call returns, and reports to no one.
    gate->release();
    QVERIFY(waitUntil([&] { return finished->load(); }));
    QTest::qWait(50); // a fixed wait is the point: the abandoned result may not be delivered meanwhile
    QVERIFY(!delivered);
}

void tst_LookupService::eachLookupIsTimed()
{
    LookupService service(1);
    QObject context;
    std::optional<LookupResult<int>> slow;
    std::optional<LookupResult<int>> queued;
    service.submit<int>(
        [] {
            std::this_thread::sleep_for(60ms);
            return 1;
        },
        &context, [&](const LookupResult<int> &r) { slow = r; });
    service.submit<int>([] { return 2; }, &context, [&](const LookupResult<int> &r) { queued = r; });
    QTRY_VERIFY(slow.has_value() && queued.has_value());
    QVERIFY2(slow->elapsedNs >= 60'000'000, qPrintable(QString::number(slow->elapsedNs)));
    QVERIFY(slow->elapsedNs < 5'000'000'000);
    // The second waited in the queue behind the first, and ran quickly.
    QVERIFY2(queued->waitedNs >= 50'000'000, qPrintable(QString::number(queued->waitedNs)));
    QVERIFY(queued->elapsedNs < slow->elapsedNs);
    QCOMPARE(queued->value, 2);
}

QTEST_GUILESS_MAIN(tst_LookupService)
#include "tst_lookupservice.moc"
