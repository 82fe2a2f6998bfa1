#pragma once

class QAbstractItemView;

namespace sockscope::ui {

// An item view as keyboard and screen-reader users need it; call it after setModel().
// - Tab leaves the view: QTableView keeps Tab to move between cells, which traps a
//   keyboard user in the table (the arrow keys move between cells anyway).
// - A row selected without moving the current index (what a screen reader's selection
//   or table interface does: QAccessibleTable::selectRow) becomes the current one, so the
//   panes that follow currentChanged follow it too. A mouse or keyboard selection already
//   moved the current index first, so this changes nothing for them.
void makeItemViewAccessible(QAbstractItemView *view);

} // namespace sockscope::ui
