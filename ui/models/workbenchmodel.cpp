#include "workbenchmodel.h"

#include "panes/pane.h"
#include "widgets/connectionview.h"

#include "engine/sessionmanager.h"

#include <QIcon>

namespace sockscope::ui {

using namespace sockscope::core;

namespace {
constexpr quintptr kPaneRow = 0; // internalId of top-level rows; children store their pane's key
}

WorkbenchModel::WorkbenchModel(SessionManager &sessions, QObject *parent)
    : QAbstractItemModel(parent)
    , m_sessions(sessions)
{
}

void WorkbenchModel::addPane(Pane *pane)
{
    beginInsertRows({}, int(m_entries.size()), int(m_entries.size()));
    m_entries.append(Entry{m_nextKey++, pane, pane->title(), pane->status(), {}});
    endInsertRows();
}

void WorkbenchModel::removePane(Pane *pane)
{
    const QModelIndex at = indexOf(pane);
    if (!at.isValid())
        return;
    beginRemoveRows({}, at.row(), at.row());
    m_entries.removeAt(at.row());
    endRemoveRows();
}

QModelIndex WorkbenchModel::indexOf(Pane *pane) const
{
    for (qsizetype i = 0; i < m_entries.size(); ++i) {
        if (m_entries[i].pane == pane)
            return index(int(i), 0);
    }
    return {};
}

qsizetype WorkbenchModel::entryRow(quintptr key) const
{
    // A handful of panes: a scan is cheaper than keeping a map in step.
    for (qsizetype i = 0; i < m_entries.size(); ++i) {
        if (m_entries[i].key == key)
            return i;
    }
    return -1;
}

const WorkbenchModel::Entry *WorkbenchModel::parentEntry(const QModelIndex &child) const
{
    if (!child.isValid() || child.internalId() == kPaneRow)
        return nullptr;
    const qsizetype row = entryRow(child.internalId());
    return row < 0 ? nullptr : &m_entries[row];
}

Pane *WorkbenchModel::paneAt(const QModelIndex &index) const
{
    if (!index.isValid())
        return nullptr;
    if (index.internalId() == kPaneRow)
        return index.row() < m_entries.size() ? m_entries[index.row()].pane.data() : nullptr;
    const Entry *e = parentEntry(index);
    return e ? e->pane.data() : nullptr;
}

SessionId WorkbenchModel::childAt(const QModelIndex &index) const
{
    const Entry *e = parentEntry(index);
    return e && index.row() < e->children.size() ? e->children[index.row()] : 0;
}

QString WorkbenchModel::childText(SessionId id) const
{
    const auto info = m_sessions.info(id);
    if (!info)
        return tr("#%1 (gone)").arg(id);
    const QString peer = info->peer.isValid() ? info->peer.toString() : sessionRoleName(info->role);
    return tr("#%1 %2 — %3").arg(id).arg(peer, describeState(*info));
}

void WorkbenchModel::refresh()
{
    // Child rows format their text in data(), for the rows on screen only: with thousands
    // of accepted connections, a refresh just says "the children may have changed".
    const quint64 generation = m_sessions.generation();
    const bool changed = generation != m_generation;
    m_generation = generation;
    for (qsizetype row = 0; row < m_entries.size(); ++row) {
        Entry &e = m_entries[row];
        if (!e.pane)
            continue;
        const QModelIndex parentIndex = index(int(row), 0);
        const QString title = e.pane->title();
        const QString status = e.pane->status();
        if (title != e.title || status != e.status) {
            e.title = title;
            e.status = status;
            emit dataChanged(parentIndex, parentIndex);
        }
        const QList<SessionId> children = e.pane->childSessions();
        // Children only grow at the end; anything else is rebuilt.
        const bool prefix = children.size() >= e.children.size()
                            && std::equal(e.children.cbegin(), e.children.cend(), children.cbegin());
        if (!prefix && !e.children.isEmpty()) {
            beginRemoveRows(parentIndex, 0, int(e.children.size()) - 1);
            e.children.clear();
            endRemoveRows();
        }
        if (changed && !e.children.isEmpty())
            emit dataChanged(index(0, 0, parentIndex), index(int(e.children.size()) - 1, 0, parentIndex));
        if (children.size() > e.children.size()) {
            beginInsertRows(parentIndex, int(e.children.size()), int(children.size()) - 1);
            e.children.append(children.mid(e.children.size()));
            endInsertRows();
        }
    }
}

QModelIndex WorkbenchModel::index(int row, int column, const QModelIndex &parent) const
{
    if (column != 0 || row < 0)
        return {};
    if (!parent.isValid())
        return row < m_entries.size() ? createIndex(row, 0, kPaneRow) : QModelIndex();
    if (parent.internalId() != kPaneRow || parent.row() >= m_entries.size())
        return {};
    const Entry &e = m_entries[parent.row()];
    return row < e.children.size() ? createIndex(row, 0, e.key) : QModelIndex();
}

QModelIndex WorkbenchModel::parent(const QModelIndex &child) const
{
    if (!child.isValid() || child.internalId() == kPaneRow)
        return {};
    const qsizetype row = entryRow(child.internalId());
    return row < 0 ? QModelIndex() : createIndex(int(row), 0, kPaneRow);
}

int WorkbenchModel::rowCount(const QModelIndex &parent) const
{
    if (!parent.isValid())
        return int(m_entries.size());
    if (parent.internalId() != kPaneRow || parent.row() >= m_entries.size())
        return 0;
    return int(m_entries[parent.row()].children.size());
}

int WorkbenchModel::columnCount(const QModelIndex &) const
{
    return 1;
}

QVariant WorkbenchModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid())
        return {};
    if (index.internalId() == kPaneRow) {
        const Entry &e = m_entries[index.row()];
        switch (role) {
        case Qt::DisplayRole: return QStringLiteral("%1 — %2").arg(e.title, e.status);
        case Qt::ToolTipRole: return e.pane ? e.pane->kindName() + QStringLiteral(": ") + e.status : QString();
        case Qt::DecorationRole: return e.pane ? QIcon::fromTheme(e.pane->iconName()) : QIcon();
        default: return {};
        }
    }
    const SessionId child = childAt(index);
    if ((role == Qt::DisplayRole || role == Qt::ToolTipRole) && child != 0)
        return childText(child);
    return {};
}

} // namespace sockscope::ui
