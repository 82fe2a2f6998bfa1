// LadderDiagram, offscreen: recorded loopback flows laid out as arrows with the right
// directions, flags, numbers and times, each end's states boxed beside its lifeline,
// nothing overlapping; the kernel's timelines used instead of the segments' states when
// given (and alone when there are no segments); PNG, SVG and pcapng exports read back.

#include "../common/pcapngreader.h"
#include "../common/widgetlookup.h"

#include "../core/capturerecordings.h"

#include "widgets/ladderdiagram.h"

#include <QBuffer>
#include <QFile>
#include <QImageReader>
#include <QSvgRenderer>
#include <QTemporaryDir>
#include <QTest>
#include <QtMath>
#include <QXmlStreamReader>

using namespace Qt::StringLiterals;
using namespace sockscope::core;
using namespace sockscope::tests;
using namespace sockscope::ui;

namespace {

CaptureSnapshot recorded(const QByteArray &stream)
{
    Capture capture;
    capture.feed("sockscope-capture 1\nready lo 1 262144 ns tcp and port 5000\n" + stream);
    return capture.snapshot();
}

QStringList titles(const LadderLayout &l)
{
    QStringList out;
    for (const LadderArrow &a : l.arrows())
        out << a.title.section(u' ', 0, 1);
    return out;
}

// "c:CLOSED@-1 s:LISTEN@-1 c:SYN_SENT@0 ..."
QString stateLabels(const LadderLayout &l)
{
    QStringList out;
    for (const LadderStateLabel &s : l.states())
        out << QStringLiteral("%1:%2@%3").arg(s.client ? QStringLiteral("c") : QStringLiteral("s"), s.text).arg(s.row);
    return out.join(u' ');
}

} // namespace

class tst_LadderDiagram : public QObject
{
    Q_OBJECT
private slots:
    void laidOut_data();
    void laidOut();
    void numbersOnTheArrows();
    void nothingOverlaps();
    void picksOneFlow();
    void kernelTimelines();
    void fitToWidth();
    void placeholder();
    void exportPng();
    void exportSvg();
    void exportPcapng();
};

void tst_LadderDiagram::laidOut_data()
{
    QTest::addColumn<QByteArray>("stream");
    QTest::addColumn<QStringList>("arrows");
    QTest::addColumn<QList<bool>>("toServer");
    QTest::addColumn<QString>("states");

    QTest::newRow("IPv4 handshake, exchange, teardown")
        << QByteArray(kIpv4Exchange)
        << QStringList{u"SYN [S]"_s, u"SYN-ACK [S.]"_s, u"ACK [.]"_s, u"PSH-ACK [P.]"_s, u"ACK [.]"_s, u"PSH-ACK [P.]"_s, u"ACK [.]"_s, u"FIN-ACK [F.]"_s, u"ACK [.]"_s, u"FIN-ACK [F.]"_s, u"ACK [.]"_s}
        << QList<bool>{true, false, true, true, false, false, true, true, false, false, true}
        << "c:CLOSED@-1 s:LISTEN@-1 c:SYN_SENT@0 s:SYN_RECEIVED@0 c:ESTABLISHED@1 s:ESTABLISHED@2 "
           "c:FIN_WAIT_1@7 s:CLOSE_WAIT@7 c:FIN_WAIT_2@8 c:TIME_WAIT@9 s:LAST_ACK@9 s:CLOSED@10";
    QTest::newRow("IPv4 connection refused")
        << QByteArray(kIpv4Refused) << QStringList{u"SYN [S]"_s, u"RST-ACK [R.]"_s} << QList<bool>{true, false}
        << "c:CLOSED@-1 s:CLOSED@-1 c:SYN_SENT@0 c:CLOSED@1";
    QTest::newRow("IPv6 abortive close")
        << QByteArray(kIpv6Abort) << QStringList{u"SYN [S]"_s, u"SYN-ACK [S.]"_s, u"ACK [.]"_s, u"RST-ACK [R.]"_s} << QList<bool>{true, false, true, true}
        << "c:CLOSED@-1 s:LISTEN@-1 c:SYN_SENT@0 s:SYN_RECEIVED@0 c:ESTABLISHED@1 s:ESTABLISHED@2 c:CLOSED@3 s:CLOSED@3";
}

