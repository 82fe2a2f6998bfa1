#include "accessiblefactory.h"

#include "ladderdiagram.h"
#include "ladderdiagramaccessible.h"
#include "statediagram.h"
#include "statediagramaccessible.h"

#include <QAccessible>

namespace sockscope::ui {

namespace {

QAccessibleInterface *accessibleFor(const QString &, QObject *object)
{
    if (auto *diagram = qobject_cast<StateDiagram *>(object))
        return new StateDiagramAccessible(diagram);
    if (auto *ladder = qobject_cast<LadderDiagram *>(object))
        return new LadderDiagramAccessible(ladder);
    return nullptr;
}

} // namespace

void installAccessibleFactory()
{
    static const bool installed = [] {
        QAccessible::installFactory(accessibleFor);
        return true;
    }();
    Q_UNUSED(installed);
}

} // namespace sockscope::ui
