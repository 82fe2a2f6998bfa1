#include "ladderdiagram.h"

#include "accessiblefactory.h"
#include "accessibletexttable.h"
#include "theme.h"

#include "observe/pcapngwriter.h"

#include <QImageWriter>
#include <QPainter>
#include <QPainterPath>
#include <QSvgGenerator>
#include <QtMath>

#include <algorithm>
#include <set>
#include <tuple>

namespace sockscope::ui {

using namespace sockscope::core;

namespace {

SysError fileError(const QString &path, const QString &why)
{
    return SysError::input(QStringLiteral("file"), QStringLiteral("%1: %2").arg(path, why));
}

// The scale a side's windows are multiplied by: only when both SYNs carried the option.
std::pair<std::optional<quint8>, std::optional<quint8>> windowScales(const QList<Segment> &shown, const SegmentStates::Flow &flow)
{
    std::optional<quint8> client;
    std::optional<quint8> server;
    for (const Segment &s : shown) {
        if (!s.has(TcpFlag::Syn))
            continue;
        (s.src == flow.client ? client : server) = s.windowScale;
    }
    if (!client || !server)
        return {std::nullopt, std::nullopt};
    return {client, server};
}

} // namespace

LadderDiagram::LadderDiagram(QWidget *parent)
    : QWidget(parent)
    , m_placeholder(tr("No segments yet: start a capture, then connect."))
{
    installAccessibleFactory(); // before anything asks for this widget's accessible interface
    setBackgroundRole(QPalette::Base);
    setAutoFillBackground(true);
    rebuild();
}

void LadderDiagram::setCapture(const CaptureSnapshot &snapshot)
{
    m_capture = snapshot;
    rebuild();
}

void LadderDiagram::setSegments(const QList<Segment> &segments)
{
    m_capture = CaptureSnapshot();
    m_capture.segments = segments;
    rebuild();
}

void LadderDiagram::setFlow(std::optional<SegmentStates::Flow> flow)
{
    m_chosenFlow = std::move(flow);
    rebuild();
}

void LadderDiagram::setStateTimelines(std::shared_ptr<const StateTimeline> client, std::shared_ptr<const StateTimeline> server)
{
    m_clientTimeline = std::move(client);
    m_serverTimeline = std::move(server);
    rebuild();
}

void LadderDiagram::setPlaceholderText(const QString &text)
{
    m_placeholder = text;
    update();
    if (QAccessible::isActive()) {
        QAccessibleEvent event(this, QAccessible::DescriptionChanged); // the table's description says it
        QAccessible::updateAccessibility(&event);
    }
}

void LadderDiagram::refresh()
{
    rebuild();
}

void LadderDiagram::clear()
{
    m_capture = CaptureSnapshot();
    m_chosenFlow.reset();
    m_clientTimeline.reset();
    m_serverTimeline.reset();
    rebuild();
}

LadderLayout::Input LadderDiagram::rowsFromSegments() const
{
    LadderLayout::Input in;
    const SegmentStates::Flow &flow = *m_flow;
    in.client = flow.client;
    in.clientTitle = flow.client.toString();
    in.serverTitle = flow.server.toString();
    std::tie(in.clientScale, in.serverScale) = windowScales(m_shown, flow);
    in.footnote = in.clientScale
        ? tr("seq and ack count bytes from each side's first sequence number (its SYN is seq 0). "
             "win is the receive window in bytes: the header's field shifted by the window scale both SYNs agreed on.")
        : tr("seq and ack count bytes from each side's first sequence number (its SYN is seq 0). "
             "win is the header's receive window field.");

    const bool kernel = m_clientTimeline && m_serverTimeline;
    const QList<EndStates> inferred = kernel ? QList<EndStates>() : SegmentStates::infer(m_capture.segments, flow);
    const auto kernelAt = [&](qint64 t) { return EndStates{m_clientTimeline->stateAt(t), m_serverTimeline->stateAt(t)}; };
    in.before = kernel ? kernelAt(m_shown.first().tNs - 1) : inferred.first();
    for (qsizetype i = 0; i < m_shown.size(); ++i) {
        const Segment &s = m_shown[i];
        in.rows << LadderLayout::Row{s.tNs, s, kernel ? kernelAt(s.tNs) : inferred[i + 1]};
    }
    return in;
}

LadderLayout::Input LadderDiagram::rowsFromTimelines() const
{
    LadderLayout::Input in;
    if (m_flow) {
        in.client = m_flow->client;
        in.clientTitle = m_flow->client.toString();
        in.serverTitle = m_flow->server.toString();
    }
    std::set<qint64> times;
    for (const auto *timeline : {m_clientTimeline.get(), m_serverTimeline.get()}) {
        for (const StateEntry &e : timeline->entries())
            times.insert(e.timeNs);
    }
    for (const qint64 t : times)
        in.rows << LadderLayout::Row{t, std::nullopt, EndStates{m_clientTimeline->stateAt(t), m_serverTimeline->stateAt(t)}};
    return in;
}

void LadderDiagram::rebuild()
{
    m_flow = m_chosenFlow ? m_chosenFlow : SegmentStates::firstFlow(m_capture.segments);
    m_shown.clear();
    if (m_flow) {
        for (const Segment &s : m_capture.segments) {
            if (m_flow->contains(s))
                m_shown << s;
        }
    }
    if (!m_shown.isEmpty())
        m_layout = LadderLayout::compute(rowsFromSegments(), font());
    else if (m_clientTimeline && m_serverTimeline)
        m_layout = LadderLayout::compute(rowsFromTimelines(), font());
    else
        m_layout = LadderLayout();
    if (m_layout.times().isEmpty())
        setMinimumSize(0, 0);
    else if (m_fit) // the height follows the width (heightForWidth)
        setMinimumSize(qCeil(m_layout.size().width() * kMinFitScale), 0);
    else
        setMinimumSize(m_layout.size().toSize());
    updateGeometry();
    update();
    AccessibleTextTable::notifyChanged(this, true);
}

void LadderDiagram::setFitToWidth(bool on)
{
    if (on == m_fit)
        return;
    m_fit = on;
    QSizePolicy policy = sizePolicy();
    policy.setHeightForWidth(on); // QScrollArea asks heightForWidth() only when this says so
    setSizePolicy(policy);
    rebuild();
}

qreal LadderDiagram::scaleFor(qreal width) const
{
    if (!m_fit || m_layout.times().isEmpty() || m_layout.size().width() <= 0)
        return 1.0;
    return std::clamp(width / m_layout.size().width(), kMinFitScale, 1.0);
}

qreal LadderDiagram::viewScale() const
{
    return scaleFor(width());
}

int LadderDiagram::heightForWidth(int width) const
{
    return qCeil(m_layout.size().height() * scaleFor(width));
}

QSize LadderDiagram::sizeHint() const
{
    if (m_layout.times().isEmpty())
        return {480, 160};
    return m_layout.size().toSize();
}

QColor LadderDiagram::kindColor(LadderArrowKind kind) const
{
    const Theme theme(palette());
    switch (kind) {
    case LadderArrowKind::Syn: return theme.color(Theme::Role::ArrowSyn);
    case LadderArrowKind::Data: return theme.color(Theme::Role::ArrowData);
    case LadderArrowKind::Ack: return theme.color(Theme::Role::ArrowAck);
    case LadderArrowKind::Fin: return theme.color(Theme::Role::ArrowFin);
    case LadderArrowKind::Rst: return theme.color(Theme::Role::ArrowRst);
    }
    return palette().color(QPalette::Text);
}

void LadderDiagram::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.fillRect(rect(), palette().color(QPalette::Base));
    p.translate(contentOffset());
    const qreal scale = viewScale();
    p.scale(scale, scale);
    paint(p, m_layout.times().isEmpty() ? size() : m_layout.size().toSize());
}

