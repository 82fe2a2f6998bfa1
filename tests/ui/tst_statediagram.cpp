#include "widgets/statediagram.h"

#include "observe/tcptransition.h"

#include <QImage>
#include <QLineF>
#include <QSignalSpy>
#include <QTest>

using namespace sockscope;
using core::TcpState;
using End = ui::StateDiagram::End;
using S = core::TcpState;

Q_DECLARE_METATYPE(sockscope::core::TcpState)

namespace {

bool onBorder(const QRectF &r, QPointF p)
{
    const bool inX = p.x() >= r.left() - 0.5 && p.x() <= r.right() + 0.5;
    const bool inY = p.y() >= r.top() - 0.5 && p.y() <= r.bottom() + 0.5;
    const bool onV = std::abs(p.x() - r.left()) < 0.5 || std::abs(p.x() - r.right()) < 0.5;
    const bool onH = std::abs(p.y() - r.top()) < 0.5 || std::abs(p.y() - r.bottom()) < 0.5;
    return inX && inY && (onV || onH);
}

// A point inside the box's fill: above the centred name, inside the highlight borders.
QColor fillOf(const ui::StateDiagram &d, const QImage &image, TcpState s, bool rightHalf = false)
{
    const QRectF r = d.diagramLayout().stateRect(s);
    const QPointF canvas(rightHalf ? r.right() - 12 : r.left() + 12, r.top() + 8);
    return image.pixelColor(d.canvasTransform().map(canvas).toPoint());
}

bool near(const QColor &a, const QColor &b)
{
    return std::abs(a.red() - b.red()) < 12 && std::abs(a.green() - b.green()) < 12 && std::abs(a.blue() - b.blue()) < 12;
}

} // namespace

class tst_StateDiagram : public QObject
{
    Q_OBJECT
private slots:
    void boxesDoNotOverlap();
    void seedsTransitions_data();
    void seedsTransitions();
    void arrowsJoinTheirBoxes();
    void labelsAreClear();
    void readableAt900x650();
    void highlightsCurrentStates_data();
    void highlightsCurrentStates();
    void inferredRoute();
    void animatesNewSteps();
};

void tst_StateDiagram::boxesDoNotOverlap()
{
    const ui::StateDiagramLayout layout;
    const QRectF canvas(QPointF(0, 0), layout.canvasSize());
    const QList<TcpState> states = layout.states();
    QCOMPARE(states.size(), 11);
    for (qsizetype i = 0; i < states.size(); ++i) {
        const QRectF a = layout.stateRect(states[i]);
        QVERIFY(!a.isEmpty());
        QVERIFY(canvas.contains(a));
        QVERIFY(!a.intersects(layout.anySynchronizedRect()));
        for (qsizetype j = i + 1; j < states.size(); ++j) {
            // At least 20 units apart: room for an arrow and a label between any two boxes.
            QVERIFY2(!a.adjusted(-10, -10, 10, 10).intersects(layout.stateRect(states[j]).adjusted(-10, -10, 10, 10)),
                     qPrintable(core::tcpStateName(states[i]) + QStringLiteral(" / ") + core::tcpStateName(states[j])));
        }
    }
}

// The table of RFC 9293's transitions from the teaching material, row by row.
void tst_StateDiagram::seedsTransitions_data()
{
    QTest::addColumn<QString>("from"); // "any" for any synchronized state
    QTest::addColumn<QString>("label");
    QTest::addColumn<TcpState>("to");
    QTest::newRow("CLOSED passive open") << "CLOSED" << "passive open (listen)" << S::Listen;
    QTest::newRow("CLOSED active open") << "CLOSED" << "active open (connect) / snd SYN" << S::SynSent;
    QTest::newRow("LISTEN rcv SYN") << "LISTEN" << "rcv SYN / snd SYN,ACK" << S::SynReceived;
    QTest::newRow("LISTEN send") << "LISTEN" << "send / snd SYN" << S::SynSent;
    QTest::newRow("LISTEN close") << "LISTEN" << "close" << S::Closed;
    QTest::newRow("SYN_SENT rcv SYN,ACK") << "SYN_SENT" << "rcv SYN,ACK / snd ACK" << S::Established;
    QTest::newRow("SYN_SENT simultaneous open") << "SYN_SENT" << "rcv SYN / snd ACK" << S::SynReceived;
    QTest::newRow("SYN_SENT close") << "SYN_SENT" << "close, timeout, or rcv RST" << S::Closed;
    QTest::newRow("SYN_RECEIVED rcv ACK") << "SYN_RECEIVED" << "rcv ACK of SYN" << S::Established;
    QTest::newRow("SYN_RECEIVED close") << "SYN_RECEIVED" << "close / snd FIN" << S::FinWait1;
    QTest::newRow("SYN_RECEIVED rcv RST") << "SYN_RECEIVED" << "rcv RST" << S::Listen;
    QTest::newRow("ESTABLISHED close") << "ESTABLISHED" << "close / snd FIN" << S::FinWait1;
    QTest::newRow("ESTABLISHED rcv FIN") << "ESTABLISHED" << "rcv FIN / snd ACK" << S::CloseWait;
    QTest::newRow("FIN_WAIT_1 rcv ACK") << "FIN_WAIT_1" << "rcv ACK of FIN" << S::FinWait2;
    QTest::newRow("FIN_WAIT_1 simultaneous close") << "FIN_WAIT_1" << "rcv FIN / snd ACK" << S::Closing;
    QTest::newRow("FIN_WAIT_1 rcv FIN,ACK") << "FIN_WAIT_1" << "rcv FIN,ACK / snd ACK" << S::TimeWait;
    QTest::newRow("FIN_WAIT_2 rcv FIN") << "FIN_WAIT_2" << "rcv FIN / snd ACK" << S::TimeWait;
    QTest::newRow("CLOSING rcv ACK") << "CLOSING" << "rcv ACK of FIN" << S::TimeWait;
    QTest::newRow("CLOSE_WAIT close") << "CLOSE_WAIT" << "close / snd FIN" << S::LastAck;
    QTest::newRow("LAST_ACK rcv ACK") << "LAST_ACK" << "rcv ACK of FIN" << S::Closed;
    QTest::newRow("TIME_WAIT 2 MSL") << "TIME_WAIT" << "2 MSL timeout" << S::Closed;
    QTest::newRow("any synchronized RST") << "any" << "rcv RST, or abort / snd RST" << S::Closed;
}

