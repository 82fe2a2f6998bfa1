#include "optionsmodel.h"

#include "theme.h"

#include <QBrush>
#include <QColor>
#include <QFont>

namespace sockscope::ui {

using namespace sockscope::core;

OptionsModel::OptionsModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void OptionsModel::setSocketKind(int family, int type)
{
    beginResetModel();
    m_rows = socketOptionsFor(family, type);
    m_readings.clear();
    m_applied.clear();
    endResetModel();
}

void OptionsModel::setReadings(const QList<OptionReading> &readings)
{
    for (const OptionReading &r : readings)
        m_readings.insert(r.option, r);
    if (!m_rows.isEmpty())
        emit dataChanged(index(0, ValueColumn), index(int(m_rows.size()) - 1, ValueColumn));
}

void OptionsModel::setApplyResult(const OptionApplyResult &result)
{
    if (!result.option)
        return;
    m_applied.insert(result.option, result);
    const int row = rowOf(result.option);
    if (row >= 0)
        emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

void OptionsModel::clearValues()
{
    m_readings.clear();
    if (!m_rows.isEmpty())
        emit dataChanged(index(0, ValueColumn), index(int(m_rows.size()) - 1, ValueColumn));
}

const SocketOption *OptionsModel::option(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows[row] : nullptr;
}

int OptionsModel::rowOf(const SocketOption *option) const
{
    return int(m_rows.indexOf(option));
}

std::optional<OptionReading> OptionsModel::reading(const SocketOption *option) const
{
    auto it = m_readings.constFind(option);
    return it == m_readings.cend() ? std::nullopt : std::optional(*it);
}

std::optional<OptionApplyResult> OptionsModel::applyResult(const SocketOption *option) const
{
    auto it = m_applied.constFind(option);
    return it == m_applied.cend() ? std::nullopt : std::optional(*it);
}

int OptionsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int OptionsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString OptionsModel::valueText(const OptionReading &reading)
{
    if (reading.error)
        return reading.error->name();
    if (!reading.option->gettable())
        return tr("(set-only)");
    if (!reading.value)
        return {};
    return describeOptionValue(*reading.option, *reading.value);
}

QString OptionsModel::applyText(const OptionApplyResult &result)
{
    if (result.error)
        return result.error->domain() == SysError::Domain::Errno ? result.error->name() : tr("invalid value");
    if (!result.kept)
        return tr("set %1").arg(result.asked);
    const QString kept = formatOptionValue(*result.keptOption, *result.kept);
    if (result.keptOption == result.option && kept == result.asked)
        return tr("kept %1").arg(kept);
    return tr("asked %1 → kept %2").arg(result.asked, kept);
}

QVariant OptionsModel::data(const QModelIndex &index, int role) const
{
    const SocketOption *row = option(index.row());
    if (!row)
        return {};
    const auto readingIt = m_readings.constFind(row);
    const auto appliedIt = m_applied.constFind(row);
    switch (role) {
    case OptionRole: return QVariant::fromValue(quintptr(row));
    case FilterRole: return row->levelText() + u' ' + row->nameText();
    case Qt::DisplayRole:
        switch (index.column()) {
        case NameColumn: return row->nameText();
        case LevelColumn: return row->levelText();
        case ValueColumn: return readingIt == m_readings.cend() ? QString() : valueText(*readingIt);
        case ApplyColumn: return appliedIt == m_applied.cend() ? QString() : applyText(*appliedIt);
        }
        break;
    case Qt::ToolTipRole:
        if (index.column() == ValueColumn && readingIt != m_readings.cend() && readingIt->error)
            return readingIt->error->toString();
        if (index.column() == ApplyColumn && appliedIt != m_applied.cend() && appliedIt->error)
            return appliedIt->error->toString();
        return QStringLiteral("%1 (%2): %3").arg(row->nameText(), row->cTypeName(), QString::fromLatin1(row->summary));
    case Qt::ForegroundRole:
        if ((index.column() == ApplyColumn && appliedIt != m_applied.cend() && appliedIt->error)
            || (index.column() == ValueColumn && readingIt != m_readings.cend() && readingIt->error))
            return QBrush(Theme::ofApp().color(Theme::Role::Error));
        if (index.column() == LevelColumn || (index.column() == NameColumn && !row->settable()))
            return QBrush(Theme::ofApp().color(Theme::Role::Muted));
        break;
    case Qt::FontRole:
        if (index.column() == ValueColumn || index.column() == NameColumn) {
            QFont mono(QStringLiteral("monospace"));
            mono.setStyleHint(QFont::TypeWriter);
            return mono;
        }
        break;
    case Qt::AccessibleTextRole:
        if (index.column() == ValueColumn)
            return tr("%1 is %2").arg(row->nameText(), data(index, Qt::DisplayRole).toString());
        break;
    default: break;
    }
    return {};
}

QVariant OptionsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case NameColumn: return tr("Option");
    case LevelColumn: return tr("Level");
    case ValueColumn: return tr("Kernel value");
    case ApplyColumn: return tr("Last apply");
    }
    return {};
}

} // namespace sockscope::ui
