// The fault suite's cases a user meets in the window: sockscope-capture killed under the
// ladder panel (the status says so with the signal, the ladder keeps what it had, the
// capture switch starts a working capture again), and a flood of datagrams into a traffic
// view whose autoscroll is paused (the event loop keeps ticking, the footer keeps
// counting, the rows being read stay put, and after resuming every record is there), and
// an export onto a full disk (a tmpfs in this process's own mount namespace, root only).

#include "../common/childprocesses.h"
#include "../common/loopbackpair.h"
#include "../common/privatemounts.h"
#include "../common/sessionwaits.h"
#include "../common/tryuntil.h"
#include "../common/widgetlookup.h"

#include "engine/sessionmanager.h"
#include "models/trafficmodel.h"
#include "widgets/ladderdiagram.h"
#include "widgets/ladderpanel.h"
#include "widgets/trafficview.h"

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QLabel>
#include <QFile>
#include <QTableView>
#include <QTest>
#include <QTimer>
#include <QToolButton>

#include <atomic>
#include <csignal>
#include <thread>
#include <unistd.h>

using namespace sockscope;
using namespace sockscope::core;
using namespace sockscope::tests;

class tst_FaultsGui : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void initTestCase_data();
    void captureHelperKilledUnderTheLadder();
    void floodIntoAPausedView();
    void cutDatagramShownAsCut();
    void exportOnAFullDisk();
};

namespace {
QString g_mounts; // why this process has no private mounts ("" = it has)
}

void tst_FaultsGui::initTestCase()
{
    QVERIFY2(QFile::exists(Capture::defaultHelperPath()), "SOCKSCOPE_CAPTURE must name the built sockscope-capture");
}

void tst_FaultsGui::initTestCase_data()
{
    QTest::addColumn<int>("family");
    QTest::newRow("IPv4") << int(AF_INET);
    QTest::newRow("IPv6") << int(AF_INET6);
}

void tst_FaultsGui::captureHelperKilledUnderTheLadder()
{
    QFETCH_GLOBAL(int, family);
    auto listener = tcpListener(family, 4);
    QVERIFY(listener);
    CaptureService captures;
    ui::LadderPanel panel(captures);
    panel.resize(640, 480);
    panel.show();
    panel.watchPort(localPort(*listener));
    QTRY_VERIFY_WITH_TIMEOUT(panel.capture() && (panel.capture()->isReady() || panel.capture()->error()), 5000);
    if (panel.permissionDenied() && geteuid() != 0)
        QSKIP("sockscope-capture has no CAP_NET_RAW (not root): setcap cap_net_raw+ep it to run this");
    QVERIFY2(panel.capture()->isReady(), qPrintable(panel.statusText()));
    auto pair = tcpPair(*listener);
    QVERIFY(pair);
    QTRY_COMPARE(panel.segments().size(), 3);

    const QList<qint64> helpers = childrenRunning(Capture::defaultHelperPath());
    QCOMPARE(helpers.size(), 1);
    QCOMPARE(::kill(pid_t(helpers.first()), SIGKILL), 0);
    const QString said = QStringLiteral("The capture failed: PCAP_ERROR (-1): generic capture error: sockscope-capture "
                                        "ended during the capture: killed by signal 9 (SIGKILL). What was captured is "
                                        "kept; start the capture again to go on.");
    QTRY_COMPARE_WITH_TIMEOUT(panel.statusText(), said, 1000);
    QCOMPARE(panel.segments().size(), 3);                   // kept
    QCOMPARE(panel.diagram()->shownSegments().size(), 3);   // and still drawn

    // The switch, off and on, starts a new capture of the flow, and it captures.
    auto *button = named<QToolButton>(panel, u"captureButton");
    button->click();
    QVERIFY(!panel.captureEnabled());
    button->click();
    QTRY_VERIFY_WITH_TIMEOUT(panel.capture() && panel.capture()->isReady(), 5000);
    QVERIFY(pair->client.sendAll("after the kill"));
    QTRY_VERIFY_WITH_TIMEOUT(panel.segments().size() >= 1, 5000);
    QVERIFY2(panel.statusText().startsWith(QStringLiteral("Capturing TCP port")), qPrintable(panel.statusText()));
    QCOMPARE(captures.running(), 1);
}

