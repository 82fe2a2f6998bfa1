#include "widgets/formhelpers.h"
#include "../common/widgetlookup.h"
#include "../common/sessionwaits.h"
#include "../common/trafficviewhelpers.h"

#include "widgets/trafficview.h"

#include "engine/sessionmanager.h"
#include "net/payloadcodec.h"

#include <QAbstractButton>
#include <QAbstractScrollArea>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QCryptographicHash>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QRegularExpression>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace sockscope;
using namespace sockscope::core;
using ui::TrafficModel;
using ui::TrafficView;
using tests::everyByte;
using tests::modelOf;

namespace {

QByteArray rowBytes(const TrafficView &view, int row)
{
    return modelOf(view)->index(row, 0).data(TrafficModel::BytesRole).toByteArray();
}

QString cell(const TrafficView &view, int row, int column, int role = Qt::DisplayRole)
{
    return modelOf(view)->index(row, column).data(role).toString();
}

int topRowSeq(const TrafficView &view)
{
    const QModelIndex top = view.table()->indexAt(QPoint(2, 2));
    return top.isValid() ? int(modelOf(view)->record(top.row()).seq) : -1;
}

} // namespace

class tst_TrafficView : public QObject
{
    Q_OBJECT

private slots:
    void rowPerRecord();
    void recvBoundariesAreRows();
    void loopbackSessionShowsEachRecv_data();
    void loopbackSessionShowsEachRecv();
    void appendsInOneBatchPerPull();
    void bannerCountsDroppedRows_data();
    void bannerCountsDroppedRows();
    void autoscrollPausesWhileScrolledUp();
    void findCopyClear();
    void detailStaysOnTheChosenRecord();
    void longRecordsElideOnlyForDisplay();
    void peerBytesAreNeverMarkup();
    void displayAndTimeModes();
    void hiddenViewSkipsTicksAndCatchesUp();
    void everyControlIsDescribed();
    void recordNumbersOfAFloodFit_data();
    void recordNumbersOfAFloodFit();
    void footerMovesWithTheRows();
};

void tst_TrafficView::rowPerRecord()
{
    auto log = std::make_shared<TrafficLog>();
    log->append(Direction::Out, TrafficCall::Send, "GET / HTTP/1.0\r\n\r\n");
    log->append(Direction::In, TrafficCall::Recv, "HTTP/1.0 200 OK\r\n");
    log->append(Direction::In, TrafficCall::RecvFrom, QByteArray(), Address::loopback(AF_INET, 5353));
    TrafficView view;
    view.setLog(log);
    QCOMPARE(modelOf(view)->rowCount(), 3);
    QCOMPARE(cell(view, 0, TrafficModel::CallColumn), QStringLiteral("→ send"));
    QCOMPARE(cell(view, 0, TrafficModel::SizeColumn), QStringLiteral("18"));
    QCOMPARE(cell(view, 0, TrafficModel::TextColumn), QStringLiteral("GET / HTTP/1.0\\r\\n\\r\\n"));
    QCOMPARE(cell(view, 0, TrafficModel::TimeColumn), QStringLiteral("+0.000000"));
    QCOMPARE(cell(view, 1, TrafficModel::CallColumn), QStringLiteral("← recv"));
    QCOMPARE(cell(view, 1, TrafficModel::HexColumn), PayloadCodec::toHex("HTTP/1.0 200 OK\r\n"));
    // A 0-byte datagram is a row of its own, with its peer.
    QCOMPARE(cell(view, 2, TrafficModel::SizeColumn), QStringLiteral("0"));
    QCOMPARE(cell(view, 2, TrafficModel::PeerColumn), QStringLiteral("127.0.0.1:5353"));
    QVERIFY(!view.table()->isColumnHidden(TrafficModel::PeerColumn));
}

