// bench_lookup: does the GUI stay smooth while the resolver works, and does quitting
// ever wait for a hung lookup?
//
// 1. Heartbeat. A 10 ms precise timer runs on the GUI thread of a shown LookupPane and
//    records how late each tick is. Three phases, each --seconds long, in one run:
//      idle       nothing else happens (the floor this machine gives);
//      service    every 100 ms, 100 lookups at once through the pane's LookupService
//                 (numeric hosts, localhost, /etc/services names: nothing leaves the
//                 machine), each answer delivered to the GUI thread, one of them shown
//                 in the pane's table;
//      blocking   the same 100 lookups per burst called on the GUI thread, the way a
//                 tool without a resolver thread does it (the baseline to beat).
//    It prints the p50/p99/max lateness of each phase; target: service p99 <= 16 ms.
// 2. Quit. A child copy of this program shows the pane, starts a lookup that never
//    returns (a test stand-in blocked on a semaphore, like getaddrinfo on a dead DNS
//    server), starts another through the pane, then quits; the parent measures from the
//    child's quit() to its exit. Target: <= 1 s. --rounds times; the worst is reported.
//
// Exit status: 0 done (targets met or not: the figures say), 1 bad arguments, 2 the child
// failed.

#include "panes/lookuppane.h"

#include "engine/lookupservice.h"
#include "engine/monotonic.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QProcess>
#include <QSemaphore>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <vector>

using namespace sockscope;
using namespace sockscope::core;

namespace {

constexpr int kHeartbeatMs = 10;
constexpr int kBurst = 100;
constexpr int kBurstEveryMs = 100;

struct Stats
{
    double p50 = 0, p99 = 0, max = 0;
    size_t samples = 0;
};

Stats stats(std::vector<double> lateMs)
{
    Stats s;
    s.samples = lateMs.size();
    if (lateMs.empty())
        return s;
    std::sort(lateMs.begin(), lateMs.end());
    const auto at = [&](double q) { return lateMs[std::min(lateMs.size() - 1, size_t(q * double(lateMs.size())))]; };
    s.p50 = at(0.50);
    s.p99 = at(0.99);
    s.max = lateMs.back();
    return s;
}

// The burst's lookups: none leaves the machine.
struct Query
{
    std::optional<QString> host;
    QString service;
    AddrInfoHints hints;
};

Query queryFor(int i)
{
    switch (i % 5) {
    case 0: return {QStringLiteral("127.0.0.1"), QString::number(1000 + i), {AF_UNSPEC, 0, 0, AI_NUMERICHOST}};
    case 1: return {QStringLiteral("::1"), QStringLiteral("http"), {AF_UNSPEC, 0, 0, AI_NUMERICHOST}};
    case 2: return {QStringLiteral("localhost"), QStringLiteral("domain"), {AF_INET, 0, 0, AI_CANONNAME}};
    case 3: return {std::nullopt, QStringLiteral("ssh"), {AF_UNSPEC, SOCK_STREAM, 0, AI_PASSIVE}};
    default: return {QStringLiteral("::ffff:127.0.0.1"), QStringLiteral("443"), {AF_INET6, 0, 0, AI_NUMERICHOST}};
    }
}

enum class Load { Idle, Service, Blocking };

Stats heartbeat(ui::LookupPane &pane, LookupService &lookups, Load load, int seconds, qint64 *lookupsDone)
{
    std::vector<double> late;
    qint64 last = monotonicNs();
    QTimer beat;
    beat.setTimerType(Qt::PreciseTimer);
    beat.setInterval(kHeartbeatMs);
    QObject::connect(&beat, &QTimer::timeout, [&] {
        const qint64 now = monotonicNs();
        late.push_back(std::max(0.0, double(now - last) / 1e6 - kHeartbeatMs));
        last = now;
    });

    QTimer burst;
    burst.setInterval(kBurstEveryMs);
    int rounds = 0;
    QObject::connect(&burst, &QTimer::timeout, [&] {
        ++rounds;
        for (int i = 0; i < kBurst; ++i) {
            const Query q = queryFor(i);
            if (load == Load::Blocking) {
                (void)Resolver::getaddrinfo(q.host, q.service, q.hints);
                ++*lookupsDone;
            } else if (i == 0) {
                pane.resolve(q.host, q.service, q.hints); // one lands in the table
            } else {
                lookups.getaddrinfo(q.host, q.service, q.hints, &pane,
                                    [lookupsDone](const LookupResult<AddrInfoResult> &) { ++*lookupsDone; });
            }
        }
    });
    if (load != Load::Idle)
        burst.start();
    beat.start();
    last = monotonicNs();
    QEventLoop loop;
    QTimer::singleShot(seconds * 1000, &loop, &QEventLoop::quit);
    loop.exec();
    beat.stop();
    burst.stop();
    return stats(late);
}

// The child: a pane with a lookup stuck forever, then quit.
int runHungChild()
{
    int argc = 1;
    char name[] = "bench_lookup";
    char *argv[] = {name, nullptr};
    QApplication app(argc, argv);
    auto gate = std::make_shared<QSemaphore>(); // never released
    LookupService lookups;
    ui::LookupPane pane(lookups);
    pane.resize(1000, 700);
    pane.show();
    lookups.submit<int>(
        [gate] {
            gate->acquire();
            return 0;
        },
        &pane, [](const LookupResult<int> &) {});
    QTimer::singleShot(300, &app, [&] {
        pane.resolve(QStringLiteral("127.0.0.1"), QStringLiteral("80"), {AF_UNSPEC, 0, 0, AI_NUMERICHOST});
        std::printf("quit %lld busy %d\n", qlonglong(monotonicNs()), lookups.busyWorkers());
        std::fflush(stdout);
        QApplication::quit();
    });
    return app.exec();
}

} // namespace

