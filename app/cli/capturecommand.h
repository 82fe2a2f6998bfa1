#pragma once

#include <QStringList>

namespace sockscope::cli {

// sockscope-cli capture --port P [--count N] [--json] [--interface IF] [--host ADDR]
// [--timeout S]: the TCP segments of a flow, one line each, through sockscope-capture.
int runCapture(const QStringList &arguments);

} // namespace sockscope::cli
