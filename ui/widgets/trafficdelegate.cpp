#include "trafficdelegate.h"

#include <QApplication>
#include <QPainter>

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
    const QFontMetrics metrics(opt.font);
    const int pitch = std::max(1, metrics.horizontalAdvance(u'0'));
    const qsizetype fits = std::max(0, rect.width() / pitch);
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
