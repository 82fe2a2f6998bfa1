#include "lessonrunner.h"

#include "lessoncheck.h"
#include "lessonobserver.h"
#include "lessonstage.h"

#include "../engine/queueddelivery.h"

#include <QJsonArray>

#include <condition_variable>
#include <optional>

namespace sockscope::core {

// Where the lesson thread waits, after a listen(), until the watcher of the new port says
// it is ready (or cannot be), for at most maxWait. Deliveries to the watcher's thread hold
// it, so it outlives a runner destroyed while one is queued.
struct LessonRunner::PortGate
{
    std::mutex mutex;
    std::condition_variable opened;
    std::optional<QueuedDelivery> watcher; // made on the watcher's thread
    std::function<void(quint16)> watch;
    std::chrono::milliseconds maxWait{0};
    quint64 asked = 0;    // waits begun
    quint64 released = 0; // waits ended by portWatched()
    bool closed = false;  // the runner is going away

    void releaseAll()
    {
        {
            std::lock_guard lock(mutex);
            released = asked;
        }
        opened.notify_all();
    }
};

LessonRunner::LessonRunner(SessionManager &sessions, std::string threadName)
    : m_sessions(sessions)
    , m_gate(std::make_shared<PortGate>())
    , m_thread(std::move(threadName))
{
    m_thread.startLoop([this] { return step(); });
}

LessonRunner::~LessonRunner()
{
    {
        std::lock_guard lock(m_mutex);
        m_commands.clear();
    }
    {
        std::lock_guard lock(m_gate->mutex);
        m_gate->closed = true;
    }
    m_gate->opened.notify_all();
    m_thread.stop(); // the step under way ends: its waits are bounded
    m_stage.reset(); // the thread is joined: its stage is ours to close
}

void LessonRunner::load(Lesson lesson, int family)
{
    {
        std::lock_guard lock(m_mutex);
        m_lesson = std::move(lesson);
        m_family = family;
        m_commands.push_back(Command::Load);
    }
    m_thread.wake();
}

void LessonRunner::next()
{
    {
        std::lock_guard lock(m_mutex);
        m_commands.push_back(Command::Next);
    }
    m_thread.wake();
}

void LessonRunner::reset()
{
    {
        std::lock_guard lock(m_mutex);
        m_commands.push_back(Command::Reset);
    }
    m_thread.wake();
}

void LessonRunner::setPortWatcher(QObject *context, std::function<void(quint16)> watch,
                                  std::chrono::milliseconds maxWait)
{
    {
        std::lock_guard lock(m_gate->mutex);
        m_gate->watcher.reset();
        if (context)
            m_gate->watcher.emplace(context);
        m_gate->watch = context ? std::move(watch) : nullptr;
        m_gate->maxWait = maxWait;
    }
    if (!context)
        m_gate->releaseAll();
}

void LessonRunner::portWatched()
{
    m_gate->releaseAll();
}

void LessonRunner::announcePort(quint16 port)
{
    std::unique_lock lock(m_gate->mutex);
    if (m_gate->closed || !m_gate->watcher || !m_gate->watch)
        return;
    const quint64 ticket = ++m_gate->asked;
    // Dropped if the context is gone by then, and skipped if the wait is over (another
    // lesson was picked, or the watcher saw the port by itself first).
    const QueuedDelivery watcher = *m_gate->watcher;
    watcher.deliver([gate = m_gate, watch = m_gate->watch, port, ticket] {
        bool pending;
        {
            std::lock_guard lock(gate->mutex);
            pending = gate->released < ticket;
        }
        if (pending)
            watch(port);
    });
    // Waits in slices: a context destroyed meanwhile never answers, so stop waiting for it.
    const auto deadline = std::chrono::steady_clock::now() + m_gate->maxWait;
    while (!m_gate->closed && m_gate->released < ticket && watcher.isAlive()
           && std::chrono::steady_clock::now() < deadline)
        m_gate->opened.wait_for(lock, std::chrono::milliseconds(50));
}

Lesson LessonRunner::lesson() const
{
    std::lock_guard lock(m_mutex);
    return m_lesson;
}

int LessonRunner::family() const
{
    std::lock_guard lock(m_mutex);
    return m_family;
}

LessonProgress LessonRunner::progress() const
{
    std::lock_guard lock(m_mutex);
    return m_progress;
}

bool LessonRunner::waitIdle(std::chrono::milliseconds timeout) const
{
    std::unique_lock lock(m_mutex);
    return m_changed.wait_for(lock, timeout, [this] { return m_commands.empty() && !m_working; });
}

void LessonRunner::publish(const std::function<void(LessonProgress &)> &change)
{
    {
        std::lock_guard lock(m_mutex);
        change(m_progress);
    }
    m_generation.fetch_add(1, std::memory_order_acq_rel);
    m_doorbells.ringAll();
}

std::chrono::milliseconds LessonRunner::step()
{
    Command command;
    {
        std::lock_guard lock(m_mutex);
        if (m_commands.empty())
            return WorkerThread::kUntilWoken;
        command = m_commands.front();
        m_commands.pop_front();
        m_working = true;
    }
    if (command == Command::Next) {
        int index = 0, count = 0;
        {
            std::lock_guard lock(m_mutex);
            index = m_progress.stepsRun;
            count = int(m_lesson.steps.size());
        }
        if (index < count && m_stage)
            runStep(index);
    } else {
        resetStage();
    }
    bool more;
    {
        std::lock_guard lock(m_mutex);
        m_working = false;
        more = !m_commands.empty();
    }
    m_changed.notify_all();
    return more ? std::chrono::milliseconds(0) : WorkerThread::kUntilWoken;
}

void LessonRunner::resetStage()
{
    m_stage.reset(); // closes the previous sockets first
    int family;
    Lesson lesson;
    {
        std::lock_guard lock(m_mutex);
        family = m_family;
        lesson = m_lesson;
    }
    m_stage = std::make_unique<LessonStage>(m_sessions, family);
    m_observer = std::make_unique<LessonObserver>();
    m_observer->setFocus(lesson.focus);
    m_hookedPort = 0;
    publish([&](LessonProgress &p) {
        p = LessonProgress{};
        p.lessonId = lesson.id;
        p.stepCount = int(lesson.steps.size());
    });
}

void LessonRunner::runStep(int index)
{
    LessonStep step;
    {
        std::lock_guard lock(m_mutex);
        step = m_lesson.steps[index];
    }
    if (step.focus)
        m_observer->setFocus(*step.focus);
    StepOutcome outcome;
    outcome.step = index;
    const auto snapshot = [&] {
        outcome.clientPath = m_observer->clientPath();
        outcome.serverPath = m_observer->serverPath();
        outcome.clientTitle = m_observer->clientTitle();
        outcome.serverTitle = m_observer->serverTitle();
        outcome.vars = m_stage->vars();
        const LessonFocus &focus = m_observer->focus();
        const LessonStage::Actor *client = m_stage->actor(focus.client);
        const LessonStage::Actor *listener = m_stage->actor(focus.listener);
        publish([&](LessonProgress &p) {
            p.busy = !outcome.finished;
            p.stepsRun = index + 1;
            if (p.steps.size() > index)
                p.steps[index] = outcome;
            else
                p.steps.append(outcome);
            p.clientSession = client && !client->raw ? client->session : 0;
            p.listenerSession = listener && !listener->raw ? listener->session : 0;
            if (listener && listener->local.isValid())
                p.serverPort = listener->local.port();
        });
        const quint16 port = listener && listener->local.isValid() ? listener->local.port() : 0;
        if (port != 0 && port != m_hookedPort) {
            m_hookedPort = port;
            announcePort(port);
        }
    };
    (void)m_observer->observe(*m_stage);
    snapshot();
    for (const LessonAction &action : step.actions) {
        auto done = m_stage->perform(action);
        outcome.calls += m_stage->takeCalls();
        if (!done) {
            outcome.failure = done.error();
            break;
        }
        QList<TcpState> implied;
        for (const QJsonValue &v : action.args.value(QLatin1String("implies")).toArray()) {
            if (const auto s = tcpStateFromName(v.toString()))
                implied.append(*s);
        }
        m_observer->imply(action.actor, implied);
        (void)m_observer->observe(*m_stage);
        snapshot();
    }
    if (!outcome.failure)
        outcome.checks = LessonCheck::run(step.expectations, *m_stage, *m_observer, outcome.calls);
    outcome.finished = true;
    snapshot();
}

} // namespace sockscope::core
