#pragma once

#include "diagramroute.h"
#include "statediagramlayout.h"

#include "observe/statetimeline.h"

#include <QColor>
#include <QDateTime>
#include <QList>
#include <QWidget>

#include <array>
#include <optional>

class QVariantAnimation;

namespace sockscope::ui {

// The TCP state machine of RFC 9293 drawn in full (every state a box, every arrow
// labelled "event / action"), with the two ends of one connection on it: each end's
// current state highlighted in its colour (client blue, server orange), the path it took
// so far traced over the arrows, and each new step animated as a token running along the
// arrow. States a sampler saw are "observed"; the ones between two observed states that
// were too quick to see (a loopback handshake takes microseconds) are filled in along
// the likely route (core::tcpLikelyRoute) and drawn dashed, so the picture never claims
// more than was seen.
class StateDiagram : public QWidget
{
    Q_OBJECT
public:
    enum class End { Client = 0, Server = 1 };
    Q_ENUM(End)
    using PathPoint = DiagramRoute::Point;
    using Hop = DiagramRoute::Hop; // one arrow of an end's path, in order
    static constexpr int kDefaultStepMs = 450;

    explicit StateDiagram(QWidget *parent = nullptr);
    ~StateDiagram() override;

    // The states one end went through, oldest first. A path that extends the one shown
    // animates the new steps; any other path is shown at once.
    void setPath(End end, QList<PathPoint> path);
    void setStates(End end, const QList<core::TcpState> &states); // all observed
    void setTimeline(End end, const core::StateTimeline &timeline);
    // A caption for the end in the legend ("client 127.0.0.1:41234"); empty: "client end".
    void setEndTitle(End end, const QString &title);
    QString endTitle(End end) const; // as the legend shows it
    void clear();

    QList<PathPoint> path(End end) const { return m_ends[int(end)].points; }
    std::optional<core::TcpState> currentState(End end) const;
    // When the end entered its current state: as its timeline saw it (setTimeline), else
    // when the diagram was first shown it. Invalid while the end has no state.
    QDateTime since(End end) const { return m_ends[int(end)].since; }
    QList<Hop> hops(End end) const { return m_ends[int(end)].hops; }
    // The transitions this end's path used so far.
    QList<int> tracedTransitions(End end) const;

    // Animation: ms per arrow (0: no animation).
    void setStepDuration(int ms) { m_stepMs = ms; }
    bool isAnimating() const;
    void finishAnimations();

    const StateDiagramLayout &diagramLayout() const { return m_layout; }
    // Canvas -> widget coordinates at the current size (aspect kept, centred).
    QTransform canvasTransform() const;
    QRectF stateRectInWidget(core::TcpState state) const;
    QColor endColor(End end) const; // from ui/theme, for this widget's palette
    QColor endTint(End end) const;  // the fill of a box an end is in

    QSize sizeHint() const override { return {900, 650}; }
    QSize minimumSizeHint() const override { return {460, 340}; }

signals:
    void stateEntered(sockscope::ui::StateDiagram::End end, sockscope::core::TcpState state); // once animated

protected:
    void paintEvent(QPaintEvent *event) override;
    bool event(QEvent *event) override;

private:
    struct EndView
    {
        QList<PathPoint> points;
        QList<Hop> hops;
        QString title;
        QDateTime since;
        QVariantAnimation *animation = nullptr;
        int animFromHop = 0; // hops [animFromHop, size) are being animated
        qreal progress = 1;  // 0..1 over those hops
    };

    void startAnimation(End end, int fromHop);
    std::optional<core::TcpState> displayedState(const EndView &view) const;
    int hopsShown(const EndView &view) const; // hops drawn as taken (the animated one excluded)
    void paintArrows(QPainter &p) const;
    void paintPaths(QPainter &p) const;
    void paintBoxes(QPainter &p) const;
    void paintLabels(QPainter &p) const;
    void paintTokens(QPainter &p) const;
    void paintLegend(QPainter &p) const;
    void paintArrowHead(QPainter &p, QPointF from, QPointF to, const QColor &color) const;
    QString toolTipAt(QPointF canvasPos) const;

    StateDiagramLayout m_layout;
    std::array<EndView, 2> m_ends;
    int m_stepMs = kDefaultStepMs;
};

} // namespace sockscope::ui
