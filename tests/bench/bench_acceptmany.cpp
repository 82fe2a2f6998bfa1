// bench_acceptmany: can one server pane hold thousands of accepted connections and keep
// the GUI responsive?
//
// Baseline, in the same run: a plain C++ loop that accept()s N connections on a blocking
// listener while a client thread connects N sockets. Then the same N clients connect to a
// TCP server pane in the main window (echo mode, backlog 4096); the GUI thread runs a 4 ms
// heartbeat the whole time, while they are accepted and for a few seconds while all N are
// held (the session tree lists every one). Prints the time to accept them all beside the
// baseline (ratio), and the heartbeat p50/p99/max (target p99 <= 16 ms).
//
// Run: xvfb-run -a ./build/tests/bench/bench_acceptmany [--connections 5000] [--hold 5]
// Exit status: 0 targets met, 1 bad arguments, 2 a call failed, 4 the target was missed.

#include "appservices.h"
#include "guiheartbeat.h"

#include "mainwindow.h"
#include "panes/tcpserverpane.h"

#include "engine/lookupservice.h"
#include "engine/sessionmanager.h"
#include "net/socket.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QLineEdit>
#include <QSpinBox>

#include <atomic>
#include <cstdio>
#include <sys/resource.h>
#include <thread>

using namespace sockscope;
using namespace sockscope::core;

namespace {

constexpr double kTargetP99Ms = 16;

// Connects `count` sockets to `to`, keeping them open in `out`; returns false on an error.
bool connectClients(const Address &to, int count, std::vector<Socket> &out, std::atomic<int> &failed)
{
    out.reserve(size_t(count));
    for (int i = 0; i < count; ++i) {
        auto s = Socket::create(to.family(), SOCK_STREAM);
        if (!s || !s->connect(to)) {
            ++failed;
            std::fprintf(stderr, "client %d: %s\n", i, qPrintable((s ? s->connect(to).error() : s.error()).toString()));
            return false;
        }
        out.push_back(std::move(*s));
    }
    return true;
}

// The plain loop: blocking accept() of `count` connections. Returns seconds, or -1.
double plainAcceptLoop(int count)
{
    auto listener = Socket::create(AF_INET, SOCK_STREAM);
    if (!listener || !listener->bind(Address::loopback(AF_INET)) || !listener->listen(4096))
        return -1;
    const Address at = *listener->localAddress();
    std::vector<Socket> clients;
    std::vector<Socket> accepted;
    accepted.reserve(size_t(count));
    std::atomic<int> failed{0};
    QElapsedTimer timer;
    timer.start();
    std::thread connector([&] { connectClients(at, count, clients, failed); });
    for (int i = 0; i < count && failed == 0; ++i) {
        auto a = listener->accept();
        if (!a)
            break;
        accepted.push_back(std::move(a->socket));
    }
    const double seconds = timer.nsecsElapsed() / 1e9;
    const bool all = int(accepted.size()) == count;
    connector.join();
    // The server side closes first, so TIME_WAIT lands on the listener's port and the
    // client's ephemeral ports stay free for the pane run.
    accepted.clear();
    clients.clear();
    return failed == 0 && all ? seconds : -1;
}

void print(const char *label, const bench::Lateness &l)
{
    std::printf("  %-28s ticks %6zu  p50 %6.2f ms  p99 %6.2f ms  max %7.2f ms\n", label, l.ms.size(),
                l.percentile(50), l.percentile(99), l.max());
}

} // namespace

