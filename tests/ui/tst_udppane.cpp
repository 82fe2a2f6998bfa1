#include "../common/panetesthelpers.h"
#include "../common/widgetlookup.h"

#include "panes/udppane.h"
#include "models/trafficmodel.h"
#include "widgets/composer.h"

#include "engine/sessionmanager.h"

#include <QCheckBox>
#include <QComboBox>
#include <QElapsedTimer>
#include <QLabel>
#include <QLineEdit>
#include <QTest>

using namespace sockscope;
using namespace sockscope::core;
using sockscope::tests::refreshUntil;
using sockscope::tests::named;

class tst_UdpPane : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase_data();
    void roundTripWithAnEmptyDatagram();
    void sentAndEchoedShowWithinAFrameOrTwo();
    void sendWithoutATargetIsAnInlineError();
    void bindsLoopbackByDefault();
    void bindWarningSaysWhatIsExposed_data();
    void bindWarningSaysWhatIsExposed();
    void unboundReplyModeIsWarnedOf();

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

QTEST_MAIN(tst_UdpPane)
#include "tst_udppane.moc"
