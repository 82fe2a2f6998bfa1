#include "statediagram.h"

#include "accessiblefactory.h"
#include "accessibletexttable.h"
#include "theme.h"

#include "engine/monotonic.h"
#include "observe/tcptransition.h"

#include <QHelpEvent>
#include <QPainter>
#include <QPainterPath>
#include <QToolTip>
#include <QVariantAnimation>

#include <algorithm>

namespace sockscope::ui {

using core::TcpState;

namespace {

constexpr int kMaxAnimatedHops = 4;

QString endName(StateDiagram::End end)
{
    return end == StateDiagram::End::Client ? StateDiagram::tr("client") : StateDiagram::tr("server");
}

void drawPolyline(QPainter &p, const QList<QPointF> &points)
{
    QPainterPath path(points.first());
    for (qsizetype i = 1; i < points.size(); ++i)
        path.lineTo(points[i]);
    p.drawPath(path);
}

} // namespace

StateDiagram::StateDiagram(QWidget *parent) : QWidget(parent)
{
    installAccessibleFactory(); // before anything asks for this widget's accessible interface
    setAttribute(Qt::WA_OpaquePaintEvent);
    setMouseTracking(true);
    for (int i = 0; i < 2; ++i) {
        auto *anim = new QVariantAnimation(this);
        anim->setStartValue(0.0);
        anim->setEndValue(1.0);
        anim->setEasingCurve(QEasingCurve::InOutSine);
        const End end = End(i);
        connect(anim, &QVariantAnimation::valueChanged, this, [this, end](const QVariant &v) {
            m_ends[int(end)].progress = v.toReal();
            update();
        });
        connect(anim, &QVariantAnimation::finished, this, [this, end] {
            m_ends[int(end)].progress = 1;
            update();
            if (const auto s = currentState(end))
                emit stateEntered(end, *s);
        });
        m_ends[i].animation = anim;
    }
}

StateDiagram::~StateDiagram() = default;

void StateDiagram::setPath(End end, QList<PathPoint> path)
{
    EndView &view = m_ends[int(end)];
    if (path == view.points)
        return;
    const bool extends = !view.points.isEmpty() && path.size() > view.points.size()
                         && path.first(view.points.size()) == view.points;
    const int oldHops = int(view.hops.size());
    const auto oldState = currentState(end);
    view.animation->stop();
    view.points = std::move(path);
    if (currentState(end) != oldState) {
        view.since = currentState(end) ? QDateTime::currentDateTime() : QDateTime();
        AccessibleTextTable::notifyChanged(this, false, int(end), int(end));
    }
    view.hops = DiagramRoute::hops(view.points);
    view.progress = 1;
    if (extends && m_stepMs > 0 && view.hops.size() > oldHops)
        startAnimation(end, oldHops);
    else if (const auto s = currentState(end))
        emit stateEntered(end, *s);
    update();
}

void StateDiagram::setStates(End end, const QList<TcpState> &states)
{
    QList<PathPoint> path;
    for (TcpState s : states)
        path.append(PathPoint{s, true});
    setPath(end, std::move(path));
}

void StateDiagram::setTimeline(End end, const core::StateTimeline &timeline)
{
    setStates(end, timeline.path());
    if (const auto entry = timeline.current()) {
        const qint64 agoMs = (core::monotonicNs() - entry->timeNs) / 1'000'000;
        m_ends[int(end)].since = QDateTime::currentDateTime().addMSecs(-std::max<qint64>(agoMs, 0));
    }
}

void StateDiagram::setEndTitle(End end, const QString &title)
{
    m_ends[int(end)].title = title;
    update();
    AccessibleTextTable::notifyChanged(this, false, int(end), int(end));
}

QString StateDiagram::endTitle(End end) const
{
    const QString &title = m_ends[int(end)].title;
    return title.isEmpty() ? tr("%1 end").arg(endName(end)) : title;
}

void StateDiagram::clear()
{
    for (EndView &view : m_ends) {
        view.animation->stop();
        view.points.clear();
        view.hops.clear();
        view.progress = 1;
        view.since = QDateTime();
    }
    update();
    AccessibleTextTable::notifyChanged(this, false, 0, 1);
}

void StateDiagram::startAnimation(End end, int fromHop)
{
    EndView &view = m_ends[int(end)];
    // A long burst of changes (a whole teardown seen at once) runs its last few arrows
    // only: the rest are drawn as taken straight away.
    view.animFromHop = std::max(fromHop, int(view.hops.size()) - kMaxAnimatedHops);
    view.progress = 0;
    view.animation->setDuration(m_stepMs * int(view.hops.size() - view.animFromHop));
    view.animation->start();
}

std::optional<TcpState> StateDiagram::currentState(End end) const
{
    const EndView &view = m_ends[int(end)];
    if (view.points.isEmpty())
        return std::nullopt;
    return core::rfcState(view.points.last().state);
}

QList<int> StateDiagram::tracedTransitions(End end) const
{
    QList<int> out;
    for (const Hop &h : m_ends[int(end)].hops)
        out.append(h.transition);
    return out;
}

bool StateDiagram::isAnimating() const
{
    return std::ranges::any_of(m_ends, [](const EndView &v) { return v.progress < 1; });
}

void StateDiagram::finishAnimations()
{
    for (EndView &view : m_ends) {
        if (view.animation->state() == QAbstractAnimation::Running)
            view.animation->setCurrentTime(view.animation->duration()); // emits finished
        view.animation->stop();
        view.progress = 1;
    }
    update();
}

int StateDiagram::hopsShown(const EndView &view) const
{
    if (view.progress >= 1)
        return int(view.hops.size());
    const int animated = int(view.hops.size()) - view.animFromHop;
    return view.animFromHop + std::min(animated - 1, int(view.progress * animated));
}

std::optional<TcpState> StateDiagram::displayedState(const EndView &view) const
{
    if (view.points.isEmpty())
        return std::nullopt;
    if (view.progress >= 1 || view.hops.isEmpty())
        return core::rfcState(view.points.last().state);
    return view.hops[hopsShown(view)].from;
}

QTransform StateDiagram::canvasTransform() const
{
    const QSizeF canvas = m_layout.canvasSize();
    const qreal scale = std::min(width() / canvas.width(), height() / canvas.height());
    QTransform t;
    t.translate((width() - canvas.width() * scale) / 2, (height() - canvas.height() * scale) / 2);
    t.scale(scale, scale);
    return t;
}

QRectF StateDiagram::stateRectInWidget(TcpState state) const
{
    return canvasTransform().mapRect(m_layout.stateRect(state));
}

QColor StateDiagram::endColor(End end) const
{
    return Theme(palette()).color(Theme::end(end == End::Client));
}

QColor StateDiagram::endTint(End end) const
{
    return Theme(palette()).color(Theme::endTint(end == End::Client));
}

void StateDiagram::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.fillRect(rect(), palette().color(QPalette::Base));
    p.setRenderHint(QPainter::Antialiasing);
    p.setTransform(canvasTransform());
    paintArrows(p);
    paintPaths(p);
    paintBoxes(p);
    paintLabels(p);
    paintTokens(p);
    paintLegend(p);
}

