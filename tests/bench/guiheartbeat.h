#pragma once

// What the GUI benchmarks measure: how late a 4 ms QTimer heartbeat on the GUI thread
// comes (the gap between ticks minus 4 ms) while the event loop runs, and the process's
// resident memory.

#include <QEventLoop>
#include <QFile>
#include <QTimer>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <functional>
#include <vector>

namespace sockscope::bench {

constexpr int kHeartbeatMs = 4;

struct Lateness
{
    std::vector<double> ms;

    double percentile(double p) const
    {
        if (ms.empty())
            return 0;
        std::vector<double> sorted = ms;
        std::sort(sorted.begin(), sorted.end());
        const size_t rank = size_t(std::ceil(p / 100.0 * double(sorted.size())));
        return sorted[std::clamp<size_t>(rank, 1, sorted.size()) - 1];
    }
    double max() const { return ms.empty() ? 0 : *std::max_element(ms.begin(), ms.end()); }
};

// Runs the GUI event loop with the heartbeat until `done()` holds (checked each tick) or
// `seconds` pass; returns each tick's lateness.
inline Lateness heartbeat(double seconds, const std::function<bool()> &done = {})
{
    using Clock = std::chrono::steady_clock;
    Lateness result;
    result.ms.reserve(size_t(seconds * 1000 / kHeartbeatMs) + 16);
    QTimer beat;
    beat.setTimerType(Qt::PreciseTimer);
    beat.setInterval(kHeartbeatMs);
    QEventLoop loop;
    Clock::time_point last = Clock::now();
    QObject::connect(&beat, &QTimer::timeout, [&] {
        const Clock::time_point now = Clock::now();
        const double gap = std::chrono::duration<double, std::milli>(now - last).count();
        result.ms.push_back(std::max(0.0, gap - kHeartbeatMs));
        last = now;
        if (done && done())
            loop.quit();
    });
    QTimer::singleShot(int(seconds * 1000), Qt::PreciseTimer, &loop, &QEventLoop::quit);
    last = Clock::now();
    beat.start();
    loop.exec();
    beat.stop();
    return result;
}

inline double rssMb()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return 0;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').first().toDouble() / 1024.0;
    }
    return 0;
}

} // namespace sockscope::bench
