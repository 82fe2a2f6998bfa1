#include "statediagramaccessible.h"

#include "statediagram.h"

#include <QLocale>

namespace sockscope::ui {

StateDiagramAccessible::StateDiagramAccessible(StateDiagram *diagram)
    : AccessibleTextTable(diagram)
{
}

StateDiagram *StateDiagramAccessible::diagram() const
{
    return static_cast<StateDiagram *>(widget());
}

QString StateDiagramAccessible::text(QAccessible::Text type) const
{
    if (type != QAccessible::Description)
        return AccessibleTextTable::text(type);
    QStringList ends;
    for (int row = 0; row < rowCount(); ++row) {
        if (diagram()->currentState(StateDiagram::End(row)))
            ends << QStringLiteral("%1 %2").arg(diagram()->endTitle(StateDiagram::End(row)), stateText(row));
    }
    return ends.isEmpty() ? tr("No connection shown.") : ends.join(QStringLiteral(", "));
}

QString StateDiagramAccessible::columnDescription(int column) const
{
    switch (column) {
    case End: return tr("End");
    case State: return tr("State");
    case Since: return tr("Since");
    case Path: return tr("States so far");
    default: return {};
    }
}

QString StateDiagramAccessible::stateText(int row) const
{
    const auto end = StateDiagram::End(row);
    const auto state = diagram()->currentState(end);
    if (!state)
        return tr("none yet");
    const bool seen = diagram()->path(end).constLast().observed;
    // A state implied by a call's outcome is drawn dashed; say so rather than claim it was seen.
    return seen ? core::tcpStateName(*state) : tr("%1 (implied, not seen)").arg(core::tcpStateName(*state));
}

QString StateDiagramAccessible::cellText(int row, int column) const
{
    const auto end = StateDiagram::End(row);
    switch (column) {
    case End: return diagram()->endTitle(end);
    case State: return stateText(row);
    case Since: {
        const QDateTime since = diagram()->since(end);
        if (!since.isValid())
            return {};
        const double agoS = double(since.msecsTo(QDateTime::currentDateTime())) / 1000.0;
        return tr("%1 (%2 s ago)").arg(since.time().toString(QStringLiteral("HH:mm:ss.zzz")), QLocale().toString(agoS, 'f', 1));
    }
    case Path: {
        QStringList names;
        for (const StateDiagram::PathPoint &p : diagram()->path(end))
            names << core::tcpStateName(p.state);
        return names.join(QStringLiteral(" → "));
    }
    default: return {};
    }
}

QRect StateDiagramAccessible::cellRect(int row, int column) const
{
    const auto state = diagram()->currentState(StateDiagram::End(row));
    if (column != State || !state)
        return AccessibleTextTable::cellRect(row, column);
    return diagram()->stateRectInWidget(*state).toAlignedRect(); // the box the end is in
}

} // namespace sockscope::ui
