#pragma once

#include "accessibletexttable.h"

#include <QCoreApplication>

namespace sockscope::ui {

class StateDiagram;

// The state diagram for a screen reader: a table with a row per end of the connection
// (client, server) giving the end, the state it is in, since when, and the states it went
// through; the description sums up both ends ("client ESTABLISHED, server ESTABLISHED").
class StateDiagramAccessible : public AccessibleTextTable
{
    Q_DECLARE_TR_FUNCTIONS(StateDiagramAccessible)
public:
    enum Column { End, State, Since, Path, ColumnCount };

    explicit StateDiagramAccessible(StateDiagram *diagram);

    QString text(QAccessible::Text type) const override;
    int rowCount() const override { return 2; }
    int columnCount() const override { return ColumnCount; }
    QString columnDescription(int column) const override;
    QString cellText(int row, int column) const override;
    QRect cellRect(int row, int column) const override;

private:
    StateDiagram *diagram() const;
    QString stateText(int row) const;
};

} // namespace sockscope::ui
