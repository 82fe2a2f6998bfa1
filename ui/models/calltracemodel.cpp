#include "calltracemodel.h"

#include "theme.h"

#include <QBrush>
#include <QColor>
#include <QFontDatabase>

namespace sockscope::ui {

using namespace sockscope::core;

CallTraceModel::CallTraceModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void CallTraceModel::setTrace(std::shared_ptr<const CallTrace> trace)
{
    if (trace == m_trace)
        return;
    beginResetModel();
    m_trace = std::move(trace);
    m_rows.clear();
    m_lastSeq = 0;
    m_originNs = 0;
    endResetModel();
    refresh();
}

void CallTraceModel::refresh()
{
    if (!m_trace || m_trace->lastSeq() == m_lastSeq)
        return;
    QList<CallRecord> fresh = m_trace->since(m_lastSeq);
    if (fresh.isEmpty())
        return;
    if (m_originNs == 0)
        m_originNs = fresh.first().timeNs;
    m_lastSeq = fresh.last().seq;
    // The trace dropped its oldest records to stay under its cap: drop the same rows first,
    // so the model never holds more than the trace does. `fresh` itself is at most the cap.
    const qsizetype excess = m_rows.size() + fresh.size() - m_trace->cap();
    if (excess > 0) {
        beginRemoveRows({}, 0, int(excess) - 1);
        m_rows.remove(0, excess);
        endRemoveRows();
    }
    beginInsertRows({}, int(m_rows.size()), int(m_rows.size() + fresh.size() - 1));
    m_rows.append(std::move(fresh));
    endInsertRows();
}

int CallTraceModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int CallTraceModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant CallTraceModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const CallRecord &r = m_rows[index.row()];
    if (role == Qt::DisplayRole || role == Qt::ToolTipRole) {
        switch (index.column()) {
        case Time: return QStringLiteral("+%1 s").arg(double(r.timeNs - m_originNs) / 1e9, 0, 'f', 6);
        case Call: return r.code;
        case Result: return r.ok() ? r.result : r.error->message();
        case Errno: return r.ok() ? QString() : QStringLiteral("%1 (%2)").arg(r.error->name()).arg(r.error->code());
        case Hint: return r.ok() ? QString() : r.error->hint();
        }
    }
    if (role == Qt::ForegroundRole && !r.ok())
        return QBrush(Theme::ofApp().color(Theme::Role::Error));
    if (role == Qt::FontRole && index.column() == Call)
        return QFontDatabase::systemFont(QFontDatabase::FixedFont);
    return {};
}

QVariant CallTraceModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Time: return tr("Time");
    case Call: return tr("Call (as Python)");
    case Result: return tr("Result");
    case Errno: return tr("errno");
    case Hint: return tr("Hint");
    }
    return {};
}

} // namespace sockscope::ui
