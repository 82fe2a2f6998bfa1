#include "uitick.h"

#include "engine/doorbell.h"

#include <QCoreApplication>
#include <QEvent>
#include <QTimer>
#include <QWidget>

#include <algorithm>
#include <limits>

namespace sockscope::ui {

UiTick::UiTick(QWidget *window) : QObject(window), m_timer(new QTimer(this))
{
    setObjectName(QStringLiteral("uiTick"));
    m_timer->setObjectName(QStringLiteral("uiTickTimer"));
    m_timer->setSingleShot(true);
    connect(m_timer, &QTimer::timeout, this, &UiTick::run);
    m_clock.start();
    // What the user does in the window (a click, a key) may change what views show without
    // any core change (another row selected): every view of the window is pulled once.
    QCoreApplication::instance()->installEventFilter(this);
}

bool UiTick::eventFilter(QObject *watched, QEvent *event)
{
    switch (event->type()) {
    case QEvent::MouseButtonRelease:
    case QEvent::KeyRelease:
        if (watched->isWidgetType() && static_cast<QWidget *>(watched)->window() == parent())
            pokeAll();
        break;
    default:
        break;
    }
    return QObject::eventFilter(watched, event);
}

void UiTick::pokeAll()
{
    for (const QPointer<Subscription> &s : m_subscriptions) {
        if (s)
            s->m_dirty = true;
    }
    schedule();
}

UiTick *UiTick::of(const QWidget *widget)
{
    QWidget *window = widget->window();
    if (auto *tick = window->findChild<UiTick *>(QStringLiteral("uiTick"), Qt::FindDirectChildrenOnly))
        return tick;
    return new UiTick(window);
}

UiTick::Subscription *UiTick::subscribe(QWidget *view, int periodMs, std::function<bool()> tick)
{
    return new Subscription(view, periodMs, std::move(tick));
}

bool UiTick::isTicking() const
{
    return m_timer->isActive();
}

int UiTick::subscriberCount() const
{
    return int(std::count_if(m_subscriptions.begin(), m_subscriptions.end(), [](const auto &s) { return !s.isNull(); }));
}

void UiTick::add(Subscription *subscription)
{
    m_subscriptions.emplace_back(subscription);
    schedule();
}

void UiTick::remove(Subscription *subscription)
{
    std::erase_if(m_subscriptions, [subscription](const auto &s) { return s.isNull() || s == subscription; });
}

void UiTick::schedule()
{
    const qint64 wait = std::max<qint64>(0, m_lastRun + kFrameMs - m_clock.elapsed());
    // A run coming sooner sees this ring too. One set for later (a slow view's period, up
    // to a second) is brought forward: the rung view is called at the next frame, where
    // waiting for it let a datagram sent in the UDP pane show 400 ms late.
    if (m_timer->isActive() && m_timer->remainingTime() <= wait)
        return;
    m_timer->start(int(wait));
}

void UiTick::run()
{
    ++m_runs;
    const qint64 now = m_clock.elapsed();
    m_lastRun = now;
    qint64 next = std::numeric_limits<qint64>::max();
    std::erase_if(m_subscriptions, [](const auto &s) { return s.isNull(); });
    // A copy: a call may add or remove subscriptions (a pane opens another).
    const auto subscriptions = m_subscriptions;
    for (const QPointer<Subscription> &s : subscriptions) {
        if (!s || !(s->m_view->isVisible() || s->m_whileHidden) || !(s->m_dirty || s->m_wants))
            continue; // hidden views are called again when shown (Subscription::eventFilter)
        const qint64 due = s->m_lastCall + s->m_periodMs;
        if (now < due) {
            next = std::min(next, due);
            continue;
        }
        s->m_lastCall = now;
        s->m_dirty = false;
        s->m_doorbell->arm(); // before the call: a change it does not see yet rings
        const bool wants = s->m_tick();
        if (!s)
            continue;
        s->m_wants = wants;
        if (wants)
            next = std::min(next, now + s->m_periodMs);
    }
    if (next == std::numeric_limits<qint64>::max())
        return; // asleep until a ring, a poke or a view shown
    m_timer->start(int(std::max<qint64>(kFrameMs, next - m_clock.elapsed())));
}

UiTick::Subscription::Subscription(QWidget *view, int periodMs, std::function<bool()> tick)
    : QObject(view)
    , m_view(view)
    , m_periodMs(std::max(periodMs, UiTick::kFrameMs))
    , m_tick(std::move(tick))
    , m_doorbell(std::make_shared<core::Doorbell>(this, [this] { poke(); }))
{
    view->installEventFilter(this);
    if (view->isVisible())
        poke(); // else the first call comes when it is shown
}

UiTick::Subscription::~Subscription()
{
    if (m_owner)
        m_owner->remove(this);
}

void UiTick::Subscription::poke()
{
    m_dirty = true;
    UiTick *tick = UiTick::of(m_view);
    if (tick != m_owner) {
        if (m_owner)
            m_owner->remove(this);
        m_owner = tick;
        tick->add(this);
        return;
    }
    tick->schedule();
}

bool UiTick::Subscription::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_view && event->type() == QEvent::Show)
        poke(); // also finds the window's tick after a reparenting (a dock floated)
    return QObject::eventFilter(watched, event);
}

} // namespace sockscope::ui