void tst_TrafficView::recvBoundariesAreRows()
{
    // The peer sent "one\n" and "two\n"; the kernel handed both to a single recv(), then
    // a third send arrived split over two recv() calls. The view shows the calls.
    auto log = std::make_shared<TrafficLog>();
    log->append(Direction::In, TrafficCall::Recv, "one\ntwo\n");
    log->append(Direction::In, TrafficCall::Recv, "thr");
    log->append(Direction::In, TrafficCall::Recv, "ee\n");
    TrafficView view;
    view.setLog(log);
    QCOMPARE(modelOf(view)->rowCount(), 3);
    QCOMPARE(cell(view, 0, TrafficModel::TextColumn), QStringLiteral("one\\ntwo\\n"));
    QCOMPARE(cell(view, 0, TrafficModel::SizeColumn), QStringLiteral("8"));
    QCOMPARE(cell(view, 1, TrafficModel::TextColumn), QStringLiteral("thr"));
    QCOMPARE(cell(view, 2, TrafficModel::TextColumn), QStringLiteral("ee\\n"));
    QCOMPARE(modelOf(view)->exportRaw(TrafficModel::RawDirections::Received), QByteArrayLiteral("one\ntwo\nthree\n"));
}

void tst_TrafficView::loopbackSessionShowsEachRecv_data()
{
    QTest::addColumn<int>("family");
    QTest::newRow("IPv4") << int(AF_INET);
    QTest::newRow("IPv6") << int(AF_INET6);
}

void tst_TrafficView::loopbackSessionShowsEachRecv()
{
    QFETCH(int, family);
    SessionManager sessions;
    ListenSpec listen;
    listen.bind = Address::loopback(family, 0);
    const SessionId listener = sessions.listen(listen);
    const auto listening = tests::waitForState(sessions, listener, SessionState::Listening);
    QVERIFY(listening && listening->state == SessionState::Listening);
    ConnectSpec connect;
    connect.candidates = {Address::loopback(family, listening->local.port())};
    const SessionId client = sessions.connect(connect);
    QVERIFY(tests::waitForState(sessions, client, SessionState::Connected)->state == SessionState::Connected);
    QTRY_COMPARE(sessions.children(listener).size(), 1);
    const SessionId accepted = sessions.children(listener).first();

    TrafficView view;
    view.resize(800, 400);
    view.show();
    view.setLog(sessions.traffic(accepted));
    sessions.send(client, "first");
    QTRY_COMPARE(modelOf(view)->rowCount(), 1); // the view's own timer pulls
    sessions.send(client, "second\r\n");
    QTRY_COMPARE(modelOf(view)->rowCount(), 2);
    QCOMPARE(rowBytes(view, 0), QByteArrayLiteral("first"));
    QCOMPARE(cell(view, 1, TrafficModel::TextColumn), QStringLiteral("second\\r\\n"));
    QCOMPARE(cell(view, 1, TrafficModel::CallColumn), QStringLiteral("← recv"));

    // Back-to-back sends: one recv() or several, the rows are exactly the log's records.
    sessions.send(client, "ab");
    sessions.send(client, "cd");
    QTRY_COMPARE(modelOf(view)->exportRaw(TrafficModel::RawDirections::Received), QByteArrayLiteral("firstsecond\r\nabcd"));
    QCOMPARE(quint64(modelOf(view)->rowCount()), sessions.traffic(accepted)->totals().recordsIn);
    // The digest is computed behind the data, on the hasher's thread: the view shows it once complete.
    QTRY_VERIFY(view.totalsText().contains(QString::fromLatin1(QCryptographicHash::hash("firstsecond\r\nabcd", QCryptographicHash::Sha256).toHex())));
}

