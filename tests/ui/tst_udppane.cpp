#include "../common/multicastnetns.h"
#include "../common/panetesthelpers.h"
#include "../common/widgetlookup.h"

#include "panes/udppane.h"
#include "models/trafficmodel.h"
#include "widgets/composer.h"
#include "widgets/ruleeditor.h"

#include "net/socket.h"

#include "engine/sessionmanager.h"

#include <QCheckBox>
#include <QComboBox>
#include <QElapsedTimer>
#include <QLabel>
#include <QLineEdit>
#include <QTableWidget>
#include <QListWidget>
#include <QPushButton>
#include <QToolButton>
#include <QTest>

using namespace sockscope;
using namespace sockscope::core;
using sockscope::tests::refreshUntil;
using sockscope::tests::named;
using sockscope::tests::ScratchNetns;
using sockscope::tests::enableMulticast;
using sockscope::tests::multicastInterface;

class tst_UdpPane : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase_data();
    void roundTripWithAnEmptyDatagram();
    void sentAndEchoedShowWithinAFrameOrTwo();
    void rulesAnswerEachDatagram();
    void sendWithoutATargetIsAnInlineError();
    void bindsLoopbackByDefault();
    void bindWarningSaysWhatIsExposed_data();
    void bindWarningSaysWhatIsExposed();
    void unboundReplyModeIsWarnedOf();
    void multicastJoinListsTheGroupAndLeaveRemovesIt();

private:
    quint16 openBound(ui::UdpPane &pane, SessionManager &sessions, ServiceMode mode);
};

void tst_UdpPane::initTestCase_data()
{
    QTest::addColumn<QString>("host");
    QTest::newRow("IPv4") << QStringLiteral("127.0.0.1");
    QTest::newRow("IPv6") << QStringLiteral("::1");
}

quint16 tst_UdpPane::openBound(ui::UdpPane &pane, SessionManager &sessions, ServiceMode mode)
{
    QFETCH_GLOBAL(QString, host);
    auto *family = pane.findChild<QComboBox *>();
    family->setCurrentIndex(host.contains(u':') ? 1 : 0);
    named<QComboBox>(pane, u"modeBox")->setCurrentIndex(named<QComboBox>(pane, u"modeBox")->findData(int(mode)));
    pane.open();
    refreshUntil(pane, [&] { return pane.currentSession() && sessions.info(pane.currentSession())->state == SessionState::Bound; });
    return sessions.info(pane.currentSession())->local.port();
}

void tst_UdpPane::roundTripWithAnEmptyDatagram()
{
    QFETCH_GLOBAL(QString, host);
    SessionManager sessions;
    ui::UdpPane server(sessions);
    ui::UdpPane client(sessions);
    const quint16 serverPort = openBound(server, sessions, ServiceMode::Upper);
    QVERIFY(serverPort != 0);
    openBound(client, sessions, ServiceMode::None);
    client.setTarget(host, serverPort);

    named<ui::Composer>(client, u"composer")->setText(QStringLiteral("ping"));
    QVERIFY(named<ui::Composer>(client, u"composer")->send());
    client.sendDatagram(QByteArray()); // what the composer sends for an empty input

    // Both datagrams come back: UDP keeps boundaries, and 0 bytes is a datagram.
    QList<TrafficRecord> in;
    QVERIFY(refreshUntil(client, [&] {
        in.clear();
        for (const TrafficRecord &r : sessions.traffic(client.currentSession())->since(0).records) {
            if (r.direction == Direction::In)
                in.append(r);
        }
        return in.size() == 2;
    }));
    QCOMPARE(in[0].bytes, QByteArray("PING"));
    QCOMPARE(in[1].bytes.size(), 0);
    QCOMPARE(in[0].peer.port(), serverPort);
    QCOMPARE(in[0].call, TrafficCall::RecvFrom);
}

// What the user sees, with nothing but the window's own tick pulling: the two datagrams
// sent and the two echoed show in the pane's traffic view within a few frames.
void tst_UdpPane::sentAndEchoedShowWithinAFrameOrTwo()
{
    QFETCH_GLOBAL(QString, host);
    SessionManager sessions;
    ui::UdpPane server(sessions);
    ui::UdpPane client(sessions);
    const quint16 serverPort = openBound(server, sessions, ServiceMode::Echo);
    openBound(client, sessions, ServiceMode::None);
    client.setTarget(host, serverPort);
    client.show();
    QTRY_VERIFY(tests::isExposed(client));
    auto *rows = named<ui::TrafficModel>(client, u"trafficModel");
    QTRY_COMPARE(rows->rowCount(), 0);
    QElapsedTimer shown;
    shown.start();
    named<ui::Composer>(client, u"composer")->setText(QStringLiteral("ping"));
    QVERIFY(named<ui::Composer>(client, u"composer")->send());
    client.sendDatagram(QByteArray());
    QTRY_COMPARE_WITH_TIMEOUT(rows->rowCount(), 4, 2000);
    QVERIFY2(shown.elapsed() < 250, qPrintable(QStringLiteral("%1 ms").arg(shown.elapsed())));
}

