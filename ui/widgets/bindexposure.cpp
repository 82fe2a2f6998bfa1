#include "bindexposure.h"

#include "net/address.h"

#include <QCoreApplication>

namespace sockscope::ui {

QString bindExposureWarning(const QString &host, Exposed what)
{
    const auto address = core::Address::ip(host.trimmed(), 0);
    if (!address || address->isLoopback())
        return {};
    const QString shown = address->host();
    if (address->isWildcard()) {
        return what == Exposed::Connections
            ? QCoreApplication::translate("BindExposure", "⚠ %1 accepts connections from every network this machine is on.").arg(shown)
            : QCoreApplication::translate("BindExposure", "⚠ %1 accepts datagrams from every network this machine is on.").arg(shown);
    }
    return what == Exposed::Connections
        ? QCoreApplication::translate("BindExposure", "⚠ %1 accepts connections from other machines on its network; 127.0.0.1 or ::1 keep the server to this one.").arg(shown)
        : QCoreApplication::translate("BindExposure", "⚠ %1 accepts datagrams from other machines on its network; 127.0.0.1 or ::1 keep the socket to this one.").arg(shown);
}

} // namespace sockscope::ui