void tst_TrafficView::appendsInOneBatchPerPull()
{
    auto log = std::make_shared<TrafficLog>();
    TrafficView view;
    view.setLog(log);
    QSignalSpy inserted(modelOf(view), &QAbstractItemModel::rowsInserted);
    QSignalSpy reset(modelOf(view), &QAbstractItemModel::modelReset);
    for (int i = 0; i < 500; ++i)
        log->append(Direction::In, TrafficCall::Recv, QByteArray::number(i));
    view.pullNow();
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(inserted.at(0).at(1).toInt(), 0);
    QCOMPARE(inserted.at(0).at(2).toInt(), 499);
    view.pullNow(); // nothing new: no signal at all
    QCOMPARE(inserted.count(), 1);
    log->append(Direction::Out, TrafficCall::Send, "x");
    log->append(Direction::Out, TrafficCall::Send, "y");
    view.pullNow();
    QCOMPARE(inserted.count(), 2);
    QCOMPARE(inserted.at(1).at(1).toInt(), 500);
    QCOMPARE(inserted.at(1).at(2).toInt(), 501);
    QCOMPARE(reset.count(), 0);
    QCOMPARE(modelOf(view)->rowCount(), 502);
}

void tst_TrafficView::bannerCountsDroppedRows_data()
{
    QTest::addColumn<qsizetype>("logCapRecords");  // how many 100-byte records the log keeps
    QTest::addColumn<int>("viewRows");
    QTest::addColumn<int>("pulls");               // the 60 records arrive over this many pulls
    QTest::addColumn<int>("expectedRows");

    QTest::newRow("nothing-dropped") << qsizetype(1000) << 1000 << 1 << 60;
    QTest::newRow("log-dropped-before-the-view-looked") << qsizetype(25) << 1000 << 1 << 25;
    QTest::newRow("view-row-cap") << qsizetype(1000) << 10 << 1 << 10;
    QTest::newRow("view-row-cap-over-many-pulls") << qsizetype(1000) << 10 << 6 << 10;
    QTest::newRow("both-caps") << qsizetype(20) << 7 << 3 << 7;
}

void tst_TrafficView::bannerCountsDroppedRows()
{
    QFETCH(qsizetype, logCapRecords);
    QFETCH(int, viewRows);
    QFETCH(int, pulls);
    QFETCH(int, expectedRows);
    auto log = std::make_shared<TrafficLog>(logCapRecords * (100 + TrafficLog::kRecordOverhead));
    TrafficView view;
    view.setRowLimits(viewRows, 1 << 30);
    view.setLog(log);
    QCryptographicHash sha(QCryptographicHash::Sha256);
    QSignalSpy removed(modelOf(view), &QAbstractItemModel::rowsRemoved);
    for (int p = 0; p < pulls; ++p) {
        for (int i = 0; i < 60 / pulls; ++i) {
            const QByteArray bytes = QByteArray(100, char('a' + (p * 60 / pulls + i) % 26));
            sha.addData(bytes);
            log->append(Direction::In, TrafficCall::Recv, bytes);
        }
        view.pullNow();
    }
    QVERIFY(removed.count() <= pulls); // at most one remove batch per pull
    QCOMPARE(modelOf(view)->rowCount(), expectedRows);
    QCOMPARE(modelOf(view)->record(expectedRows - 1).seq, quint64(60)); // the newest is shown
    QCOMPARE(view.droppedFromView(), quint64(60 - expectedRows));
    if (expectedRows == 60) {
        QVERIFY(view.bannerText().isEmpty());
    } else {
        QVERIFY2(view.bannerText().startsWith(QStringLiteral("%1 older records were dropped from view").arg(60 - expectedRows)),
                 qPrintable(view.bannerText()));
    }
    // Totals never drop anything.
    QVERIFY(view.totalsText().contains(QStringLiteral("60 calls, %1 bytes").arg(QLocale().toString(6000))));
    QVERIFY(log->waitForDigest(std::chrono::seconds(10)));
    view.pullNow(); // the records are all there: this pull only completes the digest
    QVERIFY(view.totalsText().contains(QString::fromLatin1(sha.result().toHex())));
}

