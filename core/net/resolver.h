#pragma once

#include "address.h"
#include "syserror.h"

#include <QList>
#include <QString>

#include <expected>
#include <netdb.h>
#include <optional>

namespace sockscope::core {

struct AddrInfoHints
{
    int family = AF_UNSPEC;
    int socktype = 0;
    int protocol = 0;
    int flags = 0;
};

// One row of getaddrinfo's answer, in the order the system returned it.
struct AddrInfo
{
    int family = AF_UNSPEC;
    int socktype = 0;
    int protocol = 0;
    QString canonname;
    Address address;
};

// Blocking resolver calls. Never call these on the GUI or the I/O thread: go through
// LookupService, which runs them on its worker pool.
class Resolver
{
public:
    // A null host or service (std::nullopt) is passed to getaddrinfo as NULL.
    static std::expected<QList<AddrInfo>, SysError> getaddrinfo(const std::optional<QString> &host,
                                                                const std::optional<QString> &service,
                                                                const AddrInfoHints &hints = {});
};

} // namespace sockscope::core
