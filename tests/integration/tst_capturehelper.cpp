// sockscope-capture's least privilege, read from the kernel's side: once the helper says
// `ready` on lo, /proc/<pid>/status must show no capability at all in the effective,
// permitted, inheritable and ambient sets, no_new_privs set, and the bounding set emptied
// as root (left alone as nobody with a cap_net_raw file capability: no CAP_SETPCAP to
// change it). And the helper stops when its parent dies: a python3 parent is SIGKILLed
// and the helper must be gone (or a zombie nobody reaps) within 2 s.

#include "../common/unprivilegedcapture.h"

#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QScopeGuard>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <sys/types.h>
#include <unistd.h>

using namespace Qt::StringLiterals;
using namespace sockscope::core;
using namespace sockscope::tests;

namespace {

// No process listens there: the filter only needs a port, no traffic is made.
constexpr int kPort = 9;

QStringList helperArguments()
{
    return {QStringLiteral("--interface"), QStringLiteral("lo"), QStringLiteral("--port"), QString::number(kPort)};
}

// "CapEff:\t0000000000000000" -> its value; -1 when the line is missing.
qint64 statusField(pid_t pid, QByteArrayView name)
{
    QFile f(QStringLiteral("/proc/%1/status").arg(pid));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : f.readAll().split('\n')) {
        if (line.startsWith(name) && line.size() > name.size() && line[name.size()] == ':') {
            bool ok = false;
            const QByteArray value = line.mid(name.size() + 1).trimmed();
            const qint64 v = value.toLongLong(&ok, name.startsWith("Cap") ? 16 : 10);
            return ok ? v : -1;
        }
    }
    return -1;
}

// Gone, or a zombie: in a container PID 1 may never reap the orphan, but a zombie runs
// nothing and holds no capture.
bool isGone(pid_t pid)
{
    QFile f(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!f.open(QIODevice::ReadOnly))
        return true;
    const QByteArray stat = f.readAll();
    // "pid (comm) S ...": comm may hold spaces and parentheses, the state follows the last ')'.
    const qsizetype close = stat.lastIndexOf(')');
    return close < 0 || stat.size() < close + 3 || stat[close + 2] == 'Z';
}

bool fileContains(const QString &path, QByteArrayView marker)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) && f.readAll().contains(marker);
}

bool waitForReady(QProcess &p, QByteArray &out, int timeoutMs)
{
    QElapsedTimer t;
    t.start();
    while (!out.contains("\nready ") && t.elapsed() < timeoutMs && p.state() != QProcess::NotRunning) {
        p.waitForReadyRead(50);
        out += p.readAllStandardOutput();
    }
    out += p.readAllStandardOutput();
    return out.contains("\nready ");
}

} // namespace

class tst_CaptureHelper : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void capabilitiesOnceReady_data();
    void capabilitiesOnceReady();
    void exitsWithItsParent();
};

void tst_CaptureHelper::initTestCase()
{
    QVERIFY2(QFile::exists(Capture::defaultHelperPath()), "SOCKSCOPE_CAPTURE must name the built sockscope-capture");
}

void tst_CaptureHelper::capabilitiesOnceReady_data()
{
    QTest::addColumn<bool>("asNobody");
    QTest::newRow("root") << false;
    QTest::newRow("nobody with cap_net_raw+ep") << true;
}

