#pragma once

#include "engine/sessiontypes.h"
#include "engine/trafficlog.h"

#include <QAbstractTableModel>

#include <optional>

namespace sockscope::core {
class SessionManager;
}

namespace sockscope::ui {

// The connections a listener accepted, one row each, refreshed by pulling. Each refresh
// starts a new snapshot: a row's info and counters are read once per refresh, when the row
// is first painted (or counted), and every cell of it is served from that copy. A server
// holding thousands of connections costs the GUI thread the rows on screen, not all of
// them, and the cells of a row share one read instead of each locking the manager.
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
    // Each part is read at most once per refresh, when first needed: the open count reads
    // every row's info, painting reads the info and counters of the rows on screen.
    struct Row
    {
        core::SessionId id = 0;
        quint64 infoTakenIn = 0;   // the refresh `info` was read in; 0: not yet
        quint64 countsTakenIn = 0; // the same for `counts`
        std::optional<core::SessionInfo> info; // nullopt: forgotten by the manager
        core::TrafficTotals counts;
    };
    const std::optional<core::SessionInfo> &infoOf(int row) const;
    const core::TrafficTotals &countsOf(int row) const;

    core::SessionManager &m_sessions;
    core::SessionId m_listener = 0;
    mutable QList<Row> m_rows; // copies refreshed lazily by infoOf() and countsOf()
    quint64 m_refresh = 1;
    int m_open = 0;
    quint64 m_countedGeneration = ~quint64(0);
    qint64 m_countedAtMs = 0;
};

} // namespace sockscope::ui
