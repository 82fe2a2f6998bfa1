#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <chrono>
#include <memory>
#include <optional>
#include <vector>

namespace sockscope::core {

// Rules: the pane's responder rules answer (ServiceConfig::responder); not a built-in.
enum class ServiceMode { None, Echo, Upper, Discard, Chargen, Daytime, Rules };

QString serviceModeName(ServiceMode mode);
std::optional<ServiceMode> serviceModeFromName(QStringView name);

enum class HmacDigest { Md5, Sha256 };

// The classic "verify the client" demo: the server sends 32 random bytes, the client
// answers HMAC(key, challenge), the server compares in constant time.
struct HmacGateConfig
{
    QByteArray key;                     // never logged, never traced
    HmacDigest digest = HmacDigest::Sha256;
};

class Address;
class ResponderRules;

struct ServiceConfig
{
    ServiceMode mode = ServiceMode::None;
    std::optional<HmacGateConfig> gate; // in front of `mode` when set
    std::shared_ptr<ResponderRules> responder; // set: the rules answer, whatever `mode` says

    ServiceMode shownMode() const { return responder ? ServiceMode::Rules : mode; }
};

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
        QString note;       // for the call trace: what the service decided, never the key
        bool shutdownWrite = false;          // shutdown(SHUT_WR) once `bytes` are sent
        std::chrono::milliseconds delay{0};  // send this long after the data came
    };

    virtual ~Service() = default;
    virtual Reply onOpen() { return {}; }
    virtual Reply onData(QByteArrayView data) = 0;
    // What the session calls: every reply to `data` from `peer`, in order (a responder
    // answers each framed message on its own). Built-ins answer once.
    virtual std::vector<Reply> replies(QByteArrayView data, const Address &peer);
    // Streaming services (chargen) produce more whenever the send queue runs dry.
    virtual std::optional<QByteArray> more() { return std::nullopt; }

    // nullptr for ServiceMode::None without a gate.
    static std::unique_ptr<Service> create(const ServiceConfig &config);
};

} // namespace sockscope::core
