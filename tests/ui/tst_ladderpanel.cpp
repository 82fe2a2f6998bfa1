// LadderPanel: real loopback connections captured by sockscope-capture land on the ladder
// in order; the capture switch stops without losing what was captured; another port or
// none starts afresh; and a helper without CAP_NET_RAW (run as nobody) is reported within
// a second, with the setcap hint where the ladder would be.

#include "../common/segmentscript.h"
#include "../common/loopbackpair.h"
#include "../common/unprivilegedcapture.h"
#include "../common/widgetlookup.h"

#include "widgets/ladderdiagram.h"
#include "widgets/ladderpanel.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>
#include <QToolButton>

#include <unistd.h>

using namespace Qt::StringLiterals;
using namespace sockscope;
using namespace sockscope::tests;
using core::Capture;

namespace {

const char *kNoPermission = "sockscope-capture may not capture (not root, no CAP_NET_RAW): "
                            "setcap cap_net_raw+ep it to run this";

} // namespace

// The panel's capture is up (or has failed). A macro: QSKIP must run in the test itself.
#define WAIT_FOR_CAPTURE(panel)                                                                                     \
    do {                                                                                                             \
        QTRY_VERIFY_WITH_TIMEOUT((panel).capture() && ((panel).capture()->isReady() || (panel).capture()->error()),  \
                                 5000);                                                                              \
        if ((panel).permissionDenied() && geteuid() != 0)                                                           \
            QSKIP(kNoPermission);                                                                                    \
        QVERIFY2((panel).capture()->isReady(), qPrintable((panel).statusText()));                                    \
    } while (false)

class tst_LadderPanel : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void initTestCase_data();
    void capturesAConnection_data();
    void capturesAConnection();
    void switchOffKeepsSegmentsAndStops();
    void otherPortOrNoneStartsAfresh();
    void permissionDeniedWithinOneSecond();
    void twoViewsShareOneCapture();
};

void tst_LadderPanel::initTestCase()
{
    QVERIFY2(QFile::exists(Capture::defaultHelperPath()), "SOCKSCOPE_CAPTURE must name the built sockscope-capture");
}

void tst_LadderPanel::initTestCase_data()
{
    QTest::addColumn<int>("family");
    QTest::newRow("IPv4") << AF_INET;
    QTest::newRow("IPv6") << AF_INET6;
}

void tst_LadderPanel::capturesAConnection_data()
{
    QTest::addColumn<bool>("abort");
    QTest::addColumn<QStringList>("flags");
    QTest::newRow("connect, send, close") << false << QStringList{u"S"_s, u"S."_s, u"."_s, u"P."_s, u"."_s, u"F."_s, u"."_s, u"F."_s, u"."_s};
    QTest::newRow("connect, abortive close") << true << QStringList{u"S"_s, u"S."_s, u"."_s, u"R."_s};
}

void tst_LadderPanel::capturesAConnection()
{
    QFETCH_GLOBAL(int, family);
    QFETCH(bool, abort);
    QFETCH(QStringList, flags);

    auto listener = tcpListener(family, 4);
    QVERIFY(listener);
    const quint16 port = localPort(*listener);
    core::CaptureService captures;
    ui::LadderPanel panel(captures);
    panel.resize(640, 480);
    QSignalSpy changed(&panel, &ui::LadderPanel::segmentsChanged);
    panel.watchPort(port);
    QCOMPARE(panel.port(), port);
    WAIT_FOR_CAPTURE(panel);
    QVERIFY(panel.statusText().contains(QString::number(port)));

    // Each step waits for the segments it causes, so no ACK rides on a later one.
    auto pair = tcpPair(*listener);
    QVERIFY(pair);
    const auto clientAddress = pair->client.localAddress();
    QVERIFY(clientAddress);
    QTRY_COMPARE(panel.segments().size(), 3);
    if (abort) {
        QVERIFY(pair->client.abort());
        QTRY_COMPARE(panel.segments().size(), 4);
    } else {
        QVERIFY(pair->client.sendAll("hello"));
        QTRY_COMPARE(panel.segments().size(), 5);
        QCOMPARE(pair->server.recv(16)->data, QByteArray("hello"));
        QVERIFY(pair->client.close());
        QTRY_COMPARE(panel.segments().size(), 7);
        QVERIFY(pair->server.recv(16)->eof());
        QVERIFY(pair->server.close());
        QTRY_COMPARE(panel.segments().size(), 9);
    }
    QTest::qWait(50); // a fixed wait is the point: nothing more may follow
    QCOMPARE(flagsOf(panel.segments()), flags);
    // What the panel draws: the same segments, this connection, the count in the status.
    QTRY_COMPARE(flagsOf(panel.diagram()->shownSegments()), flags);
    QVERIFY(changed.count() > 0);
    const auto flow = panel.diagram()->flow();
    QVERIFY(flow);
    QCOMPARE(flow->server, core::Address::loopback(family, port));
    QCOMPARE(flow->client, *clientAddress);
    QVERIFY2(panel.statusText().contains(QStringLiteral("%1 segment").arg(flags.size())), qPrintable(panel.statusText()));
    QVERIFY(!panel.permissionDenied());
}