void tst_LadderDiagram::laidOut()
{
    QFETCH(QByteArray, stream);
    QFETCH(QStringList, arrows);
    QFETCH(QList<bool>, toServer);
    QFETCH(QString, states);

    LadderDiagram ladder;
    ladder.setCapture(recorded(stream));
    ladder.show();
    QTRY_VERIFY(isExposed(ladder));
    const LadderLayout &l = ladder.ladderLayout();
    QCOMPARE(titles(l), arrows);
    QCOMPARE(stateLabels(l), states);
    QCOMPARE(l.clientTitle(), ladder.flow()->client.toString());
    qreal lastY = 0;
    for (qsizetype i = 0; i < l.arrows().size(); ++i) {
        const LadderArrow &a = l.arrows()[i];
        QCOMPARE(a.toServer, toServer[i]);
        QCOMPARE(a.from.x(), a.toServer ? l.clientX() : l.serverX());
        QCOMPARE(a.to.x(), a.toServer ? l.serverX() : l.clientX());
        QVERIFY2(a.to.y() > a.from.y(), "time runs down the page");
        QVERIFY(a.from.y() > lastY);
        lastY = a.to.y();
    }
    QVERIFY(ladder.minimumSize().height() >= int(lastY));
    QVERIFY(!ladder.grab().isNull());
    // Wider than the ladder: it sits in the middle.
    ladder.resize(int(l.size().width()) + 200, int(l.size().height()));
    QCOMPARE(ladder.contentOffset(), QPointF(100, 0));
}

