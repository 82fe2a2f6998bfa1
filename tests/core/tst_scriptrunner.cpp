// ScriptRunner against real loopback sessions: our Upper service, or an accepted
// connection the test drives itself. The runner lives on the test's thread and is waited
// for with QTRY_* (its event loop keeps turning, as the GUI's would).

#include "engine/scriptrunner.h"
#include "engine/sessionmanager.h"

#include "sessionwaits.h"

#include <QElapsedTimer>
#include <QTest>

using namespace sockscope::core;
using namespace sockscope::tests;

namespace {

struct Watched
{
    std::optional<ScriptRunner::State> finished;
    QList<ScriptRunner::StepOutcome> outcomes;
    qint64 finishedAfterMs = -1;
};

// Listens on loopback with `mode`, connects a client; ids of listener and client.
std::pair<SessionId, SessionId> connectedPair(SessionManager &sessions, int family, ServiceMode mode)
{
    ListenSpec listen;
    listen.bind = Address::loopback(family, 0);
    listen.service = mode;
    const SessionId listener = sessions.listen(listen);
    if (!reachedState(sessions, listener, SessionState::Listening))
        return {0, 0};
    ConnectSpec spec;
    spec.candidates = {Address::loopback(family, sessions.info(listener)->local.port())};
    const SessionId client = sessions.connect(spec);
    if (!reachedState(sessions, client, SessionState::Connected) || !waitForChildren(sessions, listener, 1))
        return {0, 0};
    return {listener, client};
}

std::optional<SendScript> script(const QStringList &steps)
{
    auto parsed = SendScript::parse(steps);
    return parsed ? std::optional(*parsed) : std::nullopt;
}

void watch(ScriptRunner &runner, Watched &w, const QElapsedTimer &clock)
{
    QObject::connect(&runner, &ScriptRunner::stepFinished, [&w](const ScriptRunner::StepOutcome &o) { w.outcomes.append(o); });
    QObject::connect(&runner, &ScriptRunner::finished, [&w, &clock](ScriptRunner::State s) {
        w.finished = s;
        w.finishedAfterMs = clock.elapsed();
    });
}

QString traceText(SessionManager &sessions, SessionId id)
{
    QStringList rows;
    for (const CallRecord &r : sessions.trace(id)->since(0))
        rows.append(r.code + QStringLiteral(" -> ") + r.result + (r.error ? QStringLiteral(" !") + r.error->toString() : QString()));
    return rows.join(u'\n');
}

} // namespace

class tst_ScriptRunner : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase_data();
    void passesAgainstUpper();
    void failingExpectSaysWhatArrived();
    void peerCloseFailsAtOnce();
    void framingCutsStickyMessages();
    void stepAndStop();
};

void tst_ScriptRunner::initTestCase_data()
{
    QTest::addColumn<int>("family");
    QTest::newRow("IPv4") << AF_INET;
    QTest::newRow("IPv6") << AF_INET6;
}

void tst_ScriptRunner::passesAgainstUpper()
{
    QFETCH_GLOBAL(int, family);
    SessionManager sessions;
    const auto [listener, client] = connectedPair(sessions, family, ServiceMode::Upper);
    QVERIFY(client);
    const auto s = script({QStringLiteral("send:hello\\n"), QStringLiteral("expect:equals:HELLO@2"), QStringLiteral("sleep:100"),
                           QStringLiteral("repeat:2"), QStringLiteral("send:n{{COUNTER}}\\n"), QStringLiteral("expect:regex:^N\\d$@2"),
                           QStringLiteral("end"), QStringLiteral("shutdown")});
    QVERIFY(s);
    ScriptRunner runner(sessions, client, *s);
    Watched w;
    QElapsedTimer clock;
    clock.start();
    watch(runner, w, clock);
    runner.run();
    QTRY_VERIFY_WITH_TIMEOUT(w.finished.has_value(), 5000);
    QCOMPARE(*w.finished, ScriptRunner::State::Passed);
    QCOMPARE(w.outcomes.size(), 11); // 4 + (send, expect, end) x 2 + shutdown
    QCOMPARE(w.outcomes[1].detail, QStringLiteral("matched \"HELLO\""));
    QVERIFY(w.outcomes[2].elapsedMs >= 100);
    QCOMPARE(w.outcomes[5].detail, QStringLiteral("matched \"N1\""));
    QCOMPARE(w.outcomes[8].detail, QStringLiteral("matched \"N2\""));
    QCOMPARE(w.outcomes[8].pass, 2);
    QTRY_VERIFY(traceText(sessions, client).contains(QStringLiteral("# script step 8: shutdown")));
    const QString trace = traceText(sessions, client);
    QVERIFY2(trace.contains(QStringLiteral("# script step 2: expect:equals:HELLO@2 -> matched \"HELLO\"")), qPrintable(trace));
    QVERIFY2(trace.indexOf(QStringLiteral("# script step 1: send:hello\\n")) < trace.indexOf(QStringLiteral("sendall(b'hello\\n')")),
             qPrintable(trace)); // the step, then the call it made
    QVERIFY2(trace.contains(QStringLiteral("sendall(b'n2\\n')")), qPrintable(trace));
}

