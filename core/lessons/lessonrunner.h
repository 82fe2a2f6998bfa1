#pragma once

#include "lesson.h"
#include "lessontypes.h"

#include "../engine/sessiontypes.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace sockscope::core {

class SessionManager;
class LessonObserver;
class LessonStage;

// Where a lesson stands, as a value for any thread.
struct LessonProgress
{
    QString lessonId;
    int stepCount = 0;
    int stepsRun = 0;   // steps finished (or started, while busy)
    bool busy = false;  // a step is running
    QList<StepOutcome> steps; // one per step run, in order
    SessionId clientSession = 0;   // the followed client when it is a session (0: none / raw)
    SessionId listenerSession = 0; // the followed listener when it is a session
    quint16 serverPort = 0;      // the followed listener's port, once known (for a capture)
};

// Runs lessons on its own named thread ("sockscope-lesson"), one step per next(): the
// steps make blocking calls (a raw accept(), a recv() with a timeout) and wait for the
// kernel to get to a state, so they never run on the GUI thread. Commands queue and
// return at once; callers pull progress() when generation() moved, like the
// SessionManager's snapshots.
class LessonRunner
{
public:
    explicit LessonRunner(SessionManager &sessions, std::string threadName = "sockscope-lesson");
    ~LessonRunner(); // closes the lesson's sockets and joins the thread

    LessonRunner(const LessonRunner &) = delete;
    LessonRunner &operator=(const LessonRunner &) = delete;

    // A lesson on IPv4 or IPv6 loopback; the previous one's sockets are closed.
    void load(Lesson lesson, int family = AF_INET);
    void next();  // runs the next step, if any
    void reset(); // closes the sockets: the lesson starts over
    // Called on the lesson's thread when the followed listener gets a new port, right after
    // the action that bound it and before the next one, which waits until the hook
    // returns: a packet capture of that port can be in place before anyone connects to it.
    // The hook must return within a bounded time.
    void setPortHook(std::function<void(quint16 port)> hook);

    Lesson lesson() const;
    int family() const;
    quint64 generation() const { return m_generation.load(std::memory_order_acquire); }
    LessonProgress progress() const;
    // For tests and the CLI: blocks until no command is queued or running.
    bool waitIdle(std::chrono::milliseconds timeout) const;

private:
    enum class Command { Load, Next, Reset, Stop };
    void run();
    void runStep(int index);
    void resetStage();
    void publish(const std::function<void(LessonProgress &)> &change);

    SessionManager &m_sessions;
    mutable std::mutex m_mutex;
    mutable std::condition_variable m_changed;
    std::deque<Command> m_commands;
    bool m_working = false;
    Lesson m_lesson;     // guarded by m_mutex; the thread works on a copy per command
    int m_family = AF_INET;
    LessonProgress m_progress;
    std::atomic<quint64> m_generation{0};
    std::function<void(quint16)> m_portHook; // guarded by m_mutex

    // The lesson thread's own.
    std::unique_ptr<LessonStage> m_stage;
    std::unique_ptr<LessonObserver> m_observer;
    quint16 m_hookedPort = 0; // the last port given to m_portHook
    std::thread m_thread;
};

} // namespace sockscope::core
