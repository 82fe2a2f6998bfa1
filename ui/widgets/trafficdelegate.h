#pragma once

#include <QStyledItemDelegate>

namespace sockscope::ui {

// Paints the bytes columns of a traffic view. The stock delegate lays the whole cell text
// out up to three times per paint (size, elision, drawing); during a flood every row
// moves on every refresh, so that cost is paid 30 times a second for every visible row.
// With a fixed-pitch font the characters that fit are known from the width alone: this
// delegate cuts the text to them and lays out only what is seen. Plain text, always.
class TrafficDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
};

} // namespace sockscope::ui
