#include "engine/reactor.h"

#include <QDir>
#include <QFile>
#include <QTest>

#include <atomic>
#include <fcntl.h>
#include <future>
#include <pthread.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

using namespace sockscope::core;
using namespace std::chrono_literals;

namespace {

// Runs `f` on the reactor thread and waits for its result.
template<typename F>
auto onReactor(Reactor &r, F f) -> decltype(f())
{
    std::packaged_task<decltype(f())()> task(std::move(f));
    auto result = task.get_future();
    r.post([&task] { task(); });
    if (result.wait_for(5s) != std::future_status::ready)
        qFatal("the reactor did not run a posted task within 5 s");
    return result.get();
}

QByteArray threadName()
{
    char name[16] = {};
    pthread_getname_np(pthread_self(), name, sizeof name);
    return QByteArray(name);
}

// Threads of this process whose name is `name`, from /proc.
int threadsNamed(const QByteArray &name)
{
    int n = 0;
    const QDir tasks(QStringLiteral("/proc/self/task"));
    for (const QString &tid : tasks.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        QFile comm(tasks.filePath(tid + QStringLiteral("/comm")));
        if (comm.open(QIODevice::ReadOnly) && comm.readAll().trimmed() == name)
            ++n;
    }
    return n;
}

} // namespace

class tst_Reactor : public QObject
{
    Q_OBJECT
private slots:
    void postRunsOnTheNamedThread();
    void postKeepsOrder();
    void timersFireInOrderAndCancel();
    void watchAndUnwatch_data();
    void watchAndUnwatch();
    void destructorRunsQueuedTasksAndJoins();
};

void tst_Reactor::postRunsOnTheNamedThread()
{
    Reactor reactor;
    QVERIFY(!reactor.isReactorThread());
    const auto [name, onIt, id] = onReactor(reactor, [&reactor] {
        return std::tuple{threadName(), reactor.isReactorThread(), std::this_thread::get_id()};
    });
    QCOMPARE(name, QByteArray("sockscope-io"));
    QVERIFY(onIt);
    QVERIFY(id != std::this_thread::get_id());

    // Names longer than the kernel's 15 characters are cut, not rejected.
    Reactor custom("a-very-long-reactor-name");
    QCOMPARE(onReactor(custom, [] { return threadName(); }), QByteArray("a-very-long-rea"));
}

void tst_Reactor::postKeepsOrder()
{
    Reactor reactor;
    std::vector<int> seen; // touched only on the reactor thread
    constexpr int kTasks = 10000;
    for (int i = 0; i < kTasks; ++i)
        reactor.post([&seen, i] { seen.push_back(i); });
    const std::vector<int> copy = onReactor(reactor, [&seen] { return seen; });
    QCOMPARE(int(copy.size()), kTasks);
    QVERIFY(std::is_sorted(copy.begin(), copy.end()));

    // Tasks posted from several threads each keep their own thread's order.
    std::vector<std::pair<int, int>> mixed;
    std::vector<std::thread> posters;
    for (int t = 0; t < 4; ++t) {
        posters.emplace_back([&reactor, &mixed, t] {
            for (int i = 0; i < 1000; ++i)
                reactor.post([&mixed, t, i] { mixed.emplace_back(t, i); });
        });
    }
    for (auto &p : posters)
        p.join();
    const auto all = onReactor(reactor, [&mixed] { return mixed; });
    QCOMPARE(int(all.size()), 4000);
    int last[4] = {-1, -1, -1, -1};
    for (const auto &[t, i] : all) {
        QCOMPARE(i, last[t] + 1);
        last[t] = i;
    }
}

