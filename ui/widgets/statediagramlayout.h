#pragma once

#include "net/tcpstate.h"

#include <QFont>
#include <QList>
#include <QPointF>
#include <QRectF>
#include <QSizeF>

#include <map>

class QFontMetricsF;

namespace sockscope::ui {

// Where everything of the TCP state diagram sits, in a fixed logical canvas that the
// widget scales to its size: a box per RFC 9293 state (each state once: the arrows that
// end in CLOSED run back to the top along the edges), a dashed pseudo-box for "any
// synchronized state", and for every arrow of core::tcpTransitions() a polyline and the
// place of its label. Hand-placed rather than computed: a state machine drawn the way
// textbooks draw it (CLOSED on top, the client's path on the right, the server's on the
// left, closing below) is what a student can recognise.
class StateDiagramLayout
{
public:
    enum class Anchor { Above, Below, LeftOf, RightOf }; // the label's side of its point

    struct Arrow
    {
        QList<QPointF> points;  // first on the source box's edge, last on the target's
        QPointF labelAt;
        Anchor anchor = Anchor::Above;
        bool stacked = false;   // event over action on two lines
        bool showNote = false;  // the note is drawn under the label (else only a tooltip)
    };

    static constexpr qreal kWidth = 1000;
    static constexpr qreal kHeight = 762;
    static constexpr qreal kLegendTop = 742; // below this: the legend line
    static constexpr QSizeF kBoxSize{150, 40};

    StateDiagramLayout();

    QSizeF canvasSize() const { return {kWidth, kHeight}; }
    QRectF stateRect(core::TcpState state) const; // empty for a state not drawn
    QList<core::TcpState> states() const;
    QRectF anySynchronizedRect() const { return m_anySync; }
    const Arrow &arrow(int transition) const { return m_arrows.at(transition); }
    int arrowCount() const { return int(m_arrows.size()); }

    // The text lines of a transition's label and of its note as drawn.
    static QStringList labelLines(int transition, bool stacked);
    QFont labelFont() const;
    QFont noteFont() const;
    QFont stateFont() const;
    // The label's bounding rect (note included when shown), in canvas coordinates.
    QRectF labelRect(int transition) const;
    // The point a fraction t (0..1) along an arrow's polyline, by length.
    QPointF pointAlong(int transition, qreal t) const;
    // The box the state sits in, or the pseudo-box for any synchronized state.
    QRectF sourceRect(int transition) const;

private:
    void placeStates();
    void placeArrows();
    QPointF top(core::TcpState s, qreal dx = 0) const;
    QPointF bottom(core::TcpState s, qreal dx = 0) const;
    QPointF left(core::TcpState s, qreal dy = 0) const;
    QPointF right(core::TcpState s, qreal dy = 0) const;

    std::map<core::TcpState, QRectF> m_boxes;
    QRectF m_anySync;
    QList<Arrow> m_arrows;
};

} // namespace sockscope::ui