void tst_TrafficView::autoscrollPausesWhileScrolledUp()
{
    auto log = std::make_shared<TrafficLog>();
    TrafficView view;
    view.resize(700, 400);
    view.setRowLimits(220, 1 << 30);
    view.show();
    QTRY_VERIFY(tests::isExposed(view));
    view.setLog(log);
    QScrollBar *bar = view.table()->verticalScrollBar();
    for (int i = 0; i < 200; ++i)
        log->append(Direction::In, TrafficCall::Recv, QByteArray::number(i));
    view.pullNow();
    QVERIFY(view.isFollowing());
    QTRY_VERIFY(bar->maximum() > 0);
    QTRY_COMPARE(bar->value(), bar->maximum());

    // The user scrolls up: autoscroll pauses and the rows they read stay put, even while
    // new rows arrive and the oldest leave at the top.
    QSignalSpy following(&view, &TrafficView::followingChanged);
    bar->setValue(50);
    QVERIFY(!view.isFollowing());
    QCOMPARE(following.count(), 1);
    QCOMPARE(following.at(0).at(0).toBool(), false);
    const int seqAtTop = topRowSeq(view);
    QCOMPARE(seqAtTop, 51);
    for (int i = 200; i < 250; ++i)
        log->append(Direction::In, TrafficCall::Recv, QByteArray::number(i));
    view.pullNow();
    QCOMPARE(modelOf(view)->rowCount(), 220);
    QTest::qWait(50); // a fixed wait is the point: the view may not scroll meanwhile
    QVERIFY(!view.isFollowing());
    QCOMPARE(topRowSeq(view), seqAtTop);
    QCOMPARE(bar->value(), 50 - 30);

    // End from the keyboard (back at the bottom) resumes; the timer keeps it there.
    view.table()->setFocus();
    QTest::keyClick(view.table(), Qt::Key_End, Qt::ControlModifier);
    QTRY_VERIFY(view.isFollowing());
    for (int i = 250; i < 300; ++i)
        log->append(Direction::In, TrafficCall::Recv, QByteArray::number(i));
    QTRY_COMPARE(modelOf(view)->record(modelOf(view)->rowCount() - 1).seq, quint64(300)); // the timer pulled
    QTRY_COMPARE(bar->value(), bar->maximum());
    QVERIFY(view.isFollowing());

    // Home is a scroll up too; the autoscroll button resumes.
    QTest::keyClick(view.table(), Qt::Key_Home, Qt::ControlModifier);
    QVERIFY(!view.isFollowing());
    const auto buttons = view.findChildren<QAbstractButton *>();
    const auto autoscroll = std::find_if(buttons.begin(), buttons.end(),
                                         [](QAbstractButton *b) { return b->accessibleName() == QStringLiteral("Autoscroll"); });
    QVERIFY(autoscroll != buttons.end());
    QVERIFY(!(*autoscroll)->isChecked());
    QVERIFY((*autoscroll)->text().contains(QStringLiteral("paused")));
    (*autoscroll)->click();
    QVERIFY(view.isFollowing());
    QTRY_COMPARE(bar->value(), bar->maximum());
}

