#include "services.h"

#include "hmacgate.h"
#include "responder.h"

#include <QDateTime>

namespace sockscope::core {

namespace {

class EchoService final : public Service
{
public:
    Reply onData(QByteArrayView data) override { return {data.toByteArray()}; }
};

// The classic tutorial server: send(data.upper()). ASCII only, like bytes.upper().
class UpperService final : public Service
{
public:
    Reply onData(QByteArrayView data) override
    {
        QByteArray out = data.toByteArray();
        for (char &c : out) {
            if (c >= 'a' && c <= 'z')
                c = char(c - 'a' + 'A');
        }
        return {std::move(out)};
    }
};

class DiscardService final : public Service
{
public:
    Reply onData(QByteArrayView) override { return {}; }
};

// RFC 864: lines of 72 printable characters, each starting one character further on.
class ChargenService final : public Service
{
public:
    Reply onOpen() override { return {more()}; }
    Reply onData(QByteArrayView) override { return {}; }
    std::optional<QByteArray> more() override
    {
        constexpr int kFirst = 0x20, kCount = 95, kLine = 72, kLinesPerChunk = 128;
        QByteArray chunk;
        chunk.reserve(kLinesPerChunk * (kLine + 2));
        for (int l = 0; l < kLinesPerChunk; ++l, m_start = (m_start + 1) % kCount) {
            for (int i = 0; i < kLine; ++i)
                chunk.append(char(kFirst + (m_start + i) % kCount));
            chunk.append("\r\n");
        }
        return chunk;
    }

private:
    int m_start = 0;
};

// RFC 867: the date and time as text, then the server closes.
class DaytimeService final : public Service
{
public:
    Reply onOpen() override { return {now(), true}; }
    Reply onData(QByteArrayView) override { return {now()}; } // datagram: one per request

private:
    static QByteArray now()
    {
        return QDateTime::currentDateTime().toString(Qt::RFC2822Date).toUtf8() + "\r\n";
    }
};

struct ModeName
{
    ServiceMode mode;
    const char16_t *name;
};
constexpr ModeName kModeNames[] = {
    {ServiceMode::None, u"none"},       {ServiceMode::Echo, u"echo"},
    {ServiceMode::Upper, u"upper"},     {ServiceMode::Discard, u"discard"},
    {ServiceMode::Chargen, u"chargen"}, {ServiceMode::Daytime, u"daytime"},
    {ServiceMode::Rules, u"rules"},
};

std::unique_ptr<Service> createPlain(ServiceMode mode)
{
    switch (mode) {
    case ServiceMode::None: return nullptr;
    case ServiceMode::Echo: return std::make_unique<EchoService>();
    case ServiceMode::Upper: return std::make_unique<UpperService>();
    case ServiceMode::Discard: return std::make_unique<DiscardService>();
    case ServiceMode::Chargen: return std::make_unique<ChargenService>();
    case ServiceMode::Daytime: return std::make_unique<DaytimeService>();
    case ServiceMode::Rules: return nullptr; // rules come with ServiceConfig::responder
    }
    return nullptr;
}

} // namespace

QString serviceModeName(ServiceMode mode)
{
    for (const auto &m : kModeNames) {
        if (m.mode == mode)
            return QString::fromUtf16(m.name);
    }
    return {};
}

std::optional<ServiceMode> serviceModeFromName(QStringView name)
{
    for (const auto &m : kModeNames) {
        if (name.compare(QStringView(m.name), Qt::CaseInsensitive) == 0)
            return m.mode;
    }
    return std::nullopt;
}

std::vector<Service::Reply> Service::replies(QByteArrayView data, const Address &)
{
    std::vector<Reply> out;
    out.push_back(onData(data));
    return out;
}

std::unique_ptr<Service> Service::create(const ServiceConfig &config)
{
    std::unique_ptr<Service> inner = config.responder ? std::make_unique<Responder>(config.responder) : createPlain(config.mode);
    if (config.gate)
        return std::make_unique<HmacGate>(*config.gate, std::move(inner));
    return inner;
}

} // namespace sockscope::core
