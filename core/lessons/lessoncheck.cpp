#include "lessoncheck.h"

#include "../net/pycode.h"

#include <QCoreApplication>
#include <QElapsedTimer>

#include <thread>

namespace sockscope::core {

namespace {

QString str(const LessonExpectation &e, const char *key, const QList<std::pair<QString, QString>> &vars = {})
{
    return Lesson::substitute(e.spec.value(QLatin1String(key)).toString(), vars);
}

TcpState wantedState(const LessonExpectation &e)
{
    return tcpStateFromName(e.spec.value(QLatin1String("state")).toString()).value_or(TcpState::Closed);
}

QString describeEntry(const SocketEntry &e)
{
    QString text = tcpStateName(rfcState(e.tcpState.value_or(TcpState::Closed)));
    if (e.timer != DiagTimer::Off)
        text += LessonCheck::tr(" (%1 timer, %2 s left)").arg(diagTimerName(e.timer)).arg(e.expiresMs / 1000.0, 0, 'f', 1);
    return text;
}

} // namespace

QString LessonCheck::describe(const LessonExpectation &e, const QList<std::pair<QString, QString>> &vars)
{
    if (!e.text.isEmpty())
        return Lesson::substitute(e.text, vars);
    const QString actor = str(e, "actor");
    const QString state = tcpStateName(wantedState(e));
    if (e.kind == QLatin1String("state")) {
        if (e.spec.contains(QLatin1String("end")))
            return tr("the %1 end is in %2").arg(str(e, "end"), state);
        if (wantedState(e) == TcpState::Closed)
            return tr("%1 is not in the kernel's table (CLOSED)").arg(actor);
        if (e.spec.contains(QLatin1String("timer")))
            return tr("%1 is in %2 with its %3 timer running").arg(actor, state, str(e, "timer"));
        return tr("%1 is in %2").arg(actor, state);
    }
    if (e.kind == QLatin1String("error"))
        return tr("a call of %1 fails with %2").arg(actor, str(e, "error"));
    if (e.kind == QLatin1String("ok"))
        return tr("every call of %1 succeeds").arg(actor);
    if (e.kind == QLatin1String("result"))
        return tr("%1 gets %2").arg(actor, str(e, "result", vars));
    if (e.kind == QLatin1String("received"))
        return tr("%1 has received %2").arg(actor, pycode::bytes(str(e, "received", vars).toUtf8()));
    if (e.kind == QLatin1String("acceptQueue"))
        return tr("%1 has %2 connection(s) waiting to be accepted").arg(actor).arg(e.spec.value(QLatin1String("acceptQueue")).toInt());
    if (e.kind == QLatin1String("count"))
        return tr("at least %1 socket(s) towards %2 in %3")
            .arg(e.spec.value(QLatin1String("count")).toInt())
            .arg(str(e, "toPort"), state);
    if (e.kind == QLatin1String("less"))
        return tr("%1 < %2").arg(str(e, "less", vars), str(e, "than", vars));
    return e.kind;
}

ExpectationOutcome LessonCheck::evaluate(const LessonExpectation &e, const LessonStage &stage,
                                         const LessonObserver &observer, const QList<LessonCall> &calls)
{
    const auto vars = stage.vars();
    ExpectationOutcome out{describe(e, vars), false, {}};
    const QString name = str(e, "actor");
    const LessonStage::Actor *actor = stage.actor(name);
    const QList<SocketEntry> &dump = observer.lastDump();
    const bool needsActor = e.kind != QLatin1String("less") && !e.spec.contains(QLatin1String("end"));
    const QString actorName = e.kind == QLatin1String("count") ? str(e, "toPort") : name;
    const LessonStage::Actor *subject = e.kind == QLatin1String("count") ? stage.actor(actorName) : actor;
    if (needsActor && !subject) {
        out.observed = tr("there is no %1 (an earlier call failed?)").arg(actorName);
        return out;
    }

    if (e.kind == QLatin1String("state")) {
        if (e.spec.contains(QLatin1String("end"))) {
            const auto &path = str(e, "end") == QLatin1String("server") ? observer.serverPath() : observer.clientPath();
            const TcpState now = path.isEmpty() ? TcpState::Closed : path.last().state;
            out.observed = tcpStateName(now);
            out.passed = now == wantedState(e);
            return out;
        }
        const SocketEntry *entry = LessonObserver::find(*actor, dump);
        const TcpState now = entry && entry->tcpState ? rfcState(*entry->tcpState) : TcpState::Closed;
        out.observed = entry ? describeEntry(*entry) : tr("not in the table (CLOSED)");
        out.passed = now == wantedState(e);
        if (out.passed && e.spec.contains(QLatin1String("timer")))
            out.passed = entry && diagTimerName(entry->timer) == str(e, "timer") && entry->expiresMs > 0;
        return out;
    }
    if (e.kind == QLatin1String("error") || e.kind == QLatin1String("ok") || e.kind == QLatin1String("result")) {
        const QString want = e.kind == QLatin1String("error") ? str(e, "error") : str(e, "result", vars);
        QStringList seen;
        for (const LessonCall &c : calls) {
            if (c.actor != name)
                continue;
            if (e.kind == QLatin1String("error")) {
                if (c.error)
                    seen.append(c.error->name());
                out.passed = out.passed || (c.error && c.error->name() == want);
            } else if (e.kind == QLatin1String("ok")) {
                if (c.error)
                    seen.append(c.error->name());
            } else if (!c.result.isEmpty()) {
                // connect_ex() returns its errno: a result and an error at once.
                seen.append(c.result);
                out.passed = out.passed || c.result.startsWith(want);
            }
        }
        if (e.kind == QLatin1String("ok"))
            out.passed = seen.isEmpty();
        out.observed = seen.isEmpty() ? (e.kind == QLatin1String("result") ? tr("no result yet") : tr("no error"))
                                      : seen.join(QStringLiteral(", "));
        return out;
    }
    if (e.kind == QLatin1String("received")) {
        out.observed = pycode::bytes(actor->received);
        out.passed = actor->received == str(e, "received", vars).toUtf8();
        return out;
    }
    if (e.kind == QLatin1String("acceptQueue")) {
        const SocketEntry *entry = LessonObserver::find(*actor, dump);
        if (!entry) {
            out.observed = tr("not listening");
            return out;
        }
        out.observed = tr("%1 waiting, backlog %2").arg(entry->recvQ).arg(entry->sendQ);
        out.passed = int(entry->recvQ) == e.spec.value(QLatin1String("acceptQueue")).toInt();
        return out;
    }
    if (e.kind == QLatin1String("count")) {
        const quint16 port = subject->local.port();
        int n = 0;
        for (const SocketEntry &entry : dump) {
            if (entry.tcpState && rfcState(*entry.tcpState) == wantedState(e) && entry.peer.port() == port)
                ++n;
        }
        out.observed = QString::number(n);
        out.passed = n >= e.spec.value(QLatin1String("count")).toInt();
        return out;
    }
    if (e.kind == QLatin1String("less")) {
        bool okA = false, okB = false;
        const qlonglong a = str(e, "less", vars).toLongLong(&okA), b = str(e, "than", vars).toLongLong(&okB);
        out.observed = tr("%1 and %2").arg(str(e, "less", vars), str(e, "than", vars));
        out.passed = okA && okB && a < b;
        return out;
    }
    out.observed = tr("unknown expectation");
    return out;
}

QList<ExpectationOutcome> LessonCheck::run(const QList<LessonExpectation> &expectations, LessonStage &stage,
                                           LessonObserver &observer, QList<LessonCall> &calls)
{
    int within = 0;
    for (const LessonExpectation &e : expectations)
        within = std::max(within, e.withinMs);
    QElapsedTimer clock;
    clock.start();
    QList<ExpectationOutcome> outcomes;
    for (;;) {
        stage.syncSessions();
        calls += stage.takeCalls();
        auto dumped = observer.observe(stage);
        outcomes.clear();
        bool all = true;
        for (const LessonExpectation &e : expectations) {
            outcomes.append(evaluate(e, stage, observer, calls));
            if (!dumped && e.kind != QLatin1String("error") && e.kind != QLatin1String("ok"))
                outcomes.last().observed = tr("sock_diag: %1").arg(dumped.error().toString());
            all = all && outcomes.last().passed;
        }
        if (all || clock.elapsed() >= within)
            return outcomes;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
}

} // namespace sockscope::core