void tst_LadderDiagram::numbersOnTheArrows()
{
    LadderDiagram ladder;
    ladder.setCapture(recorded(kIpv4Exchange));
    const QList<LadderArrow> &a = ladder.ladderLayout().arrows();
    QCOMPARE(a.size(), 11);
    QCOMPARE(a[0].title, QStringLiteral("SYN [S]  mss 65495, wscale 10, SACK"));
    QCOMPARE(a[0].detail, QStringLiteral("seq 0  win 65495  len 0"));
    QCOMPARE(a[1].detail, QStringLiteral("seq 0  ack 1  win 65483  len 0"));
    // After the handshake the window field is scaled (both SYNs said wscale 10): 64 << 10.
    QCOMPARE(a[3].detail, QStringLiteral("seq 1  ack 1  win 65536  len 5"));
    QCOMPARE(a[4].detail, QStringLiteral("seq 1  ack 6  win 65536  len 0"));
    QCOMPARE(a[10].detail, QStringLiteral("seq 7  ack 7  win 65536  len 0"));
    QCOMPARE(a[0].kind, LadderArrowKind::Syn);
    QCOMPARE(a[3].kind, LadderArrowKind::Data);
    QCOMPARE(a[4].kind, LadderArrowKind::Ack);
    QCOMPARE(a[7].kind, LadderArrowKind::Fin);
    QCOMPARE(a[0].time, QStringLiteral("0.000 ms"));
    // The recording's times: the data went out 72.03 ms after the SYN.
    QCOMPARE(a[3].time, QStringLiteral("72.033 ms"));
    QCOMPARE(LadderLayout::timeText(1'250'000'000), QStringLiteral("1.250 s"));
}

void tst_LadderDiagram::nothingOverlaps()
{
    LadderDiagram ladder;
    ladder.setCapture(recorded(kIpv6Exchange));
    const LadderLayout &l = ladder.ladderLayout();
    QList<QRectF> boxes{l.clientHeader(), l.serverHeader()};
    for (const LadderArrow &a : l.arrows())
        boxes << a.titleRect << a.detailRect;
    for (const LadderStateLabel &s : l.states())
        boxes << s.rect;
    for (const LadderTime &t : l.times())
        boxes << t.rect;
    QVERIFY(!l.footnote().isEmpty());
    boxes << l.footnoteRect();
    const QRectF canvas(QPointF(0, 0), l.size());
    for (qsizetype i = 0; i < boxes.size(); ++i) {
        QVERIFY2(canvas.contains(boxes[i]), qPrintable(QStringLiteral("item %1 leaves the canvas").arg(i)));
        for (qsizetype j = i + 1; j < boxes.size(); ++j)
            QVERIFY2(!boxes[i].intersects(boxes[j]), qPrintable(QStringLiteral("items %1 and %2 overlap").arg(i).arg(j)));
    }
    // Text stays between the lifelines, clear of the state boxes beside them.
    for (const LadderArrow &a : l.arrows()) {
        QVERIFY(a.titleRect.left() > l.clientX() && a.titleRect.right() < l.serverX());
        QVERIFY(a.detailRect.left() > l.clientX() && a.detailRect.right() < l.serverX());
        // And clear of its own sloping line: above it and below it at both ends.
        const QLineF shaft(a.from, a.to);
        for (const qreal x : {a.titleRect.left(), a.titleRect.right(), a.detailRect.left(), a.detailRect.right()}) {
            const qreal y = a.from.y() + (a.to.y() - a.from.y()) * (x - a.from.x()) / (a.to.x() - a.from.x());
            QVERIFY(x < a.titleRect.left() || x > a.titleRect.right() || a.titleRect.bottom() < y);
            QVERIFY(x < a.detailRect.left() || x > a.detailRect.right() || a.detailRect.top() > y);
        }
    }
}

void tst_LadderDiagram::picksOneFlow()
{
    // Two connections to the same port: the refused one after the exchange.
    CaptureSnapshot both = recorded(QByteArray(kIpv4Exchange) + kIpv4Refused);
    QCOMPARE(both.segments.size(), 13);
    LadderDiagram ladder;
    ladder.setCapture(both);
    QCOMPARE(ladder.shownSegments().size(), 11);
    const Segment refusedSyn = both.segments[11];
    ladder.setFlow(SegmentStates::Flow{refusedSyn.src, refusedSyn.dst});
    QCOMPARE(ladder.shownSegments().size(), 2);
    QCOMPARE(ladder.ladderLayout().arrows().size(), 2);
    QCOMPARE(ladder.ladderLayout().arrows()[1].flags, QStringLiteral("R."));
}

void tst_LadderDiagram::kernelTimelines()
{
    const CaptureSnapshot snapshot = recorded(kIpv6Abort);
    auto client = std::make_shared<StateTimeline>();
    auto server = std::make_shared<StateTimeline>();
    // A sampler that saw only ESTABLISHED, from the moment of the first ACK on.
    client->record(TcpState::Established, snapshot.segments[2].tNs, StateSource::SockDiag);
    server->record(TcpState::Established, snapshot.segments[2].tNs, StateSource::TcpInfo);
    LadderDiagram ladder;
    ladder.setCapture(snapshot);
    ladder.setStateTimelines(client, server);
    QCOMPARE(stateLabels(ladder.ladderLayout()), QStringLiteral("c:ESTABLISHED@2 s:ESTABLISHED@2"));

    // No permission to capture: the timelines alone, one row per change, no arrows.
    client->record(TcpState::Closed, snapshot.segments[3].tNs, StateSource::SockDiag);
    ladder.setCapture({});
    QVERIFY(ladder.ladderLayout().arrows().isEmpty());
    QCOMPARE(ladder.ladderLayout().times().size(), 2);
    QCOMPARE(stateLabels(ladder.ladderLayout()), QStringLiteral("c:ESTABLISHED@0 s:ESTABLISHED@0 c:CLOSED@1"));

    ladder.setStateTimelines(nullptr, nullptr);
    QVERIFY(ladder.ladderLayout().times().isEmpty());
}

void tst_LadderDiagram::placeholder()
{
    LadderDiagram ladder;
    QVERIFY(ladder.ladderLayout().arrows().isEmpty());
    ladder.setPlaceholderText(QStringLiteral("<b>PCAP_ERROR_PERM_DENIED</b>"));
    QCOMPARE(ladder.placeholderText(), QStringLiteral("<b>PCAP_ERROR_PERM_DENIED</b>"));
    const QImage image = ladder.toImage();
    QCOMPARE(image.size(), ladder.sizeHint());
    QTemporaryDir dir;
    QVERIFY(!ladder.exportPcapng(dir.filePath(QStringLiteral("x.pcapng"))));
}

void tst_LadderDiagram::exportPng()
{
    LadderDiagram ladder;
    ladder.setCapture(recorded(kIpv4Exchange));
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("ladder.png"));
    QVERIFY(ladder.exportPng(path, 2.0));
    QImageReader reader(path);
    QCOMPARE(reader.format(), QByteArray("png"));
    const QImage image = reader.read();
    QVERIFY(!image.isNull());
    QCOMPARE(image.size(), ladder.ladderLayout().size().toSize() * 2);
    // The RST-free exchange's SYN arrow is drawn in the SYN colour at its midpoint.
    const LadderArrow &syn = ladder.ladderLayout().arrows().first();
    const QPointF mid = (syn.from + syn.to) / 2 * 2.0;
    QCOMPARE(image.pixelColor(mid.toPoint()).rgb() & 0xffffff, ladder.kindColor(LadderArrowKind::Syn).rgb() & 0xffffff);
    QVERIFY(!ladder.exportPng(QStringLiteral("/nonexistent-dir/ladder.png")));
}

void tst_LadderDiagram::exportSvg()
{
    LadderDiagram ladder;
    ladder.setCapture(recorded(kIpv6Exchange));
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("ladder.svg"));
    QVERIFY(ladder.exportSvg(path));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QXmlStreamReader xml(&file);
    QStringList texts;
    bool sawSvg = false;
    while (!xml.atEnd()) {
        if (xml.readNext() != QXmlStreamReader::StartElement)
            continue;
        sawSvg |= xml.name() == u"svg";
        if (xml.name() == u"text")
            texts << xml.readElementText(QXmlStreamReader::IncludeChildElements).trimmed();
    }
    QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
    QVERIFY(sawSvg);
    QVERIFY(texts.contains(QStringLiteral("SYN-ACK [S.]  mss 65476, wscale 10, SACK")));
    QVERIFY(texts.contains(QStringLiteral("TIME_WAIT")));
    QVERIFY(texts.contains(ladder.flow()->server.toString()));
    QSvgRenderer renderer(path);
    QVERIFY(renderer.isValid());
    QCOMPARE(renderer.viewBoxF(), QRectF(QPointF(0, 0), ladder.ladderLayout().size().toSize()));
}

