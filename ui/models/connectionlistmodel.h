#pragma once

#include "engine/sessiontypes.h"

#include <QAbstractTableModel>

namespace sockscope::core {
class SessionManager;
}

namespace sockscope::ui {

// The connections a listener accepted, one row each, refreshed by pulling. Each refresh
// starts a new snapshot: a row's state and counters are read once per refresh, when the row
// is first painted (or counted), and every cell of it is served from that copy. A server
// holding thousands of connections costs the GUI thread the rows on screen, not all of
// them, and no cell locks the manager.
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
        core::SessionId id = 0;
        quint64 takenIn = 0; // the refresh this copy was read in; 0: not read yet
        bool gone = true;    // forgotten by the manager
        bool open = false;
        QString peer;
        QString state;
        quint64 bytesIn = 0;
        quint64 bytesOut = 0;
    };
    const Row &snapshot(int row) const;

    core::SessionManager &m_sessions;
    core::SessionId m_listener = 0;
    mutable QList<Row> m_rows; // copies refreshed lazily by snapshot()
    quint64 m_refresh = 1;
    int m_open = 0;
    quint64 m_countedGeneration = ~quint64(0);
    qint64 m_countedAtMs = 0;
};

} // namespace sockscope::ui
