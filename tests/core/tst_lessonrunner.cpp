#include "lessons/lessoncatalog.h"
#include "lessons/lessonrunner.h"

#include "engine/sessionmanager.h"

#include <QTest>

using namespace sockscope::core;

// Every shipped lesson, run end to end on loopback against the real kernel: each step's
// expectations (states by sock_diag, errnos and results in the calls) must hold.
class tst_LessonRunner : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase_data();
    void initTestCase();
    void lesson_data();
    void lesson();
    void pathsFollowTheConnection();
    void resetClosesTheSockets();
    void brokenScriptReportsFailure();

private:
    static QString describe(const StepOutcome &outcome);
    QList<Lesson> m_lessons;
};

void tst_LessonRunner::initTestCase_data()
{
    QTest::addColumn<int>("family");
    QTest::newRow("IPv4") << AF_INET;
    QTest::newRow("IPv6") << AF_INET6;
}

void tst_LessonRunner::initTestCase()
{
    auto lessons = LessonCatalog::load(QStringLiteral("en"));
    QVERIFY2(lessons, qPrintable(lessons ? QString() : lessons.error().toString()));
    m_lessons = *lessons;
    QCOMPARE(m_lessons.size(), 11);
}

QString tst_LessonRunner::describe(const StepOutcome &outcome)
{
    QStringList lines{QStringLiteral("step %1").arg(outcome.step + 1)};
    if (outcome.failure)
        lines.append(QStringLiteral("  failure: ") + outcome.failure->toString());
    for (const ExpectationOutcome &c : outcome.checks)
        lines.append(QStringLiteral("  [%1] %2 -- saw: %3").arg(c.passed ? QStringLiteral("ok") : QStringLiteral("FAIL"), c.text, c.observed));
    for (const LessonCall &c : outcome.calls)
        lines.append(QStringLiteral("  %1: %2 -> %3 %4").arg(c.actor, c.code, c.result, c.error ? c.error->name() : QString()));
    return lines.join(QLatin1Char('\n'));
}

void tst_LessonRunner::lesson_data()
{
    QTest::addColumn<QString>("id");
    for (const QString &id : LessonCatalog::ids())
        QTest::newRow(qPrintable(id)) << id;
}

void tst_LessonRunner::lesson()
{
    QFETCH_GLOBAL(int, family);
    QFETCH(QString, id);
    const auto it = std::ranges::find_if(m_lessons, [&](const Lesson &l) { return l.id == id; });
    QVERIFY(it != m_lessons.end());
    SessionManager sessions;
    LessonRunner runner(sessions);
    runner.load(*it, family);
    for (int i = 0; i < it->steps.size(); ++i) {
        runner.next();
        QVERIFY(runner.waitIdle(std::chrono::seconds(20)));
        const LessonProgress p = runner.progress();
        QCOMPARE(p.stepsRun, i + 1);
        QVERIFY(!p.busy);
        const StepOutcome &outcome = p.steps.at(i);
        QVERIFY2(outcome.passed(), qPrintable(describe(outcome)));
        QCOMPARE(outcome.checks.size(), it->steps[i].expectations.size());
    }
    // Next past the end does nothing.
    const quint64 before = runner.generation();
    runner.next();
    QVERIFY(runner.waitIdle(std::chrono::seconds(5)));
    QCOMPARE(runner.generation(), before);
}

// The handshake lesson's diagram paths: the client from CLOSED to ESTABLISHED, the server
// end from LISTEN (the listener) to ESTABLISHED (the queued, then accepted connection).
void tst_LessonRunner::pathsFollowTheConnection()
{
    QFETCH_GLOBAL(int, family);
    auto lesson = LessonCatalog::loadOne(QStringLiteral("teardown"), QStringLiteral("en"));
    QVERIFY(lesson);
    SessionManager sessions;
    LessonRunner runner(sessions);
    runner.load(*lesson, family);
    for (int i = 0; i < 3; ++i)
        runner.next();
    QVERIFY(runner.waitIdle(std::chrono::seconds(20)));
    const StepOutcome last = runner.progress().steps.last();
    QVERIFY2(last.passed(), qPrintable(describe(last)));
    QList<TcpState> client, server;
    for (const LessonPathPoint &p : last.clientPath)
        client.append(p.state);
    for (const LessonPathPoint &p : last.serverPath)
        server.append(p.state);
    QCOMPARE(client.first(), TcpState::Closed);
    QCOMPARE(client.last(), TcpState::TimeWait);
    QVERIFY(client.contains(TcpState::Established));
    QVERIFY(client.contains(TcpState::FinWait2));
    QCOMPARE(server.first(), TcpState::Closed); // nothing listened before step 1
    QVERIFY(server.contains(TcpState::Listen));
    QVERIFY(server.contains(TcpState::CloseWait));
    QCOMPARE(server.last(), TcpState::Closed);
    QVERIFY(last.clientTitle.startsWith(QStringLiteral("client ")));
    QVERIFY(runner.progress().serverPort != 0);
    QVERIFY(runner.progress().clientSession != 0); // the client is a session: its trace is the app's
}

void tst_LessonRunner::resetClosesTheSockets()
{
    QFETCH_GLOBAL(int, family);
    auto lesson = LessonCatalog::loadOne(QStringLiteral("handshake"), QStringLiteral("en"));
    QVERIFY(lesson);
    SessionManager sessions;
    LessonRunner runner(sessions);
    runner.load(*lesson, family);
    runner.next();
    runner.next();
    QVERIFY(runner.waitIdle(std::chrono::seconds(20)));
    QCOMPARE(runner.progress().stepsRun, 2);
    QCOMPARE(sessions.sessions().size(), 2); // the listener and the client (nothing accepted yet)
    runner.reset();
    QVERIFY(runner.waitIdle(std::chrono::seconds(5)));
    QCOMPARE(runner.progress().stepsRun, 0);
    QVERIFY(runner.progress().steps.isEmpty());
    QTRY_VERIFY(sessions.sessions().isEmpty());
}

void tst_LessonRunner::brokenScriptReportsFailure()
{
    QFETCH_GLOBAL(int, family);
    auto lesson = Lesson::fromJson(R"({"id": "broken", "title": "Broken", "focus": {"client": "c"},
        "steps": [{"title": "t", "narration": "n", "actions": [{"op": "send", "actor": "nobody", "data": "x"}],
                   "expect": [{"actor": "nobody", "ok": true}]}]})");
    QVERIFY(lesson);
    SessionManager sessions;
    LessonRunner runner(sessions);
    runner.load(*lesson, family);
    runner.next();
    QVERIFY(runner.waitIdle(std::chrono::seconds(5)));
    const StepOutcome outcome = runner.progress().steps.value(0);
    QVERIFY(outcome.finished);
    QVERIFY(outcome.failure);
    QVERIFY(!outcome.passed());
    QVERIFY(outcome.failure->detail().contains(QStringLiteral("nobody")));
}

QTEST_GUILESS_MAIN(tst_LessonRunner)
#include "tst_lessonrunner.moc"
