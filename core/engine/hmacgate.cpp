#include "hmacgate.h"

#include <QMessageAuthenticationCode>
#include <QRandomGenerator>

namespace sockscope::core {

HmacGate::HmacGate(HmacGateConfig config, std::unique_ptr<Service> inner)
    : m_config(std::move(config))
    , m_inner(std::move(inner))
{
}

int HmacGate::digestLength(HmacDigest digest)
{
    return digest == HmacDigest::Md5 ? 16 : 32;
}

QString HmacGate::digestName(HmacDigest digest)
{
    return digest == HmacDigest::Md5 ? QStringLiteral("HMAC-MD5") : QStringLiteral("HMAC-SHA256");
}

QByteArray HmacGate::answer(QByteArrayView key, QByteArrayView challenge, HmacDigest digest)
{
    const auto algorithm = digest == HmacDigest::Md5 ? QCryptographicHash::Md5 : QCryptographicHash::Sha256;
    return QMessageAuthenticationCode::hash(challenge.toByteArray(), key.toByteArray(), algorithm);
}

bool HmacGate::constantTimeEquals(QByteArrayView a, QByteArrayView b)
{
    if (a.size() != b.size())
        return false;
    unsigned char diff = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        diff |= static_cast<unsigned char>(a[i] ^ b[i]);
    return diff == 0;
}

Service::Reply HmacGate::onOpen()
{
    m_challenge.resize(kChallengeBytes);
    QRandomGenerator::system()->generate(m_challenge.begin(), m_challenge.end());
    return {m_challenge, false, QStringLiteral("%1 challenge sent (32 random bytes)").arg(digestName(m_config.digest))};
}

Service::Reply HmacGate::onData(QByteArrayView data)
{
    if (m_passed)
        return m_inner ? m_inner->onData(data) : Reply{};
    const qsizetype need = digestLength(m_config.digest);
    const qsizetype take = std::min(need - m_received.size(), data.size());
    m_received.append(data.first(take));
    if (m_received.size() < need)
        return {};
    const QByteArray expected = answer(m_config.key, m_challenge, m_config.digest);
    if (!constantTimeEquals(expected, m_received))
        return {std::nullopt, true, QStringLiteral("wrong HMAC answer: closing the connection")};
    m_passed = true;
    Reply reply;
    reply.note = QStringLiteral("HMAC answer verified: client accepted");
    if (m_inner) {
        Reply open = m_inner->onOpen();
        reply.bytes = open.bytes;
        reply.close = open.close;
        // Bytes that came after the digest belong to the inner service.
        if (take < data.size()) {
            Reply rest = m_inner->onData(data.sliced(take));
            if (rest.bytes)
                reply.bytes = reply.bytes.value_or(QByteArray()) + *rest.bytes;
            reply.close = reply.close || rest.close;
        }
    }
    return reply;
}

std::optional<QByteArray> HmacGate::more()
{
    return m_passed && m_inner ? m_inner->more() : std::nullopt;
}

} // namespace sockscope::core
