// sockscope-bench: every performance figure of sockscope beside what a user would use
// instead, measured in the same run, alternating over rounds; one table at the end.
//
//   ./build/tests/bench/sockscope-bench            the full run (minutes; wants an idle machine)
//   ./build/tests/bench/sockscope-bench --smoke    seconds, tiny sizes: ctest runs this so the
//                                                  benchmarks keep building and working
//
// Baselines are never our own code path: iperf3 (-c/-s), plain C send/recv loops written
// here, a plain epoll accept loop, ss. Each figure is the median of the rounds; the ratio
// is ours / baseline (for times: ours / baseline too, so lower is better there).
//
// Exit status: 0 ran (targets met or not), 1 bad arguments, 2 a run failed.

#include "diagruns.h"
#include "engineruns.h"
#include "guiruns.h"
#include "iperf.h"
#include "udpruns.h"

#include "net/socket.h"

#include <QCommandLineParser>
#include <QCoreApplication>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <thread>
#include <vector>

using namespace sockscope::bench;
using sockscope::core::TrafficDigest;

namespace {

// How the ratio ours / baseline is judged against the target.
enum class Goal {
    AtLeast, // throughput and rates
    AtMost,  // times
    Within,  // a requested rate: |ratio - 1| <= target
    Below,   // no baseline: ours <= target, in the row's unit (GUI latencies, launch time)
};

struct Row
{
    const char *figure;
    const char *unit;
    const char *baselineName;
    std::function<Measured()> ours;
    std::function<Measured()> baseline;
    double target;
    Goal goal;
    std::vector<double> oursValues, baselineValues;
    std::vector<QString> oursNotes, baselineNotes; // per round, beside the values
    std::vector<QString> oursMissed;               // per round: a secondary target missed
    QString failure;
    int rounds = 0; // 0: the run's --rounds
};

QString targetText(const Row &row)
{
    switch (row.goal) {
    case Goal::AtLeast: return QStringLiteral("≥ %1×").arg(row.target, 0, 'f', 2);
    case Goal::AtMost: return QStringLiteral("≤ %1×").arg(row.target, 0, 'f', 2);
    case Goal::Within: return QStringLiteral("within %1 %").arg(row.target * 100, 0, 'g', 3);
    case Goal::Below: return QStringLiteral("≤ %1 %2").arg(row.target).arg(QString::fromUtf8(row.unit));
    }
    return {};
}

bool met(const Row &row, double ratio)
{
    switch (row.goal) {
    case Goal::AtLeast: return ratio >= row.target;
    case Goal::AtMost: return ratio <= row.target;
    case Goal::Within: return std::abs(ratio - 1) <= row.target;
    case Goal::Below: return false; // judged on the value itself, not on a ratio
    }
    return false;
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    const size_t n = v.size();
    return n == 0 ? 0 : n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

// The note of the round whose value is the median (the upper one of an even count): the
// notes in the table describe the figure printed beside them.
QString noteOfMedian(const std::vector<double> &values, const std::vector<QString> &notes)
{
    if (values.empty() || notes.size() != values.size())
        return {};
    std::vector<size_t> order(values.size());
    for (size_t i = 0; i < order.size(); ++i)
        order[i] = i;
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return values[a] < values[b]; });
    return notes[order[order.size() / 2]];
}

Measured fromIperf(long long bytes, int writeSize)
{
    QString error;
    const auto r = runIperf(bytes, writeSize, 0, &error);
    return r ? Measured{r->bitsPerSecond / 1e9, {}} : Measured{0, error};
}

} // namespace

