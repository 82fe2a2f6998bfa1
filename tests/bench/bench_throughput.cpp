// bench_throughput: how close does the reactor come to a plain blocking recv() loop?
//
// One TCP transfer over 127.0.0.1, received two ways in the same run:
//   plain    a blocking ::recv() loop on one thread, hashing each chunk with
//            QCryptographicHash (SHA-256), the way a hand-written receiver would;
//   reactor  an accepted SessionManager session: the epoll thread reads, and its
//            TrafficLog counts and hashes every byte (the totals that the UI and CLI show).
// Both variants hash everything they receive with the same QCryptographicHash, so the
// comparison is like for like: the ratio is the cost of the engine (records, locks,
// allocations, the reactor loop), not of the hash.
//
// The sender is the same in both: a plain thread doing blocking sendall() of slices of a
// fixed pattern. A SessionManager client session would also have worked, but then the
// plain variant would run half on the reactor and the two runs would share the engine we
// are measuring; a plain sender keeps the sending side identical and cheap, so the
// receiver is what limits the rate. The sender's SHA-256 is the hash of exactly the slices
// it hands to sendall(), computed once before the timed rounds (the stream is
// deterministic), so it does not steal CPU from the receiver being measured.
//
// The machine may be small and busy, so the variants alternate over several rounds and
// the medians are compared; every round's figures are printed too.
//
// Exit status: 0 done (whatever the ratio), 1 bad arguments, 2 a call failed,
// 3 byte counts or SHA-256 differ between the ends.

#include "engine/sessionmanager.h"
#include "net/socket.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QCryptographicHash>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <future>
#include <optional>
#include <thread>
#include <vector>

#include <ctime>
#include <sys/socket.h>

using namespace sockscope::core;
using namespace std::chrono_literals;

namespace {

using Clock = std::chrono::steady_clock;

constexpr qint64 kDefaultBytes = qint64(1) << 30;
constexpr int kDefaultRounds = 3;
constexpr double kTargetRatio = 0.9;
// Odd-sized, so pattern repeats never line up with the receivers' 64 KiB reads: a chunk
// lost or delivered twice changes the hash, not only the count.
constexpr qsizetype kPatternBytes = 1024 * 1024 + 7;
// The same size as the session's read chunk, so both receivers make the same syscalls.
constexpr qsizetype kPlainReadChunk = 64 * 1024;

enum Exit { ExitOk = 0, ExitUsage = 1, ExitCallFailed = 2, ExitMismatch = 3 };

QByteArray makePattern()
{
    // A fixed xorshift stream: incompressible-looking, identical in every run.
    QByteArray pattern(kPatternBytes, Qt::Uninitialized);
    quint64 x = 0x9E3779B97F4A7C15ull;
    for (char &c : pattern) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        c = char(x >> 56);
    }
    return pattern;
}

// The exact sequence of slices the sender passes to sendall(); the sender and the
// sender-side hash both walk it, so they cannot disagree about what was sent.
template<typename F>
void forEachSlice(const QByteArray &pattern, qint64 total, F &&f)
{
    for (qint64 left = total; left > 0;) {
        const qsizetype n = qsizetype(std::min<qint64>(left, pattern.size()));
        f(QByteArrayView(pattern).first(n));
        left -= n;
    }
}

struct Sent
{
    qint64 bytes = 0;
    std::optional<SysError> error;
    Clock::time_point start;
};

// Connects at once, then waits for `go` so that connection set-up is not timed; the
// clock starts just before the first sendall().
Sent runSender(const Address &to, const QByteArray &pattern, qint64 total, std::shared_future<void> go)
{
    Sent sent;
    auto sock = Socket::create(to.family(), SOCK_STREAM);
    if (!sock) {
        sent.error = sock.error();
        return sent;
    }
    if (auto connected = sock->connect(to); !connected) {
        sent.error = connected.error();
        return sent;
    }
    go.wait();
    sent.start = Clock::now();
    forEachSlice(pattern, total, [&](QByteArrayView slice) {
        if (sent.error)
            return;
        auto n = sock->sendAll(slice);
        if (!n) {
            sent.error = n.error();
            return;
        }
        sent.bytes += *n;
    });
    (void)sock->shutdown(SHUT_WR);
    (void)sock->close();
    return sent;
}

