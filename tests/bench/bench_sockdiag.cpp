// bench_sockdiag: what does one sock_diag dump cost with ~1,000 TCP sockets on the host?
//
// The benchmark makes its own load: a listener on 127.0.0.1 and --pairs connected pairs
// (default 500, so 1,001 sockets of ours), then times, in the same run and alternating
// over rounds:
//   sock_diag      SockDiag::dump of every TCP socket (v4 and v6), decoded into
//                  SocketEntry values: what `states`, the watcher and the sockets pane do;
//   + port filter  the same dump with the kernel bytecode filter for one other port: the
//                  kernel still walks every socket, but copies almost none;
//   + tcp_info     the full dump with struct tcp_info for every socket;
//   /proc parse    reading and parsing /proc/net/tcp and /proc/net/tcp6 (the classic
//                  netstat way) into the same fields: the in-process baseline;
//   ss -tan        running iproute2's `ss -tan` (output to /dev/null), wall time: what a
//                  student's terminal costs, process start included.
// Target: <= 2 ms per dump for the sock_diag line. Medians are compared.
//
// Exit status: 0 done (whatever the figures), 1 bad arguments, 2 a call failed.

#include "../common/loopbackpair.h"

#include "observe/sockdiag.h"
#include "sockscope-bench/diagruns.h"

#include <QCommandLineParser>
#include <QCoreApplication>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fcntl.h>
#include <functional>
#include <sys/resource.h>
#include <unistd.h>
#include <vector>

using namespace sockscope::core;
using namespace sockscope::tests;

namespace {

using Clock = std::chrono::steady_clock;

double msSince(Clock::time_point start)
{
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[v.size() / 2];
}

double percentile(std::vector<double> v, double p)
{
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[std::min(v.size() - 1, size_t(double(v.size()) * p))];
}

// The fields sock_diag gives, from one /proc/net/tcp line:
// "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode"
struct ProcRow
{
    QByteArray local, remote;
    quint16 localPort = 0, remotePort = 0;
    int state = 0;
    quint32 txQueue = 0, rxQueue = 0;
    int timer = 0;
    quint32 when = 0;
    quint64 inode = 0;
};

bool readWhole(const char *path, QByteArray &buffer)
{
    const int fd = ::open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    buffer.resize(0);
    char chunk[65536];
    for (;;) {
        const ssize_t n = ::read(fd, chunk, sizeof chunk);
        if (n <= 0)
            break;
        buffer.append(chunk, n);
    }
    ::close(fd);
    return true;
}

void parseAddress(QByteArrayView field, QByteArray &host, quint16 &port)
{
    const qsizetype colon = field.indexOf(':');
    host = QByteArray::fromHex(field.first(colon).toByteArray());
    port = quint16(field.sliced(colon + 1).toUInt(nullptr, 16));
}

qsizetype parseProc(const char *path, QByteArray &buffer, std::vector<ProcRow> &out)
{
    if (!readWhole(path, buffer))
        return -1;
    const QList<QByteArray> lines = buffer.split('\n');
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QList<QByteArray> f = lines[i].simplified().split(' ');
        if (f.size() < 10)
            continue;
        ProcRow r;
        parseAddress(f[1], r.local, r.localPort);
        parseAddress(f[2], r.remote, r.remotePort);
        r.state = f[3].toInt(nullptr, 16);
        const QList<QByteArray> queues = f[4].split(':');
        r.txQueue = queues.value(0).toUInt(nullptr, 16);
        r.rxQueue = queues.value(1).toUInt(nullptr, 16);
        const QList<QByteArray> timer = f[5].split(':');
        r.timer = timer.value(0).toInt(nullptr, 16);
        r.when = timer.value(1).toUInt(nullptr, 16);
        r.inode = f[9].toULongLong();
        out.push_back(std::move(r));
    }
    return qsizetype(out.size());
}

