#include "appservices.h"
#include "panes/lessonpane.h"

#include "../common/segmentscript.h"
#include "../common/tryuntil.h"
#include "../common/widgetlookup.h"

#include "widgets/backlogview.h"
#include "widgets/ladderdiagram.h"
#include "widgets/ladderpanel.h"
#include "widgets/statediagram.h"

#include "engine/sessionmanager.h"

#include <QSignalSpy>
#include <QTest>

#include <unistd.h>

using namespace Qt::StringLiterals;
using namespace sockscope;
using core::TcpState;
using End = ui::StateDiagram::End;
using sockscope::tests::flagsOf;
using sockscope::tests::named;

namespace {

// Next, then wait (as the pane's timer does) until the step ran.
bool runNext(ui::LessonPane &pane)
{
    const int want = pane.progress().stepsRun;
    pane.next();
    const bool ran = tests::tryUntil([&] {
        pane.refresh();
        return !pane.isBusy() && pane.progress().stepsRun > want && pane.viewedStep() == want;
    }, 20000);
    return ran && pane.progress().steps.value(want).passed();
}

// The port a lesson's actor (e.g. "client") was given, as the step outcomes tell it.
quint16 actorPort(const ui::LessonPane &pane, const QString &actor)
{
    for (const auto &[name, value] : pane.progress().steps.last().vars) {
        if (name == actor + QStringLiteral(".port"))
            return value.toUShort();
    }
    return 0;
}

} // namespace

// The lesson's capture is up (or has failed). A macro: QSKIP must run in the test itself.
#define WAIT_FOR_LESSON_CAPTURE(pane)                                                                               \
    do {                                                                                                             \
        const ui::LadderPanel *l = named<ui::LadderPanel>((pane), u"ladderPanel");                                                             \
        QTRY_VERIFY_WITH_TIMEOUT(l->capture() && (l->capture()->isReady() || l->capture()->error()), 5000);          \
        if (l->permissionDenied() && geteuid() != 0)                                                                 \
            QSKIP("sockscope-capture may not capture (not root, no CAP_NET_RAW): setcap cap_net_raw+ep it to run this"); \
        QVERIFY2(l->capture()->isReady(), qPrintable(l->statusText()));                                              \
    } while (false)

class tst_LessonPane : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase_data();
    void handshakeStepByStep();
    void backReviewsAndRestartCloses();
    void backlogLessonShowsTheQueue();
    void ladderFollowsTheHandshake();
    void ladderHasTheHandshakeWhenOneStepListensAndConnects();
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
    core::AppServices services;
    ui::LessonPane pane(services);
    QVERIFY2(pane.loadError().isEmpty(), qPrintable(pane.loadError()));
    QCOMPARE(pane.lessons().size(), 11);
    pane.setFamily(family);
    pane.selectLesson(QStringLiteral("handshake"));
    QCOMPARE(pane.viewedStep(), -1);
    QVERIFY(pane.narrationText().contains(QStringLiteral("1. A server listens")));

    QVERIFY(runNext(pane));
    QCOMPARE(pane.viewedStep(), 0);
    const quint16 port = pane.progress().serverPort;
    QVERIFY(port != 0);
    QCOMPARE(named<ui::LadderPanel>(pane, u"ladderPanel")->port(), port); // the ladder watches the lesson's listener
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
    core::AppServices services;
    core::SessionManager &sessions = services.sessions;
    ui::LessonPane pane(services);
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
    QVERIFY(named<ui::LadderPanel>(pane, u"ladderPanel")->port() != 0);
    pane.restart();
    QCOMPARE(pane.viewedStep(), -1);
    QVERIFY(!pane.diagram()->currentState(End::Client));
    // A fresh ladder: nothing kept from the run before, no port until the next listen().
    QCOMPARE(named<ui::LadderPanel>(pane, u"ladderPanel")->port(), 0);
    QVERIFY(named<ui::LadderPanel>(pane, u"ladderPanel")->segments().isEmpty());
    QVERIFY(named<ui::LadderPanel>(pane, u"ladderPanel")->diagram()->shownSegments().isEmpty());
    QTRY_VERIFY(sessions.sessions().isEmpty()); // the lesson's sessions are closed and forgotten
}

