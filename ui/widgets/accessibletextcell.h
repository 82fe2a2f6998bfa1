#pragma once

#include <QAccessible>

namespace sockscope::ui {

class AccessibleTextTable;

// One cell of an AccessibleTextTable: reads its text from the table each time it is
// asked, so it never holds a stale copy of what the picture shows.
class AccessibleTextCell : public QAccessibleInterface, public QAccessibleTableCellInterface
{
public:
    AccessibleTextCell(AccessibleTextTable *table, int row, int column);

    bool isValid() const override;
    QObject *object() const override { return nullptr; }
    QWindow *window() const override;
    QAccessibleInterface *parent() const override;
    QAccessibleInterface *child(int) const override { return nullptr; }
    int childCount() const override { return 0; }
    int indexOfChild(const QAccessibleInterface *) const override { return -1; }
    QAccessibleInterface *childAt(int, int) const override { return nullptr; }
    QString text(QAccessible::Text type) const override;
    void setText(QAccessible::Text, const QString &) override {}
    QRect rect() const override;
    QAccessible::Role role() const override { return QAccessible::Cell; }
    QAccessible::State state() const override;
    void *interface_cast(QAccessible::InterfaceType type) override;

    // QAccessibleTableCellInterface
    bool isSelected() const override { return false; }
    QList<QAccessibleInterface *> columnHeaderCells() const override { return {}; }
    QList<QAccessibleInterface *> rowHeaderCells() const override { return {}; }
    int columnIndex() const override { return m_column; }
    int rowIndex() const override { return m_row; }
    int columnExtent() const override { return 1; }
    int rowExtent() const override { return 1; }
    QAccessibleInterface *table() const override;

private:
    AccessibleTextTable *m_table; // owns this cell: deletes it before itself
    int m_row;
    int m_column;
};

} // namespace sockscope::ui
