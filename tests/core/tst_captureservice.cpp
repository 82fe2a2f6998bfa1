// CaptureService with a stand-in helper (a shell that never greets and ignores SIGTERM,
// as a stuck helper would): captures are shared by flow, and letting go never waits on
// the caller's thread. Real captures through the service are in tst_ladderpanel.

#include "observe/captureservice.h"

#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace sockscope::core;

namespace {

const QString kShell = QStringLiteral("/bin/sh");
// $0 is "stub"; the filter's arguments after it are ignored.
const QStringList kStubborn{QStringLiteral("-c"), QStringLiteral("trap '' TERM; sleep 30"), QStringLiteral("stub")};

CaptureFilter portFilter(quint16 port)
{
    auto filter = CaptureFilter::forPort(port);
    Q_ASSERT(filter);
    return *filter;
}

} // namespace

class tst_CaptureService : public QObject
{
    Q_OBJECT
private slots:
    void sharedByFlow();
    void lettingGoNeverWaits();
    void holderOutlivesTheService();
};

void tst_CaptureService::sharedByFlow()
{
    CaptureService service;
    auto a = service.open(portFilter(5000), kShell, kStubborn);
    auto b = service.open(portFilter(5000), kShell, kStubborn);
    auto c = service.open(portFilter(5001), kShell, kStubborn);
    QCOMPARE(a->status(), Capture::Status::Starting);
    QCOMPARE(a.get(), b.get()); // one helper for one flow
    QVERIFY(c.get() != a.get());
    QCOMPARE(service.running(), 2);
    a.reset(); // b still holds it
    QCOMPARE(service.retiring(), 0);
    QCOMPARE(service.running(), 2);
    b.reset();
    c.reset();
    QCOMPARE(service.retiring(), 2);
}

void tst_CaptureService::lettingGoNeverWaits()
{
    // The stub says when its trap is set: a SIGTERM before that would still end it.
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString mark = dir.filePath(QStringLiteral("trapped"));
    CaptureService service;
    auto capture = service.open(portFilter(5000), kShell,
                                {QStringLiteral("-c"), QStringLiteral("trap '' TERM; : > '%1'; sleep 30").arg(mark),
                                 QStringLiteral("stub")});
    QTRY_VERIFY(QFile::exists(mark));
    QElapsedTimer t;
    t.start();
    capture.reset(); // SIGTERM, which the stub ignores
    QVERIFY2(t.elapsed() < 50, qPrintable(QString::number(t.elapsed())));
    QCOMPARE(service.retiring(), 1);
    QCOMPARE(service.running(), 1);
    // Killed after kKillAfterMs, reaped through the event loop, then deleted.
    QTRY_COMPARE_WITH_TIMEOUT(service.retiring(), 0, CaptureService::kKillAfterMs + 3000);
    QVERIFY(t.elapsed() >= CaptureService::kKillAfterMs - 50);
    QCOMPARE(service.running(), 0);
    QTRY_COMPARE(service.findChildren<Capture *>().size(), 0); // deleted too
}

void tst_CaptureService::holderOutlivesTheService()
{
    std::shared_ptr<Capture> capture;
    QElapsedTimer t;
    {
        CaptureService service;
        capture = service.open(portFilter(5000), kShell, kStubborn);
        QTRY_VERIFY(capture->isHelperRunning());
        t.start();
    }
    QVERIFY(capture->isHelperRunning()); // not the service's to stop while held
    capture.reset(); // ~Capture kills and reaps it at once
    QVERIFY2(t.elapsed() < 500, qPrintable(QString::number(t.elapsed())));
}

QTEST_GUILESS_MAIN(tst_CaptureService)
#include "tst_captureservice.moc"
