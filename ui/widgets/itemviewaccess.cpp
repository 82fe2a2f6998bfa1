#include "itemviewaccess.h"

#include <QAbstractItemView>
#include <QItemSelectionModel>

namespace sockscope::ui {

void makeItemViewAccessible(QAbstractItemView *view)
{
    view->setTabKeyNavigation(false);
    QItemSelectionModel *selection = view->selectionModel();
    Q_ASSERT_X(selection, "makeItemViewAccessible", "call it after setModel()");
    QObject::connect(selection, &QItemSelectionModel::selectionChanged, view, [selection](const QItemSelection &selected) {
        const QModelIndex current = selection->currentIndex();
        if (selected.isEmpty() || (current.isValid() && selection->isSelected(current)))
            return;
        selection->setCurrentIndex(selected.indexes().constFirst(), QItemSelectionModel::NoUpdate);
    });
}

} // namespace sockscope::ui
