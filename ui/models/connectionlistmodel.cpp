#include "connectionlistmodel.h"

#include "widgets/connectionview.h"
#include "widgets/formhelpers.h"

#include "engine/sessionmanager.h"

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
    const QList<SessionId> ids = m_sessions.children(m_listener);
    // Children are only ever appended (ids grow); a forgotten child resets the list.
    bool prefixKept = ids.size() >= m_rows.size();
    for (qsizetype i = 0; prefixKept && i < m_rows.size(); ++i)
        prefixKept = m_rows[i].info.id == ids[i];
    if (!prefixKept) {
        beginResetModel();
        m_rows.clear();
        endResetModel();
    }
    int firstChanged = -1, lastChanged = -1;
    for (qsizetype i = 0; i < m_rows.size(); ++i) {
        Row &row = m_rows[i];
        const auto info = m_sessions.info(row.info.id);
        const auto traffic = m_sessions.traffic(row.info.id);
        const TrafficTotals counts = traffic ? traffic->counts() : TrafficTotals{};
        if (!info || (info->version == row.info.version && counts.bytesIn == row.in && counts.bytesOut == row.out))
            continue;
        row.info = *info;
        row.in = counts.bytesIn;
        row.out = counts.bytesOut;
        if (firstChanged < 0)
            firstChanged = int(i);
        lastChanged = int(i);
    }
    if (firstChanged >= 0)
        emit dataChanged(index(firstChanged, 0), index(lastChanged, ColumnCount - 1));
    if (ids.size() > m_rows.size()) {
        const int first = int(m_rows.size());
        beginInsertRows({}, first, int(ids.size()) - 1);
        for (qsizetype i = first; i < ids.size(); ++i) {
            Row row;
            if (auto info = m_sessions.info(ids[i]))
                row.info = *info;
            row.info.id = ids[i];
            m_rows.append(row);
        }
        endInsertRows();
    }
}

SessionId ConnectionListModel::idAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows[row].info.id : 0;
}

int ConnectionListModel::rowOf(SessionId id) const
{
    for (qsizetype i = 0; i < m_rows.size(); ++i) {
        if (m_rows[i].info.id == id)
            return int(i);
    }
    return -1;
}

int ConnectionListModel::openCount() const
{
    return int(std::count_if(m_rows.cbegin(), m_rows.cend(), [](const Row &r) { return r.info.state == SessionState::Connected; }));
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
    const Row &row = m_rows[index.row()];
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case Id: return QStringLiteral("#%1").arg(row.info.id);
        case Peer: return row.info.peer.isValid() ? row.info.peer.toString() : tr("(unnamed)");
        case State: return describeState(row.info);
        case Received: return humanBytes(row.in);
        case Sent: return humanBytes(row.out);
        }
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