int main(int argc, char **argv)
{
    sockscope::core::ignoreSigpipe();
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("sockscope-bench"));
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Runs every benchmark against iperf3, plain C peers and ss in the same run; prints one table."));
    parser.addHelpOption();
    parser.addOptions({
        {QStringLiteral("smoke"), QStringLiteral("A few seconds with tiny sizes (for ctest): checks that everything runs.")},
        {QStringLiteral("rounds"), QStringLiteral("Rounds, alternating ours and the baseline (default 3)."), QStringLiteral("N"), QStringLiteral("3")},
        {QStringLiteral("only"), QStringLiteral("Run the rows whose figure contains TEXT."), QStringLiteral("TEXT")},
        {QStringLiteral("cli"), QStringLiteral("The sockscope-cli to measure (default: the one built with this)."), QStringLiteral("PATH"),
         QStringLiteral(SOCKSCOPE_CLI_PATH)},
    });
    parser.process(app);
    const bool smoke = parser.isSet(QStringLiteral("smoke"));
    bool ok = false;
    // The smoke run proves each path works: one round unless asked for more.
    const int rounds = smoke && !parser.isSet(QStringLiteral("rounds")) ? 1 : parser.value(QStringLiteral("rounds")).toInt(&ok);
    ok = ok || (smoke && !parser.isSet(QStringLiteral("rounds")));
    if (!ok || rounds < 1) {
        std::fprintf(stderr, "sockscope-bench: --rounds takes a number >= 1\n");
        return 1;
    }
    const QString cli = parser.value(QStringLiteral("cli"));

    // Sizes: the full run is long enough for steady state on loopback; the smoke run only
    // proves every path works.
    const long long tcpBytes = smoke ? 16LL << 20 : 4LL << 30;
    const long long serveBytes = smoke ? 16LL << 20 : 2LL << 30;
    const int iperfWrite = 128 * 1024; // iperf3's default TCP write size
    const int acceptCycles = smoke ? 200 : 10'000;
    const int crowdPairs = smoke ? 200 : 5'000;
    const int dumps = smoke ? 5 : 20;
    const double udpSeconds = smoke ? 0.3 : 5;
    const double pacedSeconds = smoke ? 0.5 : 5;
    const bool iperf = iperfAvailable();

    std::unique_ptr<SocketCrowd> crowd;
    std::vector<Row> rows;
    auto iperfRow = [&](const char *figure, TrafficDigest digest, double target) {
        rows.push_back({figure, "Gbit/s", "iperf3 -c/-s, 128 KiB writes",
                        [=] { return engineTcpReceive(tcpBytes, size_t(iperfWrite), digest); },
                        [=] { return iperf ? fromIperf(tcpBytes, iperfWrite) : Measured{0, QStringLiteral("iperf3 not installed")}; },
                        target, Goal::AtLeast});
    };
    iperfRow("TCP receive, engine, digest none", TrafficDigest::None, 0.90);
    iperfRow("TCP receive, engine, SHA-256", TrafficDigest::Sha256, 0.50);
    const Measured noIperf{0, QStringLiteral("iperf3 not installed")};
    rows.push_back({"UDP 64-byte datagrams received, engine", "pps", "iperf3 -u -l 64 -b 0 receiver",
                    [=] { return engineUdpReceive(udpSeconds, 64); },
                    [=] { return iperf ? iperfUdpReceive(udpSeconds, 64) : noIperf; }, 1.0, Goal::AtLeast});
    rows.push_back({"blast udp --size 64, flat out", "pps", "iperf3 -u -l 64 -b 0 sender",
                    [=] { return cliBlastUdp(cli, udpSeconds, 64, 0); },
                    [=] { return iperf ? iperfUdpSend(udpSeconds, 64) : noIperf; }, 1.0, Goal::AtLeast});
    rows.push_back({"blast udp --rate 10000, as received", "pps", "the requested rate",
                    [=] { return cliBlastUdp(cli, pacedSeconds, 64, 10'000); }, [] { return Measured{10'000, {}, {}}; }, 0.01,
                    Goal::Within});
    rows.push_back({"serve tcp --mode discard --digest none", "Gbit/s", "plain C discard receiver, 1 MiB reads",
                    [&] { return cliServeDiscard(cli, serveBytes, 1 << 20); },
                    [&] { return plainTcpReceive(serveBytes, 1 << 20, 1 << 20); }, 0.90, Goal::AtLeast});
    rows.push_back({"accept/close cycles", "per s", "plain epoll C++ accept loop",
                    [&] { return engineAcceptCycles(acceptCycles); }, [&] { return plainAcceptCycles(acceptCycles); }, 0.90, Goal::AtLeast});
    rows.push_back({"sock_diag dump of every TCP socket", "ms", "ss -tan (process wall time)",
                    [&] {
                        Measured m = sockDiagDumpMs(dumps);
                        // The floor under ours, in the same round: what the kernel's dump alone costs.
                        if (const Measured floor = plainNetlinkDumpMs(dumps); m.failure.isEmpty() && floor.failure.isEmpty())
                            m.note = QStringLiteral("the kernel's dump alone (plain netlink loop, nothing decoded): %1 ms of %2")
                                         .arg(floor.value, 0, 'f', 2)
                                         .arg(floor.note);
                        return m;
                    }, [&] { return ssTanMs(std::max(3, dumps / 4)); }, 0.20, Goal::AtMost});

    // The GUI rows: the real window in processes of their own, offscreen. One round each in
    // the smoke run (each is a process start and a window).
    const QString guibench = QStringLiteral(SOCKSCOPE_GUIBENCH_PATH);
    const QString appPath = QStringLiteral(SOCKSCOPE_APP_PATH);
    const int guiRounds = smoke ? 1 : 0;
    const int heldConnections = smoke ? 200 : 10'000;
    const double guiUdpSeconds = smoke ? 0.3 : 10;
    const long long guiTcpBytes = smoke ? 32LL << 20 : 1LL << 30;
    rows.push_back({"GUI: connections held by one server pane", "ms", "—",
                    [=] { return guiHeldConnections(guibench, heldConnections, smoke ? 0.3 : 5); }, {}, 8, Goal::Below});
    rows.back().rounds = guiRounds;
    rows.push_back({"GUI: UDP pane at 10,000/s", "ms", "—", [=] { return guiUdpReceive(guibench, 10'000, guiUdpSeconds); }, {}, 8, Goal::Below});
    rows.back().rounds = guiRounds;
    rows.push_back({"GUI: UDP pane flat out", "ms", "—", [=] { return guiUdpReceive(guibench, 0, guiUdpSeconds); }, {}, 8, Goal::Below});
    rows.back().rounds = guiRounds;
    rows.push_back({"GUI: TCP receive, traffic view open", "Gbit/s", "iperf3 -c/-s, 128 KiB writes",
                    [=] { return guiTcpReceive(guibench, guiTcpBytes); },
                    [=] { return iperf ? fromIperf(guiTcpBytes, iperfWrite) : noIperf; }, 0.5, Goal::AtLeast});
    rows.back().rounds = guiRounds;
    rows.push_back({"GUI: launch to first painted window", "ms", "—",
                    [=] { return appLaunch(appPath, smoke ? 1 : 5, smoke ? 0.5 : 3, smoke ? 0.5 : 10); }, {}, 150, Goal::Below});
    rows.back().rounds = guiRounds;

    const QString only = parser.value(QStringLiteral("only"));
    std::erase_if(rows, [&](const Row &r) { return !only.isEmpty() && !QString::fromLatin1(r.figure).contains(only); });

    std::printf("sockscope-bench%s: %d round(s), loopback, %u CPU(s); TCP %lld MiB, serve %lld MiB, %d accept cycles\n",
                smoke ? " --smoke" : "", rounds, std::thread::hardware_concurrency(), tcpBytes >> 20, serveBytes >> 20,
                acceptCycles);
    std::fflush(stdout);
    for (Row &row : rows) {
        if (QString::fromLatin1(row.figure).startsWith(QLatin1String("sock_diag")) && !crowd) {
            QString error;
            crowd = SocketCrowd::make(crowdPairs, &error);
            if (!crowd) {
                row.failure = QStringLiteral("could not open the sockets: ") + error;
                continue;
            }
            std::printf("  (%d TCP sockets of ours open for the sock_diag row)\n", crowd->sockets());
        }
        const int rowRounds = row.rounds > 0 ? row.rounds : rounds;
        for (int round = 0; round < rowRounds && row.failure.isEmpty(); ++round) {
            // Alternate which goes first, so neither always runs on the warmer (or busier) machine.
            for (int k = 0; k < 2; ++k) {
                const bool oursNow = (k == 0) == (round % 2 == 0);
                if (!oursNow && !row.baseline)
                    continue;
                const Measured m = oursNow ? row.ours() : row.baseline();
                if (!m.failure.isEmpty()) {
                    row.failure = QStringLiteral("%1: %2").arg(oursNow ? QStringLiteral("ours") : QStringLiteral("baseline"), m.failure);
                    break;
                }
                (oursNow ? row.oursValues : row.baselineValues).push_back(m.value);
                (oursNow ? row.oursNotes : row.baselineNotes).push_back(m.note);
                if (oursNow)
                    row.oursMissed.push_back(m.missed);
                std::printf("  round %d  %-40s %-8s %12.3f %s%s\n", round + 1, row.figure, oursNow ? "ours" : "baseline", m.value,
                            row.unit, m.note.isEmpty() ? "" : qPrintable(QStringLiteral("  (%1)").arg(m.note)));
                std::fflush(stdout);
            }
        }
    }

    std::printf("\n| figure | ours | baseline | ratio | target | | notes |\n|---|---|---|---|---|---|---|\n");
    bool failed = false;
    for (const Row &row : rows) {
        if (!row.failure.isEmpty()) {
            std::printf("| %s | — | %s | — | %s | failed: %s | |\n", row.figure, row.baselineName, qPrintable(targetText(row)),
                        qPrintable(row.failure));
            failed = true;
            continue;
        }
        const double ours = median(row.oursValues);
        QStringList notes;
        if (const QString n = noteOfMedian(row.oursValues, row.oursNotes); !n.isEmpty())
            notes << QStringLiteral("ours: ") + n;
        if (const QString n = noteOfMedian(row.baselineValues, row.baselineNotes); !n.isEmpty())
            notes << QStringLiteral("baseline: ") + n;
        const QString missed = noteOfMedian(row.oursValues, row.oursMissed);
        if (!missed.isEmpty())
            notes << QStringLiteral("missed: ") + missed;
        if (row.goal == Goal::Below) {
            std::printf("| %s | %.3f %s | — | — | %s | %s | %s |\n", row.figure, ours, row.unit, qPrintable(targetText(row)),
                        ours <= row.target && missed.isEmpty() ? "met" : "missed", qPrintable(notes.join(QStringLiteral("; "))));
            continue;
        }
        const double base = median(row.baselineValues);
        const double ratio = base > 0 ? ours / base : 0;
        std::printf("| %s | %.3f %s | %.3f %s (%s) | %.3f× | %s | %s | %s |\n", row.figure, ours, row.unit, base, row.unit,
                    row.baselineName, ratio, qPrintable(targetText(row)), met(row, ratio) && missed.isEmpty() ? "met" : "missed",
                    qPrintable(notes.join(QStringLiteral("; "))));
    }
    return failed ? 2 : 0;
}
