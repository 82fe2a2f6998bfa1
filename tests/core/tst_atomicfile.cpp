// Saved files and exports are written all or nothing (core::writeFileAtomically): on a
// real full disk — a 64 KiB tmpfs in this process's own mount namespace
// (tests/common/privatemounts.h, root only) — ENOSPC leaves the old file byte for byte,
// no temporary file behind, and a message that says both.

#include "../common/privatemounts.h"

#include "atomicfile.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace sockscope::core;

namespace {

QString g_mounts; // why this process has no private mounts ("" = it has)

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

QStringList entries(const QString &dir)
{
    return QDir(dir).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot);
}

} // namespace

class tst_AtomicFile : public QObject
{
    Q_OBJECT
private slots:
    void replacesTheWholeFile();
    void missingFolderWritesNothing();
    void fullDiskKeepsTheOldFile();
    void fullDiskWithNoOldFileLeavesNone();
};

void tst_AtomicFile::replacesTheWholeFile()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("saved.txt"));
    QVERIFY(writeFileAtomically(path, "old contents, longer than the new ones"));
    QVERIFY(writeFileAtomically(path, "new"));
    QCOMPARE(readAll(path), QByteArray("new"));
    QCOMPARE(entries(dir.path()), QStringList{QStringLiteral("saved.txt")});
}

void tst_AtomicFile::missingFolderWritesNothing()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("missing/saved.txt"));
    const auto written = writeFileAtomically(path, "bytes");
    QVERIFY(!written);
    QCOMPARE(written.error().field(), QStringLiteral("file"));
    QVERIFY2(written.error().message().startsWith(path + QStringLiteral(": ")), qPrintable(written.error().message()));
    QVERIFY(written.error().message().endsWith(QLatin1String("; no file was written")));
    QVERIFY(!QFile::exists(path));
}

void tst_AtomicFile::fullDiskKeepsTheOldFile()
{
    if (!g_mounts.isEmpty())
        QSKIP(qPrintable(g_mounts));
    const sockscope::tests::SmallDisk small(64);
    QVERIFY2(small.error().isEmpty(), qPrintable(small.error()));
    const QString disk = small.path();
    const QString path = disk + QStringLiteral("/export.csv");
    const QByteArray old(4096, 'o');
    QVERIFY(writeFileAtomically(path, old));

    const auto written = writeFileAtomically(path, QByteArray(1 << 20, 'n')); // 1 MiB on 64 KiB
    QVERIFY(!written);
    const QString said = written.error().message();
    QVERIFY2(said.startsWith(path + QStringLiteral(": ")), qPrintable(said));
    QVERIFY2(said.contains(QStringLiteral("ENOSPC (%1): No space left on device").arg(ENOSPC)), qPrintable(said));
    QVERIFY2(said.endsWith(QLatin1String("; the existing file was left unchanged")), qPrintable(said));
    QCOMPARE(readAll(path), old);
    QCOMPARE(entries(disk), QStringList{QStringLiteral("export.csv")}); // no temporary file left
    // The disk has room again for what fits: the next save works.
    QVERIFY(writeFileAtomically(path, "fits"));
    QCOMPARE(readAll(path), QByteArray("fits"));
}

void tst_AtomicFile::fullDiskWithNoOldFileLeavesNone()
{
    if (!g_mounts.isEmpty())
        QSKIP(qPrintable(g_mounts));
    const sockscope::tests::SmallDisk small(64);
    QVERIFY2(small.error().isEmpty(), qPrintable(small.error()));
    const QString disk = small.path();
    const QString path = disk + QStringLiteral("/capture.pcapng");
    const auto written = writeFileAtomically(path, QByteArray(1 << 20, 'n'));
    QVERIFY(!written);
    QVERIFY2(written.error().message().endsWith(QLatin1String("; no file was written")), qPrintable(written.error().message()));
    QVERIFY(entries(disk).isEmpty());
}

// Before QCoreApplication and QTest start any thread: unshare(CLONE_NEWNS) needs one.
int main(int argc, char **argv)
{
    g_mounts = sockscope::tests::enterPrivateMounts();
    QCoreApplication app(argc, argv);
    tst_AtomicFile test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_atomicfile.moc"