void tst_TrafficView::findCopyClear()
{
    auto log = std::make_shared<TrafficLog>();
    log->append(Direction::In, TrafficCall::Recv, "alpha");
    log->append(Direction::In, TrafficCall::Recv, "beta\r\n");
    log->append(Direction::Out, TrafficCall::Send, "gamma beta");
    TrafficView view;
    view.setLog(log);
    QVERIFY(view.find(QStringLiteral("beta")));
    QCOMPARE(view.table()->currentIndex().row(), 1);
    QVERIFY(view.find(QStringLiteral("beta")));
    QCOMPARE(view.table()->currentIndex().row(), 2);
    QVERIFY(view.find(QStringLiteral("beta"))); // wraps
    QCOMPARE(view.table()->currentIndex().row(), 1);
    QVERIFY(view.find(QStringLiteral("beta"), true)); // backward wraps to the end
    QCOMPARE(view.table()->currentIndex().row(), 2);
    QVERIFY(view.find(QStringLiteral("beta\\r\\n"))); // escapes, as in the composer
    QCOMPARE(view.table()->currentIndex().row(), 1);
    QVERIFY(!view.find(QStringLiteral("zeta")));
    QCOMPARE(view.table()->currentIndex().row(), 1); // a failed search moves nothing
    QVERIFY(!view.find(QStringLiteral("\\x4"))); // a bad escape is an error, not a search
    QVERIFY(view.detailText().contains(QStringLiteral("beta\\r\\n")));
    QVERIFY(view.detailText().contains(QStringLiteral("62 65 74 61 0d 0a")));

    view.table()->clearSelection();
    view.table()->selectionModel()->select(modelOf(view)->index(0, 0), QItemSelectionModel::Select | QItemSelectionModel::Rows);
    view.table()->selectionModel()->select(modelOf(view)->index(2, 0), QItemSelectionModel::Select | QItemSelectionModel::Rows);
    view.copySelection();
    QCOMPARE(QApplication::clipboard()->text(), modelOf(view)->textLine(0) + u'\n' + modelOf(view)->textLine(2) + u'\n');

    const QString totals = view.totalsText();
    QSignalSpy cleared(&view, &TrafficView::cleared);
    view.clear();
    QCOMPARE(cleared.count(), 1);
    QCOMPARE(modelOf(view)->rowCount(), 0);
    QVERIFY(view.bannerText().isEmpty());
    QCOMPARE(view.totalsText(), totals);
    log->append(Direction::In, TrafficCall::Recv, "after");
    view.pullNow();
    QCOMPARE(modelOf(view)->rowCount(), 1); // only what came after the clear
    QCOMPARE(rowBytes(view, 0), QByteArrayLiteral("after"));
    QVERIFY(view.totalsText().contains(QStringLiteral("3 calls, 16 bytes")));
}

void tst_TrafficView::detailStaysOnTheChosenRecord()
{
    auto log = std::make_shared<TrafficLog>();
    TrafficView view;
    view.setRowLimits(10, 1 << 30);
    view.setLog(log);
    for (int i = 1; i <= 10; ++i)
        log->append(Direction::In, TrafficCall::Recv, "record " + QByteArray::number(i));
    view.pullNow();
    view.table()->setCurrentIndex(modelOf(view)->index(2, 0));
    QVERIFY(view.detailText().startsWith(QStringLiteral("#3 ")));
    // The chosen row leaves the view under the row cap; the detail pane keeps it.
    for (int i = 11; i <= 30; ++i)
        log->append(Direction::In, TrafficCall::Recv, "record " + QByteArray::number(i));
    view.pullNow();
    QCOMPARE(modelOf(view)->record(0).seq, quint64(21));
    QVERIFY(view.detailText().startsWith(QStringLiteral("#3 ")));
    QVERIFY(view.detailText().contains(QStringLiteral("record 3")));
    // A user's choice still updates it.
    view.table()->setCurrentIndex(modelOf(view)->index(4, 0));
    QVERIFY(view.detailText().startsWith(QStringLiteral("#25 ")));
}

void tst_TrafficView::longRecordsElideOnlyForDisplay()
{
    const QByteArray big = QByteArray(5000, 'x') + "END";
    auto log = std::make_shared<TrafficLog>();
    log->append(Direction::In, TrafficCall::Recv, big);
    TrafficView view;
    view.setLog(log);
    const QString shown = cell(view, 0, TrafficModel::TextColumn);
    QVERIFY(shown.endsWith(QStringLiteral(" …")));
    QVERIFY(shown.size() < 300);
    QCOMPARE(rowBytes(view, 0), big);
    view.table()->setCurrentIndex(modelOf(view)->index(0, 0));
    // Every byte, END included; the pane breaks the text into display lines of 128 bytes.
    const QString detailData = view.detailText().section(QStringLiteral("Text (escaped):\n"), 1).section(QStringLiteral("\n\nHex:"), 0, 0);
    QCOMPARE(detailData.count(u'\n'), 5003 / 128);
    QCOMPARE(QString(detailData).remove(u'\n'), QString::fromLatin1(big));
    QVERIFY(modelOf(view)->exportText().contains("END\n"));
    QVERIFY(cell(view, 0, TrafficModel::TextColumn, Qt::ToolTipRole).contains(QStringLiteral("more bytes")));

    // A huge record (a 1 MiB sendfile chunk) shows a bounded prefix in the detail pane;
    // copy and export still hold every byte.
    const QByteArray huge = everyByte(TrafficView::kDetailBytes + 1000);
    log->append(Direction::Out, TrafficCall::SendFile, huge);
    view.pullNow();
    view.table()->setCurrentIndex(modelOf(view)->index(1, 0));
    QVERIFY(view.detailText().contains(QStringLiteral("1000 more bytes are not shown here")));
    QCOMPARE(view.exportBytes(TrafficView::ExportFormat::RawSent), huge);
}

