#pragma once

// File-system faults a test makes for real in a mount namespace of its own: the whole
// test process leaves the host's mounts (as `unshare -m` does), so a tmpfs it mounts, a
// file it binds over another, is seen by nobody else and goes when the process ends.

#include <QString>
#include <QTemporaryDir>

#include <sched.h>
#include <sys/mount.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace sockscope::tests {

inline QString failedCall(const char *what)
{
    return QString::fromUtf8(what) + QStringLiteral(": ") + QString::fromUtf8(std::strerror(errno));
}

// Call first thing in main(): unshare(CLONE_NEWNS) refuses a process that already has
// threads. Needs root; returns why not otherwise ("" = done).
inline QString enterPrivateMounts()
{
    if (::geteuid() != 0)
        return QStringLiteral("needs root for a private mount namespace");
    if (::unshare(CLONE_NEWNS) != 0)
        return failedCall("unshare(CLONE_NEWNS)");
    if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0)
        return failedCall("mount --make-rprivate /");
    return {};
}

// A temporary folder with a tmpfs of `kib` KiB on it, after enterPrivateMounts(): a disk
// that fills up. Unmounted and removed when it goes.
class SmallDisk
{
public:
    explicit SmallDisk(int kib)
    {
        const QByteArray options = "size=" + QByteArray::number(kib) + "k,mode=0700";
        if (!m_dir.isValid())
            m_error = QStringLiteral("no temporary folder");
        else if (::mount("sockscope-test", m_dir.path().toLocal8Bit().constData(), "tmpfs", 0, options.constData()) != 0)
            m_error = failedCall("mount -t tmpfs");
    }
    ~SmallDisk()
    {
        if (m_error.isEmpty())
            ::umount2(m_dir.path().toLocal8Bit().constData(), MNT_DETACH);
    }
    SmallDisk(const SmallDisk &) = delete;
    SmallDisk &operator=(const SmallDisk &) = delete;

    QString path() const { return m_dir.path(); }
    QString error() const { return m_error; } // why it is not mounted ("" = it is)

private:
    QTemporaryDir m_dir;
    QString m_error;
};

} // namespace sockscope::tests