void tst_StateDiagram::seedsTransitions()
{
    QFETCH(QString, from);
    QFETCH(QString, label);
    QFETCH(TcpState, to);
    const ui::StateDiagramLayout layout;
    const auto transitions = core::tcpTransitions();
    int found = -1;
    for (int i = 0; i < int(transitions.size()); ++i) {
        const core::TcpTransition &t = transitions[i];
        const QString f = t.from ? core::tcpStateName(*t.from) : QStringLiteral("any");
        if (f == from && t.to == to && t.label() == label)
            found = i;
    }
    QVERIFY2(found >= 0, qPrintable(label));
    const ui::StateDiagramLayout::Arrow &arrow = layout.arrow(found);
    QVERIFY(onBorder(layout.sourceRect(found), arrow.points.first()));
    QVERIFY(onBorder(layout.stateRect(to), arrow.points.last()));
    // The label drawn is the row's text.
    QCOMPARE(ui::StateDiagramLayout::labelLines(found, arrow.stacked).join(QLatin1Char(' ')), label);
}

// Every segment of every arrow stays out of the boxes except where it starts and ends.
void tst_StateDiagram::arrowsJoinTheirBoxes()
{
    const ui::StateDiagramLayout layout;
    QCOMPARE(layout.arrowCount(), int(core::tcpTransitions().size()));
    for (int i = 0; i < layout.arrowCount(); ++i) {
        const QList<QPointF> &pts = layout.arrow(i).points;
        QVERIFY(pts.size() >= 2);
        for (TcpState s : layout.states()) {
            const QRectF inner = layout.stateRect(s).adjusted(1, 1, -1, -1);
            for (qsizetype k = 1; k < pts.size(); ++k) {
                for (int step = 1; step < 20; ++step) {
                    const QPointF p = QLineF(pts[k - 1], pts[k]).pointAt(step / 20.0);
                    QVERIFY2(!inner.contains(p), qPrintable(QStringLiteral("arrow %1 crosses %2").arg(i).arg(core::tcpStateName(s))));
                }
            }
        }
    }
}

void tst_StateDiagram::labelsAreClear()
{
    const ui::StateDiagramLayout layout;
    const QRectF canvas(QPointF(0, 0), QSizeF(layout.canvasSize().width(), ui::StateDiagramLayout::kLegendTop));
    for (int i = 0; i < layout.arrowCount(); ++i) {
        const QRectF r = layout.labelRect(i);
        QVERIFY2(canvas.contains(r), qPrintable(QString::number(i)));
        QVERIFY(!r.intersects(layout.anySynchronizedRect()));
        for (TcpState s : layout.states())
            QVERIFY2(!r.intersects(layout.stateRect(s)), qPrintable(QStringLiteral("label %1 on %2").arg(i).arg(core::tcpStateName(s))));
        for (int j = i + 1; j < layout.arrowCount(); ++j)
            QVERIFY2(!r.intersects(layout.labelRect(j)), qPrintable(QStringLiteral("labels %1 and %2").arg(i).arg(j)));
    }
}

void tst_StateDiagram::readableAt900x650()
{
    ui::StateDiagram d;
    d.resize(900, 650);
    const qreal scale = d.canvasTransform().m11();
    QVERIFY(d.diagramLayout().labelFont().pixelSize() * scale >= 10);
    QVERIFY(d.diagramLayout().stateFont().pixelSize() * scale >= 11.5);
    QVERIFY(d.stateRectInWidget(S::TimeWait).bottom() <= 650);
}

