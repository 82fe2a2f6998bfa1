#pragma once

#include <QStringList>

namespace sockscope::cli {

// sockscope-cli resolve HOST [SERVICE] [--family unspec|inet|inet6] [--type any|stream|
//     dgram|raw|seqpacket] [--proto N|tcp|udp] [--flags AI_X,AI_Y] [--json]
// Every getaddrinfo row in the system's order; "-" for HOST or SERVICE passes NULL.
int runResolve(const QStringList &arguments);

} // namespace sockscope::cli
