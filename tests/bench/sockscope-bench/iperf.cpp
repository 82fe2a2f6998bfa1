#include "iperf.h"

#include "plainpeers.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>

#include <cmath>
#include <sys/socket.h>
#include <unistd.h>

namespace sockscope::bench {

namespace {

// A port nobody listens on now: bind port 0, read it, close. iperf3 cannot take a
// listening descriptor, so the tiny race is accepted (a clash fails the round loudly).
uint16_t freePort()
{
    uint16_t port = 0;
    const int fd = plainListen(SOCK_STREAM, &port);
    if (fd >= 0)
        ::close(fd);
    return port;
}

} // namespace

bool iperfAvailable()
{
    return !QStandardPaths::findExecutable(QStringLiteral("iperf3")).isEmpty();
}

std::optional<IperfResult> runIperf(long long bytes, int writeSize, double udpSeconds, QString *error)
{
    const QString port = QString::number(freePort());
    QProcess server;
    server.setProgram(QStringLiteral("iperf3"));
    // --forceflush: its "Server listening" line would sit in a pipe's buffer otherwise.
    server.setArguments({QStringLiteral("-s"), QStringLiteral("-1"), QStringLiteral("--forceflush"), QStringLiteral("-B"),
                         QStringLiteral("127.0.0.1"), QStringLiteral("-p"), port});
    server.setProcessChannelMode(QProcess::MergedChannels);
    server.start();
    // It says so once it listens; the client would be refused before that.
    if (!server.waitForStarted(5000) || !server.waitForReadyRead(5000)) {
        *error = QStringLiteral("iperf3 -s did not start: ") + server.errorString();
        server.kill();
        server.waitForFinished(2000);
        return std::nullopt;
    }
    QStringList args{QStringLiteral("-c"), QStringLiteral("127.0.0.1"), QStringLiteral("-p"), port, QStringLiteral("-J"),
                     QStringLiteral("-l"), QString::number(writeSize)};
    const bool udp = udpSeconds > 0;
    // iperf3 takes whole seconds only (-t 0.3 runs 10 s): shorter UDP runs give a byte count.
    if (udp)
        args << QStringLiteral("-u") << QStringLiteral("-b") << QStringLiteral("0")
             << (bytes > 0 ? QStringList{QStringLiteral("-n"), QString::number(bytes)}
                           : QStringList{QStringLiteral("-t"), QString::number(std::max(1, int(std::lround(udpSeconds))))});
    else
        args << QStringLiteral("-n") << QString::number(bytes);
    QProcess client;
    client.start(QStringLiteral("iperf3"), args);
    const bool finished = client.waitForFinished(600'000);
    server.waitForFinished(5000);
    if (server.state() != QProcess::NotRunning) {
        server.kill();
        server.waitForFinished(2000);
    }
    const QJsonObject end = QJsonDocument::fromJson(client.readAllStandardOutput()).object().value(QStringLiteral("end")).toObject();
    if (!finished || client.exitCode() != 0 || end.isEmpty()) {
        *error = QStringLiteral("iperf3 -c failed: ") + QString::fromLocal8Bit(client.readAllStandardError()).trimmed();
        return std::nullopt;
    }
    IperfResult r;
    if (udp) {
        // -u reports one "sum": the sender's packets and what the server said it lost.
        const QJsonObject sum = end.value(QStringLiteral("sum")).toObject();
        r.seconds = sum.value(QStringLiteral("seconds")).toDouble();
        r.packets = sum.value(QStringLiteral("packets")).toInteger();
        r.lost = sum.value(QStringLiteral("lost_packets")).toInteger();
        r.bitsPerSecond = sum.value(QStringLiteral("bits_per_second")).toDouble();
    } else {
        const QJsonObject sum = end.value(QStringLiteral("sum_received")).toObject();
        r.seconds = sum.value(QStringLiteral("seconds")).toDouble();
        r.bitsPerSecond = sum.value(QStringLiteral("bits_per_second")).toDouble();
    }
    return r;
}

} // namespace sockscope::bench