// The Rules reply mode on a UDP socket: each datagram is one message; a matching one is
// answered to its sender (with the capture), another is not, the trace says why, and the
// rule's hit count shows 1.
void tst_UdpPane::rulesAnswerEachDatagram()
{
    QFETCH_GLOBAL(QString, host);
    SessionManager sessions;
    ui::UdpPane pane(sessions);
    auto *rules = named<ui::RuleEditor>(pane, u"responderRules");
    QVERIFY(rules->addRule(QStringLiteral("regex:^PING (\\d+)$=>PONG \\1")));
    const quint16 port = openBound(pane, sessions, ServiceMode::Rules);
    QVERIFY(port != 0);
    auto peer = Socket::create(host.contains(u':') ? AF_INET6 : AF_INET, SOCK_DGRAM);
    QVERIFY(peer);
    QVERIFY(peer->setTimeout(5000));
    const Address to = *Address::ip(host, port);
    QVERIFY(peer->sendTo("PING 7", to));
    const auto answer = peer->recvFrom(100);
    QVERIFY(answer);
    QCOMPARE(answer->data, QByteArray("PONG 7"));
    QCOMPARE(answer->from.port(), port);

    QVERIFY(peer->sendTo("nope", to));
    const auto traced = [&] {
        for (const CallRecord &r : sessions.trace(pane.currentSession())->since(0))
            if ((r.code + r.result).contains(u"no rule answered the 4-byte message nope"))
                return true;
        return false;
    };
    QVERIFY(refreshUntil(pane, traced));
    QVERIFY(refreshUntil(pane, [&] {
        const QTableWidgetItem *hits = named<QTableWidget>(*rules, u"ruleTable")->item(0, ui::RuleEditor::Hits);
        return hits && hits->text() == u"1";
    }));
}

void tst_UdpPane::sendWithoutATargetIsAnInlineError()
{
    SessionManager sessions;
    ui::UdpPane pane(sessions);
    openBound(pane, sessions, ServiceMode::None);
    named<QLineEdit>(pane, u"targetPortEdit")->clear();
    pane.sendDatagram("x");
    QVERIFY(named<QLabel>(pane, u"errorLabel")->text().startsWith(QLatin1String("Target port:")));
    QCOMPARE(sessions.traffic(pane.currentSession())->totals().recordsOut, 0u);
}

void tst_UdpPane::bindsLoopbackByDefault()
{
    QFETCH_GLOBAL(QString, host);
    SessionManager sessions;
    ui::UdpPane pane(sessions);
    pane.findChild<QComboBox *>()->setCurrentIndex(host.contains(u':') ? 1 : 0); // the family
    QCOMPARE(named<QLineEdit>(pane, u"bindHostEdit")->text(), host);
    QVERIFY(named<QCheckBox>(pane, u"bindBox")->isChecked());
    QVERIFY(!named<QLabel>(pane, u"bindWarning")->isVisibleTo(&pane));
    openBound(pane, sessions, ServiceMode::Echo);
    QVERIFY(sessions.info(pane.currentSession())->local.isLoopback());
}

void tst_UdpPane::bindWarningSaysWhatIsExposed_data()
{
    QTest::addColumn<QString>("typed");
    QTest::addColumn<QString>("warning"); // empty: none shown
    const QString everywhere = QStringLiteral("accepts datagrams from every network this machine is on");
    const QString others = QStringLiteral("accepts datagrams from other machines on its network");
    QTest::newRow("127.0.0.1") << QStringLiteral("127.0.0.1") << QString();
    QTest::newRow("::1") << QStringLiteral("::1") << QString();
    QTest::newRow("0.0.0.0") << QStringLiteral("0.0.0.0") << (QStringLiteral("0.0.0.0 ") + everywhere);
    QTest::newRow("::") << QStringLiteral("::") << (QStringLiteral(":: ") + everywhere);
    QTest::newRow("198.51.100.4") << QStringLiteral("198.51.100.4") << (QStringLiteral("198.51.100.4 ") + others);
    QTest::newRow("not an address") << QStringLiteral("nowhere") << QString();
}

void tst_UdpPane::bindWarningSaysWhatIsExposed()
{
    QFETCH(QString, typed);
    QFETCH(QString, warning);
    SessionManager sessions;
    ui::UdpPane pane(sessions);
    auto *edit = named<QLineEdit>(pane, u"bindHostEdit");
    auto *label = named<QLabel>(pane, u"bindWarning");
    edit->clear();
    QTest::keyClicks(edit, typed);
    QCOMPARE(label->isVisibleTo(&pane), !warning.isEmpty());
    if (!warning.isEmpty())
        QVERIFY2(label->text().contains(warning), qPrintable(label->text()));
    QCOMPARE(label->textFormat(), Qt::PlainText);
    // Unticking Bind: no address is bound, and without a reply mode nothing answers.
    named<QCheckBox>(pane, u"bindBox")->setChecked(false);
    QVERIFY(!label->isVisibleTo(&pane));
}