void tst_LessonPane::backlogLessonShowsTheQueue()
{
    QFETCH_GLOBAL(int, family);
    core::AppServices services;
    ui::LessonPane pane(services);
    pane.setFamily(family);
    QVERIFY(named<ui::BacklogView>(pane, u"backlogView")->isHidden());
    pane.selectLesson(QStringLiteral("backlog"));
    QVERIFY(!named<ui::BacklogView>(pane, u"backlogView")->isHidden());
    pane.show();
    QVERIFY(runNext(pane)); // listen(1)
    QVERIFY(runNext(pane)); // two clients fill the queue
    QVERIFY(named<ui::BacklogView>(pane, u"backlogView")->listener() != 0);
    QTRY_COMPARE(named<ui::BacklogView>(pane, u"backlogView")->acceptQueue(), 2u);
    QVERIFY(named<ui::BacklogView>(pane, u"backlogView")->queueFull());
    QVERIFY(runNext(pane)); // the third waits in SYN_SENT
    QTRY_COMPARE(named<ui::BacklogView>(pane, u"backlogView")->retrying().size(), 1);
    QCOMPARE(pane.diagram()->currentState(End::Client), TcpState::SynSent);
    QVERIFY(named<ui::LadderPanel>(pane, u"ladderPanel")->port() != 0);
    pane.selectLesson(QStringLiteral("handshake"));
    QVERIFY(named<ui::BacklogView>(pane, u"backlogView")->isHidden());
    QCOMPARE(named<ui::LadderPanel>(pane, u"ladderPanel")->port(), 0); // another lesson, another ladder
}

void tst_LessonPane::ladderFollowsTheHandshake()
{
    QFETCH_GLOBAL(int, family);
    core::AppServices services;
    ui::LessonPane pane(services);
    pane.setFamily(family);
    pane.selectLesson(QStringLiteral("handshake"));
    const ui::LadderPanel *ladder = named<ui::LadderPanel>(pane, u"ladderPanel");
    QCOMPARE(ladder->port(), 0);
    QVERIFY(ladder->segments().isEmpty());

    QVERIFY(runNext(pane)); // listen()
    const quint16 port = pane.progress().serverPort;
    QCOMPARE(ladder->port(), port);
    WAIT_FOR_LESSON_CAPTURE(pane);
    QVERIFY(ladder->segments().isEmpty()); // nobody has connected yet

    QVERIFY(runNext(pane)); // connect(): the three-way handshake, on the ladder
    const QStringList handshake{u"S"_s, u"S."_s, u"."_s};
    QTRY_COMPARE(flagsOf(ladder->diagram()->shownSegments()), handshake);
    const auto flow = ladder->diagram()->flow();
    QVERIFY(flow);
    QCOMPARE(flow->client, core::Address::loopback(family, actorPort(pane, QStringLiteral("client"))));
    QCOMPARE(flow->server, core::Address::loopback(family, port));
    QCOMPARE(ladder->diagram()->shownSegments().first().src, flow->client);

    QVERIFY(runNext(pane)); // accept(): nothing on the wire
    QVERIFY(runNext(pane)); // data
    QTRY_VERIFY(ladder->diagram()->shownSegments().size() > 3);
    const QStringList all = flagsOf(ladder->diagram()->shownSegments());
    QCOMPARE(all.mid(0, 3), handshake);
    QCOMPARE(all.at(3), QStringLiteral("P."));
}

void tst_LessonPane::ladderHasTheHandshakeWhenOneStepListensAndConnects()
{
    // The teardown lesson listens and connects in its first step: the lesson waits for the
    // capture of the new port before it connects, so the SYN is on the ladder.
    QFETCH_GLOBAL(int, family);
    core::AppServices services;
    ui::LessonPane pane(services);
    pane.setFamily(family);
    pane.selectLesson(QStringLiteral("teardown"));
    const ui::LadderPanel *ladder = named<ui::LadderPanel>(pane, u"ladderPanel");
    QVERIFY(runNext(pane));
    WAIT_FOR_LESSON_CAPTURE(pane);
    QTRY_COMPARE(flagsOf(ladder->diagram()->shownSegments()), (QStringList{u"S"_s, u"S."_s, u"."_s}));
    QVERIFY(runNext(pane)); // the client's FIN, ACKed
    QVERIFY(runNext(pane)); // the server's
    const QStringList teardown{u"S"_s, u"S."_s, u"."_s, u"F."_s, u"."_s, u"F."_s, u"."_s};
    QTRY_COMPARE(flagsOf(ladder->diagram()->shownSegments()), teardown);

    // Another family: a fresh ladder, and again the whole story from the SYN.
    pane.setFamily(family == AF_INET ? AF_INET6 : AF_INET);
    QCOMPARE(ladder->port(), 0);
    QVERIFY(ladder->diagram()->shownSegments().isEmpty());
    QVERIFY(runNext(pane));
    QVERIFY(ladder->port() != 0);
    WAIT_FOR_LESSON_CAPTURE(pane);
    QTRY_COMPARE(flagsOf(ladder->diagram()->shownSegments()), (QStringList{u"S"_s, u"S."_s, u"."_s}));
    QCOMPARE(ladder->diagram()->flow()->server.family(), family == AF_INET ? AF_INET6 : AF_INET);
}

QTEST_MAIN(tst_LessonPane)
#include "tst_lessonpane.moc"