void tst_CaptureHelper::capabilitiesOnceReady()
{
    QFETCH(bool, asNobody);
    if (geteuid() != 0)
        QSKIP("needs root: to capture at all, to set a file capability and to run the helper as nobody");
    const pid_t self = getpid();
    const qint64 ourBounding = statusField(self, "CapBnd");
    QVERIFY(ourBounding > 0);

    QTemporaryDir dir;
    QString program = Capture::defaultHelperPath();
    QStringList arguments = helperArguments();
    if (asNobody) {
        const QString setcap = QStandardPaths::findExecutable(QStringLiteral("setcap"), {u"/usr/sbin"_s, u"/sbin"_s});
        QVERIFY2(!setcap.isEmpty(), "setcap (libcap2-bin) gives the helper copy its file capability");
        const QString copy = publicHelperCopy(dir);
        QVERIFY(!copy.isEmpty());
        QCOMPARE(QProcess::execute(setcap, {QStringLiteral("cap_net_raw+ep"), copy}), 0);
        program = QStandardPaths::findExecutable(QStringLiteral("setpriv"));
        QVERIFY2(!program.isEmpty(), "setpriv (util-linux) runs the helper as nobody");
        arguments = kAsNobody + QStringList{copy} + arguments; // setpriv execs: same pid
    }

    QProcess helper;
    helper.start(program, arguments);
    QVERIFY(helper.waitForStarted(5000));
    const auto stop = qScopeGuard([&] {
        helper.terminate();
        helper.waitForFinished(5000);
    });
    QByteArray out;
    QVERIFY2(waitForReady(helper, out, 10000), out.constData());
    const pid_t pid = pid_t(helper.processId());

    QCOMPARE(statusField(pid, "CapEff"), 0);
    QCOMPARE(statusField(pid, "CapPrm"), 0);
    QCOMPARE(statusField(pid, "CapInh"), 0);
    QCOMPARE(statusField(pid, "CapAmb"), 0);
    QCOMPARE(statusField(pid, "NoNewPrivs"), 1);
    // As root CAP_SETPCAP lets it empty the bounding set; a file capability of
    // cap_net_raw alone does not, and the set stays what it inherited from us.
    QCOMPARE(statusField(pid, "CapBnd"), asNobody ? ourBounding : 0);
}

void tst_CaptureHelper::exitsWithItsParent()
{
    if (geteuid() != 0)
        QSKIP("needs root: without CAP_NET_RAW the helper exits at once with PCAP_ERROR_PERM_DENIED, so its "
              "parent's death could not be what stopped it");
    QVERIFY2(!QStandardPaths::findExecutable(QStringLiteral("python3")).isEmpty(), "python3 is the parent here");
    // The helper's stdout goes to a file, not to a pipe: a pipe whose reader died would
    // stop it by EPIPE, and the test could pass without PR_SET_PDEATHSIG.
    QTemporaryDir dir;
    const QString outPath = dir.filePath(QStringLiteral("helper.out"));
    const QByteArray script = "import os, subprocess, sys, time\n"
                              "child = subprocess.Popen(sys.argv[2:], stdout=open(sys.argv[1], 'wb'))\n"
                              "print(os.getpid(), child.pid, flush=True)\n"
                              "time.sleep(600)\n";
    QProcess parent;
    parent.start(QStringLiteral("python3"),
                 QStringList{QStringLiteral("-c"), QString::fromUtf8(script), outPath, Capture::defaultHelperPath()} + helperArguments());
    QVERIFY(parent.waitForStarted(5000));
    const auto cleanUp = qScopeGuard([&] {
        parent.kill();
        parent.waitForFinished(5000);
    });
    QTRY_VERIFY_WITH_TIMEOUT(parent.canReadLine(), 10000);
    const QList<QByteArray> pids = parent.readLine().trimmed().split(' ');
    QCOMPARE(pids.size(), 2);
    const pid_t parentPid = pid_t(pids[0].toInt());
    const pid_t helperPid = pid_t(pids[1].toInt());
    QVERIFY(parentPid > 0 && helperPid > 0);
    const auto killHelper = qScopeGuard([&] {
        if (!isGone(helperPid))
            ::kill(helperPid, SIGKILL);
    });
    QTRY_VERIFY_WITH_TIMEOUT(fileContains(outPath, "\nready "), 10000);
    QVERIFY(!isGone(helperPid));

    QCOMPARE(::kill(parentPid, SIGKILL), 0);
    QTRY_VERIFY_WITH_TIMEOUT(isGone(helperPid), 2000);
}

QTEST_GUILESS_MAIN(tst_CaptureHelper)
#include "tst_capturehelper.moc"
