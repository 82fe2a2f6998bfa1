#include "processmap.h"

#include <QFile>

#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <unistd.h>

namespace sockscope::core {

namespace {

bool allDigits(const char *s)
{
    if (!*s)
        return false;
    for (; *s; ++s) {
        if (*s < '0' || *s > '9')
            return false;
    }
    return true;
}

QString commandOf(const QString &root, const char *pid)
{
    QFile comm(QStringLiteral("%1/%2/comm").arg(root, QLatin1String(pid)));
    if (!comm.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(comm.readAll()).trimmed();
}

} // namespace

ProcessMap::ProcessMap(std::chrono::milliseconds minInterval, QString procRoot)
    : m_minInterval(minInterval), m_root(std::move(procRoot))
{
}

QHash<quint64, QList<SocketOwner>> ProcessMap::owners(const QList<quint64> &inodes)
{
    const bool unknown = std::ranges::any_of(inodes, [this](quint64 i) { return i != 0 && !m_byInode.contains(i); });
    const auto now = std::chrono::steady_clock::now();
    if ((unknown || m_scans == 0) && now - m_lastScan >= m_minInterval)
        scan();
    QHash<quint64, QList<SocketOwner>> out;
    for (quint64 inode : inodes) {
        const auto it = m_byInode.constFind(inode);
        if (it != m_byInode.constEnd())
            out.insert(inode, *it);
    }
    return out;
}

void ProcessMap::scan()
{
    m_lastScan = std::chrono::steady_clock::now();
    ++m_scans;
    m_unreadable = 0;
    m_byInode.clear();
    const QByteArray root = QFile::encodeName(m_root);
    DIR *proc = ::opendir(root.constData());
    if (!proc)
        return;
    while (dirent *p = ::readdir(proc)) {
        if (!allDigits(p->d_name))
            continue;
        const QByteArray fdDir = root + '/' + p->d_name + "/fd";
        DIR *fds = ::opendir(fdDir.constData());
        if (!fds) {
            ++m_unreadable; // another user's process (EACCES), or it just exited
            continue;
        }
        QString command;
        bool named = false;
        while (dirent *f = ::readdir(fds)) {
            if (!allDigits(f->d_name))
                continue;
            char target[64];
            const QByteArray link = fdDir + '/' + f->d_name;
            const ssize_t n = ::readlink(link.constData(), target, sizeof target - 1);
            if (n <= 9 || std::strncmp(target, "socket:[", 8) != 0)
                continue;
            target[n] = '\0';
            const quint64 inode = std::strtoull(target + 8, nullptr, 10);
            if (!named) {
                command = commandOf(m_root, p->d_name);
                named = true;
            }
            m_byInode[inode].append(SocketOwner{std::atoi(p->d_name), command, std::atoi(f->d_name)});
        }
        ::closedir(fds);
    }
    ::closedir(proc);
}

} // namespace sockscope::core
