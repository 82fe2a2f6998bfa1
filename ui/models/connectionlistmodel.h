#pragma once

#include "engine/sessiontypes.h"

#include <QAbstractTableModel>

namespace sockscope::core {
class SessionManager;
}

namespace sockscope::ui {

// The connections a listener accepted, one row each, refreshed by pulling: rows are only
// appended for new children and repainted for the ones whose snapshot or counters moved.
class ConnectionListModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Id, Peer, State, Received, Sent, ColumnCount };

    explicit ConnectionListModel(core::SessionManager &sessions, QObject *parent = nullptr);

    void setListener(core::SessionId listener);
    void refresh();
    core::SessionId idAt(int row) const;
    int rowOf(core::SessionId id) const;
    int openCount() const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    struct Row
    {
        core::SessionInfo info;
        quint64 in = 0;
        quint64 out = 0;
    };

    core::SessionManager &m_sessions;
    core::SessionId m_listener = 0;
    QList<Row> m_rows;
};

} // namespace sockscope::ui