int main(int argc, char *argv[])
{
    ignoreSigpipe();
    QApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Hold many accepted connections on one server pane; measure accept time and GUI heartbeat."));
    parser.addHelpOption();
    parser.addOptions({{QStringLiteral("connections"), QStringLiteral("How many (default 5000)."), QStringLiteral("N"), QStringLiteral("5000")},
                       {QStringLiteral("hold"), QStringLiteral("Seconds to hold them all (default 5)."), QStringLiteral("S"), QStringLiteral("5")}});
    parser.process(app);
    bool ok = false;
    const int count = parser.value(QStringLiteral("connections")).toInt(&ok);
    const double hold = parser.value(QStringLiteral("hold")).toDouble();
    if (!ok || count <= 0 || hold <= 0) {
        std::fprintf(stderr, "bench_acceptmany: --connections and --hold take positive numbers\n");
        return 1;
    }
    rlimit files{};
    getrlimit(RLIMIT_NOFILE, &files);
    files.rlim_cur = files.rlim_max;
    setrlimit(RLIMIT_NOFILE, &files);
    if (files.rlim_cur < rlim_t(2 * count + 256)) {
        std::fprintf(stderr, "bench_acceptmany: need %d file descriptors, the limit is %llu\n", 2 * count + 256,
                     (unsigned long long)files.rlim_cur);
        return 1;
    }

    std::printf("bench_acceptmany: %d connections over 127.0.0.1\n", count);
    const double plainSeconds = plainAcceptLoop(count);
    if (plainSeconds < 0) {
        std::fprintf(stderr, "bench_acceptmany: the plain accept loop failed\n");
        return 2;
    }

    core::AppServices services;
    core::SessionManager &sessions = services.sessions;
    ui::MainWindow window(services);
    window.resize(1280, 800);
    window.show();
    ui::TcpServerPane *pane = window.newTcpServer();
    pane->backlogBox()->setValue(4096);
    pane->startWith(QStringLiteral("127.0.0.1"), 0, ServiceMode::Echo);
    const auto listening = sessions.waitFor(pane->listener(), [](const SessionInfo &i) { return i.state != SessionState::Opening; },
                                            std::chrono::seconds(5));
    if (!listening || listening->state != SessionState::Listening) {
        std::fprintf(stderr, "bench_acceptmany: the pane did not listen\n");
        return 2;
    }
    const double idleRss = bench::rssMb();
    const bench::Lateness idle = bench::heartbeat(1.0);

    std::vector<Socket> clients;
    std::atomic<int> failed{0};
    QElapsedTimer timer;
    timer.start();
    double paneSeconds = -1;
    std::thread connector([&] { connectClients(listening->local, count, clients, failed); });
    const bench::Lateness accepting = bench::heartbeat(120.0, [&] {
        if (failed || sessions.children(pane->listener()).size() < count)
            return failed > 0;
        paneSeconds = timer.nsecsElapsed() / 1e9;
        return true;
    });
    connector.join();
    if (paneSeconds < 0) {
        std::fprintf(stderr, "bench_acceptmany: only %lld of %d connections were accepted\n",
                     (long long)sessions.children(pane->listener()).size(), count);
        return 2;
    }
    window.selectPane(pane); // the tree shows the listener with all its children
    const bench::Lateness holding = bench::heartbeat(hold);
    const double heldRss = bench::rssMb();

    bench::Lateness all = accepting;
    all.ms.insert(all.ms.end(), holding.ms.begin(), holding.ms.end());
    std::printf("\ntime to accept them all\n");
    std::printf("  plain blocking accept() loop %8.3f s\n", plainSeconds);
    std::printf("  server pane (reactor)        %8.3f s\n", paneSeconds);
    std::printf("  ratio pane / plain           %8.2f\n", paneSeconds / plainSeconds);
    std::printf("\nGUI heartbeat lateness (gap between %d ms ticks, minus %d ms)\n", bench::kHeartbeatMs, bench::kHeartbeatMs);
    print("idle window (baseline)", idle);
    print("while accepting", accepting);
    print("holding all", holding);
    print("accepting + holding", all);
    std::printf("  ratio p99 (all / idle)       %8.2f\n", idle.percentile(99) > 0 ? all.percentile(99) / idle.percentile(99) : 0.0);
    std::printf("\nmemory: RSS %.1f MB before, %.1f MB holding %d connections (%.1f KB each)\n", idleRss, heldRss, count,
                (heldRss - idleRss) * 1024.0 / count);
    const bool met = all.percentile(99) <= kTargetP99Ms;
    std::printf("\ntarget: heartbeat p99 <= %.0f ms   %s (%.2f ms)\n", kTargetP99Ms, met ? "PASS" : "FAIL", all.percentile(99));
    clients.clear();
    return met ? 0 : 4;
}
