#pragma once

#include "lesson.h"
#include "lessontypes.h"

#include "../engine/sessiontypes.h"
#include "../engine/doorbell.h"
#include "../engine/workerthread.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

class QObject;

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
    ~LessonRunner(); // joins the thread and closes the lesson's sockets

    LessonRunner(const LessonRunner &) = delete;
    LessonRunner &operator=(const LessonRunner &) = delete;

    // A lesson on IPv4 or IPv6 loopback; the previous one's sockets are closed.
    void load(Lesson lesson, int family = AF_INET);
    void next();  // runs the next step, if any
    void reset(); // closes the sockets: the lesson starts over
    // When the followed listener gets a new port, right after the action that bound it,
    // `watch(port)` is delivered to `context` on its thread and the lesson waits before its
    // next action until portWatched() is called, the context is gone or `maxWait` passed:
    // a packet capture of that port can be in place before anyone connects to it. The
    // gate is the runner's, so the GUI side needs no lock. A null context stops watching
    // and lets a waiting lesson go on.
    void setPortWatcher(QObject *context, std::function<void(quint16 port)> watch,
                        std::chrono::milliseconds maxWait = std::chrono::seconds(2));
    void portWatched(); // any thread: the capture runs, or cannot; the lesson goes on

    Lesson lesson() const;
    int family() const;
    quint64 generation() const { return m_generation.load(std::memory_order_acquire); }
    Doorbell::List &doorbells() { return m_doorbells; } // rung when the progress moves
    LessonProgress progress() const;
    // For tests and the CLI: blocks until no command is queued or running.
    bool waitIdle(std::chrono::milliseconds timeout) const;

private:
    enum class Command { Load, Next, Reset };
    struct PortGate;
    std::chrono::milliseconds step(); // on the thread: one command
    void announcePort(quint16 port);
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
    Doorbell::List m_doorbells;
    std::shared_ptr<PortGate> m_gate; // shared with deliveries on the watcher's thread

    // The lesson thread's own.
    std::unique_ptr<LessonStage> m_stage;
    std::unique_ptr<LessonObserver> m_observer;
    quint16 m_hookedPort = 0; // the last port announced
    WorkerThread m_thread;     // last: stopped before the rest goes
};

} // namespace sockscope::core