void tst_LadderPanel::switchOffKeepsSegmentsAndStops()
{
    QFETCH_GLOBAL(int, family);
    auto listener = tcpListener(family, 4);
    QVERIFY(listener);
    core::CaptureService captures;
    ui::LadderPanel panel(captures);
    QVERIFY(panel.captureEnabled());
    panel.watchPort(localPort(*listener));
    WAIT_FOR_CAPTURE(panel);
    auto first = tcpPair(*listener);
    QVERIFY(first);
    QTRY_COMPARE(panel.segments().size(), 3);

    const Capture *capture = panel.capture();
    named<QToolButton>(panel, u"captureButton")->click(); // off
    QVERIFY(!panel.captureEnabled());
    QTRY_COMPARE(capture->status(), Capture::Status::Finished);
    QCOMPARE(panel.capture(), capture); // kept, with what it captured
    QCOMPARE(panel.segments().size(), 3);
    QCOMPARE(panel.diagram()->shownSegments().size(), 3);
    QVERIFY2(panel.statusText().contains(QStringLiteral("stopped")) && panel.statusText().contains(QStringLiteral("3 segment")),
             qPrintable(panel.statusText()));

    // A connection while the switch is off is not recorded.
    auto second = tcpPair(*listener);
    QVERIFY(second);
    QTest::qWait(200); // a fixed wait is the point: no segment may be recorded meanwhile
    QCOMPARE(panel.segments().size(), 3);
    QCOMPARE(panel.diagram()->shownSegments().size(), 3);

    panel.setCaptureEnabled(true); // on again: a fresh capture of the same port
    QVERIFY(named<QToolButton>(panel, u"captureButton")->isChecked());
    QVERIFY(panel.capture() != capture);
    QCOMPARE(panel.segments().size(), 0);
    WAIT_FOR_CAPTURE(panel);
    QVERIFY(second->client.close());
    QTRY_VERIFY(!panel.segments().isEmpty());
    QCOMPARE(panel.segments().first().flagsText(), QStringLiteral("F."));
}

void tst_LadderPanel::otherPortOrNoneStartsAfresh()
{
    QFETCH_GLOBAL(int, family);
    auto listener = tcpListener(family, 4);
    auto other = tcpListener(family, 4);
    QVERIFY(listener && other);
    core::CaptureService captures;
    ui::LadderPanel panel(captures);
    QCOMPARE(panel.port(), 0);
    QVERIFY(!panel.capture());
    panel.watchPort(localPort(*listener));
    WAIT_FOR_CAPTURE(panel);
    auto pair = tcpPair(*listener);
    QVERIFY(pair);
    QTRY_COMPARE(panel.segments().size(), 3);
    QTRY_COMPARE(panel.diagram()->shownSegments().size(), 3);

    const Capture *capture = panel.capture();
    panel.watchPort(localPort(*listener)); // the same port: the running capture stays
    QCOMPARE(panel.capture(), capture);
    QCOMPARE(panel.segments().size(), 3);

    panel.watchPort(localPort(*other)); // another port: cleared, captured anew
    QCOMPARE(panel.port(), localPort(*other));
    QVERIFY(panel.capture() != capture);
    QCOMPARE(panel.segments().size(), 0);
    QCOMPARE(panel.diagram()->shownSegments().size(), 0);
    WAIT_FOR_CAPTURE(panel);
    auto otherPair = tcpPair(*other);
    QVERIFY(otherPair);
    QTRY_COMPARE(panel.segments().size(), 3);
    QTRY_COMPARE(panel.diagram()->shownSegments().size(), 3);
    QCOMPARE(panel.diagram()->flow()->server.port(), localPort(*other));

    panel.watchPort(0); // none: stopped and cleared
    QCOMPARE(panel.port(), 0);
    QVERIFY(!panel.capture());
    QCOMPARE(panel.segments().size(), 0);
    QCOMPARE(panel.diagram()->shownSegments().size(), 0);
    QVERIFY(panel.diagram()->placeholderText().contains(QStringLiteral("No TCP connection")));
}

