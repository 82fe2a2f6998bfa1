#include "panes/lessonpane.h"
#include "widgets/backlogview.h"
#include "widgets/statediagram.h"

#include "engine/sessionmanager.h"

#include <QLabel>
#include <QSignalSpy>
#include <QTest>

using namespace sockscope;
using core::TcpState;
using End = ui::StateDiagram::End;

namespace {

// Next, then wait (as the pane's timer does) until the step ran.
bool runNext(ui::LessonPane &pane)
{
    const int want = pane.progress().stepsRun;
    pane.next();
    QDeadlineTimer deadline(20000);
    while (!deadline.hasExpired()) {
        pane.refresh();
        if (!pane.isBusy() && pane.progress().stepsRun > want && pane.viewedStep() == want)
            return pane.progress().steps.value(want).passed();
        QTest::qWait(20);
    }
    return false;
}

} // namespace

class tst_LessonPane : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase_data();
    void handshakeStepByStep();
    void backReviewsAndRestartCloses();
    void backlogLessonShowsTheQueue();
    void ladderSlot();
};

void tst_LessonPane::initTestCase_data()
{
    QTest::addColumn<int>("family");
    QTest::newRow("IPv4") << AF_INET;
    QTest::newRow("IPv6") << AF_INET6;
}

void tst_LessonPane::handshakeStepByStep()
{
    QFETCH_GLOBAL(int, family);
    core::SessionManager sessions;
    ui::LessonPane pane(sessions);
    QVERIFY2(pane.loadError().isEmpty(), qPrintable(pane.loadError()));
    QCOMPARE(pane.lessons().size(), 11);
    pane.setFamily(family);
    pane.selectLesson(QStringLiteral("handshake"));
    QSignalSpy flow(&pane, &ui::LessonPane::flowChanged);
    QCOMPARE(pane.viewedStep(), -1);
    QVERIFY(pane.narrationText().contains(QStringLiteral("1. A server listens")));

    QVERIFY(runNext(pane));
    QCOMPARE(pane.viewedStep(), 0);
    QCOMPARE(flow.count(), 1);
    const quint16 port = flow.first().first().value<quint16>();
    QVERIFY(port != 0);
    // The code shows the real port and host, no placeholder left.
    QVERIFY(pane.pythonText().contains(QString::number(port)));
    QVERIFY(pane.pythonText().contains(family == AF_INET6 ? QStringLiteral("::1") : QStringLiteral("127.0.0.1")));
    QVERIFY(!pane.pythonText().contains(QLatin1Char('{')));
    QCOMPARE(pane.diagram()->currentState(End::Server), TcpState::Listen);
    QVERIFY(std::ranges::all_of(pane.checkLines(), [](const QString &l) { return l.startsWith(QStringLiteral("✓")); }));

    QVERIFY(runNext(pane)); // connect
    QCOMPARE(pane.diagram()->currentState(End::Client), TcpState::Established);
    QCOMPARE(pane.diagram()->currentState(End::Server), TcpState::Established);
    QVERIFY(pane.callLines().join(QLatin1Char('\n')).contains(QStringLiteral(".connect(")));
    QVERIFY(pane.currentSession() != 0); // the client is a session: the trace dock can show it
    QVERIFY(runNext(pane));
    QVERIFY(runNext(pane));
    QCOMPARE(pane.progress().stepsRun, 4);
    QVERIFY(pane.status().contains(QStringLiteral("4 of 4")));
    // At the end Next has nothing more to do.
    pane.next();
    QVERIFY(!pane.isBusy());
    QCOMPARE(pane.viewedStep(), 3);
}

void tst_LessonPane::backReviewsAndRestartCloses()
{
    QFETCH_GLOBAL(int, family);
    core::SessionManager sessions;
    ui::LessonPane pane(sessions);
    pane.setFamily(family);
    pane.selectLesson(QStringLiteral("teardown"));
    for (int i = 0; i < 3; ++i)
        QVERIFY(runNext(pane));
    pane.diagram()->finishAnimations();
    QCOMPARE(pane.diagram()->currentState(End::Client), TcpState::TimeWait);
    pane.back(); // step 2 as it was: the client in FIN_WAIT_2
    QCOMPARE(pane.viewedStep(), 1);
    QCOMPARE(pane.diagram()->currentState(End::Client), TcpState::FinWait2);
    QCOMPARE(pane.diagram()->currentState(End::Server), TcpState::CloseWait);
    QVERIFY(pane.narrationText().contains(QStringLiteral("FIN")));
    pane.next(); // reviewing: no new step is run
    QCOMPARE(pane.viewedStep(), 2);
    QCOMPARE(pane.progress().stepsRun, 3);
    QVERIFY(!pane.isBusy());
    QVERIFY(!sessions.sessions().isEmpty());
    pane.restart();
    QCOMPARE(pane.viewedStep(), -1);
    QVERIFY(!pane.diagram()->currentState(End::Client));
    QTRY_VERIFY(sessions.sessions().isEmpty()); // the lesson's sessions are closed and forgotten
}

void tst_LessonPane::backlogLessonShowsTheQueue()
{
    QFETCH_GLOBAL(int, family);
    core::SessionManager sessions;
    ui::LessonPane pane(sessions);
    pane.setFamily(family);
    QVERIFY(pane.backlogView()->isHidden());
    pane.selectLesson(QStringLiteral("backlog"));
    QVERIFY(!pane.backlogView()->isHidden());
    pane.show();
    QVERIFY(runNext(pane)); // listen(1)
    QVERIFY(runNext(pane)); // two clients fill the queue
    QVERIFY(pane.backlogView()->listener() != 0);
    QTRY_COMPARE(pane.backlogView()->acceptQueue(), 2u);
    QVERIFY(pane.backlogView()->queueFull());
    QVERIFY(runNext(pane)); // the third waits in SYN_SENT
    QTRY_COMPARE(pane.backlogView()->retrying().size(), 1);
    QCOMPARE(pane.diagram()->currentState(End::Client), TcpState::SynSent);
    pane.selectLesson(QStringLiteral("handshake"));
    QVERIFY(pane.backlogView()->isHidden());
}

void tst_LessonPane::ladderSlot()
{
    core::SessionManager sessions;
    ui::LessonPane pane(sessions);
    QVERIFY(!pane.ladderWidget());
    auto *ladder = new QLabel(QStringLiteral("ladder"));
    pane.setLadderWidget(ladder);
    QCOMPARE(pane.ladderWidget(), ladder);
    QCOMPARE(ladder->parentWidget(), pane.diagram()->parentWidget()); // below the diagram, in its splitter
    QPointer<QLabel> watch(ladder);
    pane.setLadderWidget(nullptr);
    QVERIFY(watch.isNull()); // the pane owned it
}

QTEST_MAIN(tst_LessonPane)
#include "tst_lessonpane.moc"
