#include "accessibletextcell.h"

#include "accessibletexttable.h"

namespace sockscope::ui {

AccessibleTextCell::AccessibleTextCell(AccessibleTextTable *table, int row, int column)
    : m_table(table)
    , m_row(row)
    , m_column(column)
{
}

bool AccessibleTextCell::isValid() const
{
    return m_table->isValid() && m_row < m_table->rowCount() && m_column < m_table->columnCount();
}

QWindow *AccessibleTextCell::window() const
{
    return m_table->window();
}

QAccessibleInterface *AccessibleTextCell::parent() const
{
    return m_table;
}

QAccessibleInterface *AccessibleTextCell::table() const
{
    return m_table;
}

QString AccessibleTextCell::text(QAccessible::Text type) const
{
    if (!isValid())
        return {};
    switch (type) {
    case QAccessible::Name: return m_table->cellText(m_row, m_column);
    case QAccessible::Description: return m_table->columnDescription(m_column);
    default: return {};
    }
}

QRect AccessibleTextCell::rect() const
{
    if (!isValid())
        return {};
    return m_table->cellRectOnScreen(m_row, m_column);
}

QAccessible::State AccessibleTextCell::state() const
{
    QAccessible::State s;
    s.readOnly = true;
    s.invalid = !isValid();
    return s;
}

void *AccessibleTextCell::interface_cast(QAccessible::InterfaceType type)
{
    if (type == QAccessible::TableCellInterface)
        return static_cast<QAccessibleTableCellInterface *>(this);
    return nullptr;
}

} // namespace sockscope::ui
