// sockscope-guibench: the GUI rows of sockscope-bench, each in a process of its own with
// the real main window (AppServices, MainWindow, the panes a user opens), on whatever
// platform QT_QPA_PLATFORM names (sockscope-bench runs it offscreen). A 4 ms heartbeat
// on the GUI thread measures how late the event loop gets while the work runs. One JSON
// object on stdout; exit 2 when a call failed.
//
//   sockscope-guibench accept --connections N --hold S   N clients connect to a server pane
//   sockscope-guibench udp --rate PPS --seconds S         64-byte datagrams into a UDP pane (0: flat out)
//   sockscope-guibench tcp --bytes N                      N bytes into a server pane, traffic view open

#include "../guiheartbeat.h"
#include "../../common/widgetlookup.h"
#include "plainpeers.h"

#include "appservices.h"
#include "engine/blaster.h"
#include "mainwindow.h"
#include "panes/tcpserverpane.h"
#include "panes/udppane.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLineEdit>
#include <QSpinBox>

#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <netinet/in.h>
#include <string_view>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <thread>

using namespace sockscope;
using namespace sockscope::core;
using namespace std::chrono_literals;

namespace {

QJsonObject lateness(const bench::Lateness &l)
{
    return {{QStringLiteral("p50_ms"), l.percentile(50)}, {QStringLiteral("p99_ms"), l.percentile(99)}, {QStringLiteral("max_ms"), l.max()}};
}

int fail(const QString &why)
{
    std::printf("%s\n", QJsonDocument(QJsonObject{{QStringLiteral("error"), why}}).toJson(QJsonDocument::Compact).constData());
    return 2;
}

int print(const QJsonObject &o)
{
    std::printf("%s\n", QJsonDocument(o).toJson(QJsonDocument::Compact).constData());
    return 0;
}

void append(bench::Lateness &to, const bench::Lateness &more)
{
    to.ms.insert(to.ms.end(), more.ms.begin(), more.ms.end());
}

std::optional<SessionInfo> listeningPane(AppServices &services, ui::TcpServerPane *pane, ServiceMode mode)
{
    tests::named<QSpinBox>(*pane, u"backlogBox")->setValue(4096);
    pane->startWith(QStringLiteral("127.0.0.1"), 0, mode);
    const auto info = services.sessions.waitFor(pane->listener(), [](const SessionInfo &i) { return i.state != SessionState::Opening; }, 5s);
    return info && info->state == SessionState::Listening ? info : std::nullopt;
}

// The clients live in a forked child process, so that this process holds one end of each
// connection (10,000 clients and their accepted ends would need 20,000+ descriptors in one
// process, more than a common hard limit of 20,000). Forked before QApplication exists.
struct ClientProcess
{
    pid_t pid = -1;
    int portPipe = -1;  // parent writes the port; its close tells the child to go
    int donePipe = -1;  // the child writes 'y' once all connected, 'n' on a failure
};

ClientProcess forkClients(int count)
{
    int toChild[2], toParent[2];
    if (::pipe2(toChild, O_CLOEXEC) != 0 || ::pipe2(toParent, O_CLOEXEC) != 0)
        return {};
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::close(toChild[1]);
        ::close(toParent[0]);
        quint16 port = 0;
        if (::read(toChild[0], &port, sizeof port) != ssize_t(sizeof port))
            ::_exit(1);
        rlimit files{};
        getrlimit(RLIMIT_NOFILE, &files);
        files.rlim_cur = files.rlim_max;
        setrlimit(RLIMIT_NOFILE, &files);
        std::vector<int> fds;
        char result = 'y';
        sockaddr_in to{};
        to.sin_family = AF_INET;
        to.sin_port = htons(port);
        to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        for (int i = 0; i < count; ++i) {
            const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
            if (fd < 0 || ::connect(fd, reinterpret_cast<const sockaddr *>(&to), sizeof to) != 0) {
                result = 'n';
                break;
            }
            fds.push_back(fd);
        }
        [[maybe_unused]] ssize_t w = ::write(toParent[1], &result, 1);
        char byte;
        while (::read(toChild[0], &byte, 1) > 0) {
        }
        ::_exit(0);
    }
    ::close(toChild[0]);
    ::close(toParent[1]);
    if (pid < 0) {
        ::close(toChild[1]);
        ::close(toParent[0]);
        return {};
    }
    ::fcntl(toParent[0], F_SETFL, O_NONBLOCK);
    return {pid, toChild[1], toParent[0]};
}

