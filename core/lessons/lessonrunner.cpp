#include "lessonrunner.h"

#include "lessoncheck.h"
#include "lessonobserver.h"
#include "lessonstage.h"

#include <QJsonArray>

#include <pthread.h>

namespace sockscope::core {

LessonRunner::LessonRunner(SessionManager &sessions, std::string threadName) : m_sessions(sessions)
{
    m_thread = std::thread([this, name = std::move(threadName)] {
        pthread_setname_np(pthread_self(), name.substr(0, 15).c_str());
        run();
    });
}

LessonRunner::~LessonRunner()
{
    {
        std::lock_guard lock(m_mutex);
        m_commands.clear();
        m_commands.push_back(Command::Stop);
    }
    m_changed.notify_all();
    m_thread.join();
}

void LessonRunner::load(Lesson lesson, int family)
{
    {
        std::lock_guard lock(m_mutex);
        m_lesson = std::move(lesson);
        m_family = family;
        m_commands.push_back(Command::Load);
    }
    m_changed.notify_all();
}

void LessonRunner::next()
{
    {
        std::lock_guard lock(m_mutex);
        m_commands.push_back(Command::Next);
    }
    m_changed.notify_all();
}

void LessonRunner::reset()
{
    {
        std::lock_guard lock(m_mutex);
        m_commands.push_back(Command::Reset);
    }
    m_changed.notify_all();
}

void LessonRunner::setPortHook(std::function<void(quint16)> hook)
{
    std::lock_guard lock(m_mutex);
    m_portHook = std::move(hook);
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
}

void LessonRunner::run()
{
    for (;;) {
        Command command;
        {
            std::unique_lock lock(m_mutex);
            m_changed.wait(lock, [this] { return !m_commands.empty(); });
            command = m_commands.front();
            m_commands.pop_front();
            m_working = true;
        }
        if (command == Command::Stop) {
            m_stage.reset();
            return;
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
        {
            std::lock_guard lock(m_mutex);
            m_working = false;
        }
        m_changed.notify_all();
    }
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
            std::function<void(quint16)> hook;
            {
                std::lock_guard lock(m_mutex);
                hook = m_portHook;
            }
            if (hook)
                hook(port);
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
