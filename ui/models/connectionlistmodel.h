#pragma once

#include "engine/sessiontypes.h"

#include <QAbstractTableModel>

namespace sockscope::core {
class SessionManager;
}

namespace sockscope::ui {

// The connections a listener accepted, one row each, refreshed by pulling. Rows hold only
// the session id: data() reads the snapshot for the rows on screen, so a server holding
// thousands of connections costs the GUI thread the same as one holding ten.
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
    core::SessionManager &m_sessions;
    core::SessionId m_listener = 0;
    QList<core::SessionId> m_rows;
    int m_open = 0;
    quint64 m_countedGeneration = ~quint64(0);
    qint64 m_countedAtMs = 0;
};

} // namespace sockscope::ui
