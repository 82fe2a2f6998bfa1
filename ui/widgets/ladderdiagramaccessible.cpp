#include "ladderdiagramaccessible.h"

#include "ladderdiagram.h"

namespace sockscope::ui {

LadderDiagramAccessible::LadderDiagramAccessible(LadderDiagram *ladder)
    : AccessibleTextTable(ladder)
{
}

LadderDiagram *LadderDiagramAccessible::ladder() const
{
    return static_cast<LadderDiagram *>(widget());
}

QString LadderDiagramAccessible::text(QAccessible::Text type) const
{
    if (type == QAccessible::Name && widget()->accessibleName().isEmpty())
        return tr("Packet ladder");
    if (type != QAccessible::Description)
        return AccessibleTextTable::text(type);
    const LadderLayout &layout = ladder()->ladderLayout();
    if (layout.times().isEmpty())
        return ladder()->placeholderText();
    return tr("Client %1, server %2. Before the first row: client %3, server %4.")
        .arg(layout.clientTitle(), layout.serverTitle(), stateAfter(true, -1), stateAfter(false, -1));
}

int LadderDiagramAccessible::rowCount() const
{
    return int(ladder()->ladderLayout().times().size());
}

QString LadderDiagramAccessible::columnDescription(int column) const
{
    switch (column) {
    case Time: return tr("Time");
    case Direction: return tr("Direction");
    case Segment: return tr("Flags");
    case Numbers: return tr("Seq, ack, window, length");
    case ClientState: return tr("Client state after");
    case ServerState: return tr("Server state after");
    default: return {};
    }
}

const LadderArrow *LadderDiagramAccessible::arrowOf(int row) const
{
    for (const LadderArrow &a : ladder()->ladderLayout().arrows()) {
        if (a.segment == row)
            return &a;
    }
    return nullptr;
}

QString LadderDiagramAccessible::stateAfter(bool client, int row) const
{
    // The ladder boxes a state where it begins; the one in force is the last begun.
    QString state;
    for (const LadderStateLabel &label : ladder()->ladderLayout().states()) {
        if (label.client == client && label.row <= row)
            state = label.text;
    }
    return state.isEmpty() ? tr("unknown") : state;
}

QString LadderDiagramAccessible::cellText(int row, int column) const
{
    const LadderLayout &layout = ladder()->ladderLayout();
    if (row < 0 || row >= layout.times().size())
        return {};
    const LadderArrow *arrow = arrowOf(row);
    switch (column) {
    case Time: return layout.times().at(row).text;
    case Direction:
        if (!arrow)
            return tr("no segment: state change seen by the kernel");
        return arrow->toServer ? tr("client → server") : tr("server → client");
    case Segment: return arrow ? arrow->title : QString();
    case Numbers: return arrow ? arrow->detail : QString();
    case ClientState: return stateAfter(true, row);
    case ServerState: return stateAfter(false, row);
    default: return {};
    }
}

QRect LadderDiagramAccessible::cellRect(int row, int column) const
{
    const LadderArrow *arrow = arrowOf(row);
    if (!arrow || (column != Segment && column != Numbers))
        return AccessibleTextTable::cellRect(row, column);
    const QRectF inLayout = column == Segment ? arrow->titleRect : arrow->detailRect;
    const qreal scale = ladder()->viewScale();
    const QPointF offset = ladder()->contentOffset();
    return QRectF(offset + inLayout.topLeft() * scale, inLayout.size() * scale).toAlignedRect();
}

} // namespace sockscope::ui