QPointF LadderDiagram::contentOffset() const
{
    if (m_layout.times().isEmpty())
        return {};
    return QPointF(std::max(0.0, (width() - m_layout.size().width() * viewScale()) / 2), 0);
}

void LadderDiagram::paint(QPainter &p, QSize area) const
{
    p.setRenderHint(QPainter::Antialiasing);
    p.setFont(font());
    const QPalette &pal = palette();
    const Theme theme(pal);
    p.fillRect(QRect(QPoint(0, 0), area), pal.color(QPalette::Base));
    if (m_layout.times().isEmpty()) {
        p.setPen(pal.color(QPalette::PlaceholderText));
        p.drawText(QRect(QPoint(0, 0), area).adjusted(16, 16, -16, -16),
                   Qt::AlignCenter | Qt::TextWordWrap, m_placeholder);
        return;
    }

    const qreal line = m_layout.lineHeight();
    // Headers: the role in the end's colour over the address.
    for (const bool client : {true, false}) {
        const QRectF r = client ? m_layout.clientHeader() : m_layout.serverHeader();
        const QColor color = theme.color(Theme::end(client));
        p.setPen(QPen(color, 1.5));
        p.setBrush(pal.color(QPalette::Base));
        p.drawRoundedRect(r, 5, 5);
        p.drawText(QRectF(r.left(), r.top() + 3, r.width(), line), Qt::AlignCenter, client ? tr("client") : tr("server"));
        p.setPen(pal.color(QPalette::Text));
        p.drawText(QRectF(r.left(), r.top() + 3 + line, r.width(), line), Qt::AlignCenter,
                   client ? m_layout.clientTitle() : m_layout.serverTitle());
    }
    p.setPen(pal.color(QPalette::PlaceholderText));
    p.drawText(m_layout.timeHeader(), Qt::AlignRight | Qt::AlignVCenter, tr("time"));
    // Lifelines, each stretch in the colour of the state held there.
    p.setPen(QPen(pal.color(QPalette::Mid), 1));
    for (const qreal x : {m_layout.clientX(), m_layout.serverX()})
        p.drawLine(QPointF(x, m_layout.lifelineTop()), QPointF(x, m_layout.lifelineBottom()));
    p.setPen(Qt::NoPen);
    for (const LadderBand &b : m_layout.bands()) {
        const qreal x = b.client ? m_layout.clientX() : m_layout.serverX();
        p.setBrush(theme.color(Theme::state(b.state)));
        p.drawRect(QRectF(x - 3, b.top, 6, b.bottom - b.top));
    }
    for (const LadderStateLabel &s : m_layout.states()) {
        p.setPen(QPen(theme.color(Theme::state(s.state)), 1));
        p.setBrush(theme.color(Theme::stateTint(s.state)));
        p.drawRoundedRect(s.rect, 4, 4);
        p.setPen(pal.color(QPalette::Text));
        p.drawText(s.rect, Qt::AlignCenter, s.text);
    }
    p.setPen(pal.color(QPalette::PlaceholderText));
    for (const LadderTime &t : m_layout.times())
        p.drawText(t.rect, Qt::AlignRight | Qt::AlignVCenter, t.text);
    for (const LadderArrow &a : m_layout.arrows())
        paintArrow(p, a);
    if (!m_layout.footnote().isEmpty()) {
        p.setPen(pal.color(QPalette::PlaceholderText));
        p.drawText(m_layout.footnoteRect(), Qt::TextWordWrap, m_layout.footnote());
    }
}

