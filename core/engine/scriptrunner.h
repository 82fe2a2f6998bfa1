#pragma once

#include "framing.h"
#include "sendscript.h"
#include "sessiontypes.h"

#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QTimer>

#include <optional>

namespace sockscope::core {

class SessionManager;

// Runs a SendScript against one session, on the caller's thread, never blocking it: the
// runner pulls the session's traffic and state on a short timer (as the UI tick pulls
// views) and issues its commands through SessionManager, so every syscall stays on the
// I/O thread. What arrives is framed (line by default) and each expect consumes framed
// messages in order until one matches; the ones before it are skipped. Every step's
// outcome goes into the session's call trace and out as stepFinished().
// A composer can run() it, step() one step at a time, or stop() it.
class ScriptRunner : public QObject
{
    Q_OBJECT
public:
    enum class State { Idle, Running, Paused, Passed, Failed, Stopped };

    struct StepOutcome
    {
        int step = -1;        // index into the script's steps
        int pass = 1;         // inside a repeat block: the innermost block's pass, from 1
        bool ok = true;
        QString detail;       // "matched "PONG 1"", "sent 7 bytes"; a failure says what arrived
        qint64 elapsedMs = 0; // how long the step took
    };

    ScriptRunner(SessionManager &sessions, SessionId id, SendScript script,
                 Framing framing = Framing{Framing::Kind::Line}, QObject *parent = nullptr);

    void run();  // from the current step to the end (or the first failure)
    void step(); // the current step only, then Paused
    void stop(); // where it is; the session is left as it is

    State state() const { return m_state; }
    int currentStep() const { return m_pc; }
    const SendScript &script() const { return m_script; }
    const QList<StepOutcome> &outcomes() const { return m_outcomes; }
    void setCounterStart(quint64 start) { m_counter = start; } // {{COUNTER}}, default 1

    static QString describe(const SendScript &script, const StepOutcome &outcome); // "step 3 (expect:...): ..."

signals:
    void stepStarted(int step);
    void stepFinished(const sockscope::core::ScriptRunner::StepOutcome &outcome);
    void finished(sockscope::core::ScriptRunner::State state);

private:
    struct Block
    {
        int repeat = 0;    // index of the repeat step
        int remaining = 0; // passes still to run after this one
        int pass = 1;
    };
    enum class Progress { Done, Waiting };

    void tick();
    void pullReceived();
    Progress perform(const ScriptStep &step); // Done: the outcome is in m_pending
    Progress expect(const ScriptStep &step);
    void finishStep();
    void end(State state);
    QString arrivedPreview() const;

    SessionManager &m_sessions;
    const SessionId m_id;
    SendScript m_script;
    Framer m_framer;
    bool m_framingFailed = false;
    QString m_framingError;
    QTimer m_poll;
    State m_state = State::Idle;
    bool m_singleStep = false;
    int m_pc = 0;
    bool m_inStep = false;          // the current step started and waits
    QElapsedTimer m_stepClock;
    StepOutcome m_pending;
    QList<Block> m_blocks;
    quint64 m_lastSeq = 0;          // traffic records already framed
    QList<QByteArray> m_messages;   // framed, not yet looked at by an expect
    QList<QByteArray> m_unmatched;  // looked at by the current expect, no match
    quint64 m_counter = 1;
    QList<StepOutcome> m_outcomes;
};

} // namespace sockscope::core
