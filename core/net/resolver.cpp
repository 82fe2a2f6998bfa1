#include "resolver.h"

#include <cerrno>

namespace sockscope::core {

std::expected<QList<AddrInfo>, SysError> Resolver::getaddrinfo(const std::optional<QString> &host,
                                                               const std::optional<QString> &service,
                                                               const AddrInfoHints &hints)
{
    addrinfo want{};
    want.ai_family = hints.family;
    want.ai_socktype = hints.socktype;
    want.ai_protocol = hints.protocol;
    want.ai_flags = hints.flags;

    const QByteArray h = host ? host->toUtf8() : QByteArray();
    const QByteArray s = service ? service->toUtf8() : QByteArray();
    addrinfo *list = nullptr;
    errno = 0;
    const int rc = ::getaddrinfo(host ? h.constData() : nullptr, service ? s.constData() : nullptr, &want, &list);
    if (rc != 0)
        return std::unexpected(SysError::fromGai(rc, errno));

    QList<AddrInfo> rows;
    for (const addrinfo *ai = list; ai; ai = ai->ai_next) {
        AddrInfo row;
        row.family = ai->ai_family;
        row.socktype = ai->ai_socktype;
        row.protocol = ai->ai_protocol;
        if (ai->ai_canonname)
            row.canonname = QString::fromUtf8(ai->ai_canonname);
        row.address = Address::fromSockaddr(ai->ai_addr, ai->ai_addrlen);
        rows.append(row);
    }
    freeaddrinfo(list);
    return rows;
}

} // namespace sockscope::core
