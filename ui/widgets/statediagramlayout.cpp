#include "statediagramlayout.h"

#include "observe/tcptransition.h"

#include <QFontMetricsF>
#include <QLineF>

namespace sockscope::ui {

using core::TcpState;
using S = core::TcpState;

StateDiagramLayout::StateDiagramLayout()
{
    placeStates();
    placeArrows();
}

void StateDiagramLayout::placeStates()
{
    const auto box = [this](S state, qreal cx, qreal cy) {
        m_boxes[state] = QRectF(QPointF(cx - kBoxSize.width() / 2, cy - kBoxSize.height() / 2), kBoxSize);
    };
    // The opening on top, the active opener (client) on the right, the passive one
    // (server) on the left, ESTABLISHED in the middle, the closing states below it: the
    // active close down the left, the passive close down the right.
    box(S::Closed, 500, 50);
    box(S::Listen, 500, 160);
    box(S::SynReceived, 170, 280);
    box(S::SynSent, 830, 280);
    box(S::Established, 500, 390);
    box(S::FinWait1, 170, 490);
    box(S::CloseWait, 830, 490);
    box(S::FinWait2, 170, 600);
    box(S::Closing, 500, 575);
    box(S::LastAck, 830, 600);
    box(S::TimeWait, 500, 680);
    m_anySync = QRectF(50, 30, 200, 40);
}

QPointF StateDiagramLayout::top(S s, qreal dx) const
{
    const QRectF r = m_boxes.at(s);
    return {r.center().x() + dx, r.top()};
}
QPointF StateDiagramLayout::bottom(S s, qreal dx) const
{
    const QRectF r = m_boxes.at(s);
    return {r.center().x() + dx, r.bottom()};
}
QPointF StateDiagramLayout::left(S s, qreal dy) const
{
    const QRectF r = m_boxes.at(s);
    return {r.left(), r.center().y() + dy};
}
QPointF StateDiagramLayout::right(S s, qreal dy) const
{
    const QRectF r = m_boxes.at(s);
    return {r.right(), r.center().y() + dy};
}

void StateDiagramLayout::placeArrows()
{
    using A = Anchor;
    const auto add = [this](QList<QPointF> points, QPointF labelAt, A anchor, bool stacked = false, bool note = false) {
        m_arrows.append(Arrow{std::move(points), labelAt, anchor, stacked, note});
    };
    // In the order of core::tcpTransitions(); tst_statediagram checks that every arrow
    // starts and ends on the right boxes and that no label covers a box or another label.
    add({bottom(S::Closed, -20), top(S::Listen, -20)}, {472, 105}, A::LeftOf);                     // passive open
    add({right(S::Closed, -10), {850, 40}, top(S::SynSent, 20)}, {712, 36}, A::Above);            // active open
    add({left(S::Listen, -5), {170, 155}, top(S::SynReceived)}, {300, 151}, A::Above);            // rcv SYN
    add({right(S::Listen, 10), left(S::SynSent, -10)}, {680, 203}, A::RightOf);                   // send
    add({top(S::Listen, 20), bottom(S::Closed, 20)}, {528, 105}, A::RightOf);                     // close
    add({left(S::SynSent, 15), top(S::Established, 40)}, {662, 350}, A::RightOf);                 // rcv SYN,ACK
    add({left(S::SynSent), right(S::SynReceived)}, {500, 276}, A::Above, false, true);            // simultaneous open
    add({top(S::SynSent, -20), {810, 60}, right(S::Closed, 10)}, {690, 64}, A::Below);            // close/timeout/RST
    add({right(S::SynReceived, 15), top(S::Established, -40)}, {340, 350}, A::LeftOf);            // rcv ACK of SYN
    add({bottom(S::SynReceived, -40), top(S::FinWait1, -40)}, {122, 385}, A::LeftOf);             // close
    add({top(S::SynReceived, 40), {210, 175}, left(S::Listen, 15)}, {318, 179}, A::Below, false, true); // rcv RST
    add({bottom(S::Established, -40), right(S::FinWait1, -10)}, {335, 432}, A::LeftOf);           // close
    add({bottom(S::Established, 40), left(S::CloseWait, -10)}, {665, 432}, A::RightOf);           // rcv FIN
    add({bottom(S::FinWait1, -40), top(S::FinWait2, -40)}, {122, 545}, A::LeftOf);                // rcv ACK of FIN
    add({right(S::FinWait1, 5), left(S::Closing, -10)}, {310, 490}, A::RightOf, false, true);     // simultaneous close
    add({bottom(S::FinWait1, 40), left(S::TimeWait, -10)}, {370, 640}, A::LeftOf);                // rcv FIN,ACK
    add({bottom(S::FinWait2), {170, 690}, left(S::TimeWait, 10)}, {300, 686}, A::Above);          // rcv FIN
    add({bottom(S::Closing), top(S::TimeWait)}, {508, 627}, A::RightOf);                          // rcv ACK of FIN
    add({bottom(S::CloseWait), top(S::LastAck)}, {838, 545}, A::RightOf);                         // close
    add({bottom(S::LastAck), {830, 702}, {975, 702}, {975, 12}, {530, 12}, top(S::Closed, 30)}, {902, 698},
        A::Above); // rcv ACK of FIN
    add({bottom(S::TimeWait, -20), {480, 725}, {20, 725}, {20, 12}, {470, 12}, top(S::Closed, -30)}, {250, 721},
        A::Above); // 2 MSL
    add({{m_anySync.right(), m_anySync.center().y()}, left(S::Closed)}, {337, 46}, A::Above, true); // RST / abort
    Q_ASSERT(m_arrows.size() == qsizetype(core::tcpTransitions().size()));
}

QRectF StateDiagramLayout::stateRect(TcpState state) const
{
    const auto it = m_boxes.find(core::rfcState(state));
    return it == m_boxes.end() ? QRectF() : it->second;
}

QList<TcpState> StateDiagramLayout::states() const
{
    return core::rfcStates();
}

QStringList StateDiagramLayout::labelLines(int transition, bool stacked)
{
    const core::TcpTransition &t = core::tcpTransitions()[transition];
    if (stacked && t.action)
        return {t.eventText() + QStringLiteral(" /"), t.actionText()};
    return {t.label()};
}

QFont StateDiagramLayout::labelFont() const
{
    QFont f;
    f.setPixelSize(14);
    return f;
}

QFont StateDiagramLayout::noteFont() const
{
    QFont f;
    f.setPixelSize(11);
    f.setItalic(true);
    return f;
}

QFont StateDiagramLayout::stateFont() const
{
    QFont f;
    f.setPixelSize(16);
    f.setBold(true);
    return f;
}

QRectF StateDiagramLayout::labelRect(int transition) const
{
    const Arrow &a = m_arrows.at(transition);
    // Sized for the bold face a label takes once a path used its arrow.
    QFont bold = labelFont();
    bold.setBold(true);
    const QFontMetricsF label(bold), note(noteFont());
    qreal w = 0, h = 0;
    for (const QString &line : labelLines(transition, a.stacked)) {
        w = std::max(w, label.horizontalAdvance(line));
        h += label.height();
    }
    if (a.showNote) {
        const QString text = QStringLiteral("(%1)").arg(core::tcpTransitions()[transition].noteText());
        w = std::max(w, note.horizontalAdvance(text));
        h += note.height();
    }
    const QPointF p = a.labelAt;
    switch (a.anchor) {
    case Anchor::Above:
        return {p.x() - w / 2, p.y() - h, w, h};
    case Anchor::Below:
        return {p.x() - w / 2, p.y(), w, h};
    case Anchor::LeftOf:
        return {p.x() - w, p.y() - h / 2, w, h};
    case Anchor::RightOf:
        return {p.x(), p.y() - h / 2, w, h};
    }
    return {};
}

QPointF StateDiagramLayout::pointAlong(int transition, qreal t) const
{
    const QList<QPointF> &pts = m_arrows.at(transition).points;
    qreal total = 0;
    for (qsizetype i = 1; i < pts.size(); ++i)
        total += QLineF(pts[i - 1], pts[i]).length();
    qreal want = std::clamp(t, 0.0, 1.0) * total;
    for (qsizetype i = 1; i < pts.size(); ++i) {
        const QLineF seg(pts[i - 1], pts[i]);
        if (want <= seg.length() || i == pts.size() - 1)
            return seg.pointAt(seg.length() > 0 ? std::min(1.0, want / seg.length()) : 1.0);
        want -= seg.length();
    }
    return pts.isEmpty() ? QPointF() : pts.last();
}

QRectF StateDiagramLayout::sourceRect(int transition) const
{
    const core::TcpTransition &t = core::tcpTransitions()[transition];
    return t.from ? stateRect(*t.from) : m_anySync;
}

} // namespace sockscope::ui