// CPU time of the calling thread. The receiving thread's CPU per byte is the figure least
// disturbed by other load on the machine, and where the engine's own cost shows.
double threadCpuSeconds()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) / 1e9;
}

double reactorCpuSeconds(SessionManager &manager)
{
    std::promise<double> cpu;
    std::future<double> result = cpu.get_future();
    manager.post([&cpu] { cpu.set_value(threadCpuSeconds()); });
    return result.get();
}

struct Round
{
    QString variant;
    double seconds = 0;
    double rxCpu = 0;  // CPU seconds of the receiving thread (plain: main; reactor: the I/O thread)
    qint64 bytesSent = 0;
    qint64 bytesReceived = 0;
    QByteArray sha256; // of what the receiver got
    QString failure;   // a call that failed, if any
    double gbps() const { return seconds > 0 ? double(bytesReceived) * 8 / seconds / 1e9 : 0; }
};

QString describe(const QString &what, const SysError &error)
{
    return QStringLiteral("%1: %2 (%3)").arg(what, error.name(), error.message());
}

Round finishRound(Round r, const Sent &sent, Clock::time_point end)
{
    r.seconds = std::chrono::duration<double>(end - sent.start).count();
    r.bytesSent = sent.bytes;
    if (sent.error && r.failure.isEmpty())
        r.failure = describe(QStringLiteral("sender"), *sent.error);
    return r;
}

