#include "trafficdelegate.h"

#include <QApplication>
#include <QGlyphRun>
#include <QPainter>
#include <QVarLengthArray>

#include <cmath>
#include <iterator>

namespace sockscope::ui {

namespace {

// Table slots: U+0020..U+007E, then the few other characters the model puts in cells.
constexpr char16_t kExtras[] = {0x2026 /* … */, 0x2190 /* ← */, 0x2192 /* → */};
constexpr int kEllipsis = 95;

// The table slot of a character, -1 when it needs the full text engine.
int slotOf(QChar ch)
{
    const char16_t c = ch.unicode();
    if (c >= 0x20 && c <= 0x7e)
        return c - 0x20;
    for (size_t i = 0; i < std::size(kExtras); ++i) {
        if (c == kExtras[i])
            return kEllipsis + int(i);
    }
    return -1;
}

} // namespace

const TrafficDelegate::Glyphs &TrafficDelegate::glyphsFor(const QFont &font) const
{
    for (const Glyphs &g : m_glyphs) {
        if (g.font == font)
            return g;
    }
    Glyphs g;
    g.font = font;
    g.raw = QRawFont::fromFont(font);
    QString chars;
    for (char16_t c = 0x20; c < 0x7f; ++c)
        chars += QChar(c);
    for (char16_t c : kExtras)
        chars += QChar(c);
    const QList<quint32> indexes = g.raw.isValid() ? g.raw.glyphIndexesForString(chars) : QList<quint32>();
    g.usable = indexes.size() == qsizetype(g.index.size());
    if (g.usable) {
        const QList<QPointF> advances = g.raw.advancesForGlyphIndexes(indexes);
        for (size_t i = 0; i < g.index.size(); ++i) {
            g.index[i] = indexes[qsizetype(i)];
            g.advance[i] = advances.value(qsizetype(i)).x();
            // A missing ASCII glyph or ellipsis (index 0) would need a fallback font; a
            // missing arrow only sends the cells holding one through the text engine.
            if (i <= size_t(kEllipsis) && i > 0)
                g.usable = g.usable && g.index[i] != 0;
        }
    }
    m_glyphs.push_back(std::move(g));
    return m_glyphs.back();
}

bool TrafficDelegate::drawAscii(QPainter *painter, const QRect &rect, const QString &text, Qt::Alignment align,
                                const Glyphs &g) const
{
    QVarLengthArray<quint32, 256> glyphs;
    QVarLengthArray<QPointF, 256> positions;
    const qreal avail = rect.width();
    qreal x = 0;
    qsizetype fitted = -1; // how many glyphs leave room for the ellipsis
    for (qsizetype i = 0; i < text.size(); ++i) {
        const int slot = slotOf(text[i]);
        if (slot < 0 || (slot > kEllipsis && g.index[size_t(slot)] == 0))
            return false;
        if (x + g.advance[size_t(slot)] + g.advance[kEllipsis] <= avail)
            fitted = i + 1;
        if (x + g.advance[size_t(slot)] > avail) {
            // Too long: keep what fits beside the ellipsis.
            glyphs.resize(std::max<qsizetype>(fitted, 0));
            positions.resize(glyphs.size());
            x = glyphs.isEmpty() ? 0 : positions.back().x() + g.advance[size_t(slotOf(text[glyphs.size() - 1]))];
            glyphs.append(g.index[kEllipsis]);
            positions.append(QPointF(x, 0));
            x += g.advance[kEllipsis];
            break;
        }
        glyphs.append(g.index[size_t(slot)]);
        positions.append(QPointF(x, 0));
        x += g.advance[size_t(slot)];
    }
    qreal left = rect.left();
    if (align & Qt::AlignRight)
        left = rect.right() + 1 - x;
    else if (align & Qt::AlignHCenter)
        left = rect.left() + (avail - x) / 2;
    const qreal baseline = rect.top() + (rect.height() - (g.raw.ascent() + g.raw.descent())) / 2 + g.raw.ascent();
    QGlyphRun run;
    run.setRawFont(g.raw);
    run.setGlyphIndexes(QList<quint32>(glyphs.begin(), glyphs.end()));
    run.setPositions(QList<QPointF>(positions.begin(), positions.end()));
    painter->drawGlyphRun(QPointF(std::round(left), std::round(baseline)), run);
    return true;
}

void TrafficDelegate::drawOther(QPainter *painter, const QRect &rect, const QString &text, Qt::Alignment align,
                                const QFont &font)
{
    const QFontMetrics metrics(font);
    // Cut before eliding: elidedText lays out the whole string, and cells hold up to a few
    // hundred characters of which a few dozen show.
    const qsizetype roughFit = rect.width() / std::max(1, metrics.averageCharWidth() / 2) + 1;
    const QString shown = metrics.elidedText(text.left(roughFit), Qt::ElideRight, rect.width());
    painter->setFont(font);
    painter->drawText(rect, int((align & Qt::AlignHorizontal_Mask) | Qt::AlignVCenter | Qt::TextSingleLine), shown);
}

void TrafficDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    const QString text = opt.text;
    opt.text.clear();
    const QWidget *widget = opt.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();
    // Background, selection and focus as the style draws them; the text is ours.
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);
    if (text.isEmpty())
        return;

    const int margin = style->pixelMetric(QStyle::PM_FocusFrameHMargin, nullptr, widget) + 1;
    const QRect rect = style->subElementRect(QStyle::SE_ItemViewItemText, &opt, widget).adjusted(margin, 0, -margin, 0);
    const QPalette::ColorGroup group = !(opt.state & QStyle::State_Enabled) ? QPalette::Disabled
        : (opt.state & QStyle::State_Active)                               ? QPalette::Normal
                                                                           : QPalette::Inactive;
    painter->save();
    painter->setClipRect(rect);
    painter->setPen(opt.palette.color(group, (opt.state & QStyle::State_Selected) ? QPalette::HighlightedText : QPalette::Text));
    const Glyphs &g = glyphsFor(opt.font);
    if (!g.usable || !drawAscii(painter, rect, text, opt.displayAlignment, g))
        drawOther(painter, rect, text, opt.displayAlignment, opt.font);
    painter->restore();
}

} // namespace sockscope::ui