void LadderDiagram::paintArrow(QPainter &p, const LadderArrow &a) const
{
    const QColor color = kindColor(a.kind);
    const QLineF shaft(a.from, a.to);
    const qreal head = 9;
    const QPointF unit = (a.to - a.from) / shaft.length();
    const QPointF normal(-unit.y(), unit.x());
    const QPointF base = a.to - unit * head;
    p.setPen(QPen(color, a.kind == LadderArrowKind::Ack ? 1.3 : 1.8));
    p.drawLine(QLineF(a.from, base));
    QPainterPath tip;
    tip.moveTo(a.to);
    tip.lineTo(base + normal * head * 0.45);
    tip.lineTo(base - normal * head * 0.45);
    tip.closeSubpath();
    p.fillPath(tip, color);

    p.setPen(color);
    p.drawText(a.titleRect, Qt::AlignCenter, a.title);
    p.setPen(palette().color(QPalette::Text));
    p.drawText(a.detailRect, Qt::AlignCenter, a.detail);
}

QImage LadderDiagram::toImage(qreal scale) const
{
    const QSize logical = m_layout.times().isEmpty() ? sizeHint() : m_layout.size().toSize();
    QImage image(logical * scale, QImage::Format_ARGB32_Premultiplied);
    image.setDevicePixelRatio(scale);
    image.fill(palette().color(QPalette::Base));
    QPainter p(&image);
    paint(p, logical);
    return image;
}

std::expected<void, SysError> LadderDiagram::exportPng(const QString &path, qreal scale) const
{
    QImageWriter writer(path, "png");
    if (!writer.write(toImage(scale)))
        return std::unexpected(fileError(path, writer.errorString()));
    return {};
}

std::expected<void, SysError> LadderDiagram::exportSvg(const QString &path) const
{
    const QSize logical = m_layout.times().isEmpty() ? sizeHint() : m_layout.size().toSize();
    QSvgGenerator svg;
    svg.setFileName(path);
    svg.setSize(logical);
    svg.setResolution(96); // CSS pixels: browsers show it at the size it was laid out
    svg.setViewBox(QRect(QPoint(0, 0), logical));
    svg.setTitle(tr("TCP packet ladder"));
    svg.setDescription(m_flow ? tr("%1 and %2").arg(m_flow->client.toString(), m_flow->server.toString()) : QString());
    QPainter p;
    if (!p.begin(&svg))
        return std::unexpected(fileError(path, tr("cannot write an SVG there")));
    paint(p, logical);
    if (!p.end())
        return std::unexpected(fileError(path, tr("writing the SVG failed")));
    return {};
}

std::expected<void, SysError> LadderDiagram::exportPcapng(const QString &path) const
{
    QList<CapturedPacket> packets;
    for (const Segment &s : m_shown) {
        if (s.packet >= 0 && s.packet < m_capture.packets.size())
            packets << m_capture.packets[s.packet];
    }
    if (packets.isEmpty())
        return std::unexpected(fileError(path, tr("no captured packets to write")));
    return PcapngWriter::writeFile(path, m_capture.linkType, m_capture.snaplen, m_capture.interfaceName, packets);
}

} // namespace sockscope::ui