Round plainRound(const QByteArray &pattern, qint64 total)
{
    Round r{QStringLiteral("plain")};
    auto listener = Socket::create(AF_INET, SOCK_STREAM);
    if (!listener) {
        r.failure = describe(QStringLiteral("socket"), listener.error());
        return r;
    }
    (void)listener->setIntOption(SOL_SOCKET, SO_REUSEADDR, 1);
    if (auto b = listener->bind(Address::loopback(AF_INET, 0)); !b) {
        r.failure = describe(QStringLiteral("bind"), b.error());
        return r;
    }
    if (auto l = listener->listen(1); !l) {
        r.failure = describe(QStringLiteral("listen"), l.error());
        return r;
    }
    const Address to = listener->localAddress().value_or(Address());

    std::promise<void> go;
    std::shared_future<void> goFuture = go.get_future().share();
    const double rxCpuBefore = threadCpuSeconds();
    std::future<Sent> sender = std::async(std::launch::async, runSender, to, std::cref(pattern), total, goFuture);
    auto accepted = listener->accept();
    go.set_value();
    if (!accepted) {
        r.failure = describe(QStringLiteral("accept"), accepted.error());
        (void)listener->close(); // resets a queued connection, so the sender cannot block
        return finishRound(r, sender.get(), Clock::now());
    }

    // The strictest baseline: raw ::recv() into one reused buffer (Socket::recv would
    // allocate a QByteArray per call, which is part of what the reactor is measured for).
    QCryptographicHash sha(QCryptographicHash::Sha256);
    std::vector<char> buf(static_cast<size_t>(kPlainReadChunk));
    const int fd = accepted->socket.fileno();
    for (;;) {
        const ssize_t n = ::recv(fd, buf.data(), buf.size(), 0);
        if (n > 0) {
            sha.addData(QByteArrayView(buf.data(), n));
            r.bytesReceived += n;
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            r.failure = describe(QStringLiteral("recv"), SysError::fromErrno(errno));
        break;
    }
    const Clock::time_point end = Clock::now();
    r.rxCpu = threadCpuSeconds() - rxCpuBefore;
    // After an error the sender may still be blocked in send(): closing frees it.
    (void)accepted->socket.close();
    r.sha256 = sha.result();
    return finishRound(r, sender.get(), end);
}

Round reactorRound(const QByteArray &pattern, qint64 total)
{
    Round r{QStringLiteral("reactor")};
    SessionManager manager;
    ListenSpec spec;
    spec.bind = Address::loopback(AF_INET, 0);
    spec.backlog = 1;
    const SessionId listenerId = manager.listen(spec);
    auto listening = manager.waitFor(listenerId, [](const SessionInfo &i) {
        return i.state == SessionState::Listening || i.state == SessionState::Closed;
    }, 10s);
    if (!listening || listening->state != SessionState::Listening) {
        r.failure = listening && listening->error ? describe(QStringLiteral("listen"), *listening->error)
                                                  : QStringLiteral("listen: the session did not start");
        return r;
    }

    std::promise<void> go;
    std::shared_future<void> goFuture = go.get_future().share();
    const double rxCpuBefore = reactorCpuSeconds(manager);
    std::future<Sent> sender = std::async(std::launch::async, runSender, listening->local, std::cref(pattern), total, goFuture);
    QList<SessionId> children;
    manager.waitFor(listenerId, [&](const SessionInfo &) {
        children = manager.children(listenerId);
        return !children.isEmpty();
    }, 10s);
    go.set_value();
    if (children.isEmpty()) {
        r.failure = QStringLiteral("accept: no connection within 10 s");
        manager.close(listenerId); // resets a queued connection, so the sender cannot block
        return finishRound(r, sender.get(), Clock::now());
    }

    // The session only bumps the generation on state changes, not per read, so this wait
    // wakes once, at EOF: the waiting thread costs nothing while the data flows.
    const SessionId child = children.first();
    auto done = manager.waitFor(child, [](const SessionInfo &i) {
        return i.peerClosed || i.state == SessionState::Closed;
    }, 1h);
    const Clock::time_point end = Clock::now();
    r.rxCpu = reactorCpuSeconds(manager) - rxCpuBefore;
    if (!done || !done->peerClosed)
        r.failure = done && done->error ? describe(QStringLiteral("recv"), *done->error)
                                        : QStringLiteral("recv: the session ended before EOF");
    const TrafficTotals totals = manager.traffic(child)->totals();
    r.bytesReceived = qint64(totals.bytesIn);
    r.sha256 = totals.sha256In;
    return finishRound(r, sender.get(), end);
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    const size_t n = v.size();
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

// "1073741824", "512M", "1G", "64K": binary multiples.
std::optional<qint64> parseBytes(QString text)
{
    text = text.trimmed().toUpper();
    qint64 unit = 1;
    if (text.endsWith(QLatin1Char('K')))
        unit = qint64(1) << 10;
    else if (text.endsWith(QLatin1Char('M')))
        unit = qint64(1) << 20;
    else if (text.endsWith(QLatin1Char('G')))
        unit = qint64(1) << 30;
    if (unit != 1)
        text.chop(1);
    bool ok = false;
    const qint64 n = text.toLongLong(&ok);
    if (!ok || n <= 0 || n > (qint64(1) << 50) / unit)
        return std::nullopt;
    return n * unit;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("bench_throughput"));
    ignoreSigpipe();

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "TCP over loopback: the reactor (SessionManager session + TrafficLog) against a plain "
        "blocking recv() loop, both hashing every byte with SHA-256. Prints Gbit/s per round, "
        "the medians and their ratio (target >= 0.9)."));
    parser.addHelpOption();
    const QCommandLineOption bytesOpt(QStringLiteral("bytes"),
                                      QStringLiteral("Bytes per transfer (suffix K, M or G for KiB/MiB/GiB; default 1G)."),
                                      QStringLiteral("N"), QStringLiteral("1G"));
    const QCommandLineOption roundsOpt(QStringLiteral("rounds"),
                                       QStringLiteral("Rounds; each runs both variants, alternating which goes first (default 3)."),
                                       QStringLiteral("R"), QString::number(kDefaultRounds));
    parser.addOption(bytesOpt);
    parser.addOption(roundsOpt);
    parser.process(app);

    const std::optional<qint64> bytes = parseBytes(parser.value(bytesOpt));
    bool roundsOk = false;
    const int rounds = parser.value(roundsOpt).toInt(&roundsOk);
    if (!bytes || !roundsOk || rounds < 1 || rounds > 100) {
        std::fprintf(stderr, "bench_throughput: --bytes wants a positive count (K/M/G allowed), "
                             "--rounds a number from 1 to 100\n");
        return ExitUsage;
    }
    const qint64 total = bytes.value_or(kDefaultBytes);

    const QByteArray pattern = makePattern();
    QCryptographicHash senderSha(QCryptographicHash::Sha256);
    forEachSlice(pattern, total, [&](QByteArrayView slice) { senderSha.addData(slice); });
    const QByteArray expectedSha = senderSha.result();

    std::printf("bench_throughput: %lld bytes (%.2f GiB) over TCP 127.0.0.1, %d round(s), %u CPU(s)\n",
                static_cast<long long>(total), double(total) / double(qint64(1) << 30), rounds,
                std::thread::hardware_concurrency());
    std::printf("sender: one thread, blocking sendall() of %lld-byte pattern slices; sha256 %s\n",
                static_cast<long long>(kPatternBytes), expectedSha.toHex().constData());
    std::fflush(stdout);

    std::vector<double> plain, reactor, plainCpu, reactorCpu, cpuShare;
    bool mismatch = false;
    bool failed = false;
    for (int round = 1; round <= rounds; ++round) {
        // Alternate the order so neither variant always runs on a warmer (or busier) machine.
        const bool plainFirst = round % 2 == 1;
        for (int k = 0; k < 2; ++k) {
            const bool doPlain = (k == 0) == plainFirst;
            const Round r = doPlain ? plainRound(pattern, total) : reactorRound(pattern, total);
            const bool countsOk = r.bytesSent == total && r.bytesReceived == total;
            const bool shaOk = r.sha256 == expectedSha;
            std::printf("round %d  %-7s  %7.3f Gbit/s  %7.3f s  receiver cpu %6.3f s  sent %lld  received %lld  "
                        "sha256 %s  %s\n",
                        round, qPrintable(r.variant), r.gbps(), r.seconds, r.rxCpu,
                        static_cast<long long>(r.bytesSent), static_cast<long long>(r.bytesReceived),
                        r.sha256.toHex().constData(),
                        countsOk && shaOk ? "equal" : "DIFFER");
            if (!r.failure.isEmpty()) {
                std::printf("  failed: %s\n", qPrintable(r.failure));
                failed = true;
            }
            if (!countsOk || !shaOk) {
                std::printf("  the sender sent %lld bytes, sha256 %s\n", static_cast<long long>(total),
                            expectedSha.toHex().constData());
                mismatch = true;
            }
            (doPlain ? plain : reactor).push_back(r.gbps());
            (doPlain ? plainCpu : reactorCpu).push_back(r.rxCpu);
            cpuShare.push_back(r.seconds > 0 ? r.rxCpu / r.seconds : 0);
            std::fflush(stdout);
        }
    }

    const double plainMedian = median(plain);
    const double reactorMedian = median(reactor);
    const double ratio = plainMedian > 0 ? reactorMedian / plainMedian : 0;
    const double plainCpuMedian = median(plainCpu);
    const double reactorCpuMedian = median(reactorCpu);
    std::printf("plain    median %7.3f Gbit/s  receiver cpu %6.3f s\n", plainMedian, plainCpuMedian);
    std::printf("reactor  median %7.3f Gbit/s  receiver cpu %6.3f s\n", reactorMedian, reactorCpuMedian);
    std::printf("receiver cpu (reactor / plain) %.3f\n", plainCpuMedian > 0 ? reactorCpuMedian / plainCpuMedian : 0);
    std::printf("ratio (reactor / plain) %.3f  target >= %.2f: %s\n", ratio, kTargetRatio,
                ratio >= kTargetRatio ? "met" : "NOT met");
    // The receiver is the bottleneck (it hashes every byte); when it got much less than a
    // whole CPU, other processes took the rest and the wall-clock figures carry their noise.
    if (const double share = median(cpuShare); share < 0.8)
        std::printf("note: the receivers ran %.0f%% of the wall time (median): the machine was busy, so the "
                    "Gbit/s are noisy; the receiver cpu ratio above is the steadier figure\n", share * 100);
    std::printf("bytes and sha256 at both ends: %s\n", mismatch ? "DIFFER" : "equal in every run");
    if (mismatch)
        return ExitMismatch;
    return failed ? ExitCallFailed : ExitOk;
}
