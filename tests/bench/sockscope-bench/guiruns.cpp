#include "guiruns.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QTemporaryDir>

#include <algorithm>
#include <ctime>
#include <thread>
#include <unistd.h>
#include <vector>

namespace sockscope::bench {

namespace {

constexpr double kP99TargetMs = 8;
constexpr double kMaxTargetMs = 33;

// Offscreen: the same widgets, models and painting, without an X server; a private
// settings folder so that a user's saved state does not change the figures.
QProcessEnvironment guiEnvironment(const QTemporaryDir &config)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), config.path());
    return env;
}

// Runs sockscope-guibench with `args`; its JSON object, or a failure.
std::pair<QJsonObject, QString> runGuiBench(const QString &guibench, const QStringList &args)
{
    QTemporaryDir config;
    QProcess p;
    p.setProcessEnvironment(guiEnvironment(config));
    p.start(guibench, args);
    if (!p.waitForFinished(900'000)) {
        p.kill();
        p.waitForFinished(5000);
        return {{}, QStringLiteral("sockscope-guibench %1 did not finish").arg(args.join(u' '))};
    }
    const QJsonObject o = QJsonDocument::fromJson(p.readAllStandardOutput()).object();
    if (p.exitCode() != 0 || o.isEmpty() || o.contains(QStringLiteral("error")))
        return {{}, QStringLiteral("sockscope-guibench %1: %2 %3")
                        .arg(args.value(0), o.value(QStringLiteral("error")).toString(), QString::fromLocal8Bit(p.readAllStandardError()).trimmed().left(300))};
    return {o, {}};
}

QString heartbeatNote(const QJsonObject &o)
{
    return QStringLiteral("heartbeat p50 %1 / p99 %2 / max %3 ms")
        .arg(o.value(QStringLiteral("p50_ms")).toDouble(), 0, 'f', 2)
        .arg(o.value(QStringLiteral("p99_ms")).toDouble(), 0, 'f', 2)
        .arg(o.value(QStringLiteral("max_ms")).toDouble(), 0, 'f', 1);
}

qint64 nowNs()
{
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return qint64(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

double cpuTicks(qint64 pid)
{
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray text = stat.readAll();
    // After the command name: utime and stime are the 12th and 13th fields.
    const QList<QByteArray> fields = text.mid(text.lastIndexOf(')') + 2).split(' ');
    return fields.size() > 12 ? fields[11].toDouble() + fields[12].toDouble() : -1;
}

} // namespace

Measured guiHeldConnections(const QString &guibench, int connections, double holdSeconds)
{
    const auto [o, failure] = runGuiBench(guibench, {QStringLiteral("accept"), QStringLiteral("--connections"), QString::number(connections),
                                                     QStringLiteral("--hold"), QString::number(holdSeconds)});
    if (!failure.isEmpty())
        return Measured{0, failure};
    const qint64 held = o.value(QStringLiteral("held")).toInteger();
    Measured m{o.value(QStringLiteral("p99_ms")).toDouble(), {},
               QStringLiteral("%1 of %2 held, accepted in %3 s; %4")
                   .arg(held)
                   .arg(connections)
                   .arg(o.value(QStringLiteral("accept_seconds")).toDouble(), 0, 'f', 2)
                   .arg(heartbeatNote(o))};
    if (held != connections)
        m.missed = QStringLiteral("only %1 of %2 held").arg(held).arg(connections);
    return m;
}

Measured guiUdpReceive(const QString &guibench, double rate, double seconds)
{
    const auto [o, failure] = runGuiBench(guibench, {QStringLiteral("udp"), QStringLiteral("--rate"), QString::number(rate),
                                                     QStringLiteral("--seconds"), QString::number(seconds)});
    if (!failure.isEmpty())
        return Measured{0, failure};
    const qint64 sent = o.value(QStringLiteral("sent")).toInteger();
    const qint64 counted = o.value(QStringLiteral("counted")).toInteger();
    const qint64 drops = o.value(QStringLiteral("kernel_drops")).toInteger();
    Measured m{o.value(QStringLiteral("p99_ms")).toDouble(), {},
               QStringLiteral("sent %1 at %2 pps; the kernel delivered %3 and dropped %4; the pane counted %5, %6 in memory; %7")
                   .arg(sent)
                   .arg(o.value(QStringLiteral("sent_pps")).toDouble(), 0, 'f', 0)
                   .arg(sent - drops)
                   .arg(drops)
                   .arg(counted)
                   .arg(o.value(QStringLiteral("in_memory")).toInteger())
                   .arg(heartbeatNote(o))};
    QStringList missed;
    if (counted != sent - drops)
        missed << QStringLiteral("counted %1 of %2 delivered").arg(counted).arg(sent - drops);
    if (o.value(QStringLiteral("max_ms")).toDouble() > kMaxTargetMs)
        missed << QStringLiteral("heartbeat max %1 ms > %2").arg(o.value(QStringLiteral("max_ms")).toDouble(), 0, 'f', 1).arg(kMaxTargetMs);
    m.missed = missed.join(QStringLiteral("; "));
    return m;
}

Measured guiTcpReceive(const QString &guibench, long long bytes)
{
    const auto [o, failure] = runGuiBench(guibench, {QStringLiteral("tcp"), QStringLiteral("--bytes"), QString::number(bytes)});
    if (!failure.isEmpty())
        return Measured{0, failure};
    const double rss = o.value(QStringLiteral("rss_growth_mb")).toDouble();
    Measured m{o.value(QStringLiteral("gbps")).toDouble(), {},
               QStringLiteral("digest %1; RSS +%2 MB; %3").arg(o.value(QStringLiteral("digest")).toString()).arg(rss, 0, 'f', 1).arg(heartbeatNote(o))};
    QStringList missed;
    if (o.value(QStringLiteral("p99_ms")).toDouble() > kP99TargetMs)
        missed << QStringLiteral("heartbeat p99 %1 ms > %2").arg(o.value(QStringLiteral("p99_ms")).toDouble(), 0, 'f', 2).arg(kP99TargetMs);
    if (rss > 32)
        missed << QStringLiteral("RSS +%1 MB > 32").arg(rss, 0, 'f', 1);
    m.missed = missed.join(QStringLiteral("; "));
    return m;
}

Measured appLaunch(const QString &app, int launches, double settleSeconds, double idleSeconds)
{
    std::vector<double> ms;
    double idlePercent = -1;
    for (int i = 0; i < launches; ++i) {
        QTemporaryDir config;
        QProcessEnvironment env = guiEnvironment(config);
        // The last launch stays up for the idle CPU; the others quit once painted.
        const bool measureIdle = i == launches - 1 && idleSeconds > 0;
        env.insert(QStringLiteral("SOCKSCOPE_BENCH_FIRST_PAINT"), measureIdle ? QStringLiteral("report") : QStringLiteral("quit"));
        QProcess p;
        p.setProcessEnvironment(env);
        const qint64 start = nowNs();
        p.start(app, {});
        QByteArray out;
        while (!out.contains('\n') && p.waitForReadyRead(20'000))
            out += p.readAllStandardOutput();
        const QByteArray line = out.left(out.indexOf('\n'));
        if (!line.startsWith("first-paint ")) {
            p.kill();
            p.waitForFinished(5000);
            return Measured{0, QStringLiteral("the app printed no first-paint line (%1)").arg(QString::fromLocal8Bit(p.readAllStandardError()).left(200))};
        }
        ms.push_back(double(line.mid(12).toLongLong() - start) / 1e6);
        if (measureIdle) {
            std::this_thread::sleep_for(std::chrono::duration<double>(settleSeconds));
            const double t0 = double(nowNs()), c0 = cpuTicks(p.processId());
            std::this_thread::sleep_for(std::chrono::duration<double>(idleSeconds));
            const double t1 = double(nowNs()), c1 = cpuTicks(p.processId());
            idlePercent = 100.0 * (c1 - c0) / double(sysconf(_SC_CLK_TCK)) / ((t1 - t0) / 1e9);
            p.terminate();
        }
        if (!p.waitForFinished(10'000)) {
            p.kill();
            p.waitForFinished(5000);
        }
    }
    std::sort(ms.begin(), ms.end());
    Measured m{ms[ms.size() / 2], {},
               QStringLiteral("%1 launches, %2-%3 ms").arg(ms.size()).arg(ms.front(), 0, 'f', 0).arg(ms.back(), 0, 'f', 0)};
    if (idlePercent >= 0) {
        m.note += QStringLiteral("; idle CPU %1 % of a core (starter window, %2 s after %3 s)").arg(idlePercent, 0, 'f', 2).arg(idleSeconds).arg(settleSeconds);
        if (idlePercent > 0.5)
            m.missed = QStringLiteral("idle CPU %1 % > 0.5").arg(idlePercent, 0, 'f', 2);
    }
    return m;
}

} // namespace sockscope::bench
