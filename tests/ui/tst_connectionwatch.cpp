// ConnectionWatch: a workbench connection followed through the kernel's eyes. Real
// sessions on loopback: the state diagram shows both ends (ESTABLISHED, then FIN_WAIT_2 /
// CLOSE_WAIT after a half-close, then TIME_WAIT / CLOSED), the timeline names its
// witnesses, the capture starts from a port hint before the connection exists so its SYN
// is on the ladder (root only), a listener shows LISTEN, and a UDP session says why there
// is nothing to watch.

#include "appservices.h"

#include "../common/segmentscript.h"
#include "../common/widgetlookup.h"
#include "../common/sessionwaits.h"

#include "widgets/connectionwatch.h"
#include "widgets/ladderpanel.h"
#include "widgets/statediagram.h"

#include "engine/sessionmanager.h"
#include "observe/capture.h"

#include <QTest>
#include <QTreeWidget>

#include <unistd.h>

using namespace Qt::StringLiterals;
using namespace sockscope;
using End = ui::StateDiagram::End;
using sockscope::tests::flagsOf;
using sockscope::tests::named;

namespace {

// The watch's parts, found by objectName (the watch keeps no getters for tests).
ui::StateDiagram *diagramOf(const ui::ConnectionWatch &watch)
{
    return named<ui::StateDiagram>(watch, u"diagram");
}

ui::LadderPanel *ladderOf(const ui::ConnectionWatch &watch)
{
    return named<ui::LadderPanel>(watch, u"ladder");
}

core::SessionId listen(core::SessionManager &sessions, int family, core::Address *at)
{
    core::ListenSpec spec;
    spec.bind = core::Address::loopback(family, 0);
    const core::SessionId id = sessions.listen(spec);
    const auto info = tests::waitForState(sessions, id, core::SessionState::Listening);
    if (info)
        *at = info->local;
    return info ? id : 0;
}

core::SessionId connectTo(core::SessionManager &sessions, const core::Address &at)
{
    core::ConnectSpec spec;
    spec.candidates = {at};
    const core::SessionId id = sessions.connect(spec);
    const bool up = tests::reachedState(sessions, id, core::SessionState::Connected);
    return up ? id : 0;
}

QStringList sources(const QTreeWidget *timeline)
{
    QStringList out;
    for (int i = 0; i < timeline->topLevelItemCount(); ++i)
        out << timeline->topLevelItem(i)->text(3);
    return out;
}

} // namespace

class tst_ConnectionWatch : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase_data();
    void bothEndsThroughHalfCloseAndClose();
    void captureStartsFromThePortHint();
    void closingStopsTheCapture();
    void listenerShowsListen();
    void udpIsNotWatched();
};

void tst_ConnectionWatch::initTestCase_data()
{
    QTest::addColumn<int>("family");
    QTest::newRow("IPv4") << AF_INET;
    QTest::newRow("IPv6") << AF_INET6;
}

void tst_ConnectionWatch::bothEndsThroughHalfCloseAndClose()
{
    QFETCH_GLOBAL(int, family);
    core::AppServices services;
    core::SessionManager &sessions = services.sessions;
    core::Address at;
    const core::SessionId listener = listen(sessions, family, &at);
    QVERIFY(listener);
    const core::SessionId client = connectTo(sessions, at);
    QVERIFY(client);
    QTRY_COMPARE(sessions.children(listener).size(), 1);
    const core::SessionId server = sessions.children(listener).first();

    ui::ConnectionWatch watch(sessions, services.kernel, services.captures);
    ladderOf(watch)->setCaptureEnabled(false); // the kernel's witnesses alone here
    diagramOf(watch)->setStepDuration(0);
    watch.resize(620, 760);
    watch.show();
    watch.follow(client);
    QTRY_VERIFY(watch.flow());
    QCOMPARE(watch.flow()->client(), sessions.info(client)->local);
    QCOMPARE(watch.flow()->server(), at);
    QVERIFY2(watch.headline().contains(QStringLiteral("client end")), qPrintable(watch.headline()));
    QTRY_COMPARE(diagramOf(watch)->currentState(End::Client), core::TcpState::Established);
    QTRY_COMPARE(diagramOf(watch)->currentState(End::Server), core::TcpState::Established);

    sessions.shutdown(client, SHUT_WR);
    QTRY_COMPARE(diagramOf(watch)->currentState(End::Client), core::TcpState::FinWait2);
    QTRY_COMPARE(diagramOf(watch)->currentState(End::Server), core::TcpState::CloseWait);

    sessions.close(server);
    QTRY_COMPARE(diagramOf(watch)->currentState(End::Client), core::TcpState::TimeWait);
    QTRY_COMPARE(diagramOf(watch)->currentState(End::Server), core::TcpState::Closed);
    // Closing the client's descriptor leaves its TIME_WAIT socket: the end stays there
    // (TCP_INFO of the closed descriptor would say CLOSED; it does not count).
    sessions.close(client);
    QTest::qWait(400); // a fixed wait is the point: the end may not leave TIME_WAIT meanwhile
    QCOMPARE(diagramOf(watch)->currentState(End::Client), core::TcpState::TimeWait);

    const QStringList seenBy = sources(named<QTreeWidget>(watch, u"timelineView"));
    QVERIFY2(seenBy.contains(QStringLiteral("TCP_INFO")), qPrintable(seenBy.join(u',')));
    QVERIFY2(seenBy.contains(QStringLiteral("sock_diag")), qPrintable(seenBy.join(u',')));
    // Without packets the ladder draws the kernel's states alone.
    QVERIFY(!ladderOf(watch)->captureEnabled());
    QVERIFY(ladderOf(watch)->segments().isEmpty());
}

