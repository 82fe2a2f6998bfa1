#include "ladderlayout.h"

#include <QFontMetricsF>
#include <QStringList>

#include <algorithm>
#include <cmath>

namespace sockscope::ui {

using namespace sockscope::core;

namespace {

constexpr qreal kMargin = 14;
constexpr qreal kMinArrowSpan = 380;
constexpr qreal kSlope = 14;      // how far an arrow drops from sender to receiver
constexpr qreal kBoxPadX = 8;
constexpr qreal kBoxPadY = 3;
constexpr qreal kGap = 10;

QString titleOf(const Segment &s)
{
    QString title = QStringLiteral("%1 [%2]").arg(tcpFlagsName(s.flags), s.flagsText());
    QStringList options;
    if (s.mss)
        options << QStringLiteral("mss %1").arg(*s.mss);
    if (s.windowScale)
        options << QStringLiteral("wscale %1").arg(*s.windowScale);
    if (s.sackPermitted)
        options << QStringLiteral("SACK");
    if (!options.isEmpty())
        title += QStringLiteral("  ") + options.join(QStringLiteral(", "));
    return title;
}

QString detailOf(const Segment &s, std::optional<quint8> scale)
{
    QStringList parts{QStringLiteral("seq %1").arg(s.seq)};
    if (s.has(TcpFlag::Ack))
        parts << QStringLiteral("ack %1").arg(s.ack);
    // A SYN's window is never scaled (RFC 7323 2.2).
    const quint64 window = scale && !s.has(TcpFlag::Syn) ? quint64(s.win) << *scale : s.win;
    parts << QStringLiteral("win %1").arg(window);
    parts << QStringLiteral("len %1").arg(s.len);
    return parts.join(QStringLiteral("  "));
}

} // namespace

QString LadderLayout::timeText(qint64 ns)
{
    if (ns < 1'000'000'000)
        return QStringLiteral("%1 ms").arg(double(ns) / 1e6, 0, 'f', 3);
    return QStringLiteral("%1 s").arg(double(ns) / 1e9, 0, 'f', 3);
}

LadderArrowKind LadderLayout::kindOf(const Segment &s)
{
    if (s.has(TcpFlag::Rst))
        return LadderArrowKind::Rst;
    if (s.has(TcpFlag::Syn))
        return LadderArrowKind::Syn;
    if (s.has(TcpFlag::Fin))
        return LadderArrowKind::Fin;
    if (s.len > 0)
        return LadderArrowKind::Data;
    return LadderArrowKind::Ack;
}

LadderLayout LadderLayout::compute(const Input &input, const QFont &font)
{
    LadderLayout l;
    const QFontMetricsF fm(font);
    const qreal line = fm.height();
    l.m_lineHeight = line;
    l.m_clientTitle = input.clientTitle;
    l.m_serverTitle = input.serverTitle;

    const qreal timeWidth = fm.horizontalAdvance(QStringLiteral("0000.000 ms")) + kGap;
    const qreal boxWidth = fm.horizontalAdvance(QStringLiteral("SYN_RECEIVED")) + 2 * kBoxPadX;
    const qreal boxHeight = line + 2 * kBoxPadY;

    // Arrow texts first: the span between the lifelines must hold the widest.
    const qint64 t0 = input.rows.isEmpty() ? 0 : input.rows.first().tNs;
    qreal widest = 0;
    for (qsizetype i = 0; i < input.rows.size(); ++i) {
        const Row &row = input.rows[i];
        if (!row.segment)
            continue;
        const Segment &s = *row.segment;
        LadderArrow a;
        a.segment = i;
        a.toServer = s.src == input.client;
        a.kind = kindOf(s);
        a.flags = s.flagsText();
        a.title = titleOf(s);
        a.detail = detailOf(s, a.toServer ? input.clientScale : input.serverScale);
        widest = std::max({widest, fm.horizontalAdvance(a.title), fm.horizontalAdvance(a.detail)});
        l.m_arrows << a;
    }
    const qreal span = std::max(kMinArrowSpan, widest + 4 * kGap);
    const qreal headerW = std::max({fm.horizontalAdvance(input.clientTitle), fm.horizontalAdvance(input.serverTitle),
                                    fm.horizontalAdvance(QStringLiteral("server"))})
        + 2 * kBoxPadX;
    l.m_clientX = kMargin + timeWidth + std::max(boxWidth + kGap, headerW / 2);
    l.m_serverX = l.m_clientX + span;
    const qreal rightEdge = l.m_serverX + std::max(kGap + boxWidth, headerW / 2) + kMargin;
    l.m_clientHeader = QRectF(l.m_clientX - headerW / 2, kMargin, headerW, 2 * line + 2 * kBoxPadY);
    l.m_serverHeader = QRectF(l.m_serverX - headerW / 2, kMargin, headerW, 2 * line + 2 * kBoxPadY);
    l.m_timeHeader = QRectF(kMargin, l.m_clientHeader.top() + kBoxPadY + line, timeWidth - kGap, line);
    l.m_lifelineTop = l.m_clientHeader.bottom();

    // States are boxed at the level where they begin; bands run from there to the next.
    struct Open
    {
        std::optional<TcpState> state;
        qreal top = 0;
    };
    Open open[2];
    const auto enter = [&](bool client, std::optional<TcpState> state, qreal y, int row) {
        Open &o = open[client ? 0 : 1];
        if (state == o.state)
            return;
        if (o.state)
            l.m_bands << LadderBand{client, *o.state, o.top, y};
        o = Open{state, y};
        if (!state)
            return;
        const qreal x = client ? l.m_clientX - kGap - boxWidth : l.m_serverX + kGap;
        l.m_states << LadderStateLabel{client, *state, tcpStateName(*state), row, QRectF(x, y - boxHeight / 2, boxWidth, boxHeight)};
    };

    qreal y = l.m_lifelineTop + kGap + boxHeight / 2;
    enter(true, input.before.client, y, -1);
    enter(false, input.before.server, y, -1);
    y += boxHeight / 2 + kGap;

    const qreal rowHeight = 2 * line + kSlope + 2 * kGap;
    qsizetype next = 0; // the next arrow to place
    for (qsizetype i = 0; i < input.rows.size(); ++i) {
        const Row &row = input.rows[i];
        const qreal top = y + i * rowHeight;
        const qreal arrowY = top + line + kGap;
        qreal endY = arrowY + kSlope / 2;
        if (row.segment) {
            LadderArrow &a = l.m_arrows[next++];
            const qreal fromX = a.toServer ? l.m_clientX : l.m_serverX;
            const qreal toX = a.toServer ? l.m_serverX : l.m_clientX;
            a.from = QPointF(fromX, arrowY);
            a.to = QPointF(toX, arrowY + kSlope);
            endY = a.to.y();
            const qreal midX = (fromX + toX) / 2;
            const qreal midY = arrowY + kSlope / 2;
            const qreal titleW = fm.horizontalAdvance(a.title) + 2;
            const qreal detailW = fm.horizontalAdvance(a.detail) + 2;
            // Clear of the sloping line over the whole width of the text.
            const qreal rise = kSlope * std::max(titleW, detailW) / span / 2;
            a.titleRect = QRectF(midX - titleW / 2, midY - rise - 2 - line, titleW, line);
            a.detailRect = QRectF(midX - detailW / 2, midY + rise + 2, detailW, line);
        }
        LadderTime time{int(i), timeText(row.tNs - t0), {}};
        const qreal timeW = fm.horizontalAdvance(time.text) + 2;
        time.rect = QRectF(kMargin + timeWidth - kGap - timeW, arrowY - line / 2, timeW, line);
        if (row.segment) {
            l.m_arrows[next - 1].time = time.text;
            l.m_arrows[next - 1].timeRect = time.rect;
        }
        l.m_times << time;
        enter(true, row.after.client, endY, int(i));
        enter(false, row.after.server, endY, int(i));
    }
    const qreal bottom = y + input.rows.size() * rowHeight + kGap;
    for (const bool client : {true, false}) {
        const Open &o = open[client ? 0 : 1];
        if (o.state)
            l.m_bands << LadderBand{client, *o.state, o.top, bottom};
    }
    l.m_lifelineBottom = bottom;
    qreal end = bottom + kMargin;
    if (!input.footnote.isEmpty()) {
        const qreal width = rightEdge - 2 * kMargin;
        const QRectF needed = fm.boundingRect(QRectF(0, 0, width, 1e6), Qt::TextWordWrap, input.footnote);
        l.m_footnote = input.footnote;
        l.m_footnoteRect = QRectF(kMargin, end, width, needed.height());
        end = l.m_footnoteRect.bottom() + kMargin;
    }
    l.m_size = QSizeF(std::ceil(rightEdge), std::ceil(end)); // whole pixels: PNG, SVG and widget agree
    return l;
}

} // namespace sockscope::ui
