#pragma once

#include <QAbstractEventDispatcher>
#include <QObject>
#include <QPointer>
#include <QThread>

#include <functional>

namespace sockscope::core {

// Hands a result computed on the I/O thread to a QObject on its own thread, queued, and
// drops it if the object died meanwhile. Made on the caller's thread; deliver() may run on
// any thread. The call is carried by the event dispatcher of the context's thread (which
// outlives the context) and the QPointer is checked there, on the context's own thread, so
// a context destroyed while the result is on its way gets nothing and nothing dangles.
class QueuedDelivery
{
public:
    explicit QueuedDelivery(QObject *context)
        : m_context(context)
        , m_carrier(context ? QAbstractEventDispatcher::instance(context->thread()) : nullptr)
    {
    }

    void deliver(std::function<void()> call) const
    {
        if (!m_carrier)
            return;
        QMetaObject::invokeMethod(
            m_carrier,
            [context = m_context, call = std::move(call)] {
                if (context)
                    call();
            },
            Qt::QueuedConnection);
    }

    // Any thread: false once the context is destroyed (a waiter stops waiting for it).
    bool isAlive() const { return !m_context.isNull(); }

private:
    QPointer<QObject> m_context;
    QAbstractEventDispatcher *m_carrier; // lives as long as its thread runs
};

} // namespace sockscope::core