void tst_Reactor::timersFireInOrderAndCancel()
{
    Reactor reactor;
    std::mutex mutex;
    std::vector<int> fired;
    std::promise<void> done;
    auto record = [&](int n) {
        std::lock_guard lock(mutex);
        fired.push_back(n);
    };
    const auto start = std::chrono::steady_clock::now();
    onReactor(reactor, [&] {
        // Added out of order on purpose: they fire by deadline, not by insertion.
        reactor.addTimer(60ms, [&] { record(3); });
        reactor.addTimer(20ms, [&] { record(1); });
        const auto cancelled = reactor.addTimer(30ms, [&] { record(99); });
        reactor.addTimer(40ms, [&] { record(2); });
        reactor.addTimer(80ms, [&] {
            record(4);
            done.set_value();
        });
        reactor.cancelTimer(cancelled);
        reactor.cancelTimer(123456); // unknown ids are ignored
        return 0;
    });
    QVERIFY(done.get_future().wait_for(5s) == std::future_status::ready);
    const auto elapsed = std::chrono::steady_clock::now() - start;
    QVERIFY(elapsed >= 80ms);
    std::lock_guard lock(mutex);
    QCOMPARE(fired, (std::vector<int>{1, 2, 3, 4}));
}

void tst_Reactor::watchAndUnwatch_data()
{
    QTest::addColumn<bool>("usePipe");
    QTest::newRow("eventfd") << false;
    QTest::newRow("pipe") << true;
}

void tst_Reactor::watchAndUnwatch()
{
    QFETCH(bool, usePipe);
    int readFd = -1;
    int writeFd = -1;
    if (usePipe) {
        int fds[2];
        QCOMPARE(pipe2(fds, O_NONBLOCK | O_CLOEXEC), 0);
        readFd = fds[0];
        writeFd = fds[1];
    } else {
        readFd = writeFd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
        QVERIFY(readFd >= 0);
    }
    auto poke = [writeFd] {
        const uint64_t one = 1;
        return ::write(writeFd, &one, sizeof one) == ssize_t(sizeof one);
    };

    Reactor reactor;
    std::atomic<int> events{0};
    std::atomic<bool> wrongThread{false};
    onReactor(reactor, [&] {
        reactor.watch(readFd, EPOLLIN, [&](uint32_t ev) {
            if (!reactor.isReactorThread() || !(ev & EPOLLIN))
                wrongThread = true;
            uint64_t buf[4];
            while (::read(readFd, buf, sizeof buf) > 0) {
            }
            ++events;
        });
        return 0;
    });
    QVERIFY(poke());
    QTRY_COMPARE(events.load(), 1);
    QVERIFY(poke());
    QTRY_COMPARE(events.load(), 2);
    QVERIFY(!wrongThread);

    // With no interest the fd stays registered but quiet; with it back, events come.
    onReactor(reactor, [&] { reactor.modify(readFd, 0); return 0; });
    QVERIFY(poke());
    QTest::qWait(50); // a fixed wait is the point: no event may come without interest
    QCOMPARE(events.load(), 2);
    onReactor(reactor, [&] { reactor.modify(readFd, EPOLLIN); return 0; });
    QTRY_COMPARE(events.load(), 3);

    onReactor(reactor, [&] { reactor.unwatch(readFd); reactor.unwatch(readFd); return 0; });
    QVERIFY(poke());
    QTest::qWait(50); // a fixed wait is the point: no event may come once unwatched
    QCOMPARE(events.load(), 3);

    ::close(readFd);
    if (writeFd != readFd)
        ::close(writeFd);
}

void tst_Reactor::destructorRunsQueuedTasksAndJoins()
{
    std::atomic<int> ran{0};
    std::thread::id reactorThread;
    const QByteArray name("tst-dtor");
    {
        Reactor reactor(name.toStdString());
        QTRY_COMPARE(threadsNamed(name), 1);
        reactor.post([&] {
            reactorThread = std::this_thread::get_id();
            std::this_thread::sleep_for(50ms); // the rest queue up behind this one
        });
        for (int i = 0; i < 100; ++i)
            reactor.post([&ran] { ++ran; });
    }
    // Joined: every task ran and the thread is gone before the destructor returned.
    QCOMPARE(ran.load(), 100);
    QCOMPARE(threadsNamed(name), 0);
    QVERIFY(reactorThread != std::thread::id());
    QVERIFY(reactorThread != std::this_thread::get_id());
}

QTEST_GUILESS_MAIN(tst_Reactor)
#include "tst_reactor.moc"
