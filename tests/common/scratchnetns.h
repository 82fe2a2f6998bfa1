#pragma once

// A network namespace of the test's own, for faults loopback cannot make (a slow link, a
// full qdisc): the calling thread moves into a new, empty namespace, sets it up with
// `ip`/`tc` (run from this thread, so they act on it), starts what must live there (a
// SessionManager's reactor thread inherits the namespace of the thread that creates it),
// and goes back with leave(). The namespace lives as long as a thread in it: the engine's.
// Needs root (CAP_SYS_ADMIN, CAP_NET_ADMIN); only 192.0.2.0/24, 198.51.100.0/24 and
// 2001:db8::/32 are used inside.

#include <QProcess>
#include <QString>
#include <QStringList>

#include <fcntl.h>
#include <sched.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace sockscope::tests {

class ScratchNetns
{
public:
    ScratchNetns()
    {
        if (::geteuid() != 0) {
            m_error = QStringLiteral("needs root to create a network namespace (unshare(CLONE_NEWNET))");
            return;
        }
        m_home = ::open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
        if (m_home < 0 || ::unshare(CLONE_NEWNET) != 0) {
            m_error = QStringLiteral("unshare(CLONE_NEWNET): ") + QString::fromUtf8(std::strerror(errno));
            return;
        }
        m_inside = true;
        m_scratch = ::open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
        run({QStringLiteral("ip"), QStringLiteral("link"), QStringLiteral("set"), QStringLiteral("lo"), QStringLiteral("up")});
    }
    ~ScratchNetns()
    {
        leave();
        for (int fd : {m_home, m_scratch}) {
            if (fd >= 0)
                ::close(fd);
        }
    }
    ScratchNetns(const ScratchNetns &) = delete;
    ScratchNetns &operator=(const ScratchNetns &) = delete;

    bool ok() const { return m_error.isEmpty(); }
    QString error() const { return m_error; } // why not, for QSKIP or QVERIFY2

    // Runs a command (ip, tc) in the namespace, after leave() too; a failure is kept in
    // error(). Returns its stdout.
    QString run(const QStringList &command)
    {
        if (!ok())
            return {};
        const bool visiting = !m_inside;
        if (visiting && ::setns(m_scratch, CLONE_NEWNET) != 0) {
            m_error = QStringLiteral("setns: ") + QString::fromUtf8(std::strerror(errno));
            return {};
        }
        QProcess p;
        p.start(command.first(), command.mid(1));
        p.waitForFinished(10000);
        if (visiting)
            ::setns(m_home, CLONE_NEWNET);
        if (p.state() != QProcess::NotRunning || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
            m_error = command.join(u' ') + QStringLiteral(": ") + QString::fromUtf8(p.readAllStandardError()).trimmed();
            return {};
        }
        return QString::fromUtf8(p.readAllStandardOutput());
    }
    QString run(const QString &command) { return run(command.split(u' ', Qt::SkipEmptyParts)); }

    // Back to the namespace the thread came from; threads started inside stay there.
    void leave()
    {
        if (m_inside && ::setns(m_home, CLONE_NEWNET) == 0)
            m_inside = false;
    }

private:
    int m_home = -1;    // where the thread came from
    int m_scratch = -1; // ours
    bool m_inside = false;
    QString m_error;
};

} // namespace sockscope::tests
