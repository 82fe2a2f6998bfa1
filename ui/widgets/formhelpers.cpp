#include "formhelpers.h"

#include "accessiblelabel.h"
#include "theme.h"

#include <QLabel>
#include <QLocale>
#include <QStyle>
#include <QToolButton>
#include <QWidget>

namespace sockscope::ui {

void describe(QWidget *widget, const QString &accessibleName, const QString &toolTip)
{
    widget->setAccessibleName(accessibleName);
    widget->setToolTip(toolTip);
}

QLabel *makeErrorLabel(QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setTextFormat(Qt::PlainText);
    label->setWordWrap(true);
    Theme::setTextRole(label, Theme::Role::Error);
    nameStatusLabel(label, QObject::tr("Error"));
    label->hide();
    return label;
}

QLabel *makeWarningLabel(QWidget *parent)
{
    auto *label = makeErrorLabel(parent);
    Theme::setTextRole(label, Theme::Role::Warning);
    nameStatusLabel(label, QObject::tr("Warning"));
    return label;
}

QLabel *buddyLabel(const QString &text, QWidget *buddy)
{
    auto *label = new QLabel(text, buddy->parentWidget());
    label->setTextFormat(Qt::PlainText);
    label->setBuddy(buddy);
    return label;
}

void showError(QLabel *label, const QString &text)
{
    setStatusText(label, text);
    label->setVisible(!text.isEmpty());
}

QToolButton *makeExpander(const QString &text, QWidget *section, QWidget *parent)
{
    auto *button = new QToolButton(parent);
    button->setText(text);
    button->setCheckable(true);
    button->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    button->setArrowType(Qt::RightArrow);
    button->setAutoRaise(true);
    button->setFocusPolicy(Qt::StrongFocus);
    section->setVisible(false);
    QObject::connect(button, &QToolButton::toggled, section, [button, section](bool open) {
        button->setArrowType(open ? Qt::DownArrow : Qt::RightArrow);
        section->setVisible(open);
    });
    return button;
}

QString humanBytes(quint64 bytes)
{
    // Counted in 1024s, so named in 1024s: KiB, MiB, GiB ("MB" would be 10^6 bytes).
    return QLocale().formattedDataSize(qint64(bytes), 1, QLocale::DataSizeIecFormat);
}

int columnWidthFor(const QWidget *view, const QString &sample)
{
    const QFontMetrics metrics = view->fontMetrics();
    const int margin = view->style()->pixelMetric(QStyle::PM_FocusFrameHMargin, nullptr, view) + 1;
    return metrics.horizontalAdvance(sample) + 2 * margin + metrics.horizontalAdvance(u'0');
}

} // namespace sockscope::ui
