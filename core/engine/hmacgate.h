#pragma once

#include "services.h"

namespace sockscope::core {

// Challenge-response in front of another service (Python Cookbook's "authenticating
// clients" recipe): 32 random bytes out, HMAC(key, challenge) back, compared in
// constant time; a wrong answer closes the connection, a right one hands the connection
// to the inner service.
class HmacGate final : public Service
{
public:
    static constexpr int kChallengeBytes = 32;

    HmacGate(HmacGateConfig config, std::unique_ptr<Service> inner);

    Reply onOpen() override;
    Reply onData(QByteArrayView data) override;
    std::optional<QByteArray> more() override;

    bool passed() const { return m_passed; }

    // What a client sends back: HMAC(key, challenge).
    static QByteArray answer(QByteArrayView key, QByteArrayView challenge, HmacDigest digest);
    static int digestLength(HmacDigest digest);
    static QString digestName(HmacDigest digest);
    // Equal-time comparison: the time taken does not depend on where the bytes differ.
    static bool constantTimeEquals(QByteArrayView a, QByteArrayView b);

private:
    HmacGateConfig m_config;
    std::unique_ptr<Service> m_inner;
    QByteArray m_challenge;
    QByteArray m_received;
    bool m_passed = false;
};

} // namespace sockscope::core