int main(int argc, char *argv[])
{
    for (int i = 1; i < argc; ++i) {
        if (qstrcmp(argv[i], "--hung-child") == 0)
            return runHungChild();
    }

    QApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("GUI heartbeat lateness under 100 lookups at once, and the "
                                                    "time to quit with a lookup hung."));
    parser.addHelpOption();
    parser.addOptions({
        {QStringLiteral("seconds"), QStringLiteral("Length of each heartbeat phase (default 3)."), QStringLiteral("S"),
         QStringLiteral("3")},
        {QStringLiteral("rounds"), QStringLiteral("Quit measurements (default 5)."), QStringLiteral("N"),
         QStringLiteral("5")},
        {QStringLiteral("hung-child"), QStringLiteral("(internal) the child process of the quit measurement.")},
    });
    parser.process(app);
    bool ok1 = false, ok2 = false;
    const int seconds = parser.value(QStringLiteral("seconds")).toInt(&ok1);
    const int rounds = parser.value(QStringLiteral("rounds")).toInt(&ok2);
    if (!ok1 || !ok2 || seconds < 1 || rounds < 1) {
        std::fprintf(stderr, "bench_lookup: --seconds and --rounds take positive numbers\n");
        return 1;
    }

    LookupService lookups;
    ui::LookupPane pane(lookups);
    pane.resize(1000, 700);
    pane.show();

    std::printf("heartbeat every %d ms; bursts of %d lookups every %d ms; %d s per phase; %d workers\n",
                kHeartbeatMs, kBurst, kBurstEveryMs, seconds, lookups.maxWorkers());
    std::printf("%-9s %8s %8s %8s %8s %10s\n", "phase", "samples", "p50 ms", "p99 ms", "max ms", "lookups");
    Stats service;
    Stats blocking;
    for (const auto &[load, name] : {std::pair{Load::Idle, "idle"}, std::pair{Load::Service, "service"},
                                     std::pair{Load::Blocking, "blocking"}}) {
        qint64 done = 0;
        const Stats s = heartbeat(pane, lookups, load, seconds, &done);
        std::printf("%-9s %8zu %8.2f %8.2f %8.2f %10lld\n", name, s.samples, s.p50, s.p99, s.max, qlonglong(done));
        std::fflush(stdout);
        if (load == Load::Service)
            service = s;
        if (load == Load::Blocking)
            blocking = s;
    }
    std::printf("service p99 %.2f ms (target <= 16 ms: %s); blocking baseline p99 %.2f ms, ratio %.2f\n",
                service.p99, service.p99 <= 16.0 ? "met" : "MISSED", blocking.p99,
                blocking.p99 > 0 ? service.p99 / blocking.p99 : 0.0);

    double worstMs = 0;
    for (int r = 0; r < rounds; ++r) {
        QProcess child;
        child.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        child.start(QCoreApplication::applicationFilePath(), {QStringLiteral("--hung-child")});
        if (!child.waitForStarted(5000) || !child.waitForFinished(10000)) {
            std::fprintf(stderr, "bench_lookup: the child did not exit within 10 s\n");
            child.kill();
            return 2;
        }
        const qint64 exited = monotonicNs();
        const QByteArray out = child.readAllStandardOutput();
        const QList<QByteArray> words = out.simplified().split(' ');
        if (words.size() < 4 || words[0] != "quit" || child.exitCode() != 0) {
            std::fprintf(stderr, "bench_lookup: unexpected child output: %s\n", out.constData());
            return 2;
        }
        const double ms = double(exited - words[1].toLongLong()) / 1e6;
        worstMs = std::max(worstMs, ms);
        std::printf("quit with a lookup hung (%s busy worker(s)): %.1f ms\n", words[3].constData(), ms);
    }
    std::printf("worst time to quit %.1f ms (target <= 1000 ms: %s)\n", worstMs, worstMs <= 1000 ? "met" : "MISSED");
    return 0;
}
