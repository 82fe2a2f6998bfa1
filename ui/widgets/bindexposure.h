#pragma once

#include <QString>

namespace sockscope::ui {

// What a server's bind address lets in, said where the user chooses it: loopback keeps
// a server to this machine, anything else opens it to other machines, which a user
// poking a service by hand may not have meant (issue 12: least privilege).
enum class Exposed { Connections, Datagrams };

// The warning for binding `host`: empty for a loopback address, and for text that is not
// an address at all (the pane's own inline error names that when the user starts).
QString bindExposureWarning(const QString &host, Exposed what);

} // namespace sockscope::ui
