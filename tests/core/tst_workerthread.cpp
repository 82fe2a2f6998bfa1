#include "engine/workerthread.h"

#include <QElapsedTimer>
#include <QTest>

#include <atomic>
#include <chrono>
#include <fstream>
#include <pthread.h>
#include <thread>
#include <unistd.h>

using namespace sockscope::core;
using namespace std::chrono_literals;

class tst_WorkerThread : public QObject
{
    Q_OBJECT

private slots:
    void loopRunsAtItsPace();
    void sleepsUntilWoken();
    void stopEndsALongSleepAtOnce();
    void threadIsNamed();
    void bodyIsInterruptedOnStop();
    void abandonedThreadOutlivesItsOwner();
    void restartsAfterStop();
    void knowsItsOwnThread();
};

void tst_WorkerThread::loopRunsAtItsPace()
{
    std::atomic<int> steps{0};
    WorkerThread worker("tst-pace");
    QVERIFY(worker.startLoop([&] {
        ++steps;
        return 10ms;
    }));
    QVERIFY(!worker.startLoop([] { return 1ms; })); // already running
    QTRY_VERIFY_WITH_TIMEOUT(steps.load() >= 5, 2000);
    worker.stop();
    const int after = steps.load();
    QVERIFY(!worker.isRunning());
    // Joined: nothing runs once stop() returned.
    QTest::qWait(50); // a fixed wait is the point: proving that nothing runs during it
    QCOMPARE(steps.load(), after);
}

void tst_WorkerThread::sleepsUntilWoken()
{
    std::atomic<int> steps{0};
    std::atomic<bool> holdStep{false};
    std::atomic<bool> inStep{false};
    WorkerThread worker("tst-woken");
    worker.startLoop([&] {
        ++steps;
        inStep = true;
        while (holdStep.load())
            std::this_thread::sleep_for(1ms);
        inStep = false;
        return WorkerThread::kUntilWoken;
    });
    QTRY_COMPARE(steps.load(), 1);
    QTest::qWait(100); // a fixed wait is the point: an idle worker does not step on its own
    QCOMPARE(steps.load(), 1);
    worker.wake();
    QTRY_COMPARE(steps.load(), 2);
    // Wakes that come while a step runs coalesce into one more step, not one each.
    holdStep = true;
    worker.wake();
    QTRY_VERIFY(steps.load() == 3 && inStep.load());
    worker.wake();
    worker.wake();
    worker.wake();
    holdStep = false;
    QTRY_COMPARE(steps.load(), 4);
    QTest::qWait(100); // a fixed wait is the point: no backlog of wakes is replayed
    QCOMPARE(steps.load(), 4);
}

void tst_WorkerThread::stopEndsALongSleepAtOnce()
{
    WorkerThread worker("tst-long");
    std::atomic<bool> stepped{false};
    worker.startLoop([&] {
        stepped = true;
        return std::chrono::milliseconds(60'000);
    });
    QTRY_VERIFY(stepped.load());
    QElapsedTimer clock;
    clock.start();
    worker.stop();
    QVERIFY2(clock.elapsed() < 500, qPrintable(QString::number(clock.elapsed())));
}

void tst_WorkerThread::threadIsNamed()
{
    std::atomic<bool> read{false};
    QByteArray seen;
    WorkerThread worker("sockscope-a-very-long-name");
    worker.start([&](const WorkerThread::Token &) {
        char name[32] = {};
        pthread_getname_np(pthread_self(), name, sizeof name);
        seen = name;
        read = true;
    });
    QTRY_VERIFY(read.load());
    worker.stop();
    QCOMPARE(seen, QByteArray("sockscope-a-ver")); // the kernel keeps 15 characters
}

void tst_WorkerThread::bodyIsInterruptedOnStop()
{
    // A body blocked in a read of a pipe: stop() runs the interrupt, which closes the
    // writing end, and the read returns.
    int fds[2];
    QCOMPARE(::pipe(fds), 0);
    std::atomic<bool> returned{false};
    WorkerThread worker("tst-pipe");
    worker.start(
        [&, fd = fds[0]](const WorkerThread::Token &token) {
            char byte;
            while (!token.stopRequested() && ::read(fd, &byte, 1) > 0) {
            }
            returned = true;
        },
        [fd = fds[1]] { ::close(fd); });
    QTest::qWait(50); // a fixed wait is the point: the body is blocked in read() by now
    QVERIFY(!returned.load());
    worker.stop();
    QVERIFY(returned.load());
    ::close(fds[0]);
}

void tst_WorkerThread::abandonedThreadOutlivesItsOwner()
{
    std::atomic<bool> release{false};
    auto finished = std::make_shared<std::atomic<bool>>(false);
    {
        WorkerThread worker("tst-stuck");
        worker.start([&release, finished](const WorkerThread::Token &token) {
            while (!release.load()) // a call nothing can interrupt
                std::this_thread::sleep_for(1ms);
            *finished = token.stopRequested(); // its token is still valid here
        });
        QElapsedTimer clock;
        clock.start();
        worker.abandon();
        QVERIFY(clock.elapsed() < 100); // not joined
        QVERIFY(!worker.isRunning());
    } // the owner is gone
    release = true;
    QTRY_VERIFY(finished->load());
}

void tst_WorkerThread::restartsAfterStop()
{
    std::atomic<int> steps{0};
    WorkerThread worker("tst-again");
    for (int round = 1; round <= 3; ++round) {
        QVERIFY(worker.startLoop([&] {
            ++steps;
            return WorkerThread::kUntilWoken;
        }));
        QTRY_COMPARE(steps.load(), round);
        worker.stop();
    }
    worker.wake(); // harmless when stopped
    worker.stop();
}

void tst_WorkerThread::knowsItsOwnThread()
{
    WorkerThread worker("tst-self");
    QVERIFY(!worker.isCurrentThread());
    std::atomic<int> seen{-1};
    // Asked on the body's first line: the answer is already true there.
    worker.start([&](const WorkerThread::Token &) { seen = worker.isCurrentThread() ? 1 : 0; });
    QVERIFY(!worker.isCurrentThread()); // not the owner's thread
    QTRY_VERIFY(seen.load() != -1);
    QCOMPARE(seen.load(), 1);
    worker.stop();
    QVERIFY(!worker.isCurrentThread());
}

QTEST_GUILESS_MAIN(tst_WorkerThread)
#include "tst_workerthread.moc"
