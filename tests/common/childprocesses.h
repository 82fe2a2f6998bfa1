#pragma once

// The processes this test started that run a given program, found the way `pgrep -P`
// does (/proc/<pid>/stat's parent, /proc/<pid>/exe): for killing a helper the product
// starts and keeps to itself (sockscope-capture), as a user or the OOM killer would.

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QList>
#include <QString>

#include <unistd.h>

namespace sockscope::tests {

inline QList<qint64> childrenRunning(const QString &program)
{
    QList<qint64> pids;
    const QString wanted = QFileInfo(program).canonicalFilePath();
    const QStringList entries = QDir(QStringLiteral("/proc")).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &entry : entries) {
        bool numeric = false;
        const qint64 pid = entry.toLongLong(&numeric);
        if (!numeric)
            continue;
        QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
        if (!stat.open(QIODevice::ReadOnly))
            continue;
        const QByteArray text = stat.readAll();
        // The command name (field 2) may hold spaces: the parent is the 2nd field after ')'.
        const QList<QByteArray> fields = text.mid(text.lastIndexOf(')') + 2).split(' ');
        if (fields.size() < 2 || fields[1].toLongLong() != qint64(::getpid()))
            continue;
        if (QFileInfo(QStringLiteral("/proc/%1/exe").arg(pid)).canonicalFilePath() == wanted)
            pids << pid;
    }
    return pids;
}

} // namespace sockscope::tests