void tst_FaultsGui::floodIntoAPausedView()
{
    QFETCH_GLOBAL(int, family);
    constexpr int kDatagrams = 20'000;
    SessionManager sessions;
    const SessionId id = sessions.openDatagram(
        {.family = family,
         .bind = Address::loopback(family, 0),
         .options = {{QStringLiteral("SO_RCVBUF"), QStringLiteral("4194304")}}});
    const auto bound = waitForState(sessions, id, SessionState::Bound);
    QVERIFY(bound && bound->state == SessionState::Bound);

    ui::TrafficView view;
    view.setRowLimits(kDatagrams + 1000, 64 * 1024 * 1024); // room for all: what the preference allows
    view.resize(800, 400);
    view.listen(sessions.doorbells());
    view.show();
    QTRY_VERIFY(isExposed(view));
    view.setLog(sessions.traffic(id));
    auto *model = named<ui::TrafficModel>(view, u"trafficModel");

    // A few rows, then the user pauses autoscroll at the top to read them.
    Socket sender = std::move(*Socket::create(family, SOCK_DGRAM));
    for (int i = 0; i < 100; ++i)
        QVERIFY(sender.sendTo(QByteArray::number(i).rightJustified(8, '0'), bound->local));
    QTRY_COMPARE(model->rowCount(), 100);
    view.setFollowing(false);
    view.table()->scrollToTop();
    QVERIFY(!view.isFollowing());
    const QModelIndex topBefore = view.table()->indexAt(QPoint(2, 2));

    // The flood comes from another thread; the GUI thread only runs its event loop, and a
    // 10 ms timer measures how late it gets.
    std::atomic<bool> done = false;
    std::thread flood([&] {
        for (int i = 100; i < kDatagrams; ++i) {
            sender.sendTo(QByteArray::number(i).rightJustified(8, '0'), bound->local);
            if (i % 20 == 0) // about a second in all: long enough to watch the view through it
                std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
        done = true;
    });
    qint64 worstGapMs = 0;
    QElapsedTimer sinceTick;
    sinceTick.start();
    QTimer heartbeat;
    heartbeat.setInterval(10);
    QObject::connect(&heartbeat, &QTimer::timeout, [&] {
        worstGapMs = std::max(worstGapMs, sinceTick.restart());
    });
    heartbeat.start();
    QStringList footers;
    const bool arrived = tryUntil([&] {
        if (footers.isEmpty() || footers.last() != view.totalsText())
            footers << view.totalsText();
        const auto info = sessions.info(id);
        return done && sessions.traffic(id)->totals().recordsIn + info->kernelDrops >= quint64(kDatagrams);
    }, 30000);
    flood.join();
    heartbeat.stop();
    QVERIFY(arrived);
    QVERIFY2(worstGapMs < 250, qPrintable(QStringLiteral("the event loop stalled for %1 ms").arg(worstGapMs)));
    QVERIFY2(footers.size() >= 5, qPrintable(footers.join(u'\n'))); // it counted while paused
    QVERIFY(!view.isFollowing());
    QCOMPARE(view.table()->indexAt(QPoint(2, 2)), topBefore);      // the rows being read stayed

    // Nothing lost: every datagram the kernel delivered is a row, in order.
    const quint64 delivered = sessions.traffic(id)->totals().recordsIn;
    qInfo("%llu datagrams delivered, %llu dropped by the kernel; the event loop was at most %lld ms late",
          delivered, sessions.info(id)->kernelDrops, worstGapMs);
    QCOMPARE(delivered + sessions.info(id)->kernelDrops, quint64(kDatagrams));
    view.setFollowing(true);
    QTRY_COMPARE(quint64(model->rowCount()), delivered);
    QCOMPARE(view.droppedFromView(), 0u);
    QVERIFY(view.bannerText().isEmpty());
    QCOMPARE(model->record(0).bytes, QByteArray("00000000"));
    QCOMPARE(model->record(model->rowCount() - 1).seq, delivered);
    if (sessions.info(id)->kernelDrops == 0)
        QCOMPARE(model->record(model->rowCount() - 1).bytes, QByteArray::number(kDatagrams - 1).rightJustified(8, '0'));
    QTRY_VERIFY(view.totalsText().contains(QLocale().toString(qlonglong(delivered))) ||
                view.totalsText().contains(QString::number(delivered)));
}

void tst_FaultsGui::cutDatagramShownAsCut()
{
    QFETCH_GLOBAL(int, family);
    SessionManager sessions;
    const SessionId id = sessions.openDatagram({.family = family, .bind = Address::loopback(family, 0), .receiveSize = 64});
    const auto bound = waitForState(sessions, id, SessionState::Bound);
    QVERIFY(bound && bound->state == SessionState::Bound);
    ui::TrafficView view;
    view.setLog(sessions.traffic(id));
    auto *model = named<ui::TrafficModel>(view, u"trafficModel");
    Socket sender = std::move(*Socket::create(family, SOCK_DGRAM));
    QVERIFY(sender.sendTo(QByteArray(100, 'x'), bound->local));
    QVERIFY(sender.sendTo("whole", bound->local));
    QVERIFY(tryUntil([&] {
        view.pullNow();
        return model->rowCount() == 2;
    }));
    const QModelIndex cut = model->index(0, ui::TrafficModel::SizeColumn);
    QCOMPARE(cut.data().toString(), QStringLiteral("64 of 100"));
    QCOMPARE(cut.data(Qt::ToolTipRole).toString(),
             QStringLiteral("MSG_TRUNC: the datagram had 100 bytes; the receive buffer took 64, the rest was discarded"));
    QCOMPARE(model->index(1, ui::TrafficModel::SizeColumn).data().toString(), QStringLiteral("5"));
}

// A full disk under an export: the status line says the write failed with ENOSPC and
// that the file exported before is still there, and it is, byte for byte.
void tst_FaultsGui::exportOnAFullDisk()
{
    if (!g_mounts.isEmpty())
        QSKIP(qPrintable(g_mounts));
    const SmallDisk disk(64);
    QVERIFY2(disk.error().isEmpty(), qPrintable(disk.error()));
    auto log = std::make_shared<TrafficLog>();
    log->append(Direction::In, TrafficCall::Recv, "first export");
    ui::TrafficView view;
    view.setLog(log);
    view.pullNow();
    const QString path = disk.path() + QStringLiteral("/traffic.txt");
    QVERIFY(view.exportTo(path, ui::TrafficView::ExportFormat::Text));
    const QByteArray before = view.exportBytes(ui::TrafficView::ExportFormat::Text);

    for (int i = 0; i < 40; ++i)
        log->append(Direction::In, TrafficCall::Recv, QByteArray(16 * 1024, char('a' + i % 26))); // ~10 times the disk as text
    view.pullNow();
    QVERIFY(!view.exportTo(path, ui::TrafficView::ExportFormat::Text));
    QCOMPARE(named<QLabel>(view, u"trafficStatus")->text(),
             QStringLiteral("Export failed: %1: ENOSPC (%2): No space left on device; the existing file was left unchanged").arg(path).arg(ENOSPC));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), before);
    QCOMPARE(QDir(disk.path()).entryList(QDir::Files | QDir::Hidden), QStringList{QStringLiteral("traffic.txt")});
}

// Before QApplication and QTest start any thread: unshare(CLONE_NEWNS) needs one.
int main(int argc, char **argv)
{
    g_mounts = enterPrivateMounts();
    QApplication app(argc, argv);
    tst_FaultsGui test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}
#include "tst_faultsgui.moc"
