#include "accessiblelabel.h"

#include <QLabel>

namespace sockscope::ui {

void nameStatusLabel(QLabel *label, const QString &accessibleName)
{
    label->setAccessibleName(accessibleName);
    label->setAccessibleDescription(label->text());
}

void setStatusText(QLabel *label, const QString &text)
{
    label->setText(text);
    // QWidget::setAccessibleDescription() posts DescriptionChanged even for the same text:
    // a screen reader would hear every refresh of an unchanged label.
    if (label->accessibleDescription() != text)
        label->setAccessibleDescription(text);
}

} // namespace sockscope::ui
