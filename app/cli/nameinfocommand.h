#pragma once

#include <QStringList>

namespace sockscope::cli {

// sockscope-cli nameinfo ADDRESS [PORT] [--flags NI_X,...] [--json]
// getnameinfo of a numeric address, as Python's socket.getnameinfo((ADDRESS, PORT), flags).
int runNameinfo(const QStringList &arguments);

} // namespace sockscope::cli
