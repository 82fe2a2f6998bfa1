#include "doorbell.h"

namespace sockscope::core {

Doorbell::Doorbell(QObject *context, std::function<void()> onRing)
    : m_delivery(context)
    , m_onRing(std::move(onRing))
{
}

void Doorbell::arm()
{
    m_armed.store(true, std::memory_order_release);
}

void Doorbell::ring()
{
    if (!m_armed.load(std::memory_order_relaxed) || !m_armed.exchange(false, std::memory_order_acq_rel))
        return;
    m_delivery.deliver(m_onRing);
}

void Doorbell::List::add(const std::shared_ptr<Doorbell> &doorbell)
{
    std::lock_guard lock(m_mutex);
    std::erase_if(m_doorbells, [](const std::weak_ptr<Doorbell> &d) { return d.expired(); });
    for (const std::weak_ptr<Doorbell> &known : m_doorbells) {
        if (known.lock() == doorbell)
            return;
    }
    m_doorbells.push_back(doorbell);
}

void Doorbell::List::ringAll()
{
    std::lock_guard lock(m_mutex);
    for (const std::weak_ptr<Doorbell> &weak : m_doorbells) {
        if (const auto doorbell = weak.lock())
            doorbell->ring();
    }
}

bool Doorbell::List::isEmpty() const
{
    std::lock_guard lock(m_mutex);
    return m_doorbells.empty();
}

} // namespace sockscope::core