void tst_LadderDiagram::exportPcapng()
{
    const CaptureSnapshot snapshot = recorded(QByteArray(kIpv6Exchange) + kIpv6Abort);
    LadderDiagram ladder;
    ladder.setCapture(snapshot);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("flow.pcapng"));
    QVERIFY(ladder.exportPcapng(path));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QString why;
    const auto back = readPcapng(file.readAll(), &why);
    QVERIFY2(back, qPrintable(why));
    QCOMPARE(back->linkType, snapshot.linkType);
    QCOMPARE(back->interfaceName, QStringLiteral("lo"));
    // Only the connection shown: the exchange's 11 packets, not the abort's 4.
    QCOMPARE(back->packets.size(), 11);
    for (qsizetype i = 0; i < 11; ++i) {
        QCOMPARE(back->packets[i].data, snapshot.packets[i].data);
        QCOMPARE(back->packets[i].wallNs, snapshot.packets[i].wallNs);
    }
}

// Fit to width (the Watch TCP dock): a narrow widget draws the ladder smaller, no lower
// than kMinFitScale, its height following its width; a wide one draws it full size and
// centred; off, the whole ladder is the minimum size again.
void tst_LadderDiagram::fitToWidth()
{
    LadderDiagram ladder;
    ladder.setCapture(recorded(kIpv4Exchange));
    const QSizeF full = ladder.ladderLayout().size();
    QCOMPARE(ladder.minimumSize(), full.toSize());
    ladder.setFitToWidth(true);
    QVERIFY(ladder.hasHeightForWidth());
    QVERIFY(ladder.sizePolicy().hasHeightForWidth());
    QCOMPARE(ladder.minimumSize().width(), qCeil(full.width() * LadderDiagram::kMinFitScale));

    const int narrow = int(full.width() * 0.75);
    ladder.resize(narrow, ladder.heightForWidth(narrow));
    QVERIFY(qAbs(ladder.viewScale() - 0.75) < 0.01);
    QVERIFY(qAbs(ladder.heightForWidth(narrow) - full.height() * 0.75) <= 2);
    QCOMPARE(ladder.contentOffset().x(), 0.0);
    const QImage drawn = ladder.grab().toImage();
    // The server's lifeline is inside the narrow widget: its colour is found near the
    // scaled x, where without fitting there would be nothing (it would lie past the edge).
    const int serverX = int(ladder.ladderLayout().serverX() * ladder.viewScale());
    QVERIFY(serverX < narrow);
    bool inked = false;
    for (int dx = -2; dx <= 2 && !inked; ++dx)
        inked = drawn.pixelColor(serverX + dx, drawn.height() / 2) != ladder.palette().color(QPalette::Base);
    QVERIFY2(inked, "the server lifeline is drawn inside the narrow widget");

    ladder.resize(int(full.width()) + 100, int(full.height()));
    QCOMPARE(ladder.viewScale(), 1.0);
    QCOMPARE(ladder.contentOffset(), QPointF(50, 0));
    ladder.resize(10, 10);
    QCOMPARE(ladder.viewScale(), LadderDiagram::kMinFitScale);

    ladder.setFitToWidth(false);
    QVERIFY(!ladder.hasHeightForWidth());
    QCOMPARE(ladder.minimumSize(), full.toSize());
    QCOMPARE(ladder.viewScale(), 1.0);
}

QTEST_MAIN(tst_LadderDiagram)
#include "tst_ladderdiagram.moc"
