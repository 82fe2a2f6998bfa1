#pragma once

#include <QStringList>

namespace sockscope::cli {

// sockscope-cli states [--port P] [--tcp] [--udp] [--unix] [--json]: one sock_diag dump.
int runStates(const QStringList &arguments);
// sockscope-cli watch [--port P] [--json] [--count N] [--timeout S]: TCP state changes as seen.
int runWatch(const QStringList &arguments);

} // namespace sockscope::cli
