#pragma once

#include <QFont>
#include <QRawFont>
#include <QStyledItemDelegate>

#include <array>
#include <vector>

namespace sockscope::ui {

// Paints the cells of a traffic view. During a flood every row moves on every refresh,
// so every visible cell is painted 30 times a second, and the stock delegate lays each
// text out up to three times (size, elision, drawing) through the full shaping engine.
// Almost everything a traffic row shows is printable ASCII (escapes are ASCII too; so is
// the ellipsis of a cut record, which is in the table): for
// such text this delegate places glyphs from a per-font table, cut to the width with an
// ellipsis, and only other text goes through QPainter::drawText. Plain text, always.
class TrafficDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;

private:
    // Glyph index and advance of U+0020..U+007E, then of the ellipsis and two arrows.
    struct Glyphs
    {
        QFont font;
        QRawFont raw;
        std::array<quint32, 98> index{};
        std::array<qreal, 98> advance{};
        bool usable = false;
    };

    const Glyphs &glyphsFor(const QFont &font) const;
    bool drawAscii(QPainter *painter, const QRect &rect, const QString &text, Qt::Alignment align, const Glyphs &g) const;
    static void drawOther(QPainter *painter, const QRect &rect, const QString &text, Qt::Alignment align, const QFont &font);

    mutable std::vector<Glyphs> m_glyphs; // one per font seen (two in practice)
};

} // namespace sockscope::ui
