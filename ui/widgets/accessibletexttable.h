#pragma once

#include <QAccessibleWidget>
#include <QHash>
#include <QPair>

namespace sockscope::ui {

// A read-only table of plain text put behind a picture for screen readers (AT-SPI's
// Table interface, as QAccessibleTable does for item views): what a painted widget shows,
// row by row. Subclasses say how many rows there are and what each cell reads; the cells
// (AccessibleTextCell) are made on demand, registered with QAccessible and deleted with
// the table or when a reset leaves them past the last row.
class AccessibleTextTable : public QAccessibleWidget, public QAccessibleTableInterface
{
public:
    explicit AccessibleTextTable(QWidget *widget);
    ~AccessibleTextTable() override;
    AccessibleTextTable(const AccessibleTextTable &) = delete;
    AccessibleTextTable &operator=(const AccessibleTextTable &) = delete;

    virtual QString cellText(int row, int column) const = 0;
    // Where the cell is drawn, in widget coordinates; the whole widget by default.
    virtual QRect cellRect(int row, int column) const;
    QRect cellRectOnScreen(int row, int column) const; // what AT-SPI asks: global coordinates

    // Tells a screen reader that the table changed: `rowsChanged` when rows came or went
    // (a reset), else the cells of rows [firstRow, lastRow] read differently. Nothing is
    // made or sent while no assistive technology is listening.
    static void notifyChanged(QWidget *widget, bool rowsChanged, int firstRow = 0, int lastRow = -1);

    // QAccessibleInterface
    void *interface_cast(QAccessible::InterfaceType type) override;
    int childCount() const override;
    QAccessibleInterface *child(int index) const override;
    int indexOfChild(const QAccessibleInterface *child) const override;
    QAccessibleInterface *childAt(int x, int y) const override;

    // QAccessibleTableInterface: no caption, no selection.
    QAccessibleInterface *caption() const override { return nullptr; }
    QAccessibleInterface *summary() const override { return nullptr; }
    QAccessibleInterface *cellAt(int row, int column) const override;
    QString rowDescription(int) const override { return {}; }
    int selectedCellCount() const override { return 0; }
    QList<QAccessibleInterface *> selectedCells() const override { return {}; }
    int selectedColumnCount() const override { return 0; }
    int selectedRowCount() const override { return 0; }
    QList<int> selectedColumns() const override { return {}; }
    QList<int> selectedRows() const override { return {}; }
    bool isColumnSelected(int) const override { return false; }
    bool isRowSelected(int) const override { return false; }
    bool selectRow(int) override { return false; }
    bool selectColumn(int) override { return false; }
    bool unselectRow(int) override { return false; }
    bool unselectColumn(int) override { return false; }
    void modelChange(QAccessibleTableModelChangeEvent *event) override;

private:
    mutable QHash<QPair<int, int>, QAccessible::Id> m_cells;
};

} // namespace sockscope::ui
