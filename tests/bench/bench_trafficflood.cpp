// bench_trafficflood: does the GUI stay responsive while a traffic view shows a flood?
//
// A discard listener (a SessionManager session, as the server pane makes) receives from a
// plain sender thread that sends as fast as loopback takes it. A window shows the
// accepted connection's TrafficView (and a Composer, as a pane does) the whole time.
// On the GUI thread a 4 ms QTimer heartbeat measures how late each tick comes: the gap
// between ticks minus 4 ms. The same heartbeat is measured first with the window hidden
// and no traffic: that baseline, in the same run, is what the machine gives an idle Qt
// event loop; the flood figures are printed beside it with the ratio.
//
// Targets (issue 4): heartbeat lateness p99 <= 16 ms and max <= 50 ms during the flood;
// RSS grows <= 64 MB; bytes counted equal bytes sent and the SHA-256 matches the sender's.
//
// The sender walks a fixed odd-sized pattern and passes slices of it to send(); the stream
// is therefore a function of the byte count alone, and the sender's SHA-256 is computed
// from that count after the flood, so that hashing does not take CPU from the GUI and the
// receiver while they are being measured.
//
// Run under X: xvfb-run -a ./build/tests/bench/bench_trafficflood [--seconds 60]
// Exit status: 0 every target met, 1 bad arguments, 2 a call failed, 3 bytes or SHA-256
// differ, 4 a latency or memory target missed.

#include "guiheartbeat.h"

#include "widgets/composer.h"
#include "widgets/trafficview.h"

#include "engine/sessionmanager.h"
#include "net/socket.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QCryptographicHash>
#include <QDeadlineTimer>
#include <QEventLoop>
#include <QFile>
#include <QSplitter>
#include <QThread>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <thread>
#include <vector>

#include <pthread.h>

using namespace sockscope;
using namespace sockscope::core;
using Clock = std::chrono::steady_clock;

namespace {

using bench::Lateness;
using bench::heartbeat;
using bench::kHeartbeatMs;
using bench::rssMb;
constexpr double kTargetP99Ms = 16;
constexpr double kTargetMaxMs = 50;
constexpr double kTargetRssGrowthMb = 64;
constexpr qsizetype kPatternBytes = 4 * 1024 * 1024 + 13; // odd: repeats never align with reads
constexpr qsizetype kSendSlice = 256 * 1024;

enum Exit { ExitOk = 0, ExitUsage = 1, ExitCallFailed = 2, ExitMismatch = 3, ExitTargetMissed = 4 };

QByteArray makePattern()
{
    QByteArray pattern(kPatternBytes, Qt::Uninitialized);
    quint64 x = 0x2545F4914F6CDD1Dull;
    for (char &c : pattern) {
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        c = char((x * 0x2545F4914F6CDD1Dull) >> 56);
    }
    return pattern;
}

// The stream the sender produced after `total` bytes: the pattern, cycled.
QByteArray patternSha256(const QByteArray &pattern, quint64 total)
{
    QCryptographicHash sha(QCryptographicHash::Sha256);
    for (quint64 left = total; left > 0;) {
        const qsizetype n = qsizetype(std::min<quint64>(left, quint64(pattern.size())));
        sha.addData(QByteArrayView(pattern).first(n));
        left -= quint64(n);
    }
    return sha.result();
}

double threadCpuSeconds()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) / 1e9;
}

struct Sender
{
    std::atomic<bool> stop{false};
    std::atomic<quint64> bytes{0};
    std::optional<SysError> error;
    std::thread thread;

    void start(const Address &to, const QByteArray &pattern)
    {
        thread = std::thread([this, to, &pattern] {
            pthread_setname_np(pthread_self(), "flood-sender");
            auto sock = Socket::create(to.family(), SOCK_STREAM);
            if (!sock) {
                error = sock.error();
                return;
            }
            if (auto connected = sock->connect(to); !connected) {
                error = connected.error();
                return;
            }
            qsizetype offset = 0;
            while (!stop.load(std::memory_order_relaxed)) {
                const qsizetype n = std::min(kSendSlice, pattern.size() - offset);
                auto sent = sock->send(QByteArrayView(pattern).sliced(offset, n));
                if (!sent) {
                    error = sent.error();
                    break;
                }
                bytes.fetch_add(quint64(*sent), std::memory_order_relaxed);
                offset = (offset + *sent) % pattern.size();
            }
            (void)sock->shutdown(SHUT_WR);
            (void)sock->close();
        });
    }
};

