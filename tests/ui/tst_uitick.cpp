#include "uitick.h"

#include "engine/doorbell.h"

#include <QElapsedTimer>
#include <QTest>
#include <QTimer>
#include <QWidget>

#include <thread>

using namespace sockscope;
using ui::UiTick;

class tst_UiTick : public QObject
{
    Q_OBJECT

private slots:
    void calledWhenShownThenSleeps();
    void ringFromAnotherThreadWakesIt();
    void ringIsNotHeldBackByASlowView();
    void hiddenViewIsNotCalled();
    void askingForMoreKeepsThePeriod();
    void oneTickPerWindow();
    void destroyedViewLeavesTheTick();
};

void tst_UiTick::calledWhenShownThenSleeps()
{
    QWidget window;
    int calls = 0;
    UiTick::Subscription *s = UiTick::subscribe(&window, UiTick::kFrameMs, [&] {
        ++calls;
        return false;
    });
    QCOMPARE(calls, 0);
    window.show();
    QTRY_COMPARE(calls, 1);
    UiTick *tick = UiTick::of(&window);
    QTRY_VERIFY(!tick->isTicking()); // nothing rang: asleep
    QTest::qWait(200); // a fixed wait is the point: an asleep tick calls nobody
    QCOMPARE(calls, 1);
    s->poke();
    QTRY_COMPARE(calls, 2);
    QTRY_VERIFY(!tick->isTicking());
}

void tst_UiTick::ringFromAnotherThreadWakesIt()
{
    QWidget window;
    std::atomic<int> calls{0};
    core::Doorbell::List source;
    UiTick::subscribe(&window, UiTick::kFrameMs, [&] {
        ++calls;
        return false;
    })->listen(source);
    window.show();
    QTRY_COMPARE(calls.load(), 1);
    // Many rings while the tick runs or sleeps make at most one call per frame.
    std::thread producer([&source] {
        for (int i = 0; i < 1000; ++i)
            source.ringAll();
    });
    producer.join();
    QTRY_VERIFY(calls.load() >= 2);
    QTest::qWait(100); // a fixed wait is the point: the rings are spent, no more calls come
    QVERIFY2(calls.load() <= 3, qPrintable(QString::number(calls.load())));
    QTRY_VERIFY(!UiTick::of(&window)->isTicking());
}

// A window with a slow view (a 1 s period, always wanting more) and a quick one that
// sleeps until rung: the ring is served at the next frame, not when the slow view is due.
void tst_UiTick::ringIsNotHeldBackByASlowView()
{
    QWidget window;
    auto *slow = new QWidget(&window);
    auto *quick = new QWidget(&window);
    int slowCalls = 0;
    UiTick::subscribe(slow, 1000, [&] {
        ++slowCalls;
        return true;
    });
    core::Doorbell::List source;
    int quickCalls = 0;
    UiTick::subscribe(quick, UiTick::kFrameMs, [&] {
        ++quickCalls;
        return false;
    })->listen(source);
    window.show();
    QTRY_VERIFY(slowCalls == 1 && quickCalls == 1);
    QTest::qWait(100); // a fixed wait is the point: the tick now sleeps until the slow view is due
    QElapsedTimer rung;
    rung.start();
    source.ringAll();
    QTRY_COMPARE(quickCalls, 2);
    QVERIFY2(rung.elapsed() < 200, qPrintable(QStringLiteral("the ring was served after %1 ms").arg(rung.elapsed())));
    QCOMPARE(slowCalls, 1); // and the slow view keeps its period
}

void tst_UiTick::hiddenViewIsNotCalled()
{
    QWidget window;
    auto *view = new QWidget(&window);
    int calls = 0;
    core::Doorbell::List source;
    UiTick::subscribe(view, UiTick::kFrameMs, [&] {
        ++calls;
        return false;
    })->listen(source);
    window.show();
    QTRY_COMPARE(calls, 1);
    view->hide();
    source.ringAll();
    QTest::qWait(100); // a fixed wait is the point: the hidden view stays uncalled
    QCOMPARE(calls, 1);
    view->show(); // called again when shown: it catches up then
    QTRY_COMPARE(calls, 2);
}

void tst_UiTick::askingForMoreKeepsThePeriod()
{
    QWidget window;
    int calls = 0;
    bool more = true;
    QElapsedTimer clock;
    UiTick::subscribe(&window, 100, [&] {
        ++calls;
        return more;
    });
    clock.start();
    window.show();
    QTRY_VERIFY(calls >= 4);
    // At most one call per 100 ms period (the first comes at once).
    QVERIFY2(calls <= clock.elapsed() / 100 + 2, qPrintable(QStringLiteral("%1 calls in %2 ms").arg(calls).arg(clock.elapsed())));
    QVERIFY(UiTick::of(&window)->isTicking());
    more = false;
    QTRY_VERIFY(!UiTick::of(&window)->isTicking());
}

void tst_UiTick::oneTickPerWindow()
{
    QWidget window;
    auto *a = new QWidget(&window);
    auto *b = new QWidget(&window);
    UiTick::subscribe(a, 50, [] { return false; });
    UiTick::subscribe(b, 50, [] { return false; });
    window.show();
    QTRY_COMPARE(UiTick::of(&window)->subscriberCount(), 2);
    QCOMPARE(UiTick::of(a), UiTick::of(b));
    QCOMPARE(window.findChildren<UiTick *>().size(), 1);
    QCOMPARE(window.findChildren<QTimer *>().size(), 1);
    // A view moved to another window follows it when shown there.
    QWidget other;
    b->setParent(&other);
    other.show();
    b->show();
    QTRY_COMPARE(UiTick::of(&other)->subscriberCount(), 1);
    QCOMPARE(UiTick::of(&window)->subscriberCount(), 1);
}

void tst_UiTick::destroyedViewLeavesTheTick()
{
    QWidget window;
    auto *view = new QWidget(&window);
    core::Doorbell::List source;
    UiTick::subscribe(view, 50, [] { return false; })->listen(source);
    window.show();
    QTRY_COMPARE(UiTick::of(&window)->subscriberCount(), 1);
    delete view;
    QCOMPARE(UiTick::of(&window)->subscriberCount(), 0);
    source.ringAll(); // its doorbell went with it: nothing is delivered, nothing crashes
    QTest::qWait(50); // a fixed wait is the point: a stray delivery would run now
}

QTEST_MAIN(tst_UiTick)
#include "tst_uitick.moc"
