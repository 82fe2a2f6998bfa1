#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <memory>
#include <optional>

namespace sockscope::core {

enum class ServiceMode { None, Echo, Upper, Discard };

QString serviceModeName(ServiceMode mode);
std::optional<ServiceMode> serviceModeFromName(QStringView name);

// What a built-in server does with one connection (or one datagram peer). A service is
// pure: it turns bytes in into bytes out; the session does the I/O.
class Service
{
public:
    struct Reply
    {
        // nullopt: nothing to send. An empty array still answers a datagram with an
        // empty datagram; on a stream it sends nothing.
        std::optional<QByteArray> bytes;
        bool close = false; // close the connection once `bytes` are sent
    };

    virtual ~Service() = default;
    virtual Reply onOpen() { return {}; }
    virtual Reply onData(QByteArrayView data) = 0;

    // nullptr for ServiceMode::None.
    static std::unique_ptr<Service> create(ServiceMode mode);
};

} // namespace sockscope::core
