#include "../common/panetesthelpers.h"
#include "../common/widgetlookup.h"

#include "panes/udppane.h"
#include "widgets/composer.h"

#include "engine/sessionmanager.h"

#include <QComboBox>
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
    void sendWithoutATargetIsAnInlineError();

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

QTEST_MAIN(tst_UdpPane)
#include "tst_udppane.moc"