// The first sendto() of an unbound socket binds the wildcard address: with a reply mode
// that is a server on every network, though no address was typed.
void tst_UdpPane::unboundReplyModeIsWarnedOf()
{
    SessionManager sessions;
    ui::UdpPane pane(sessions);
    auto *label = named<QLabel>(pane, u"bindWarning");
    auto *mode = named<QComboBox>(pane, u"modeBox");
    named<QCheckBox>(pane, u"bindBox")->setChecked(false);
    QVERIFY(!label->isVisibleTo(&pane));
    mode->setCurrentIndex(mode->findData(int(ServiceMode::Echo)));
    QVERIFY(label->isVisibleTo(&pane));
    QVERIFY2(label->text().contains(u"every network this machine is on"), qPrintable(label->text()));
    mode->setCurrentIndex(mode->findData(int(ServiceMode::None)));
    QVERIFY(!label->isVisibleTo(&pane));
    mode->setCurrentIndex(mode->findData(int(ServiceMode::Upper)));
    named<QCheckBox>(pane, u"bindBox")->setChecked(true); // back on 127.0.0.1
    QVERIFY(!label->isVisibleTo(&pane));
}

void tst_UdpPane::multicastJoinListsTheGroupAndLeaveRemovesIt()
{
    QFETCH_GLOBAL(QString, host);
    const bool v4 = !host.contains(u':');
    ScratchNetns ns;
    if (!ns.ok())
        QSKIP(qPrintable(ns.error()));
    QVERIFY2(enableMulticast(ns), qPrintable(ns.error()));
    SessionManager sessions; // its I/O thread (every syscall) stays in the namespace
    ns.leave();
    ui::UdpPane pane(sessions);
    named<QLineEdit>(pane, u"bindHostEdit")->setText(v4 ? QStringLiteral("0.0.0.0") : QStringLiteral("::"));
    QVERIFY(openBound(pane, sessions, ServiceMode::None) != 0);

    auto *toggle = named<QToolButton>(pane, u"multicastToggle");
    QVERIFY(!toggle->accessibleName().isEmpty() && !toggle->toolTip().isEmpty());
    toggle->click();
    QVERIFY(named<QWidget>(pane, u"multicastForm")->isVisibleTo(&pane));
    auto *group = named<QLineEdit>(pane, u"multicastGroupEdit");
    auto *iface = named<QLineEdit>(pane, u"multicastInterfaceEdit");
    auto *list = named<QListWidget>(pane, u"multicastGroupsList");
    auto *error = named<QLabel>(pane, u"multicastError");
    for (QWidget *w : std::initializer_list<QWidget *>{group, iface, list, named<QPushButton>(pane, u"joinButton"),
                                                        named<QPushButton>(pane, u"leaveButton"), named<QWidget>(pane, u"multicastHopsBox"),
                                                        named<QWidget>(pane, u"multicastLoopBox")})
        QVERIFY2(!w->accessibleName().isEmpty() && !w->toolTip().isEmpty(), qPrintable(w->objectName()));

    group->setText(v4 ? QStringLiteral("10.1.1.1") : QStringLiteral("2001:db8::5"));
    named<QPushButton>(pane, u"joinButton")->click();
    QVERIFY(error->isVisibleTo(&pane));
    QVERIFY2(error->text().startsWith(u"Multicast group: ") && error->text().contains(u"not a multicast group"), qPrintable(error->text()));
    QCOMPARE(list->count(), 0);

    const QString groupText = v4 ? QStringLiteral("239.1.2.1") : QStringLiteral("ff05::4241");
    group->setText(groupText);
    iface->setText(multicastInterface(v4 ? AF_INET : AF_INET6));
    named<QPushButton>(pane, u"joinButton")->click();
    const QString shown = groupText + QStringLiteral(" on ") + iface->text();
    QTRY_VERIFY(list->count() == 1 && list->item(0)->text().startsWith(shown));
    QVERIFY(!error->isVisibleTo(&pane));
    const auto traced = [&](const QString &name) {
        for (const CallRecord &r : sessions.trace(pane.currentSession())->since(0)) {
            if (r.code.contains(name))
                return true;
        }
        return false;
    };
    QVERIFY(traced(v4 ? QStringLiteral("socket.IP_ADD_MEMBERSHIP") : QStringLiteral("socket.IPV6_JOIN_GROUP")));

    named<QPushButton>(pane, u"leaveButton")->click();
    QTRY_COMPARE(list->count(), 0);
    QVERIFY(traced(v4 ? QStringLiteral("socket.IP_DROP_MEMBERSHIP") : QStringLiteral("socket.IPV6_LEAVE_GROUP")));
}

QTEST_MAIN(tst_UdpPane)
#include "tst_udppane.moc"
