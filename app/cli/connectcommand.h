#pragma once

#include <QStringList>

namespace sockscope::cli {

// sockscope-cli connect tcp|udp HOST PORT [--send TEXT | --send-hex HEX]
//                                        [--shutdown-write] [--timeout S] [--idle S] [--json]
int runConnect(const QStringList &arguments);

} // namespace sockscope::cli