void tst_ConnectionWatch::captureStartsFromThePortHint()
{
    QFETCH_GLOBAL(int, family);
    if (geteuid() != 0)
        QSKIP("capturing needs CAP_NET_RAW (CI runs as root); without it LadderPanel's tests cover the message");
    core::AppServices services;
    core::SessionManager &sessions = services.sessions;
    core::Address at;
    const core::SessionId listener = listen(sessions, family, &at);
    QVERIFY(listener);

    ui::ConnectionWatch watch(sessions, services.kernel, services.captures);
    diagramOf(watch)->setStepDuration(0);
    watch.resize(620, 760);
    watch.show();
    watch.follow(0, at.port()); // a client pane with its Port field filled in, not connected yet
    QCOMPARE(watch.port(), at.port());
    // Where it will connect is not known yet: "any", which sees loopback too.
    QCOMPARE(ladderOf(watch)->interfaceName(), QStringLiteral("any"));
    QTRY_VERIFY_WITH_TIMEOUT(ladderOf(watch)->capture() && ladderOf(watch)->capture()->isReady(), 5000);

    const core::SessionId client = connectTo(sessions, at);
    QVERIFY(client);
    watch.follow(client, at.port());
    QTRY_VERIFY(watch.flow());
    QCOMPARE(ladderOf(watch)->interfaceName(), QStringLiteral("any")); // not restarted on lo: the SYN stays
    QTRY_VERIFY_WITH_TIMEOUT(flagsOf(ladderOf(watch)->segments()).size() >= 3, 5000);
    QCOMPARE(flagsOf(ladderOf(watch)->segments()).mid(0, 3), QStringList({u"S"_s, u"S."_s, u"."_s}));
    // The handshake is on the timeline from the packets, before any sampler could see it.
    QTRY_VERIFY(sources(named<QTreeWidget>(watch, u"timelineView")).contains(QStringLiteral("packet")));
    const QList<core::StateEntry> clientStates = watch.flow()->timeline(core::FlowTimelines::End::Client)->entries();
    QVERIFY(!clientStates.isEmpty());
    bool sawSynSent = false;
    for (const core::StateEntry &e : clientStates)
        sawSynSent |= e.state == core::TcpState::SynSent && e.source == core::StateSource::Packet;
    QVERIFY(sawSynSent);
    QTRY_COMPARE(diagramOf(watch)->currentState(End::Client), core::TcpState::Established);
}

// Closing the watch stops its capture helper; showing it again starts a fresh one.
void tst_ConnectionWatch::closingStopsTheCapture()
{
    QFETCH_GLOBAL(int, family);
    if (geteuid() != 0)
        QSKIP("capturing needs CAP_NET_RAW (CI runs as root)");
    core::AppServices services;
    core::SessionManager &sessions = services.sessions;
    core::Address at;
    QVERIFY(listen(sessions, family, &at));
    ui::ConnectionWatch watch(sessions, services.kernel, services.captures);
    watch.show();
    watch.follow(0, at.port());
    QTRY_VERIFY_WITH_TIMEOUT(ladderOf(watch)->capture() && ladderOf(watch)->capture()->isReady(), 5000);
    const core::Capture *first = ladderOf(watch)->capture();

    watch.hide();
    QVERIFY(!ladderOf(watch)->captureEnabled());
    QTRY_COMPARE_WITH_TIMEOUT(first->status(), core::Capture::Status::Finished, 5000);

    watch.show();
    QVERIFY(ladderOf(watch)->captureEnabled());
    QTRY_VERIFY_WITH_TIMEOUT(ladderOf(watch)->capture() && ladderOf(watch)->capture()->isReady(), 5000);
    QVERIFY(ladderOf(watch)->capture() != first);
}

void tst_ConnectionWatch::listenerShowsListen()
{
    QFETCH_GLOBAL(int, family);
    core::AppServices services;
    core::SessionManager &sessions = services.sessions;
    core::Address at;
    const core::SessionId listener = listen(sessions, family, &at);
    QVERIFY(listener);
    ui::ConnectionWatch watch(sessions, services.kernel, services.captures);
    ladderOf(watch)->setCaptureEnabled(false);
    watch.show();
    watch.follow(listener);
    QTRY_COMPARE(diagramOf(watch)->currentState(End::Server), core::TcpState::Listen);
    QCOMPARE(watch.port(), at.port());
    QCOMPARE(ladderOf(watch)->interfaceName(), QStringLiteral("lo")); // a loopback listener's clients come over lo
    QVERIFY(!watch.flow());
    QVERIFY2(watch.headline().contains(at.toString()), qPrintable(watch.headline()));
}

void tst_ConnectionWatch::udpIsNotWatched()
{
    QFETCH_GLOBAL(int, family);
    core::AppServices services;
    core::SessionManager &sessions = services.sessions;
    core::DatagramSpec spec;
    spec.family = family;
    spec.bind = core::Address::loopback(family, 0);
    const core::SessionId udp = sessions.openDatagram(spec);
    QVERIFY(tests::reachedState(sessions, udp, core::SessionState::Bound));
    ui::ConnectionWatch watch(sessions, services.kernel, services.captures);
    watch.show();
    watch.follow(udp);
    QTRY_VERIFY2(watch.headline().contains(QStringLiteral("Only TCP")), qPrintable(watch.headline()));
    QCOMPARE(watch.port(), quint16(0));
    QVERIFY(!watch.flow());
    QVERIFY(!diagramOf(watch)->currentState(End::Client));
}

QTEST_MAIN(tst_ConnectionWatch)
#include "tst_connectionwatch.moc"
