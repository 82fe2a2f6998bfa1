#include "../common/panetesthelpers.h"
#include "../common/widgetlookup.h"

#include "panes/unixpane.h"
#include "widgets/composer.h"
#include "widgets/connectionview.h"

#include "engine/sessionmanager.h"

#include <QComboBox>
#include <QCoreApplication>
#include <QLineEdit>
#include <QTemporaryDir>
#include <QTest>

using namespace sockscope;
using namespace sockscope::core;
using sockscope::tests::receivedBytes;
using sockscope::tests::refreshUntil;
using sockscope::tests::named;

class tst_UnixPane : public QObject
{
    Q_OBJECT
private slots:
    void streamRoundTrip_data();
    void streamRoundTrip();
    void socketpairDemo();
    void datagramBetweenTwoPaths();
};

void tst_UnixPane::streamRoundTrip_data()
{
    QTest::addColumn<int>("type");
    QTest::addColumn<bool>("abstract");
    QTest::newRow("stream, path") << int(SOCK_STREAM) << false;
    QTest::newRow("stream, abstract") << int(SOCK_STREAM) << true;
    QTest::newRow("seqpacket, abstract") << int(SOCK_SEQPACKET) << true;
}

void tst_UnixPane::streamRoundTrip()
{
    QFETCH(int, type);
    QFETCH(bool, abstract);
    QTemporaryDir dir;
    const QString path = abstract ? QStringLiteral("@sockscope-test-%1-%2").arg(QCoreApplication::applicationPid()).arg(type)
                                  : dir.filePath(QStringLiteral("demo.sock"));
    SessionManager sessions;
    ui::UnixPane pane(sessions);
    named<QComboBox>(pane, u"typeBox")->setCurrentIndex(named<QComboBox>(pane, u"typeBox")->findData(type));
    named<QLineEdit>(pane, u"pathEdit")->setText(path);
    pane.listenOrBind();
    const SessionId listener = pane.currentSession();
    QVERIFY(refreshUntil(pane, [&] { return sessions.info(listener)->state == SessionState::Listening; }));
    pane.connectToPath();
    const SessionId client = pane.currentSession();
    QVERIFY(client != listener);
    QVERIFY(refreshUntil(pane, [&] { return sessions.info(client)->state == SessionState::Connected && sessions.children(listener).size() == 1; }));

    named<ui::Composer>(pane, u"composer")->setText(QStringLiteral("over a unix socket"));
    QVERIFY(named<ui::Composer>(pane, u"composer")->send());
    const SessionId accepted = sessions.children(listener).first();
    QVERIFY(refreshUntil(pane, [&] { return receivedBytes(sessions, accepted) == "over a unix socket"; }));
    QCOMPARE(sessions.info(accepted)->type, type);
    QCOMPARE(pane.childSessions().size(), 3); // listener, client, accepted
}

void tst_UnixPane::socketpairDemo()
{
    SessionManager sessions;
    ui::UnixPane pane(sessions);
    pane.socketpairDemo();
    const QList<SessionId> ends = pane.childSessions();
    QCOMPARE(ends.size(), 2);
    QVERIFY(refreshUntil(pane, [&] { return sessions.info(ends[1])->state == SessionState::Connected; }));
    QCOMPARE(pane.currentSession(), ends[0]);
    named<ui::Composer>(pane, u"composer")->setText(QStringLiteral("a to b"));
    QVERIFY(named<ui::Composer>(pane, u"composer")->send());
    QVERIFY(refreshUntil(pane, [&] { return receivedBytes(sessions, ends[1]) == "a to b"; }));
}

void tst_UnixPane::datagramBetweenTwoPaths()
{
    const QString a = QStringLiteral("@sockscope-dgram-a-%1").arg(QCoreApplication::applicationPid());
    const QString b = QStringLiteral("@sockscope-dgram-b-%1").arg(QCoreApplication::applicationPid());
    SessionManager sessions;
    ui::UnixPane pane(sessions);
    named<QComboBox>(pane, u"typeBox")->setCurrentIndex(named<QComboBox>(pane, u"typeBox")->findData(int(SOCK_DGRAM)));
    named<QLineEdit>(pane, u"pathEdit")->setText(a);
    pane.listenOrBind();
    const SessionId first = pane.currentSession();
    named<QLineEdit>(pane, u"pathEdit")->setText(b);
    pane.listenOrBind();
    const SessionId second = pane.currentSession();
    QVERIFY(refreshUntil(pane, [&] { return sessions.info(second)->state == SessionState::Bound && sessions.info(first)->state == SessionState::Bound; }));
    named<QLineEdit>(pane, u"sendToEdit")->setText(a);
    named<ui::Composer>(pane, u"composer")->setText(QStringLiteral("datagram"));
    QVERIFY(named<ui::Composer>(pane, u"composer")->send());
    QVERIFY(refreshUntil(pane, [&] { return receivedBytes(sessions, first) == "datagram"; }));
    const auto records = sessions.traffic(first)->since(0).records;
    QCOMPARE(records.first().peer.host(), b);
}

QTEST_MAIN(tst_UnixPane)
#include "tst_unixpane.moc"
