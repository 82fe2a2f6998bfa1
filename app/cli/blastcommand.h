#pragma once

#include <QStringList>

namespace sockscope::cli {

// sockscope-cli blast tcp|udp HOST PORT --size N [--rate PPS | --mbit M]
//                                      [--count N | --duration S] [--json]
int runBlast(const QStringList &arguments);

} // namespace sockscope::cli