int runAccept(AppServices &services, ui::MainWindow &window, ClientProcess clients, int count, double hold)
{
    if (clients.pid < 0)
        return fail(QStringLiteral("could not fork the clients"));
    const rlim_t need = rlim_t(count + 256);
    rlimit files{};
    getrlimit(RLIMIT_NOFILE, &files);
    files.rlim_cur = files.rlim_max;
    setrlimit(RLIMIT_NOFILE, &files);
    if (files.rlim_cur < need)
        return fail(QStringLiteral("need %1 descriptors, the limit is %2").arg(need).arg(files.rlim_cur));
    ui::TcpServerPane *pane = window.newTcpServer();
    const auto listening = listeningPane(services, pane, ServiceMode::Echo);
    if (!listening)
        return fail(QStringLiteral("the server pane did not listen"));
    window.selectPane(pane); // the session tree lists the listener and every connection
    bench::heartbeat(0.3);   // settle: the pane's first layout and paints are not the accepting
    const quint16 port = listening->local.port();
    const auto start = bench::Clock::now();
    if (::write(clients.portPipe, &port, sizeof port) != ssize_t(sizeof port))
        return fail(QStringLiteral("the client process is gone"));
    char result = 0;
    double acceptSeconds = -1;
    bench::Lateness all = bench::heartbeat(120.0, [&] {
        if (!result && ::read(clients.donePipe, &result, 1) == 1 && result != 'y')
            return true;
        if (services.sessions.children(pane->listener()).size() < count)
            return false;
        acceptSeconds = std::chrono::duration<double>(bench::Clock::now() - start).count();
        return true;
    });
    if (acceptSeconds < 0)
        return fail(QStringLiteral("%1 of %2 connections accepted").arg(services.sessions.children(pane->listener()).size()).arg(count));
    append(all, bench::heartbeat(hold));
    qsizetype open = 0;
    for (SessionId id : services.sessions.children(pane->listener()))
        open += services.sessions.info(id).value_or(SessionInfo{}).state == SessionState::Connected;
    ::close(clients.portPipe); // the clients go
    ::waitpid(clients.pid, nullptr, 0);
    QJsonObject o = lateness(all);
    o.insert(QStringLiteral("held"), open);
    o.insert(QStringLiteral("accept_seconds"), acceptSeconds);
    return print(o);
}

int runUdp(AppServices &services, ui::MainWindow &window, double rate, double seconds)
{
    ui::UdpPane *pane = window.newUdp();
    tests::named<QLineEdit>(*pane, u"bindPortEdit")->setText(QStringLiteral("0"));
    pane->open();
    const auto bound = services.sessions.waitFor(pane->currentSession(), [](const SessionInfo &i) { return i.state != SessionState::Opening; }, 5s);
    if (!bound || bound->state != SessionState::Bound)
        return fail(QStringLiteral("the UDP pane did not open"));
    window.selectPane(pane);
    bench::heartbeat(0.3); // settle: the pane's first layout and paints are not the flood's
    std::atomic<bool> stop{false};
    std::expected<BlastResult, SysError> sent = std::unexpected(SysError::fromErrno(EINTR));
    BlastSpec spec;
    spec.to = bound->local;
    spec.size = 64;
    spec.rate = rate;
    spec.seconds = seconds;
    std::atomic<bool> done{false};
    std::thread sender([&] {
        sent = Blaster::run(spec, stop);
        done = true;
    });
    bench::Lateness all = bench::heartbeat(seconds + 30, [&] { return done.load(); });
    sender.join();
    if (!sent)
        return fail(QStringLiteral("blast: ") + sent.error().toString());
    const auto log = services.sessions.traffic(pane->currentSession());
    // Counted once the pane's session stopped growing; then one more datagram carries the
    // kernel's final drop count (it rides on the next datagram queued after a drop).
    quint64 before = ~quint64(0);
    for (int quiet = 0; quiet < 5;) {
        append(all, bench::heartbeat(0.02));
        const quint64 now = log->counts().recordsIn;
        quiet = now == before ? quiet + 1 : 0;
        before = now;
    }
    auto marker = Socket::create(AF_INET, SOCK_DGRAM);
    if (!marker || !marker->sendTo(QByteArrayView("!"), bound->local))
        return fail(QStringLiteral("the marker datagram could not be sent"));
    const quint64 total = quint64(sent->packets) + 1;
    append(all, bench::heartbeat(2.0, [&] {
        return log->counts().recordsIn + services.sessions.info(pane->currentSession()).value_or(SessionInfo{}).kernelDrops >= total;
    }));
    const quint64 counted = log->counts().recordsIn;
    const quint64 drops = services.sessions.info(pane->currentSession()).value_or(SessionInfo{}).kernelDrops;
    QJsonObject o = lateness(all);
    o.insert(QStringLiteral("sent"), qint64(total));
    o.insert(QStringLiteral("counted"), qint64(counted));
    o.insert(QStringLiteral("kernel_drops"), qint64(drops));
    o.insert(QStringLiteral("sent_pps"), sent->pps());
    o.insert(QStringLiteral("in_memory"), qint64(log->since(0).records.size()));
    return print(o);
}

