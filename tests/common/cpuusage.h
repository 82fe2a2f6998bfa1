#pragma once

// CPU time a process has used, from /proc/<pid>/stat (utime + stime), for tests that
// assert a loop does not spin: read it before and after a window of wall time.

#include <QFile>
#include <QString>

#include <chrono>
#include <sys/resource.h>
#include <unistd.h>

namespace sockscope::tests {

// Seconds of CPU (user + system) the process `pid` has used so far; -1 if unreadable.
inline double cpuSeconds(qint64 pid)
{
    // Our own from getrusage(): a test at its descriptor limit cannot open /proc.
    if (pid == ::getpid()) {
        rusage self{};
        if (::getrusage(RUSAGE_SELF, &self) != 0)
            return -1;
        auto seconds = [](const timeval &t) { return double(t.tv_sec) + double(t.tv_usec) / 1e6; };
        return seconds(self.ru_utime) + seconds(self.ru_stime);
    }
    QFile f(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray stat = f.readAll();
    // The command name (field 2) may hold spaces and parentheses: count from the last ')'.
    const qsizetype close = stat.lastIndexOf(')');
    if (close < 0)
        return -1;
    const QList<QByteArray> fields = stat.mid(close + 2).split(' ');
    if (fields.size() < 13)
        return -1;
    // After ')' field 3 (state) is index 0, so utime (14) and stime (15) are 11 and 12.
    const double ticks = fields[11].toDouble() + fields[12].toDouble();
    return ticks / double(sysconf(_SC_CLK_TCK));
}

// Share of one core (0.5 = 50 %) `pid` used while `wait` ran.
template<typename Wait>
double cpuShareWhile(qint64 pid, Wait wait)
{
    const double before = cpuSeconds(pid);
    const auto start = std::chrono::steady_clock::now();
    wait();
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const double after = cpuSeconds(pid);
    return before < 0 || after < 0 || wall <= 0 ? -1 : (after - before) / wall;
}

} // namespace sockscope::tests