void StateDiagram::paintArrowHead(QPainter &p, QPointF from, QPointF to, const QColor &color) const
{
    const QLineF line(to, from);
    if (line.length() <= 0)
        return;
    QLineF side1 = line, side2 = line;
    side1.setLength(10);
    side2.setLength(10);
    side1.setAngle(line.angle() + 22);
    side2.setAngle(line.angle() - 22);
    QPolygonF head{to, side1.p2(), side2.p2()};
    p.save();
    p.setPen(Qt::NoPen);
    p.setBrush(color);
    p.drawPolygon(head);
    p.restore();
}

void StateDiagram::paintArrows(QPainter &p) const
{
    p.setBrush(Qt::NoBrush);
    const QColor line = Theme(palette()).color(Theme::Role::Line);
    for (int i = 0; i < m_layout.arrowCount(); ++i) {
        const QList<QPointF> &pts = m_layout.arrow(i).points;
        p.setPen(QPen(line, 1.3));
        drawPolyline(p, pts);
        paintArrowHead(p, pts[pts.size() - 2], pts.last(), line);
    }
}

void StateDiagram::paintPaths(QPainter &p) const
{
    p.setBrush(Qt::NoBrush);
    for (End end : {End::Client, End::Server}) {
        const EndView &view = m_ends[int(end)];
        const int shown = hopsShown(view);
        QColor color = endColor(end);
        // The client's path is a wide translucent band, the server's a line: where both
        // took the same arrow, the line runs inside the band.
        if (end == End::Client)
            color.setAlpha(120);
        for (int i = 0; i < shown; ++i) {
            const Hop &hop = view.hops[i];
            QPen pen(color, end == End::Client ? 8 : 3.2, hop.inferred ? Qt::DashLine : Qt::SolidLine, Qt::FlatCap,
                     Qt::RoundJoin);
            if (hop.inferred)
                pen.setDashPattern(end == End::Client ? QList<qreal>{1.2, 0.8} : QList<qreal>{3, 2});
            p.setPen(pen);
            const QList<QPointF> &pts = m_layout.arrow(hop.transition).points;
            drawPolyline(p, pts);
            paintArrowHead(p, pts[pts.size() - 2], pts.last(), endColor(end));
        }
    }
}

