#include "formhelpers.h"

#include <QLabel>
#include <QLocale>
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
    label->setStyleSheet(QStringLiteral("QLabel { color: #b3261e; }"));
    label->setAccessibleName(QObject::tr("Error"));
    label->hide();
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
    label->setText(text);
    label->setVisible(!text.isEmpty());
}

QString humanBytes(quint64 bytes)
{
    return QLocale().formattedDataSize(qint64(bytes), 1, QLocale::DataSizeTraditionalFormat);
}

} // namespace sockscope::ui