void tst_TrafficView::peerBytesAreNeverMarkup()
{
    auto log = std::make_shared<TrafficLog>();
    log->append(Direction::In, TrafficCall::Recv, "<b>bold</b><img src=x>");
    TrafficView view;
    view.setLog(log);
    QCOMPARE(cell(view, 0, TrafficModel::TextColumn), QStringLiteral("<b>bold</b><img src=x>"));
    const QString tip = cell(view, 0, TrafficModel::TextColumn, Qt::ToolTipRole);
    QVERIFY(tip.contains(QStringLiteral("&lt;b&gt;bold&lt;/b&gt;&lt;img src=x&gt;")));
    QVERIFY(!tip.contains(QStringLiteral("<img")));
    QVERIFY(cell(view, 0, TrafficModel::HexColumn, Qt::ToolTipRole).contains(QStringLiteral("3c 62 3e 62 6f 6c 64")));
}

void tst_TrafficView::displayAndTimeModes()
{
    auto log = std::make_shared<TrafficLog>();
    log->append(Direction::In, TrafficCall::Recv, "hi");
    TrafficView view;
    view.setLog(log);
    QVERIFY(!view.table()->isColumnHidden(TrafficModel::TextColumn));
    QVERIFY(view.table()->isColumnHidden(TrafficModel::HexColumn));
    QVERIFY(view.table()->isColumnHidden(TrafficModel::PeerColumn)); // a stream has no per-record peer
    view.setDataDisplay(TrafficView::DataDisplay::Hex);
    QVERIFY(view.table()->isColumnHidden(TrafficModel::TextColumn));
    QVERIFY(!view.table()->isColumnHidden(TrafficModel::HexColumn));
    view.setDataDisplay(TrafficView::DataDisplay::Both);
    QVERIFY(!view.table()->isColumnHidden(TrafficModel::TextColumn));
    QVERIFY(!view.table()->isColumnHidden(TrafficModel::HexColumn));
    QCOMPARE(cell(view, 0, TrafficModel::HexColumn), QStringLiteral("68 69"));

    QCOMPARE(cell(view, 0, TrafficModel::TimeColumn), QStringLiteral("+0.000000"));
    view.setTimeMode(TrafficModel::TimeMode::Absolute);
    const QString clock = cell(view, 0, TrafficModel::TimeColumn);
    QVERIFY2(QRegularExpression(QStringLiteral("^\\d\\d:\\d\\d:\\d\\d\\.\\d{6}$")).match(clock).hasMatch(), qPrintable(clock));
    QCOMPARE(view.findChildren<QComboBox *>().at(1)->currentIndex(), 1);
}

void tst_TrafficView::hiddenViewSkipsTicksAndCatchesUp()
{
    auto log = std::make_shared<TrafficLog>();
    TrafficView view;
    view.setLog(log);
    log->append(Direction::In, TrafficCall::Recv, "while hidden");
    QTest::qWait(4 * TrafficView::kRefreshMs); // a fixed wait is the point: ticks pass and do no work
    QCOMPARE(modelOf(view)->rowCount(), 0); // hidden: the timer does no work
    view.show();
    QTRY_COMPARE(modelOf(view)->rowCount(), 1);
    log->append(Direction::In, TrafficCall::Recv, "while shown");
    QTRY_COMPARE(modelOf(view)->rowCount(), 2);
    view.setLog(nullptr);
    QCOMPARE(modelOf(view)->rowCount(), 0);
}