void tst_LadderPanel::permissionDeniedWithinOneSecond()
{
    QFETCH_GLOBAL(int, family);
    if (geteuid() != 0)
        QSKIP("needs root to run the helper as the unprivileged user nobody (setpriv)");
    const QString setpriv = QStandardPaths::findExecutable(QStringLiteral("setpriv"));
    QVERIFY2(!setpriv.isEmpty(), "setpriv (util-linux) runs the helper as nobody");
    QTemporaryDir dir;
    const QString helper = publicHelperCopy(dir);
    QVERIFY(!helper.isEmpty());
    auto listener = tcpListener(family, 4);
    QVERIFY(listener);

    core::CaptureService captures;
    ui::LadderPanel panel(captures);
    panel.setHelper(setpriv, kAsNobody + QStringList{helper});
    QElapsedTimer t;
    t.start();
    panel.watchPort(localPort(*listener));
    QTRY_VERIFY_WITH_TIMEOUT(panel.permissionDenied(), 1000);
    QVERIFY2(t.elapsed() < 1000, qPrintable(QStringLiteral("%1 ms").arg(t.elapsed())));
    QVERIFY2(panel.statusText().contains(QStringLiteral("No permission to capture")), qPrintable(panel.statusText()));
    // The command to type, with the helper's path, is on the status line.
    QVERIFY2(panel.statusText().contains(QStringLiteral("setcap cap_net_raw+ep ") + core::Capture::defaultHelperPath()),
             qPrintable(panel.statusText()));
    const QString placeholder = panel.diagram()->placeholderText();
    QVERIFY2(placeholder.contains(QStringLiteral("setcap cap_net_raw+ep")), qPrintable(placeholder));
    QVERIFY(placeholder.contains(QStringLiteral("CAP_NET_RAW")));
    QCOMPARE(panel.segments().size(), 0);

    // A connection now draws nothing: no capture is running.
    auto pair = tcpPair(*listener);
    QVERIFY(pair);
    QTest::qWait(200); // a fixed wait is the point: nothing may be drawn meanwhile
    QCOMPARE(panel.diagram()->shownSegments().size(), 0);
    QVERIFY(panel.permissionDenied());
}

void tst_LadderPanel::twoViewsShareOneCapture()
{
    // Watch TCP and a lesson can draw the same flow: one helper serves both, and the last
    // view to let go stops it without waiting on the GUI thread.
    QFETCH_GLOBAL(int, family);
    auto listener = tcpListener(family, 4);
    QVERIFY(listener);
    core::CaptureService captures;
    ui::LadderPanel first(captures);
    first.watchPort(localPort(*listener));
    WAIT_FOR_CAPTURE(first);
    auto second = std::make_unique<ui::LadderPanel>(captures);
    second->watchPort(localPort(*listener));
    QCOMPARE(second->capture(), first.capture());
    QCOMPARE(captures.running(), 1);
    auto pair = tcpPair(*listener);
    QVERIFY(pair);
    QTRY_COMPARE(first.segments().size(), 3);
    QTRY_COMPARE(second->diagram()->shownSegments().size(), 3);

    second->setCaptureEnabled(false); // shared: this view keeps what it has and lets go
    QCOMPARE(second->capture(), nullptr);
    QCOMPARE(second->segments().size(), 3);
    QVERIFY(first.capture()->isReady()); // the other view's capture goes on
    second.reset();
    QCOMPARE(captures.running(), 1);
    QVERIFY(pair->client.close());
    QTRY_VERIFY(first.segments().size() > 3);

    QElapsedTimer t;
    t.start();
    first.watchPort(0); // the last view lets go
    QVERIFY2(t.elapsed() < 100, qPrintable(QString::number(t.elapsed())));
    QCOMPARE(captures.retiring(), 1);
    QTRY_COMPARE(captures.running(), 0); // the helper answered SIGTERM
    QTRY_COMPARE(captures.retiring(), 0);
}

QTEST_MAIN(tst_LadderPanel)
#include "tst_ladderpanel.moc"