void tst_StateDiagram::highlightsCurrentStates_data()
{
    QTest::addColumn<QList<TcpState>>("client");
    QTest::addColumn<QList<TcpState>>("server");
    QTest::newRow("handshake") << QList<TcpState>{S::Closed, S::Established} << QList<TcpState>{S::Listen};
    QTest::newRow("half-close") << QList<TcpState>{S::Closed, S::Established, S::FinWait2}
                                << QList<TcpState>{S::Listen, S::Established, S::CloseWait};
    QTest::newRow("teardown") << QList<TcpState>{S::Closed, S::Established, S::TimeWait}
                              << QList<TcpState>{S::Listen, S::Established, S::CloseWait, S::Closed};
}

void tst_StateDiagram::highlightsCurrentStates()
{
    QFETCH(QList<TcpState>, client);
    QFETCH(QList<TcpState>, server);
    ui::StateDiagram d;
    d.setStepDuration(0);
    d.resize(900, 650);
    d.setStates(End::Client, client);
    d.setStates(End::Server, server);
    QCOMPARE(d.currentState(End::Client), client.last());
    QCOMPARE(d.currentState(End::Server), server.last());
    const QImage image = d.grab().toImage();
    const QColor base = d.palette().color(QPalette::Base);
    for (TcpState s : d.diagramLayout().states()) {
        const QColor fill = fillOf(d, image, s);
        if (s == client.last())
            QVERIFY2(near(fill, d.endTint(End::Client)), qPrintable(core::tcpStateName(s)));
        else if (s == server.last())
            QVERIFY2(near(fill, d.endTint(End::Server)), qPrintable(core::tcpStateName(s)));
        else
            QVERIFY2(near(fill, base), qPrintable(core::tcpStateName(s) + QStringLiteral(" ") + fill.name()));
    }
    // Both ends in one state: the box is split, client left and server right.
    d.setStates(End::Server, {S::Listen, S::Established});
    d.setStates(End::Client, {S::Closed, S::Established});
    const QImage both = d.grab().toImage();
    QVERIFY(near(fillOf(d, both, S::Established), d.endTint(End::Client)));
    QVERIFY(near(fillOf(d, both, S::Established, true), d.endTint(End::Server)));
}

void tst_StateDiagram::inferredRoute()
{
    ui::StateDiagram d;
    d.setStepDuration(0);
    d.setStates(End::Client, {S::Closed, S::Established, S::FinWait2});
    const QList<ui::StateDiagram::Hop> hops = d.hops(End::Client);
    QCOMPARE(hops.size(), 4); // CLOSED>SYN_SENT>ESTABLISHED, ESTABLISHED>FIN_WAIT_1>FIN_WAIT_2
    QVERIFY(std::ranges::all_of(hops, [](const ui::StateDiagram::Hop &h) { return h.inferred; }));
    QCOMPARE(hops[0].to, S::SynSent);
    QCOMPARE(hops[3].to, S::FinWait2);
    // A state seen right after its predecessor is one solid arrow.
    d.setStates(End::Server, {S::Established, S::CloseWait});
    QCOMPARE(d.hops(End::Server).size(), 1);
    QVERIFY(!d.hops(End::Server).first().inferred);
    // Implied (never observed) states are drawn dashed too.
    d.setPath(End::Server, {{S::Closed, true}, {S::SynSent, false}, {S::Closed, false}});
    QCOMPARE(d.hops(End::Server).size(), 2);
    QVERIFY(d.hops(End::Server)[0].inferred && d.hops(End::Server)[1].inferred);
    QCOMPARE(d.tracedTransitions(End::Server).size(), 2);
}

void tst_StateDiagram::animatesNewSteps()
{
    ui::StateDiagram d;
    d.resize(900, 650);
    d.show();
    d.setStepDuration(60);
    QSignalSpy entered(&d, &ui::StateDiagram::stateEntered);
    d.setStates(End::Client, {S::Closed});
    QVERIFY(!d.isAnimating()); // a first path is shown at once
    QCOMPARE(entered.count(), 1);
    d.setStates(End::Client, {S::Closed, S::Established});
    QVERIFY(d.isAnimating());
    QTRY_VERIFY(!d.isAnimating());
    QCOMPARE(entered.count(), 2);
    QCOMPARE(entered.last().at(1).value<TcpState>(), S::Established);
    // finishAnimations() jumps to the end.
    d.setStates(End::Client, {S::Closed, S::Established, S::TimeWait});
    QVERIFY(d.isAnimating());
    d.finishAnimations();
    QVERIFY(!d.isAnimating());
    QCOMPARE(entered.count(), 3);
}

QTEST_MAIN(tst_StateDiagram)
#include "tst_statediagram.moc"
