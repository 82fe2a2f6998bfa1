// Saved work survives a crash: the composer's snippets (SnippetStore, in QSettings, which
// writes a new file and renames it over the old one) are on disk as soon as save()
// returns, and a process killed in the middle of saving leaves the file whole. The test
// runs itself as the child that saves (`--save-forever`), in a config folder of its own
// (XDG_CONFIG_HOME), and kills it with SIGKILL and SIGSEGV at scattered moments. And what
// such a kill can leave (an empty lock) does not freeze the next start's first save.

#include "models/snippetstore.h"
#include "settingsrecovery.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QProcess>
#include <QRandomGenerator>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <cstdio>

using namespace sockscope;
using namespace sockscope::ui;

namespace {

const QString kOrganization = QStringLiteral("sockscope");
const QString kApplication = QStringLiteral("sockscope");

// The snippets saved before any crash: each round must find them, text intact.
QList<SnippetStore::Snippet> kept()
{
    return {{QStringLiteral("login"), QStringLiteral("USER alice\\r\\n")},
            {QStringLiteral("binary"), QStringLiteral("de ad be ef"), core::PayloadMode::Hex},
            {QStringLiteral("long"), QString(3000, QLatin1Char('k'))}};
}

// The child: saves the kept snippets (--save-kept) or saves growing snippets until it is
// killed (--save-forever), saying "saved N" after each save returned.
int child(const QString &what, int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setOrganizationName(kOrganization);
    QCoreApplication::setApplicationName(kApplication);
    core::clearInterruptedSettingsSave(QSettings().fileName()); // as app/main.cpp does at start
    if (what == QLatin1String("--save-kept")) {
        for (const auto &s : kept())
            SnippetStore::save(s);
        return 0;
    }
    for (int i = 0;; ++i) {
        SnippetStore::save({QStringLiteral("scratch %1").arg(i % 40), QString(500 + i % 7000, QLatin1Char('a' + i % 26))});
        std::printf("saved %d\n", i);
        std::fflush(stdout);
    }
}

} // namespace

class tst_SavedWork : public QObject
{
    Q_OBJECT
private slots:
    void snippetsSurviveKillsWhileSaving_data();
    void snippetsSurviveKillsWhileSaving();
    void emptyLockLeftByACrashDoesNotFreezeTheNextSave();
};

void tst_SavedWork::snippetsSurviveKillsWhileSaving_data()
{
    QTest::addColumn<int>("signal");
    QTest::newRow("SIGKILL") << int(SIGKILL);
    QTest::newRow("SIGSEGV") << int(SIGSEGV);
}

void tst_SavedWork::snippetsSurviveKillsWhileSaving()
{
    QFETCH(int, signal);
    QTemporaryDir config;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), config.path());
    const auto run = [&](const QString &what, QProcess &p) {
        p.setProcessEnvironment(env);
        p.start(QCoreApplication::applicationFilePath(), {what});
        return p.waitForStarted();
    };
    QProcess first;
    QVERIFY(run(QStringLiteral("--save-kept"), first));
    QVERIFY(first.waitForFinished(10000));
    QCOMPARE(first.exitCode(), 0);
    const QString file = config.filePath(QStringLiteral("%1/%2.conf").arg(kOrganization, kApplication));
    QVERIFY2(QFile::exists(file), qPrintable(file));

    int killedMidSave = 0;
    for (int round = 0; round < 12; ++round) {
        QProcess saver;
        QVERIFY(run(QStringLiteral("--save-forever"), saver));
        QVERIFY(saver.waitForReadyRead(10000)); // a save has returned: the loop is running
        QTest::qWait(QRandomGenerator::global()->bounded(1, 40)); // a fixed wait is the point: a scattered moment to crash
        ::kill(pid_t(saver.processId()), signal);
        QVERIFY(saver.waitForFinished(10000));
        QCOMPARE(saver.exitStatus(), QProcess::CrashExit);
        killedMidSave += saver.readAllStandardOutput().count('\n') > 0;

        QSettings settings(file, QSettings::IniFormat);
        QCOMPARE(settings.status(), QSettings::NoError);
        const int n = settings.beginReadArray(SnippetStore::kSettingsKey);
        QStringList names, texts;
        for (int i = 0; i < n; ++i) {
            settings.setArrayIndex(i);
            names << settings.value(QStringLiteral("name")).toString();
            texts << settings.value(QStringLiteral("text")).toString();
        }
        settings.endArray();
        for (const auto &s : kept()) {
            const qsizetype at = names.indexOf(s.name);
            QVERIFY2(at >= 0, qPrintable(QStringLiteral("round %1: \"%2\" lost").arg(round).arg(s.name)));
            QCOMPARE(texts.at(at), s.text);
        }
        // Beside it only what a save leaves when killed: its lock, QSaveFile's temporary.
        const QStringList left = QDir(QFileInfo(file).path()).entryList(QDir::Files | QDir::Hidden);
        for (const QString &name : left)
            QVERIFY2(name == QFileInfo(file).fileName() || name.startsWith(QFileInfo(file).fileName() + QLatin1Char('.')), qPrintable(name));
        // A kill between creating the lock and writing into it leaves it empty: the next
        // start clears it once it is 2 s old (core::clearInterruptedSettingsSave).
        if (QFileInfo(file + QStringLiteral(".lock")).size() == 0 && QFile::exists(file + QStringLiteral(".lock")))
            QTest::qWait(2100); // a fixed wait is the point: the restart comes after the abandoned lock's 2 s
    }
    QCOMPARE(killedMidSave, 12); // every round crashed a child that had been saving
    // After the crashes the next save works at once: the stale lock is no obstacle.
    QProcess after;
    QVERIFY(run(QStringLiteral("--save-kept"), after));
    QVERIFY(after.waitForFinished(5000));
    QCOMPARE(after.exitCode(), 0);
}

// The state a kill between QLockFile's create and write leaves: an empty lock. Without the
// start-up clearing, QLockFile waited 30 s on it, in the window's thread.
void tst_SavedWork::emptyLockLeftByACrashDoesNotFreezeTheNextSave()
{
    QTemporaryDir config;
    const QString folder = config.filePath(kOrganization);
    QVERIFY(QDir().mkpath(folder));
    QFile lock(folder + QStringLiteral("/%1.conf.lock").arg(kApplication));
    QVERIFY(lock.open(QIODevice::WriteOnly));
    lock.close();
    QTest::qWait(2100); // a fixed wait is the point: the lock is as old as a restart finds it
    QProcess start;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), config.path());
    start.setProcessEnvironment(env);
    QElapsedTimer took;
    took.start();
    start.start(QCoreApplication::applicationFilePath(), {QStringLiteral("--save-kept")});
    QVERIFY(start.waitForFinished(10000));
    QCOMPARE(start.exitCode(), 0);
    QVERIFY2(took.elapsed() < 3000, qPrintable(QStringLiteral("%1 ms").arg(took.elapsed())));
    QSettings saved(folder + QStringLiteral("/%1.conf").arg(kApplication), QSettings::IniFormat);
    QCOMPARE(saved.beginReadArray(SnippetStore::kSettingsKey), int(kept().size()));
}

int main(int argc, char **argv)
{
    if (argc > 1 && (qstrcmp(argv[1], "--save-kept") == 0 || qstrcmp(argv[1], "--save-forever") == 0))
        return child(QString::fromLatin1(argv[1]), argc, argv);
    QCoreApplication app(argc, argv);
    tst_SavedWork test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_savedwork.moc"
