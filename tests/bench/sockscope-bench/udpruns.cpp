#include "udpruns.h"

#include "iperf.h"
#include "plainpeers.h"

#include "engine/sessionmanager.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>

#include <future>
#include <netinet/in.h>
#include <thread>
#include <unistd.h>

namespace sockscope::bench {

using namespace sockscope::core;
using namespace std::chrono_literals;

Measured engineUdpReceive(double seconds, int size)
{
    SessionManager manager;
    DatagramSpec spec;
    spec.family = AF_INET;
    spec.bind = Address::loopback(AF_INET, 0);
    spec.digest = TrafficDigest::None;
    const SessionId id = manager.openDatagram(spec);
    const auto bound = manager.waitFor(id, [](const SessionInfo &i) { return i.state != SessionState::Opening; }, 10s);
    if (!bound || bound->state != SessionState::Bound)
        return Measured{0, QStringLiteral("the datagram session did not open")};
    const auto log = manager.traffic(id);
    int fd = -1;
    const PlainUdpSent sent = plainUdpSend(bound->local.port(), size, seconds, &fd);
    if (fd < 0 || sent.datagrams == 0)
        return Measured{0, QStringLiteral("the plain sender could not send")};
    // Drops after the last queued datagram show only with a later one (the kernel attaches
    // its counter to each datagram it queues): once the session has read what it will, one
    // more datagram carries the final count. Everything sent must then be either received
    // or counted as dropped.
    quint64 before = ~quint64(0);
    for (int quiet = 0; quiet < 5;) {
        std::this_thread::sleep_for(20ms);
        const quint64 now = log->counts().recordsIn;
        quiet = now == before ? quiet + 1 : 0;
        before = now;
    }
    const sockaddr_in to = [&] {
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_port = htons(bound->local.port());
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        return a;
    }();
    const char marker = '!';
    ::sendto(fd, &marker, 1, 0, reinterpret_cast<const sockaddr *>(&to), sizeof to);
    ::close(fd);
    const quint64 total = quint64(sent.datagrams) + 1;
    const auto settled = manager.waitFor(id, [&](const SessionInfo &i) { return log->counts().recordsIn + i.kernelDrops >= total; }, 2s);
    const quint64 received = log->counts().recordsIn;
    const quint64 drops = settled ? settled->kernelDrops : 0;
    const double pps = double(received - 1) / sent.seconds();
    QString note = QStringLiteral("loss %1 % (sent %2, received %3, kernel drops %4%5)")
                       .arg(100.0 * double(total - received) / double(total), 0, 'f', 1)
                       .arg(sent.datagrams)
                       .arg(received - 1)
                       .arg(drops)
                       .arg(received + drops == total ? QStringLiteral(": all accounted for") : QStringLiteral(": MISMATCH"));
    if (received + drops != total)
        return Measured{0, note};
    return Measured{pps, {}, note};
}

namespace {

// Under a second (the smoke run) iperf3 is given a byte count: it takes whole seconds only.
std::optional<IperfResult> iperfUdp(double seconds, int size, QString *error)
{
    const long long bytes = seconds < 1 ? 20'000LL * size : 0;
    return runIperf(bytes, size, seconds, error);
}

} // namespace

Measured iperfUdpReceive(double seconds, int size)
{
    QString error;
    const auto r = iperfUdp(seconds, size, &error);
    if (!r)
        return Measured{0, error};
    return Measured{r->receivedPps(), {},
                    QStringLiteral("loss %1 % (sent %2)").arg(r->packets ? 100.0 * double(r->lost) / double(r->packets) : 0, 0, 'f', 1).arg(r->packets)};
}

Measured iperfUdpSend(double seconds, int size)
{
    QString error;
    const auto r = iperfUdp(seconds, size, &error);
    return r ? Measured{r->sentPps(), {}, {}} : Measured{0, error};
}

Measured cliBlastUdp(const QString &cli, double seconds, int size, double rate)
{
    PlainUdpSink sink;
    if (!sink.ok())
        return Measured{0, QStringLiteral("the plain receiver could not bind")};
    QStringList args{QStringLiteral("blast"), QStringLiteral("udp"), QStringLiteral("127.0.0.1"), QString::number(sink.port()),
                     QStringLiteral("--size"), QString::number(size), QStringLiteral("--duration"), QString::number(seconds),
                     QStringLiteral("--json")};
    if (rate > 0)
        args << QStringLiteral("--rate") << QString::number(rate);
    QProcess blast;
    blast.start(cli, args);
    if (!blast.waitForFinished(int(seconds * 1000) + 30'000) || blast.exitCode() != 0)
        return Measured{0, QStringLiteral("sockscope-cli blast failed: ") + QString::fromLocal8Bit(blast.readAllStandardError()).trimmed()};
    std::this_thread::sleep_for(50ms); // the last datagrams reach the sink
    sink.stop();
    const QJsonObject o = QJsonDocument::fromJson(blast.readAllStandardOutput()).object();
    const double said = o.value(QStringLiteral("pps")).toDouble();
    const qint64 packets = o.value(QStringLiteral("packets")).toInteger();
    if (packets <= 0)
        return Measured{0, QStringLiteral("blast sent nothing")};
    const QString note = QStringLiteral("blast: %1 sent, %2 pps, %3 errors; the receiver got %4")
                             .arg(packets)
                             .arg(said, 0, 'f', 0)
                             .arg(o.value(QStringLiteral("errors")).toInteger())
                             .arg(sink.datagrams());
    return Measured{rate > 0 ? sink.arrivalRate() : said, {}, note};
}

} // namespace sockscope::bench
