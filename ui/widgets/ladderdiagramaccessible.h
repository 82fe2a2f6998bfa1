#pragma once

#include "accessibletexttable.h"

#include <QCoreApplication>

namespace sockscope::ui {

class LadderDiagram;
struct LadderArrow;

// The packet ladder for a screen reader: a table with a row per row of the ladder (a
// segment, or a state change seen without one), giving its time, the arrow's direction,
// its flags and options, its seq/ack/window/length, and the state of each end after it.
// The description names the two ends and their states before the first row, or says why
// there is nothing to draw.
class LadderDiagramAccessible : public AccessibleTextTable
{
    Q_DECLARE_TR_FUNCTIONS(LadderDiagramAccessible)
public:
    enum Column { Time, Direction, Segment, Numbers, ClientState, ServerState, ColumnCount };

    explicit LadderDiagramAccessible(LadderDiagram *ladder);

    QString text(QAccessible::Text type) const override;
    int rowCount() const override;
    int columnCount() const override { return ColumnCount; }
    QString columnDescription(int column) const override;
    QString cellText(int row, int column) const override;
    QRect cellRect(int row, int column) const override;

private:
    LadderDiagram *ladder() const;
    const LadderArrow *arrowOf(int row) const;
    QString stateAfter(bool client, int row) const; // row -1: before the first
};

} // namespace sockscope::ui
