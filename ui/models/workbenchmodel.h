#pragma once

#include "engine/sessiontypes.h"

#include <QAbstractItemModel>
#include <QPointer>

namespace sockscope::core {
class SessionManager;
}

namespace sockscope::ui {

class Pane;

// The session tree: one top-level row per pane, its sessions' children (accepted
// connections) below it. Refreshed by pulling; rows are inserted and repainted, never
// reset, so the selection survives traffic. A child's index carries its pane's key, not
// its pane's row: rows move when a pane above is removed, keys never do.
class WorkbenchModel : public QAbstractItemModel
{
    Q_OBJECT
public:
    explicit WorkbenchModel(core::SessionManager &sessions, QObject *parent = nullptr);

    void addPane(Pane *pane);
    void removePane(Pane *pane);
    Pane *paneAt(const QModelIndex &index) const;  // the pane of a row or of its parent
    core::SessionId childAt(const QModelIndex &index) const; // 0 for pane rows
    QModelIndex indexOf(Pane *pane) const;
    void refresh();

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;

private:
    struct Entry
    {
        quintptr key = 0; // internalId of this entry's children; never reused
        QPointer<Pane> pane;
        QString title;
        QString status;
        QList<core::SessionId> children;
    };
    QString childText(core::SessionId id) const;
    qsizetype entryRow(quintptr key) const; // -1 once the pane is gone
    const Entry *parentEntry(const QModelIndex &child) const;

    core::SessionManager &m_sessions;
    QList<Entry> m_entries;
    quintptr m_nextKey = 1;
    quint64 m_generation = ~quint64(0);
};

} // namespace sockscope::ui