struct Variant
{
    const char *name;
    std::function<bool(qsizetype &rows)> run;
    int perRound;
    std::vector<double> ms;
    qsizetype rows = 0;
};

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Cost of one sock_diag dump with ~1,000 TCP sockets, against /proc/net/tcp and ss."));
    parser.addHelpOption();
    parser.addOptions({
        {QStringLiteral("pairs"), QStringLiteral("Connected loopback pairs to create (default 500)."), QStringLiteral("N"), QStringLiteral("500")},
        {QStringLiteral("rounds"), QStringLiteral("Rounds, each variant once per round (default 10)."), QStringLiteral("N"), QStringLiteral("10")},
    });
    parser.process(app);
    bool ok1 = false, ok2 = false;
    const int pairs = parser.value(QStringLiteral("pairs")).toInt(&ok1);
    const int rounds = parser.value(QStringLiteral("rounds")).toInt(&ok2);
    if (!ok1 || !ok2 || pairs < 0 || rounds < 1) {
        std::fprintf(stderr, "bench_sockdiag: give --pairs >= 0 and --rounds >= 1\n");
        return 1;
    }

    // Two descriptors per pair, and the default soft limit is often 1,024.
    rlimit lim{};
    if (::getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur < rlim_t(2 * pairs + 64)) {
        lim.rlim_cur = std::min<rlim_t>(lim.rlim_max, rlim_t(2 * pairs + 64));
        ::setrlimit(RLIMIT_NOFILE, &lim);
    }
    auto listener = tcpListener(AF_INET, std::max(pairs, 16));
    auto other = tcpListener(AF_INET, 4);
    if (!listener || !other) {
        std::fprintf(stderr, "bench_sockdiag: listen: %s\n", qPrintable((listener ? other : listener).error().toString()));
        return 2;
    }
    std::vector<TcpPair> connections;
    connections.reserve(size_t(pairs));
    for (int i = 0; i < pairs; ++i) {
        auto pair = tcpPair(*listener);
        if (!pair) {
            std::fprintf(stderr, "bench_sockdiag: pair %d: %s\n", i, qPrintable(pair.error().toString()));
            return 2;
        }
        connections.push_back(std::move(*pair));
    }

    auto diag = SockDiag::open();
    if (!diag) {
        std::fprintf(stderr, "bench_sockdiag: sock_diag: %s\n", qPrintable(diag.error().toString()));
        return 2;
    }
    DiagQuery all;
    all.protocols = int(DiagProtocol::Tcp);
    DiagQuery filtered = all;
    filtered.port = localPort(*other);
    DiagQuery withInfo = all;
    withInfo.tcpInfo = true;
    QByteArray procBuffer;

    const auto dumpWith = [&](const DiagQuery &q) {
        return [&diag, q](qsizetype &rows) {
            const auto d = diag->dump(q);
            rows = d ? d->size() : -1;
            return bool(d);
        };
    };
    std::vector<Variant> variants = {
        {"sock_diag, every TCP socket", dumpWith(all), 50, {}},
        {"sock_diag + port filter (1 match)", dumpWith(filtered), 50, {}},
        {"sock_diag + tcp_info", dumpWith(withInfo), 50, {}},
        {"baseline: /proc/net/tcp{,6} parse", [&](qsizetype &rows) {
             std::vector<ProcRow> out;
             out.reserve(1100);
             const bool ok = parseProc("/proc/net/tcp", procBuffer, out) >= 0 && parseProc("/proc/net/tcp6", procBuffer, out) >= 0;
             rows = qsizetype(out.size());
             return ok;
         }, 20, {}},
        {"baseline: ss -tan (process wall time)", [](qsizetype &rows) { rows = -1; return sockscope::bench::runSsTan(); }, 3, {}},
    };

    // Warm the caches and the allocator once.
    for (Variant &v : variants) {
        if (!v.run(v.rows)) {
            std::fprintf(stderr, "bench_sockdiag: %s failed\n", v.name);
            return 2;
        }
    }
    for (int round = 0; round < rounds; ++round) {
        for (Variant &v : variants) {
            for (int i = 0; i < v.perRound; ++i) {
                const auto start = Clock::now();
                v.run(v.rows);
                v.ms.push_back(msSince(start));
            }
        }
    }

    std::printf("bench_sockdiag: %d loopback pairs (%d sockets of ours + listeners), %d rounds\n\n", pairs, 2 * pairs, rounds);
    std::printf("%-40s %8s %10s %10s %10s\n", "variant", "rows", "median ms", "p95 ms", "samples");
    for (const Variant &v : variants) {
        std::printf("%-40s %8s %10.3f %10.3f %10zu\n", v.name, v.rows < 0 ? "-" : qPrintable(QString::number(v.rows)),
                    median(v.ms), percentile(v.ms, 0.95), v.ms.size());
    }
    const double ours = median(variants[0].ms);
    std::printf("\nsock_diag per dump: %.3f ms (target <= 2 ms: %s)\n", ours, ours <= 2.0 ? "met" : "NOT met");
    std::printf("ratio /proc parse / sock_diag: %.1fx\n", median(variants[3].ms) / ours);
    std::printf("ratio ss -tan / sock_diag:     %.1fx\n", median(variants[4].ms) / ours);
    return 0;
}
