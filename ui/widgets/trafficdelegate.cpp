#include "trafficdelegate.h"

#include <QApplication>
#include <QPainter>

#include <cmath>

namespace sockscope::ui {

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

    const QRect rect = style->subElementRect(QStyle::SE_ItemViewItemText, &opt, widget).adjusted(2, 0, -2, 0);
    // Fractional advances: an integer pitch is rounded and overestimates what fits.
    const qreal pitch = std::max<qreal>(1, QFontMetricsF(opt.font).horizontalAdvance(u'0'));
    const auto fits = qsizetype(std::max<qreal>(0, std::floor(rect.width() / pitch)));
    QString shown = text;
    if (text.size() > fits) {
        shown = text.left(std::max<qsizetype>(0, fits - 1));
        if (shown.size() > 0 && shown.back().isHighSurrogate())
            shown.chop(1);
        shown += u'…';
    }
    const QPalette::ColorGroup group = !(opt.state & QStyle::State_Enabled) ? QPalette::Disabled
        : (opt.state & QStyle::State_Active)                               ? QPalette::Normal
                                                                           : QPalette::Inactive;
    painter->save();
    painter->setClipRect(rect);
    painter->setFont(opt.font);
    painter->setPen(opt.palette.color(group, (opt.state & QStyle::State_Selected) ? QPalette::HighlightedText : QPalette::Text));
    painter->drawText(rect, int(Qt::AlignLeft | Qt::AlignVCenter | Qt::TextSingleLine), shown);
    painter->restore();
}

} // namespace sockscope::ui
