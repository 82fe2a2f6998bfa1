#pragma once

#include "queueddelivery.h"

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

namespace sockscope::core {

// How a pulled-from service wakes a sleeping puller: the UI tick stops when nothing moves,
// arms its doorbell, and the first change after that (a read on the I/O thread, a state
// the sampler saw) rings it once; the ring is delivered by QueuedDelivery to the tick's
// thread, and dropped if the tick is gone. Rings while disarmed cost one atomic load, so
// a producer may ring on every change.
class Doorbell
{
public:
    // Made on the context's thread; onRing runs there.
    Doorbell(QObject *context, std::function<void()> onRing);

    void arm();  // the next ring() delivers once
    void ring(); // any thread

    // Producers keep their doorbells weakly: a puller that went away just stops hearing.
    class List
    {
    public:
        void add(const std::shared_ptr<Doorbell> &doorbell);
        void ringAll(); // any thread
        bool isEmpty() const;

    private:
        mutable std::mutex m_mutex;
        std::vector<std::weak_ptr<Doorbell>> m_doorbells;
    };

private:
    QueuedDelivery m_delivery;
    std::function<void()> m_onRing;
    std::atomic<bool> m_armed{false};
};

} // namespace sockscope::core
