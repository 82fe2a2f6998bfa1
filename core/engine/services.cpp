#include "services.h"

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

struct ModeName
{
    ServiceMode mode;
    const char16_t *name;
};
constexpr ModeName kModeNames[] = {
    {ServiceMode::None, u"none"},
    {ServiceMode::Echo, u"echo"},
    {ServiceMode::Upper, u"upper"},
    {ServiceMode::Discard, u"discard"},
};

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

std::unique_ptr<Service> Service::create(ServiceMode mode)
{
    switch (mode) {
    case ServiceMode::None: return nullptr;
    case ServiceMode::Echo: return std::make_unique<EchoService>();
    case ServiceMode::Upper: return std::make_unique<UpperService>();
    case ServiceMode::Discard: return std::make_unique<DiscardService>();
    }
    return nullptr;
}

} // namespace sockscope::core
