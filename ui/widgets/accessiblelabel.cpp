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
    label->setAccessibleDescription(text); // QWidget posts DescriptionChanged when it differs
}

} // namespace sockscope::ui
