#include "connectionlistmodel.h"

#include "widgets/connectionview.h"
#include "widgets/formhelpers.h"

#include "engine/sessionmanager.h"

#include <QDateTime>

namespace sockscope::ui {

using namespace sockscope::core;

ConnectionListModel::ConnectionListModel(SessionManager &sessions, QObject *parent)
    : QAbstractTableModel(parent)
    , m_sessions(sessions)
{
}

void ConnectionListModel::setListener(SessionId listener)
{
    beginResetModel();
    m_listener = listener;
    m_rows.clear();
    endResetModel();
    refresh();
}

void ConnectionListModel::refresh()
{
    if (!m_listener)
        return;
    ++m_refresh; // every row's copy is now stale
    const QList<SessionId> ids = m_sessions.children(m_listener);
    // Children are only ever appended (ids grow); a forgotten child resets the list.
    const bool prefixKept = ids.size() >= m_rows.size()
                            && std::equal(m_rows.cbegin(), m_rows.cend(), ids.cbegin(),
                                          [](const Row &row, SessionId id) { return row.id == id; });
    if (!prefixKept) {
        beginResetModel();
        m_rows.clear();
        endResetModel();
    }
    // States and counters move all the time: repaint what is on screen.
    if (!m_rows.isEmpty())
        emit dataChanged(index(0, 0), index(int(m_rows.size()) - 1, ColumnCount - 1));
    if (ids.size() > m_rows.size()) {
        beginInsertRows({}, int(m_rows.size()), int(ids.size()) - 1);
        for (qsizetype i = m_rows.size(); i < ids.size(); ++i)
            m_rows.append(Row{.id = ids[i]});
        endInsertRows();
    }
    // The open count reads every row: only when something changed, at most twice a second.
    const quint64 generation = m_sessions.generation();
    const qint64 nowMs = QDateTime::currentMSecsSinceEpoch();
    if (generation != m_countedGeneration && nowMs - m_countedAtMs >= 500) {
        m_countedGeneration = generation;
        m_countedAtMs = nowMs;
        m_open = 0;
        for (int row = 0; row < m_rows.size(); ++row) {
            const auto &info = infoOf(row);
            m_open += info && info->state == SessionState::Connected ? 1 : 0;
        }
    }
}

const std::optional<SessionInfo> &ConnectionListModel::infoOf(int row) const
{
    Row &r = m_rows[row];
    if (r.infoTakenIn != m_refresh) {
        r.infoTakenIn = m_refresh;
        r.info = m_sessions.info(r.id);
    }
    return r.info;
}

const TrafficTotals &ConnectionListModel::countsOf(int row) const
{
    Row &r = m_rows[row];
    if (r.countsTakenIn != m_refresh) {
        r.countsTakenIn = m_refresh;
        const auto traffic = m_sessions.traffic(r.id);
        r.counts = traffic ? traffic->counts() : TrafficTotals{};
    }
    return r.counts;
}

SessionId ConnectionListModel::idAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows[row].id : 0;
}

int ConnectionListModel::rowOf(SessionId id) const
{
    const auto it = std::find_if(m_rows.cbegin(), m_rows.cend(), [id](const Row &r) { return r.id == id; });
    return it == m_rows.cend() ? -1 : int(it - m_rows.cbegin());
}

int ConnectionListModel::openCount() const
{
    return m_open;
}

int ConnectionListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ConnectionListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ConnectionListModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    // The tooltip carries a state longer than its column ("… · write shut (FIN sent) · 2 KiB queued").
    if (role == Qt::DisplayRole || (role == Qt::ToolTipRole && index.column() == State)) {
        if (index.column() == Id)
            return QStringLiteral("#%1").arg(m_rows[index.row()].id);
        switch (index.column()) {
        case Received: return humanBytes(countsOf(index.row()).bytesIn);
        case Sent: return humanBytes(countsOf(index.row()).bytesOut);
        }
        const auto &info = infoOf(index.row());
        if (!info)
            return tr("(gone)");
        if (index.column() == Peer)
            return info->peer.isValid() ? info->peer.toString() : tr("(unnamed)");
        return describeState(*info);
    }
    if (role == Qt::TextAlignmentRole && (index.column() == Received || index.column() == Sent))
        return int(Qt::AlignRight | Qt::AlignVCenter);
    return {};
}

QVariant ConnectionListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Id: return tr("Session");
    case Peer: return tr("Peer");
    case State: return tr("State");
    case Received: return tr("Received");
    case Sent: return tr("Sent");
    }
    return {};
}

} // namespace sockscope::ui
