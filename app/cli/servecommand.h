#pragma once

#include <QStringList>

namespace sockscope::cli {

// sockscope-cli serve tcp|udp [--bind ADDR] [--port P] [--backlog N] [--mode M] [--json]
int runServe(const QStringList &arguments);

} // namespace sockscope::cli