void StateDiagram::paintBoxes(QPainter &p) const
{
    struct Mark
    {
        bool current = false;
        bool visited = false;
        bool seen = false; // visited and observed at least once
    };
    const Theme theme(palette());
    const QColor text = palette().color(QPalette::Text);
    const QColor border = theme.color(Theme::Role::Border);
    for (TcpState s : m_layout.states()) {
        std::array<Mark, 2> marks;
        for (int e = 0; e < 2; ++e) {
            const EndView &view = m_ends[e];
            marks[e].current = displayedState(view) == s;
            const int shown = hopsShown(view);
            if (!view.points.isEmpty() && core::rfcState(view.points.first().state) == s) {
                marks[e].visited = true;
                marks[e].seen = view.points.first().observed;
            }
            for (int i = 0; i < shown; ++i) {
                if (view.hops[i].to == s || view.hops[i].from == s) {
                    marks[e].visited = true;
                    marks[e].seen = marks[e].seen || !view.hops[i].inferred;
                }
            }
        }
        const QRectF r = m_layout.stateRect(s);
        QPainterPath shape;
        shape.addRoundedRect(r, 8, 8);
        p.setPen(Qt::NoPen);
        p.setBrush(palette().color(QPalette::Base));
        p.drawPath(shape);
        if (marks[0].current && marks[1].current) {
            p.save();
            p.setClipPath(shape);
            p.fillRect(QRectF(r.topLeft(), QSizeF(r.width() / 2, r.height())), endTint(End::Client));
            p.fillRect(QRectF(QPointF(r.center().x(), r.top()), QSizeF(r.width() / 2, r.height())), endTint(End::Server));
            p.restore();
        } else if (marks[0].current || marks[1].current) {
            p.setBrush(endTint(marks[0].current ? End::Client : End::Server));
            p.drawPath(shape);
        }
        p.setBrush(Qt::NoBrush);
        p.setPen(QPen(border, 1.4));
        p.drawPath(shape);
        for (int e = 0; e < 2; ++e) {
            if (!marks[e].visited && !marks[e].current)
                continue;
            const qreal inset = e == 0 ? 1.5 : 4.5;
            QPen pen(endColor(End(e)), marks[e].current ? 3 : 1.8, marks[e].seen || marks[e].current ? Qt::SolidLine : Qt::DashLine);
            p.setPen(pen);
            p.drawRoundedRect(r.adjusted(inset, inset, -inset, -inset), 7, 7);
        }
        p.setPen(text);
        p.setFont(m_layout.stateFont());
        p.drawText(r, Qt::AlignCenter, core::tcpStateName(s));
        // A tag over the box names the end that is in it.
        for (int e = 0; e < 2; ++e) {
            if (!marks[e].current)
                continue;
            QFont f = m_layout.noteFont();
            f.setItalic(false);
            f.setBold(true);
            const QString text = endName(End(e));
            const qreal w = QFontMetricsF(f).horizontalAdvance(text) + 12;
            const QRectF tag(e == 0 ? r.left() + 6 : r.right() - 6 - w, r.top() - 9, w, 15);
            p.setPen(Qt::NoPen);
            p.setBrush(endColor(End(e)));
            p.drawRoundedRect(tag, 7, 7);
            p.setPen(theme.textOn(endColor(End(e))));
            p.setFont(f);
            p.drawText(tag, Qt::AlignCenter, text);
        }
    }
    // "any synchronized state": the source of the RST arrow.
    bool usedBy[2] = {false, false};
    for (int e = 0; e < 2; ++e) {
        const EndView &view = m_ends[e];
        for (int i = 0; i < hopsShown(view); ++i)
            usedBy[e] = usedBy[e] || !core::tcpTransitions()[view.hops[i].transition].from;
    }
    const QRectF any = m_layout.anySynchronizedRect();
    p.setBrush(palette().color(QPalette::Base));
    p.setPen(QPen(usedBy[0] ? endColor(End::Client) : usedBy[1] ? endColor(End::Server) : border,
                  usedBy[0] || usedBy[1] ? 2.2 : 1.2, Qt::DashLine));
    p.drawRoundedRect(any, 8, 8);
    QFont f = m_layout.labelFont();
    f.setItalic(true);
    p.setFont(f);
    p.setPen(text);
    p.drawText(any, Qt::AlignCenter, tr("any synchronized state"));
}