void print(const char *label, const Lateness &l)
{
    std::printf("  %-28s ticks %6zu   p50 %6.2f ms   p99 %6.2f ms   max %6.2f ms\n", label, l.ms.size(),
                l.percentile(50), l.percentile(99), l.max());
}

} // namespace

int main(int argc, char *argv[])
{
    ignoreSigpipe();
    QApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Flood a traffic view over loopback and measure GUI heartbeat lateness."));
    parser.addHelpOption();
    parser.addOptions({
        {QStringLiteral("seconds"), QStringLiteral("Flood duration (default 60)."), QStringLiteral("S"), QStringLiteral("60")},
        {QStringLiteral("baseline-seconds"), QStringLiteral("Idle baseline duration (default 10)."), QStringLiteral("S"), QStringLiteral("10")},
        {QStringLiteral("shot"), QStringLiteral("Save a PNG of the window at the end of the flood."), QStringLiteral("FILE")},
    });
    parser.process(app);
    bool ok1 = false, ok2 = false;
    const double seconds = parser.value(QStringLiteral("seconds")).toDouble(&ok1);
    const double baselineSeconds = parser.value(QStringLiteral("baseline-seconds")).toDouble(&ok2);
    if (!ok1 || !ok2 || seconds <= 0 || baselineSeconds <= 0) {
        std::fprintf(stderr, "bench_trafficflood: --seconds and --baseline-seconds take a positive number\n");
        return ExitUsage;
    }

    SessionManager sessions;
    ListenSpec spec;
    spec.bind = Address::loopback(AF_INET, 0);
    spec.service = ServiceMode::Discard;
    const SessionId listener = sessions.listen(spec);
    const auto listening = sessions.waitFor(listener, [](const SessionInfo &i) { return i.state != SessionState::Opening; },
                                            std::chrono::seconds(5));
    if (!listening || listening->state != SessionState::Listening) {
        std::fprintf(stderr, "bench_trafficflood: listen failed: %s\n",
                     listening && listening->error ? qPrintable(listening->error->toString()) : "timeout");
        return ExitCallFailed;
    }

    QWidget window;
    window.setWindowTitle(QStringLiteral("bench_trafficflood"));
    auto *view = new ui::TrafficView;
    auto *composer = new ui::Composer;
    auto *split = new QSplitter(Qt::Vertical);
    split->addWidget(view);
    split->addWidget(composer);
    split->setStretchFactor(0, 4);
    split->setStretchFactor(1, 1);
    auto *layout = new QVBoxLayout(&window);
    layout->addWidget(split);
    window.resize(1000, 700);

    const QByteArray pattern = makePattern();
    std::printf("bench_trafficflood: %.0f s flood, %.0f s idle baseline, heartbeat every %d ms, Qt %s, platform %s\n",
                seconds, baselineSeconds, kHeartbeatMs, qVersion(), qPrintable(QGuiApplication::platformName()));

    // 1. Baseline: the same heartbeat, window hidden, no traffic.
    const Lateness idle = heartbeat(baselineSeconds);

    // 2. The flood, with the view on screen.
    window.show();
    heartbeat(0.5); // let the window map and paint once
    Sender sender;
    sender.start(listening->local, pattern);
    QDeadlineTimer acceptDeadline(5000);
    while (sessions.children(listener).isEmpty() && !acceptDeadline.hasExpired())
        QThread::msleep(1);
    if (sessions.children(listener).isEmpty()) {
        sender.stop = true;
        sender.thread.join();
        std::fprintf(stderr, "bench_trafficflood: no connection accepted%s\n",
                     sender.error ? qPrintable(QStringLiteral(": ") + sender.error->toString()) : "");
        return ExitCallFailed;
    }
    const SessionId accepted = sessions.children(listener).first();
    view->setLog(sessions.traffic(accepted));

    const double rssStart = rssMb();
    std::atomic<bool> sampling{true};
    std::atomic<double> rssMax{rssStart};
    std::thread sampler([&] {
        pthread_setname_np(pthread_self(), "rss-sampler");
        while (sampling.load()) {
            const double now = rssMb();
            if (now > rssMax.load())
                rssMax.store(now);
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
    });
    const Clock::time_point floodStart = Clock::now();
    const double guiCpuStart = threadCpuSeconds();
    const Lateness flood = heartbeat(seconds);
    const double guiCpu = threadCpuSeconds() - guiCpuStart;
    const double floodSeconds = std::chrono::duration<double>(Clock::now() - floodStart).count();
    if (parser.isSet(QStringLiteral("shot")))
        window.grab().save(parser.value(QStringLiteral("shot")));
    const int rowsShown = view->model()->rowCount();
    const quint64 droppedFromView = view->droppedFromView();

    sender.stop = true;
    sender.thread.join();
    sampling = false;
    sampler.join();
    const quint64 sent = sender.bytes.load();
    if (sender.error) {
        std::fprintf(stderr, "bench_trafficflood: sender: %s\n", qPrintable(sender.error->toString()));
        return ExitCallFailed;
    }
    const auto closed = sessions.waitFor(accepted, [](const SessionInfo &i) { return i.peerClosed || i.state == SessionState::Closed; },
                                         std::chrono::seconds(30));
    sessions.traffic(accepted)->waitForDigest(std::chrono::seconds(30)); // the hasher runs behind the reads
    const TrafficTotals totals = sessions.traffic(accepted)->totals();
    const Clock::time_point hashStart = Clock::now();
    const QByteArray senderSha = patternSha256(pattern, sent);
    const double hashSeconds = std::chrono::duration<double>(Clock::now() - hashStart).count();

    const double ratioP99 = idle.percentile(99) > 0 ? flood.percentile(99) / idle.percentile(99) : 0;
    const double ratioMax = idle.max() > 0 ? flood.max() / idle.max() : 0;
    const double growth = rssMax.load() - rssStart;
    std::printf("\nheartbeat lateness (gap between %d ms ticks, minus %d ms)\n", kHeartbeatMs, kHeartbeatMs);
    print("baseline (hidden, idle)", idle);
    print("flood (view visible)", flood);
    std::printf("  ratio flood/baseline         p99 x%.2f   max x%.2f\n", ratioP99, ratioMax);
    std::printf("\nflood\n");
    std::printf("  sent      %llu bytes in %.1f s (%.2f Gbit/s)\n", (unsigned long long)sent, floodSeconds,
                double(sent) * 8 / floodSeconds / 1e9);
    std::printf("  counted   %llu bytes in %llu recv() records (connection %s)\n", (unsigned long long)totals.bytesIn,
                (unsigned long long)totals.recordsIn, closed && closed->peerClosed ? "closed by the sender" : "NOT closed");
    std::printf("  GUI       the GUI thread used %.2f s of CPU (%.1f%% of one core)\n", guiCpu, 100 * guiCpu / floodSeconds);
    std::printf("  view      %d rows shown at the end, %llu older records dropped from view\n", rowsShown,
                (unsigned long long)droppedFromView);
    std::printf("  sha256    sender   %s  (%.1f s to replay)\n", senderSha.toHex().constData(), hashSeconds);
    std::printf("            counted  %s\n", totals.sha256In.toHex().constData());
    std::printf("  RSS       %.1f MB at start, %.1f MB at most: +%.1f MB\n", rssStart, rssMax.load(), growth);

    const bool bytesOk = totals.bytesIn == sent && sent > 0;
    const bool shaOk = totals.sha256In == senderSha;
    const bool p99Ok = flood.percentile(99) <= kTargetP99Ms;
    const bool maxOk = flood.max() <= kTargetMaxMs;
    const bool rssOk = growth <= kTargetRssGrowthMb;
    std::printf("\ntargets\n");
    std::printf("  p99 lateness <= %.0f ms   %s (%.2f ms)\n", kTargetP99Ms, p99Ok ? "PASS" : "FAIL", flood.percentile(99));
    std::printf("  max lateness <= %.0f ms   %s (%.2f ms)\n", kTargetMaxMs, maxOk ? "PASS" : "FAIL", flood.max());
    std::printf("  RSS growth <= %.0f MB     %s (%.1f MB)\n", kTargetRssGrowthMb, rssOk ? "PASS" : "FAIL", growth);
    std::printf("  bytes counted == sent    %s\n", bytesOk ? "PASS" : "FAIL");
    std::printf("  SHA-256 == sender's      %s\n", shaOk ? "PASS" : "FAIL");
    std::fflush(stdout);
    if (!bytesOk || !shaOk)
        return ExitMismatch;
    return p99Ok && maxOk && rssOk ? ExitOk : ExitTargetMissed;
}
