#include "accessibletexttable.h"

#include "accessibletextcell.h"

#include <QWidget>

namespace sockscope::ui {

AccessibleTextTable::AccessibleTextTable(QWidget *widget)
    : QAccessibleWidget(widget, QAccessible::Table)
{
}

AccessibleTextTable::~AccessibleTextTable()
{
    for (QAccessible::Id id : std::as_const(m_cells))
        QAccessible::deleteAccessibleInterface(id);
}

QRect AccessibleTextTable::cellRect(int, int) const
{
    return widget()->rect();
}

QRect AccessibleTextTable::cellRectOnScreen(int row, int column) const
{
    const QRect inWidget = cellRect(row, column);
    return QRect(widget()->mapToGlobal(inWidget.topLeft()), inWidget.size());
}

void AccessibleTextTable::notifyChanged(QWidget *widget, bool rowsChanged, int firstRow, int lastRow)
{
    if (!QAccessible::isActive())
        return;
    QAccessibleTableModelChangeEvent event(widget, rowsChanged ? QAccessibleTableModelChangeEvent::ModelReset
                                                               : QAccessibleTableModelChangeEvent::DataChanged);
    if (!rowsChanged) {
        event.setFirstRow(firstRow);
        event.setLastRow(lastRow);
    }
    QAccessible::updateAccessibility(&event);
    QAccessibleInterface *iface = QAccessible::queryAccessibleInterface(widget);
    QAccessibleTableInterface *table = iface ? iface->tableInterface() : nullptr;
    if (rowsChanged || !table)
        return;
    // Each cell's name is its text: say which ones now read differently.
    for (int row = firstRow; row <= std::min(lastRow, table->rowCount() - 1); ++row) {
        for (int column = 0; column < table->columnCount(); ++column) {
            QAccessibleEvent cellEvent(table->cellAt(row, column), QAccessible::NameChanged);
            QAccessible::updateAccessibility(&cellEvent);
        }
    }
}

void *AccessibleTextTable::interface_cast(QAccessible::InterfaceType type)
{
    if (type == QAccessible::TableInterface)
        return static_cast<QAccessibleTableInterface *>(this);
    return QAccessibleWidget::interface_cast(type);
}

int AccessibleTextTable::childCount() const
{
    return rowCount() * columnCount();
}

QAccessibleInterface *AccessibleTextTable::child(int index) const
{
    const int columns = columnCount();
    if (index < 0 || columns == 0 || index >= childCount())
        return nullptr;
    return cellAt(index / columns, index % columns);
}

int AccessibleTextTable::indexOfChild(const QAccessibleInterface *child) const
{
    const auto *cell = child ? const_cast<QAccessibleInterface *>(child)->tableCellInterface() : nullptr;
    if (!cell || cell->table() != this)
        return -1;
    return cell->rowIndex() * columnCount() + cell->columnIndex();
}

QAccessibleInterface *AccessibleTextTable::childAt(int x, int y) const
{
    const QPoint at = widget()->mapFromGlobal(QPoint(x, y));
    for (int row = 0; row < rowCount(); ++row) {
        for (int column = 0; column < columnCount(); ++column) {
            if (cellRect(row, column).contains(at) && cellRect(row, column) != widget()->rect())
                return cellAt(row, column);
        }
    }
    return nullptr;
}

QAccessibleInterface *AccessibleTextTable::cellAt(int row, int column) const
{
    if (row < 0 || column < 0 || row >= rowCount() || column >= columnCount())
        return nullptr;
    const auto key = qMakePair(row, column);
    if (const auto it = m_cells.constFind(key); it != m_cells.cend())
        return QAccessible::accessibleInterface(*it);
    // The cell reads the table it belongs to; the table is never modified through it.
    auto *cell = new AccessibleTextCell(const_cast<AccessibleTextTable *>(this), row, column);
    m_cells.insert(key, QAccessible::registerAccessibleInterface(cell));
    return cell;
}

void AccessibleTextTable::modelChange(QAccessibleTableModelChangeEvent *event)
{
    if (event->modelChangeType() == QAccessibleTableModelChangeEvent::DataChanged)
        return;
    // Rows came or went: the cells past the end go (the others read their rows afresh).
    const int rows = rowCount();
    const int columns = columnCount();
    for (auto it = m_cells.begin(); it != m_cells.end();) {
        if (it.key().first >= rows || it.key().second >= columns) {
            QAccessible::deleteAccessibleInterface(*it);
            it = m_cells.erase(it);
        } else {
            ++it;
        }
    }
}

} // namespace sockscope::ui