void StateDiagram::paintLabels(QPainter &p) const
{
    for (int i = 0; i < m_layout.arrowCount(); ++i) {
        const StateDiagramLayout::Arrow &a = m_layout.arrow(i);
        const QRectF r = m_layout.labelRect(i);
        bool taken[2] = {false, false};
        for (int e = 0; e < 2; ++e) {
            const EndView &view = m_ends[e];
            for (int h = 0; h < hopsShown(view); ++h)
                taken[e] = taken[e] || view.hops[h].transition == i;
        }
        QColor background = palette().color(QPalette::Base);
        background.setAlpha(225);
        p.fillRect(r.adjusted(-2, 0, 2, 0), background);
        QFont f = m_layout.labelFont();
        f.setBold(taken[0] || taken[1]);
        p.setFont(f);
        p.setPen(taken[0] && !taken[1] ? endColor(End::Client)
                 : taken[1] && !taken[0] ? endColor(End::Server)
                                         : palette().color(QPalette::Text));
        const QFontMetricsF fm(m_layout.labelFont());
        qreal y = r.top();
        const Qt::Alignment align = a.anchor == StateDiagramLayout::Anchor::LeftOf    ? Qt::AlignRight
                                    : a.anchor == StateDiagramLayout::Anchor::RightOf ? Qt::AlignLeft
                                                                                      : Qt::AlignHCenter;
        for (const QString &line : StateDiagramLayout::labelLines(i, a.stacked)) {
            p.drawText(QRectF(r.left(), y, r.width(), fm.height()), align | Qt::AlignVCenter | Qt::TextDontClip, line);
            y += fm.height();
        }
        if (a.showNote) {
            p.setFont(m_layout.noteFont());
            p.setPen(Theme(palette()).color(Theme::Role::Muted));
            const QString note = QStringLiteral("(%1)").arg(core::tcpTransitions()[i].noteText());
            p.drawText(QRectF(r.left(), y, r.width(), r.bottom() - y), align | Qt::AlignVCenter | Qt::TextDontClip, note);
        }
    }
}

