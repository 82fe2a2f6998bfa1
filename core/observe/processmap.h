#pragma once

#include <QHash>
#include <QList>
#include <QString>

#include <chrono>

namespace sockscope::core {

// Who holds a socket: the process whose descriptor table has "socket:[inode]".
struct SocketOwner
{
    int pid = 0;
    QString command; // /proc/PID/comm
    int fd = -1;
    bool operator==(const SocketOwner &) const = default;
};

// inode -> owning processes, found the way `ss -p` finds them: by reading every
// /proc/PID/fd/* link. A full scan costs a readlink per descriptor on the host, so it is
// cached and made again only when an inode is asked for that the last scan did not know,
// and not more often than every `minInterval`. Without privileges only the caller's own
// processes (and those of its user) can be read; the rest stay unknown, as with ss.
// Not thread-safe: one per sampling thread.
class ProcessMap
{
public:
    explicit ProcessMap(std::chrono::milliseconds minInterval = std::chrono::milliseconds(2000), QString procRoot = QStringLiteral("/proc"));

    // The owners of each inode asked for (absent: unknown or nobody), rescanning if needed.
    QHash<quint64, QList<SocketOwner>> owners(const QList<quint64> &inodes);
    int scans() const { return m_scans; }
    int unreadableProcesses() const { return m_unreadable; } // fd tables we could not open in the last scan

private:
    void scan();

    std::chrono::milliseconds m_minInterval;
    QString m_root;
    QHash<quint64, QList<SocketOwner>> m_byInode;
    std::chrono::steady_clock::time_point m_lastScan{};
    int m_scans = 0;
    int m_unreadable = 0;
};

} // namespace sockscope::core
