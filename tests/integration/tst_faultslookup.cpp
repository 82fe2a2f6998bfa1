// The fault suite's hung lookup: a real getaddrinfo stuck on a DNS server that never answers
// (tests/common/hungresolver.h: this process runs in namespaces of its own whose
// resolv.conf names 192.0.2.53, dropped on the floor), while the user quits.
//
// What the product does, and these cases hold it to: LookupService's destructor stops its
// idle workers and abandons (detaches) the one stuck in getaddrinfo, which cannot be
// interrupted; it returns at once, the stuck worker drops its result and ends when the
// call times out (30 s here), or with the process. A new service resolves meanwhile. The
// CLI's resolve runs getaddrinfo on its main thread: Ctrl-C ends it at once.

#include "../common/hungresolver.h"
#include "../common/lookuptestsupport.h"
#include "../common/tryuntil.h"

#include "engine/lookupservice.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QProcess>
#include <QTest>

#include <csignal>

using namespace sockscope::core;
using namespace sockscope::tests;

namespace {

QString g_isolation; // why the process could not be isolated ("" = it is)

} // namespace

class tst_FaultsLookup : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void initTestCase_data();
    void quitWhileALookupHangs();
    void cliResolveEndsOnCtrlC();

private:
    int m_family = AF_INET;
};

void tst_FaultsLookup::initTestCase_data()
{
    QTest::addColumn<int>("family");
    QTest::newRow("IPv4") << int(AF_INET);
    QTest::newRow("IPv6") << int(AF_INET6);
}

void tst_FaultsLookup::init()
{
    if (!g_isolation.isEmpty())
        QSKIP(qPrintable(g_isolation));
    QFETCH_GLOBAL(int, family);
    m_family = family;
}

void tst_FaultsLookup::quitWhileALookupHangs()
{
    QObject context;
    bool hungDelivered = false;
    auto service = std::make_unique<LookupService>();
    const AddrInfoHints hints{.family = m_family, .socktype = SOCK_STREAM};
    service->getaddrinfo(QString::fromLatin1(kHungName), std::nullopt, hints, &context,
                         [&](const LookupResult<AddrInfoResult> &) { hungDelivered = true; });
    QVERIFY(tryUntil([&] { return service->busyWorkers() == 1; }));
    QTest::qWait(1000); // a fixed wait is the point: the lookup must still hang after a second
    QVERIFY2(!hungDelivered, "the dead DNS server answered: the lookup did not hang");
    QCOMPARE(service->busyWorkers(), 1);

    QElapsedTimer quitting;
    quitting.start();
    service.reset(); // what quitting the app does
    QVERIFY2(quitting.elapsed() < 1000, qPrintable(QStringLiteral("took %1 ms").arg(quitting.elapsed())));

    // The app goes on working: a new service answers from /etc/hosts (or a number) while
    // the abandoned worker is still stuck in its call.
    const QString local = hostsFileHas(QStringLiteral("localhost"), m_family)
                              ? QStringLiteral("localhost")
                              : (m_family == AF_INET ? QStringLiteral("127.0.0.1") : QStringLiteral("::1"));
    LookupService next;
    std::optional<AddrInfoResult> answer;
    next.getaddrinfo(local, QStringLiteral("7"), hints, &context,
                     [&](const LookupResult<AddrInfoResult> &r) { answer = r.value; });
    QVERIFY(tryUntil([&] { return answer.has_value(); }));
    QVERIFY2(*answer && !(*answer)->isEmpty(), answer->has_value() ? "no rows" : qPrintable(answer->error().toString()));
    QCOMPARE((*answer)->first().address, Address::loopback(m_family, 7));
    QVERIFY(!hungDelivered);
}

void tst_FaultsLookup::cliResolveEndsOnCtrlC()
{
    const QString cli = qEnvironmentVariable("SOCKSCOPE_CLI");
    QVERIFY2(!cli.isEmpty(), "SOCKSCOPE_CLI must name the built sockscope-cli");
    QProcess resolve;
    resolve.start(cli, {QStringLiteral("resolve"), QString::fromLatin1(kHungName), QStringLiteral("--family"),
                        m_family == AF_INET ? QStringLiteral("inet") : QStringLiteral("inet6")});
    QVERIFY(resolve.waitForStarted());
    QVERIFY2(!resolve.waitForFinished(1000), resolve.readAllStandardOutput().constData()); // hung, saying nothing
    QElapsedTimer quitting;
    quitting.start();
    ::kill(pid_t(resolve.processId()), SIGINT);
    QVERIFY(resolve.waitForFinished(1000));
    QVERIFY2(quitting.elapsed() < 1000, qPrintable(QStringLiteral("took %1 ms").arg(quitting.elapsed())));
    QCOMPARE(resolve.exitStatus(), QProcess::CrashExit);
    QCOMPARE(resolve.exitCode(), SIGINT);
}

// Before QCoreApplication and QTest start any thread: unshare(CLONE_NEWNS) needs one.
int main(int argc, char **argv)
{
    g_isolation = isolateResolverWithDeadServer();
    QCoreApplication app(argc, argv);
    tst_FaultsLookup test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_faultslookup.moc"