void StateDiagram::paintTokens(QPainter &p) const
{
    for (int e = 0; e < 2; ++e) {
        const EndView &view = m_ends[e];
        if (view.progress >= 1 || view.hops.isEmpty())
            continue;
        const int animated = int(view.hops.size()) - view.animFromHop;
        const qreal along = view.progress * animated;
        const int k = hopsShown(view);
        const QPointF at = m_layout.pointAlong(view.hops[k].transition, along - (k - view.animFromHop));
        p.setPen(QPen(palette().color(QPalette::Base), 2));
        p.setBrush(endColor(End(e)));
        p.drawEllipse(at, 9, 9);
    }
}

void StateDiagram::paintLegend(QPainter &p) const
{
    QFont f = m_layout.labelFont();
    p.setFont(f);
    const QFontMetricsF fm(f);
    const QColor ink = palette().color(QPalette::Text);
    const qreal y = StateDiagramLayout::kLegendTop + 10;
    qreal x = 20;
    for (int e = 0; e < 2; ++e) {
        const QString title = endTitle(End(e));
        p.setPen(Qt::NoPen);
        p.setBrush(endColor(End(e)));
        p.drawRoundedRect(QRectF(x, y - 6, 22, 12), 3, 3);
        p.setPen(ink);
        p.drawText(QPointF(x + 28, y + fm.ascent() / 2 - 1), title);
        x += 28 + fm.horizontalAdvance(title) + 24;
    }
    const auto sample = [&](Qt::PenStyle style, const QString &text) {
        QPen pen(ink, 2.5, style);
        if (style == Qt::DashLine)
            pen.setDashPattern({3, 2});
        p.setPen(pen);
        p.drawLine(QPointF(x, y), QPointF(x + 28, y));
        p.setPen(ink);
        p.drawText(QPointF(x + 34, y + fm.ascent() / 2 - 1), text);
        x += 34 + fm.horizontalAdvance(text) + 24;
    };
    sample(Qt::SolidLine, tr("seen"));
    sample(Qt::DashLine, tr("too quick to see: the likely route"));
}

bool StateDiagram::event(QEvent *e)
{
    if (e->type() == QEvent::ToolTip) {
        auto *help = static_cast<QHelpEvent *>(e);
        const QString text = toolTipAt(canvasTransform().inverted().map(QPointF(help->pos())));
        if (text.isEmpty())
            QToolTip::hideText();
        else
            QToolTip::showText(help->globalPos(), text, this);
        return true;
    }
    return QWidget::event(e);
}

QString StateDiagram::toolTipAt(QPointF pos) const
{
    for (int i = 0; i < m_layout.arrowCount(); ++i) {
        if (!m_layout.labelRect(i).adjusted(-3, -3, 3, 3).contains(pos))
            continue;
        const core::TcpTransition &t = core::tcpTransitions()[i];
        const QString from = t.from ? core::tcpStateName(*t.from) : tr("any synchronized state");
        QString text = tr("%1 → %2: %3").arg(from, core::tcpStateName(t.to), t.label());
        if (t.note)
            text += QStringLiteral(" (%1)").arg(t.noteText());
        return text;
    }
    for (TcpState s : m_layout.states()) {
        if (!m_layout.stateRect(s).contains(pos))
            continue;
        QStringList here;
        for (int e = 0; e < 2; ++e) {
            if (currentState(End(e)) == s)
                here.append(m_ends[e].title.isEmpty() ? endName(End(e)) : m_ends[e].title);
        }
        return here.isEmpty() ? core::tcpStateName(s)
                              : tr("%1: %2").arg(core::tcpStateName(s), here.join(QStringLiteral(", ")));
    }
    if (m_layout.anySynchronizedRect().contains(pos))
        return tr("ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, CLOSE_WAIT, CLOSING, LAST_ACK or TIME_WAIT");
    return {};
}

} // namespace sockscope::ui
