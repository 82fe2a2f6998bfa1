#include "observe/processmap.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <sys/socket.h>
#include <unistd.h>

using namespace sockscope::core;

namespace {

// A fake /proc: PID/comm and PID/fd/N -> "socket:[inode]" (or another target).
void addFd(const QString &root, int pid, const QString &command, int fd, const QByteArray &target)
{
    const QString dir = QStringLiteral("%1/%2").arg(root).arg(pid);
    QDir().mkpath(dir + QStringLiteral("/fd"));
    QFile comm(dir + QStringLiteral("/comm"));
    QVERIFY(comm.open(QIODevice::WriteOnly));
    comm.write(command.toUtf8() + '\n');
    const QByteArray link = QFile::encodeName(QStringLiteral("%1/fd/%2").arg(dir).arg(fd));
    QCOMPARE(::symlink(target.constData(), link.constData()), 0);
}

} // namespace

class tst_ProcessMap : public QObject
{
    Q_OBJECT
private slots:
    void findsOwners();
    void rescansOnlyForUnknownInodes();
    void ownProcessOnTheRealProc();
};

void tst_ProcessMap::findsOwners()
{
    QTemporaryDir root;
    QVERIFY(root.isValid());
    addFd(root.path(), 100, QStringLiteral("python3"), 3, "socket:[5001]");
    addFd(root.path(), 100, QStringLiteral("python3"), 4, "/dev/null");
    addFd(root.path(), 200, QStringLiteral("nc"), 7, "socket:[5001]"); // shared after fork
    addFd(root.path(), 200, QStringLiteral("nc"), 8, "socket:[5002]");
    QDir().mkpath(root.path() + QStringLiteral("/self")); // not a pid: skipped
    ProcessMap map(std::chrono::milliseconds(0), root.path());
    const auto owners = map.owners({5001, 5002, 5003});
    QCOMPARE(owners.size(), 2);
    QCOMPARE(owners.value(5001).size(), 2);
    QVERIFY(owners.value(5001).contains(SocketOwner{100, QStringLiteral("python3"), 3}));
    QVERIFY(owners.value(5001).contains(SocketOwner{200, QStringLiteral("nc"), 7}));
    const QList<SocketOwner> nc{SocketOwner{200, QStringLiteral("nc"), 8}};
    QCOMPARE(owners.value(5002), nc);
    QVERIFY(!owners.contains(5003));
}

void tst_ProcessMap::rescansOnlyForUnknownInodes()
{
    QTemporaryDir root;
    addFd(root.path(), 100, QStringLiteral("a"), 3, "socket:[1]");
    ProcessMap map(std::chrono::milliseconds(50), root.path());
    QCOMPARE(map.owners({1}).size(), 1);
    QCOMPARE(map.scans(), 1);
    QCOMPARE(map.owners({1}).size(), 1); // known: no new scan
    QCOMPARE(map.scans(), 1);
    addFd(root.path(), 101, QStringLiteral("b"), 3, "socket:[2]");
    QVERIFY(!map.owners({2}).contains(2)); // unknown, but the last scan was just now
    QCOMPARE(map.scans(), 1);
    // Asked again once the rescan interval passed, the map scans once more and finds it.
    QTRY_COMPARE(map.owners({2}).value(2).value(0).command, QStringLiteral("b"));
    QCOMPARE(map.scans(), 2);
}

void tst_ProcessMap::ownProcessOnTheRealProc()
{
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    QVERIFY(fd >= 0);
    char target[64] = {};
    const QByteArray link = QByteArray("/proc/self/fd/") + QByteArray::number(fd);
    QVERIFY(::readlink(link.constData(), target, sizeof target - 1) > 0);
    const quint64 inode = QByteArray(target).mid(8).chopped(1).toULongLong();
    ProcessMap map;
    const auto owners = map.owners({inode});
    ::close(fd);
    QCOMPARE(owners.value(inode).size(), 1);
    QCOMPARE(owners.value(inode).first().pid, int(::getpid()));
    QCOMPARE(owners.value(inode).first().fd, fd);
}

QTEST_GUILESS_MAIN(tst_ProcessMap)
#include "tst_processmap.moc"
