// The fault suite's capture case: sockscope-capture killed (SIGKILL, as the OOM killer or a
// user's kill -9 would) in the middle of a real capture on `lo`. Capture and CaptureService
// report it at once with the signal, every holder of the shared capture sees it, what was
// captured is kept, nothing waits, and a new capture of the same flow works afterwards.
// Needs CAP_NET_RAW for the helper (root in CI): skipped with the reason otherwise.

#include "../common/childprocesses.h"
#include "../common/loopbackpair.h"
#include "../common/segmentscript.h"
#include "../common/tryuntil.h"

#include "observe/captureservice.h"

#include <QElapsedTimer>
#include <QFile>
#include <QSignalSpy>
#include <QTest>

#include <csignal>
#include <unistd.h>

using namespace sockscope::core;
using namespace sockscope::tests;

namespace {

const QString kKilled = QStringLiteral("PCAP_ERROR (-1): generic capture error: sockscope-capture ended during the "
                                       "capture: killed by signal 9 (SIGKILL). What was captured is kept; start the "
                                       "capture again to go on.");

} // namespace

// The capture is up, or the test is skipped when the helper may not capture. A macro:
// QSKIP must run in the test function itself.
#define WAIT_READY(capture)                                                                                         \
    do {                                                                                                             \
        QTRY_VERIFY_WITH_TIMEOUT((capture).isReady() || (capture).error(), 5000);                                   \
        if ((capture).error() && Capture::isPermissionError(*(capture).error()) && geteuid() != 0)                  \
            QSKIP("sockscope-capture has no CAP_NET_RAW (not root): setcap cap_net_raw+ep it to run this");         \
        QVERIFY2((capture).isReady(), qPrintable((capture).error()->toString()));                                   \
    } while (false)

class tst_FaultsCapture : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void initTestCase_data();
    void helperKilledMidCapture();
};

void tst_FaultsCapture::initTestCase()
{
    QVERIFY2(QFile::exists(Capture::defaultHelperPath()), "SOCKSCOPE_CAPTURE must name the built sockscope-capture");
}

void tst_FaultsCapture::initTestCase_data()
{
    QTest::addColumn<int>("family");
    QTest::newRow("IPv4") << int(AF_INET);
    QTest::newRow("IPv6") << int(AF_INET6);
}

void tst_FaultsCapture::helperKilledMidCapture()
{
    QFETCH_GLOBAL(int, family);
    auto listener = tcpListener(family, 8);
    QVERIFY(listener);
    const auto filter = CaptureFilter::forPort(localPort(*listener));
    QVERIFY(filter);

    CaptureService service;
    const std::shared_ptr<Capture> first = service.open(*filter);
    const std::shared_ptr<Capture> second = service.open(*filter); // another view of the flow
    QCOMPARE(first.get(), second.get());
    WAIT_READY(*first);
    auto pair = tcpPair(*listener);
    QVERIFY(pair);
    QTRY_VERIFY_WITH_TIMEOUT(first->segmentCount() >= 3, 5000);
    const qsizetype captured = first->segmentCount();

    const QList<qint64> helpers = childrenRunning(Capture::defaultHelperPath());
    QCOMPARE(helpers.size(), 1);
    QSignalSpy failed(first.get(), &Capture::failed);
    QSignalSpy finished(first.get(), &Capture::finished);
    QElapsedTimer told;
    told.start();
    QCOMPARE(::kill(pid_t(helpers.first()), SIGKILL), 0);
    QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 2000);
    QVERIFY2(told.elapsed() < 1000, qPrintable(QString::number(told.elapsed())));
    QCOMPARE(finished.count(), 1);
    QCOMPARE(failed.at(0).at(0).value<SysError>().toString(), kKilled);
    // Both holders see the same: failed, with what came before the kill still there.
    for (const auto &holder : {first, second}) {
        QCOMPARE(holder->status(), Capture::Status::Failed);
        QCOMPARE(holder->error()->toString(), kKilled);
        QCOMPARE(holder->segmentCount(), captured);
        QVERIFY(!holder->isHelperRunning());
    }
    QCOMPARE(service.running(), 0);

    // The same flow again: a new helper, not the dead one, and it captures.
    const std::shared_ptr<Capture> again = service.open(*filter);
    QVERIFY(again.get() != first.get());
    WAIT_READY(*again);
    QVERIFY(pair->client.sendAll("after the kill"));
    QTRY_VERIFY_WITH_TIMEOUT(flagsOf(again->segments()).contains(QStringLiteral("P.")), 5000);
    QCOMPARE(service.running(), 1);
}

QTEST_GUILESS_MAIN(tst_FaultsCapture)
#include "tst_faultscapture.moc"