void tst_ScriptRunner::failingExpectSaysWhatArrived()
{
    QFETCH_GLOBAL(int, family);
    SessionManager sessions;
    const auto [listener, client] = connectedPair(sessions, family, ServiceMode::Upper);
    QVERIFY(client);
    const auto s = script({QStringLiteral("send:abc\\ndef"), QStringLiteral("expect:equals:xyz@0.4")});
    QVERIFY(s);
    ScriptRunner runner(sessions, client, *s);
    Watched w;
    QElapsedTimer clock;
    clock.start();
    watch(runner, w, clock);
    runner.run();
    QTRY_VERIFY_WITH_TIMEOUT(w.finished.has_value(), 5000);
    QCOMPARE(*w.finished, ScriptRunner::State::Failed);
    QVERIFY2(w.finishedAfterMs >= 400 && w.finishedAfterMs < 400 + 250, qPrintable(QString::number(w.finishedAfterMs)));
    const auto &failed = w.outcomes.last();
    QCOMPARE(failed.step, 1);
    QVERIFY(!failed.ok);
    QCOMPARE(failed.detail, QStringLiteral("timed out after 0.4 s; arrived: 1 message(s) that did not match: \"ABC\"; "
                                           "3 bytes of an unfinished message: \"DEF\""));
    QCOMPARE(ScriptRunner::describe(*s, failed), QStringLiteral("step 2 (expect:equals:xyz@0.4): ") + failed.detail);
    QTRY_VERIFY(traceText(sessions, client).contains(QStringLiteral("# script step 2: expect:equals:xyz@0.4 ->  !step 2: timed out")));
}

void tst_ScriptRunner::peerCloseFailsAtOnce()
{
    QFETCH_GLOBAL(int, family);
    SessionManager sessions;
    const auto [listener, client] = connectedPair(sessions, family, ServiceMode::None);
    QVERIFY(client);
    const SessionId server = sessions.children(listener).value(0);
    const auto s = script({QStringLiteral("expect:equals:HELLO@5")});
    QVERIFY(s);
    ScriptRunner runner(sessions, client, *s);
    Watched w;
    QElapsedTimer clock;
    clock.start();
    watch(runner, w, clock);
    runner.run();
    sessions.send(server, QByteArray("BYE\n"));
    sessions.close(server);
    QTRY_VERIFY_WITH_TIMEOUT(w.finished.has_value(), 6000);
    QCOMPARE(*w.finished, ScriptRunner::State::Failed);
    QVERIFY2(w.finishedAfterMs < 1000, qPrintable(QString::number(w.finishedAfterMs))); // not the 5 s timeout
    QCOMPARE(w.outcomes.last().detail, QStringLiteral("the peer closed before a match; arrived: 1 message(s) that did not match: \"BYE\""));
}

void tst_ScriptRunner::framingCutsStickyMessages()
{
    QFETCH_GLOBAL(int, family);
    SessionManager sessions;
    const auto [listener, client] = connectedPair(sessions, family, ServiceMode::None);
    QVERIFY(client);
    const SessionId server = sessions.children(listener).value(0);
    const auto framing = Framing::parse(u"length:2");
    QVERIFY(framing);
    const auto s = script({QStringLiteral("expect:equals:hi@2"), QStringLiteral("expect:hex:61 62 63@2")});
    QVERIFY(s);
    sessions.send(server, QByteArray("\x00\x02hi\x00\x03" "abc", 9)); // two messages, one send
    ScriptRunner runner(sessions, client, *s, *framing);
    Watched w;
    QElapsedTimer clock;
    clock.start();
    watch(runner, w, clock);
    runner.run();
    QTRY_VERIFY_WITH_TIMEOUT(w.finished.has_value(), 5000);
    QCOMPARE(*w.finished, ScriptRunner::State::Passed);
    QCOMPARE(w.outcomes.size(), 2);
    QCOMPARE(w.outcomes[1].detail, QStringLiteral("matched \"abc\""));
}

void tst_ScriptRunner::stepAndStop()
{
    QFETCH_GLOBAL(int, family);
    SessionManager sessions;
    const auto [listener, client] = connectedPair(sessions, family, ServiceMode::Upper);
    QVERIFY(client);
    const auto s = script({QStringLiteral("send:one\\n"), QStringLiteral("expect:equals:ONE@2"), QStringLiteral("send:two\\n")});
    QVERIFY(s);
    ScriptRunner runner(sessions, client, *s);
    Watched w;
    QElapsedTimer clock;
    clock.start();
    watch(runner, w, clock);
    runner.step();
    QCOMPARE(runner.state(), ScriptRunner::State::Paused);
    QCOMPARE(runner.currentStep(), 1);
    runner.step(); // waits for the reply
    QTRY_COMPARE_WITH_TIMEOUT(runner.state(), ScriptRunner::State::Paused, 3000);
    QCOMPARE(w.outcomes.size(), 2);
    QVERIFY(w.outcomes[1].ok);
    runner.stop();
    QCOMPARE(runner.state(), ScriptRunner::State::Stopped);
    QCOMPARE(w.finished, std::optional(ScriptRunner::State::Stopped));
    QTRY_VERIFY(traceText(sessions, client).contains(QStringLiteral("# script step 3: send:two\\n -> stopped")));
    QVERIFY(!traceText(sessions, client).contains(QStringLiteral("b'two")));
}

QTEST_GUILESS_MAIN(tst_ScriptRunner)
#include "tst_scriptrunner.moc"