void tst_TrafficView::everyControlIsDescribed()
{
    TrafficView view;
    // Our own controls, not the parts Qt builds inside them (scroll bars, a table's
    // corner button, a line edit's clear button).
    auto isPartOfAnotherControl = [&view](QWidget *w) {
        for (QWidget *p = w->parentWidget(); p && p != &view; p = p->parentWidget()) {
            if (qobject_cast<QAbstractScrollArea *>(p) || qobject_cast<QLineEdit *>(p) || qobject_cast<QComboBox *>(p))
                return true;
        }
        return false;
    };
    int controls = 0;
    for (QWidget *w : view.findChildren<QWidget *>()) {
        const bool control = qobject_cast<QAbstractButton *>(w) || qobject_cast<QComboBox *>(w)
            || qobject_cast<QLineEdit *>(w) || qobject_cast<QAbstractScrollArea *>(w);
        if (!control || isPartOfAnotherControl(w))
            continue;
        ++controls;
        QVERIFY2(!w->accessibleName().isEmpty(), w->metaObject()->className());
        QVERIFY2(!w->toolTip().isEmpty(), qPrintable(w->accessibleName()));
        QVERIFY2(w->focusPolicy() & Qt::TabFocus, qPrintable(w->accessibleName()));
    }
    QCOMPARE(controls, 13); // 2 combos, find field, 7 buttons, the tool bar's » button, table, detail pane
}

void tst_TrafficView::recordNumbersOfAFloodFit_data()
{
    QTest::addColumn<quint64>("seq");
    QTest::newRow("999,999") << quint64(999'999);
    QTest::newRow("1,000,000") << quint64(1'000'000);
    QTest::newRow("123,456,789") << quint64(123'456'789);
}

// A 10,000 datagram/s flood numbers its records past 1,000,000 in under two minutes: the
// '#' column shows them whole.
void tst_TrafficView::recordNumbersOfAFloodFit()
{
    QFETCH(quint64, seq);
    TrafficView view;
    view.resize(700, 300);
    view.show();
    TrafficRecord record;
    record.seq = seq;
    record.bytes = "datagram";
    modelOf(view)->append({record});
    QCOMPARE(cell(view, 0, TrafficModel::SeqColumn), QString::number(seq));
    QTableView *table = view.table();
    const int needed = static_cast<QAbstractItemView *>(table)->sizeHintForColumn(TrafficModel::SeqColumn); // public there
    QVERIFY2(needed <= table->columnWidth(TrafficModel::SeqColumn),
             qPrintable(QStringLiteral("needs %1 px, has %2").arg(needed).arg(table->columnWidth(TrafficModel::SeqColumn))));
}

// The totals below the table count the rows above it in the same pull, not a while later.
void tst_TrafficView::footerMovesWithTheRows()
{
    auto log = std::make_shared<TrafficLog>();
    TrafficView view;
    view.show();
    view.setLog(log);
    auto *received = view.findChild<QLabel *>(QStringLiteral("receivedTotals"));
    auto *sent = view.findChild<QLabel *>(QStringLiteral("sentTotals"));
    QVERIFY(received && sent);
    for (int i = 1; i <= 3; ++i) {
        log->append(Direction::In, TrafficCall::Recv, QByteArray(1000, 'x'));
        log->append(Direction::Out, TrafficCall::Send, "ok");
        view.pullNow();
        QCOMPARE(modelOf(view)->rowCount(), 2 * i);
        const QString calls = i == 1 ? QStringLiteral("1 call") : QStringLiteral("%1 calls").arg(i);
        QVERIFY2(received->text().contains(QStringLiteral("received: %1, %2 bytes").arg(calls, QLocale().toString(1000 * i))),
                 qPrintable(received->text()));
        QVERIFY2(sent->text().contains(QStringLiteral("sent: %1, %2 bytes").arg(calls).arg(2 * i)), qPrintable(sent->text()));
    }
}

QTEST_MAIN(tst_TrafficView)
#include "tst_trafficview.moc"