int runTcp(AppServices &services, ui::MainWindow &window, long long bytes)
{
    ui::TcpServerPane *pane = window.newTcpServer();
    const auto listening = listeningPane(services, pane, ServiceMode::Discard);
    if (!listening)
        return fail(QStringLiteral("the server pane did not listen"));
    window.selectPane(pane); // its traffic view shows the newest connection
    bench::heartbeat(0.3); // settle: the window's first paints are not the flood's
    const double rssBefore = bench::rssMb();
    std::atomic<bool> sentAll{false};
    bench::PlainTransfer sent;
    std::thread sender([&] {
        sent = bench::plainSend(listening->local.port(), bytes, 128 * 1024);
        sentAll = true;
    });
    SessionId child = 0;
    bench::Clock::time_point end;
    bench::Lateness all = bench::heartbeat(600.0, [&] {
        if (!child) {
            const auto children = services.sessions.children(pane->listener());
            if (children.isEmpty())
                return false;
            child = children.first();
        }
        const auto info = services.sessions.info(child);
        if (!info || !(info->peerClosed || info->state == SessionState::Closed))
            return false;
        // SHA-256, the GUI's default, counts too: the figure ends when the digest covers it all.
        if (!services.sessions.traffic(child)->totals().digestComplete())
            return false;
        end = bench::Clock::now();
        return true;
    });
    sender.join();
    const double rssAfter = bench::rssMb();
    const auto totals = child ? services.sessions.traffic(child)->totals() : TrafficTotals{};
    if (!sentAll || sent.bytes != bytes || totals.bytesIn != quint64(bytes))
        return fail(QStringLiteral("sent %1, the pane counted %2").arg(sent.bytes).arg(totals.bytesIn));
    QJsonObject o = lateness(all);
    o.insert(QStringLiteral("gbps"), double(bytes) * 8 / std::chrono::duration<double>(end - sent.start).count() / 1e9);
    o.insert(QStringLiteral("rss_growth_mb"), rssAfter - rssBefore);
    o.insert(QStringLiteral("digest"), trafficDigestName(totals.digest));
    return print(o);
}

} // namespace

int main(int argc, char *argv[])
{
    ignoreSigpipe();
    // Before any thread exists: the accept run's clients are a forked process.
    ClientProcess clients;
    if (argc > 1 && std::string_view(argv[1]) == "accept") {
        int count = 10'000;
        for (int i = 2; i + 1 < argc; ++i) {
            if (std::string_view(argv[i]) == "--connections")
                count = std::atoi(argv[i + 1]);
        }
        clients = forkClients(count);
    }
    QApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("The GUI rows of sockscope-bench (one JSON object on stdout)."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("mode"), QStringLiteral("accept, udp or tcp"));
    parser.addOptions({
        {QStringLiteral("connections"), QStringLiteral("accept: how many."), QStringLiteral("N"), QStringLiteral("10000")},
        {QStringLiteral("hold"), QStringLiteral("accept: seconds to hold them all."), QStringLiteral("S"), QStringLiteral("5")},
        {QStringLiteral("rate"), QStringLiteral("udp: datagrams per second, 0 = flat out."), QStringLiteral("PPS"), QStringLiteral("10000")},
        {QStringLiteral("seconds"), QStringLiteral("udp: how long."), QStringLiteral("S"), QStringLiteral("10")},
        {QStringLiteral("bytes"), QStringLiteral("tcp: how many."), QStringLiteral("N"), QStringLiteral("1073741824")},
    });
    parser.process(app);
    const QString mode = parser.positionalArguments().value(0);

    AppServices services;
    ui::MainWindow window(services);
    window.resize(1280, 800);
    window.show();
    if (mode == u"accept")
        return runAccept(services, window, clients, parser.value(QStringLiteral("connections")).toInt(), parser.value(QStringLiteral("hold")).toDouble());
    if (mode == u"udp")
        return runUdp(services, window, parser.value(QStringLiteral("rate")).toDouble(), parser.value(QStringLiteral("seconds")).toDouble());
    if (mode == u"tcp")
        return runTcp(services, window, parser.value(QStringLiteral("bytes")).toLongLong());
    std::fprintf(stderr, "sockscope-guibench: give accept, udp or tcp\n");
    return 1;
}
