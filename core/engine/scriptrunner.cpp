#include "scriptrunner.h"

#include "../net/payloadcodec.h"
#include "../net/pycode.h"
#include "sessionmanager.h"

namespace sockscope::core {

namespace {

constexpr int kPollMs = 5;
constexpr int kStepsPerTick = 256; // a repeat of many sends still lets the caller's loop breathe
constexpr qsizetype kPreviewChars = 160;

QString quoted(QByteArrayView bytes)
{
    qsizetype consumed = 0;
    const QString text = PayloadCodec::escape(bytes, EscapeStyle::Utf8, kPreviewChars, &consumed);
    return u'"' + text + u'"' + (consumed < bytes.size() ? QStringLiteral("… (%1 bytes)").arg(bytes.size()) : QString());
}

} // namespace

ScriptRunner::ScriptRunner(SessionManager &sessions, SessionId id, SendScript script, Framing framing, QObject *parent)
    : QObject(parent)
    , m_sessions(sessions)
    , m_id(id)
    , m_script(std::move(script))
    , m_framer(std::move(framing))
{
    m_poll.setInterval(kPollMs);
    connect(&m_poll, &QTimer::timeout, this, &ScriptRunner::tick);
}

void ScriptRunner::run()
{
    if (m_state != State::Idle && m_state != State::Paused)
        return;
    m_singleStep = false;
    m_state = State::Running;
    m_poll.start();
    tick();
}

void ScriptRunner::step()
{
    if (m_state != State::Idle && m_state != State::Paused)
        return;
    m_singleStep = true;
    m_state = State::Running;
    m_poll.start();
    tick();
}

void ScriptRunner::stop()
{
    if (m_state == State::Running || m_state == State::Paused || m_state == State::Idle) {
        if (m_pc < m_script.steps().size())
            m_sessions.note(m_id, QStringLiteral("# script step %1: %2").arg(m_pc + 1).arg(m_script.steps()[m_pc].toString()),
                            QStringLiteral("stopped"));
        end(State::Stopped);
    }
}

void ScriptRunner::end(State state)
{
    m_poll.stop();
    m_state = state;
    emit finished(state);
}

void ScriptRunner::pullReceived()
{
    const auto traffic = m_sessions.traffic(m_id);
    if (!traffic)
        return;
    const TrafficSnapshot snap = traffic->since(m_lastSeq);
    m_lastSeq = snap.lastSeq;
    for (const TrafficRecord &record : snap.records) {
        if (record.direction != Direction::In || m_framingFailed)
            continue;
        auto messages = m_framer.feed(record.bytes);
        if (!messages) {
            m_framingFailed = true;
            m_framingError = messages.error().toString();
            continue;
        }
        m_messages.append(*messages);
    }
}

void ScriptRunner::tick()
{
    if (m_state != State::Running)
        return;
    pullReceived();
    for (int n = 0; n < kStepsPerTick && m_state == State::Running; ++n) {
        if (m_pc >= m_script.steps().size()) {
            end(State::Passed);
            return;
        }
        const ScriptStep &current = m_script.steps()[m_pc];
        if (!m_inStep) {
            m_inStep = true;
            m_stepClock.start();
            m_pending = StepOutcome{m_pc, m_blocks.isEmpty() ? 1 : m_blocks.last().pass, true, {}, 0};
            m_unmatched.clear();
            emit stepStarted(m_pc);
        }
        if (perform(current) == Progress::Waiting)
            return;
        finishStep();
    }
}

void ScriptRunner::finishStep()
{
    m_inStep = false;
    m_pending.elapsedMs = m_stepClock.elapsed();
    const ScriptStep &done = m_script.steps()[m_pending.step];
    if (done.kind != ScriptStep::Kind::Send && done.kind != ScriptStep::Kind::SendHex) // sends noted before their bytes
        m_sessions.note(m_id, QStringLiteral("# script step %1: %2").arg(m_pending.step + 1).arg(done.toString()),
                        m_pending.ok ? m_pending.detail : QString(),
                        m_pending.ok ? std::nullopt : std::optional(SysError::input(QStringLiteral("step %1").arg(m_pending.step + 1), m_pending.detail)));
    m_outcomes.append(m_pending);
    emit stepFinished(m_pending);
    if (!m_pending.ok) {
        end(State::Failed);
        return;
    }
    if (m_singleStep && m_state == State::Running) {
        m_poll.stop();
        m_state = m_pc < m_script.steps().size() ? State::Paused : State::Passed;
        if (m_state == State::Passed)
            emit finished(m_state);
    }
}

ScriptRunner::Progress ScriptRunner::perform(const ScriptStep &step)
{
    const auto info = m_sessions.info(m_id);
    const bool closed = !info || info->state == SessionState::Closed;
    switch (step.kind) {
    case ScriptStep::Kind::Send:
    case ScriptStep::Kind::SendHex: {
        if (closed) {
            m_pending.ok = false;
            m_pending.detail = QStringLiteral("the socket is closed: nothing sent");
            ++m_pc;
            return Progress::Done;
        }
        QByteArray bytes = step.bytes;
        if (step.send) {
            MacroContext context;
            context.peer = info->peer;
            context.counter = m_counter;
            if (step.send->usesCounter())
                ++m_counter;
            bytes = step.send->render(context);
        }
        m_pending.detail = QStringLiteral("sent %1 bytes").arg(bytes.size());
        m_sessions.note(m_id, QStringLiteral("# script step %1: %2").arg(m_pc + 1).arg(step.toString()), m_pending.detail);
        m_sessions.send(m_id, std::move(bytes));
        ++m_pc;
        return Progress::Done;
    }
    case ScriptStep::Kind::Expect:
        return expect(step);
    case ScriptStep::Kind::Sleep:
        if (m_stepClock.elapsed() < step.wait.count())
            return Progress::Waiting;
        m_pending.detail = QStringLiteral("slept %1 ms").arg(step.wait.count());
        ++m_pc;
        return Progress::Done;
    case ScriptStep::Kind::Shutdown:
        m_sessions.shutdown(m_id, SHUT_WR);
        m_pending.detail = QStringLiteral("shutdown(SHUT_WR)");
        ++m_pc;
        return Progress::Done;
    case ScriptStep::Kind::Close:
        m_sessions.close(m_id);
        m_pending.detail = QStringLiteral("close()");
        ++m_pc;
        return Progress::Done;
    case ScriptStep::Kind::Repeat:
        m_blocks.append(Block{m_pc, step.count - 1, 1});
        m_pending.detail = QStringLiteral("%1 passes").arg(step.count);
        ++m_pc;
        return Progress::Done;
    case ScriptStep::Kind::End: {
        Block &block = m_blocks.last();
        m_pending.detail = QStringLiteral("pass %1 done").arg(block.pass);
        if (block.remaining > 0) {
            --block.remaining;
            ++block.pass;
            m_pc = block.repeat + 1;
        } else {
            m_blocks.removeLast();
            ++m_pc;
        }
        return Progress::Done;
    }
    }
    return Progress::Done;
}

ScriptRunner::Progress ScriptRunner::expect(const ScriptStep &step)
{
    while (!m_messages.isEmpty()) {
        const QByteArray message = m_messages.takeFirst();
        if (step.match->matches(message, nullptr)) {
            m_pending.detail = QStringLiteral("matched %1").arg(quoted(message));
            if (!m_unmatched.isEmpty())
                m_pending.detail += QStringLiteral(" after %1 other message(s)").arg(m_unmatched.size());
            ++m_pc;
            return Progress::Done;
        }
        m_unmatched.append(message);
    }
    const auto info = m_sessions.info(m_id);
    QString why;
    if (m_framingFailed)
        why = QStringLiteral("framing failed (%1)").arg(m_framingError);
    else if (!info || info->state == SessionState::Closed || info->peerClosed)
        why = info && info->peerClosed ? QStringLiteral("the peer closed before a match")
                                       : QStringLiteral("the socket closed before a match");
    else if (m_stepClock.elapsed() >= step.wait.count())
        why = QStringLiteral("timed out after %1 s").arg(double(step.wait.count()) / 1000.0);
    if (why.isEmpty())
        return Progress::Waiting;
    // The last bytes may have come with the FIN: one more look before giving up.
    if (info && info->peerClosed && m_lastSeq != (m_sessions.traffic(m_id) ? m_sessions.traffic(m_id)->lastSeq() : m_lastSeq)) {
        pullReceived();
        return expect(step);
    }
    m_pending.ok = false;
    m_pending.detail = why + QStringLiteral("; arrived: ") + arrivedPreview();
    ++m_pc;
    return Progress::Done;
}

QString ScriptRunner::arrivedPreview() const
{
    QStringList parts;
    for (const QByteArray &message : m_unmatched)
        parts.append(quoted(message));
    QString text = parts.isEmpty() ? QString() : QStringLiteral("%1 message(s) that did not match: %2").arg(parts.size()).arg(parts.join(QStringLiteral(", ")));
    if (m_framer.pending() > 0) {
        if (!text.isEmpty())
            text += QStringLiteral("; ");
        text += QStringLiteral("%1 bytes of an unfinished message: %2").arg(m_framer.pending()).arg(quoted(m_framer.unfinished()));
    }
    return text.isEmpty() ? QStringLiteral("nothing") : text;
}

QString ScriptRunner::describe(const SendScript &script, const StepOutcome &outcome)
{
    const QString text = outcome.step >= 0 && outcome.step < script.steps().size() ? script.steps()[outcome.step].toString() : QString();
    const QString pass = outcome.pass > 1 ? QStringLiteral(" pass %1").arg(outcome.pass) : QString();
    return QStringLiteral("step %1 (%2)%3: %4").arg(outcome.step + 1).arg(text, pass, outcome.detail);
}

} // namespace sockscope::core
