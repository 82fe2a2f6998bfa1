#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>

#include <functional>
#include <memory>
#include <vector>

class QTimer;
class QWidget;

namespace sockscope::core {
class Doorbell;
}

namespace sockscope::ui {

// The one timer of a window (DESIGN.md: "each window has one UI tick that views subscribe
// to"). Views pull what changed from the core at most ~30 times a second, and only while
// they are visible and something moved: each subscription has a doorbell that its sources
// (SessionManager, the kernel-state sampler, the lesson runner, ...) ring on a change; a
// rung, visible view is called once when its period allows, then the tick sleeps until the
// next ring. A view that animates on its own (a running lookup's clock, a scrolling
// graph) returns true from its call to be called again after its period.
class UiTick : public QObject
{
    Q_OBJECT
public:
    static constexpr int kFrameMs = 33; // ~30 Hz at most

    class Subscription;

    // The tick of `widget`'s window, made on first use (a pane built alone in a test gets
    // one too). A floating dock is a window of its own, with its own tick.
    static UiTick *of(const QWidget *widget);

    // `view` is called (on this thread) while visible, at most once per periodMs; `tick`
    // returns true to be called again after periodMs without a ring. The subscription is
    // a child of `view`; sources are added with Subscription::listen().
    static Subscription *subscribe(QWidget *view, int periodMs, std::function<bool()> tick);

    bool isTicking() const;
    int subscriberCount() const;
    quint64 runs() const { return m_runs; } // for tests: calls of run()

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    explicit UiTick(QWidget *window);
    void pokeAll();
    void add(Subscription *subscription);
    void remove(Subscription *subscription);
    void schedule(); // run at the next frame boundary
    void run();

    QTimer *m_timer = nullptr;
    QElapsedTimer m_clock;
    qint64 m_lastRun = -kFrameMs;
    quint64 m_runs = 0;
    std::vector<QPointer<Subscription>> m_subscriptions;
};

// One view's place on its window's tick: follows the view to whichever window shows it.
class UiTick::Subscription : public QObject
{
    Q_OBJECT
public:
    Subscription(QWidget *view, int periodMs, std::function<bool()> tick);
    ~Subscription() override;

    // `source` rings this subscription's doorbell on a change (core::Doorbell::List).
    template<typename Source>
    void listen(Source &source)
    {
        source.add(m_doorbell);
    }
    const std::shared_ptr<core::Doorbell> &doorbell() const { return m_doorbell; }
    void poke(); // something changed (a GUI-side event): call the view soon
    void setPeriod(int periodMs) { m_periodMs = periodMs; }
    // Called even while the view is hidden: for a window whose pull also runs logic (the
    // main window aims the starter client once its server listens, shown or not).
    void setWhileHidden(bool on)
    {
        m_whileHidden = on;
        if (on)
            poke();
    }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    friend class UiTick;
    QWidget *m_view;
    int m_periodMs;
    std::function<bool()> m_tick;
    std::shared_ptr<core::Doorbell> m_doorbell;
    QPointer<UiTick> m_owner;
    qint64 m_lastCall = -1'000'000;
    bool m_dirty = true;  // rung or poked since the last call
    bool m_wants = false; // the last call asked to be called again
    bool m_whileHidden = false;
};

} // namespace sockscope::ui
