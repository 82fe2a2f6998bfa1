#pragma once

namespace sockscope::ui {

// Installs (once; later calls do nothing) the factory that gives the painted widgets their
// accessible tables: StateDiagram -> StateDiagramAccessible, LadderDiagram ->
// LadderDiagramAccessible. Those widgets call it in their constructors, so it is in place
// before anything asks for their interface, in the app and in tests alike.
void installAccessibleFactory();

} // namespace sockscope::ui
