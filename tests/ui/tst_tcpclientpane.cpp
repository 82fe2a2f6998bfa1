#include "../common/panetesthelpers.h"
#include "../common/widgetlookup.h"
#include "../common/sessionwaits.h"

#include "panes/tcpclientpane.h"
#include "widgets/composer.h"
#include "widgets/connectionview.h"
#include "widgets/ruleeditor.h"

#include "engine/lookupservice.h"
#include "engine/sessionmanager.h"

#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTest>

using namespace sockscope;
using namespace sockscope::core;
using sockscope::tests::receivedBytes;
using sockscope::tests::refreshUntil;
using sockscope::tests::named;

class tst_TcpClientPane : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase_data();
    void connectSendTextAndHex();
    void shutdownWriteHalfCloses();
    void abortResetsThePeer();
    void refusedConnectionNamesTheErrno();
    void badPortIsAnInlineError();
    void rulesAnswerFramedMessages_data();
    void rulesAnswerFramedMessages();

private:
    // A listener owned by `sessions`; returns its port.
    quint16 serve(SessionManager &sessions, ServiceMode mode, SessionId *id = nullptr);
    bool connectPane(ui::TcpClientPane &pane, SessionManager &sessions, quint16 port);
};

void tst_TcpClientPane::initTestCase_data()
{
    QTest::addColumn<QString>("host");
    QTest::newRow("IPv4") << QStringLiteral("127.0.0.1");
    QTest::newRow("IPv6") << QStringLiteral("::1");
}

quint16 tst_TcpClientPane::serve(SessionManager &sessions, ServiceMode mode, SessionId *id)
{
    QFETCH_GLOBAL(QString, host);
    ListenSpec spec;
    spec.bind = *Address::ip(host, 0);
    spec.service = mode;
    const SessionId listener = sessions.listen(spec);
    if (id)
        *id = listener;
    const auto info = tests::waitForState(sessions, listener, SessionState::Listening);
    return info ? info->local.port() : 0;
}

bool tst_TcpClientPane::connectPane(ui::TcpClientPane &pane, SessionManager &sessions, quint16 port)
{
    QFETCH_GLOBAL(QString, host);
    pane.setTarget(host, port);
    QTest::mouseClick(named<QPushButton>(pane, u"connectButton"), Qt::LeftButton);
    return refreshUntil(pane, [&] {
        const auto info = pane.currentSession() ? sessions.info(pane.currentSession()) : std::nullopt;
        return info && info->state == SessionState::Connected;
    });
}

void tst_TcpClientPane::connectSendTextAndHex()
{
    SessionManager sessions;
    LookupService lookups;
    const quint16 port = serve(sessions, ServiceMode::Upper);
    ui::TcpClientPane pane(sessions, lookups);
    QVERIFY(connectPane(pane, sessions, port));

    ui::Composer *composer = named<ui::Composer>(pane, u"composer");
    composer->setMode(PayloadMode::Text);
    composer->setText(QStringLiteral("hello\\tworld"));
    QVERIFY(composer->send());
    QVERIFY(refreshUntil(pane, [&] { return receivedBytes(sessions, pane.currentSession()) == "HELLO\tWORLD"; }));

    composer->setMode(PayloadMode::Hex);
    composer->setText(QStringLiteral("68:69 0a"));
    QVERIFY(composer->send());
    QVERIFY(refreshUntil(pane, [&] { return receivedBytes(sessions, pane.currentSession()) == "HELLO\tWORLDHI\n"; }));
}

void tst_TcpClientPane::shutdownWriteHalfCloses()
{
    SessionManager sessions;
    LookupService lookups;
    const quint16 port = serve(sessions, ServiceMode::Upper);
    ui::TcpClientPane pane(sessions, lookups);
    QVERIFY(connectPane(pane, sessions, port));
    ui::ConnectionView *view = named<ui::ConnectionView>(pane, u"connectionView");
    named<ui::Composer>(*view, u"composer")->setText(QStringLiteral("bye"));
    QVERIFY(named<ui::Composer>(*view, u"composer")->send());
    QVERIFY(named<QPushButton>(*view, u"shutWriteButton")->isEnabled());
    QTest::mouseClick(named<QPushButton>(*view, u"shutWriteButton"), Qt::LeftButton);
    // The upper server reads EOF, answers what it had and closes: our side still reads.
    QVERIFY(refreshUntil(pane, [&] { return sessions.info(pane.currentSession())->peerClosed; }));
    const auto info = sessions.info(pane.currentSession());
    QVERIFY(info->writeShut);
    QCOMPARE(receivedBytes(sessions, pane.currentSession()), QByteArray("BYE"));
    QVERIFY(!named<QPushButton>(*view, u"shutWriteButton")->isEnabled());
}

void tst_TcpClientPane::abortResetsThePeer()
{
    SessionManager sessions;
    LookupService lookups;
    SessionId listener = 0;
    const quint16 port = serve(sessions, ServiceMode::None, &listener);
    ui::TcpClientPane pane(sessions, lookups);
    QVERIFY(connectPane(pane, sessions, port));
    QVERIFY(refreshUntil(pane, [&] { return sessions.children(listener).size() == 1; }));
    const SessionId accepted = sessions.children(listener).first();
    QTest::mouseClick(named<QPushButton>(pane, u"abortButton"), Qt::LeftButton);
    QVERIFY(refreshUntil(pane, [&] {
        const auto info = sessions.info(accepted);
        return info->error && info->error->is(ECONNRESET);
    }));
    QCOMPARE(sessions.info(pane.currentSession())->state, SessionState::Closed);
}

void tst_TcpClientPane::refusedConnectionNamesTheErrno()
{
    QFETCH_GLOBAL(QString, host);
    SessionManager sessions;
    LookupService lookups;
    // A port that was just free: bind, read it, close.
    auto probe = Socket::create(host.contains(u':') ? AF_INET6 : AF_INET, SOCK_STREAM);
    QVERIFY(probe && probe->bind(*Address::ip(host, 0)));
    const quint16 port = probe->localAddress()->port();
    probe->close();

    ui::TcpClientPane pane(sessions, lookups);
    pane.setTarget(host, port);
    QTest::mouseClick(named<QPushButton>(pane, u"connectButton"), Qt::LeftButton);
    QVERIFY(refreshUntil(pane, [&] { return named<QLabel>(pane, u"errorLabel")->text().contains(QLatin1String("ECONNREFUSED")); }));
    QVERIFY(named<QLabel>(pane, u"errorLabel")->text().contains(QLatin1String("RST")));
    QVERIFY(named<QPushButton>(pane, u"connectButton")->isEnabled());
}

void tst_TcpClientPane::badPortIsAnInlineError()
{
    SessionManager sessions;
    LookupService lookups;
    ui::TcpClientPane pane(sessions, lookups);
    pane.hostEdit()->setText(QStringLiteral("127.0.0.1"));
    pane.portEdit()->setText(QStringLiteral("99999"));
    QTest::mouseClick(named<QPushButton>(pane, u"connectButton"), Qt::LeftButton);
    QCOMPARE(pane.currentSession(), SessionId(0));
    QVERIFY(named<QLabel>(pane, u"errorLabel")->text().startsWith(QLatin1String("Port:")));
    QCOMPARE(pane.portEdit()->text(), QStringLiteral("99999"));
}

QTEST_MAIN(tst_TcpClientPane)
// The sticky-packet case, from the client's side: a server sends "PING 1\nPING 2\n"
// in one send(). Framed by line, the client's rule answers each message; taken per recv(),
// the one record holds both lines, no rule matches it, and the trace says why.
void tst_TcpClientPane::rulesAnswerFramedMessages_data()
{
    QTest::addColumn<QString>("framing");
    QTest::addColumn<QByteArray>("answered");
    QTest::addColumn<QString>("traced");
    QTest::newRow("line") << QStringLiteral("line") << QByteArray("PONG 1\nPONG 2\n")
                          << QStringLiteral("rule 1 (regex ^PING (\\d+)$) answered the 6-byte message, hit 2");
    QTest::newRow("per recv") << QStringLiteral("recv") << QByteArray()
                              << QStringLiteral("no rule answered the 14-byte message PING 1\\nPING 2\\n: none of the 1 rule(s) matched it");
}

void tst_TcpClientPane::rulesAnswerFramedMessages()
{
    QFETCH(QString, framing);
    QFETCH(QByteArray, answered);
    QFETCH(QString, traced);
    SessionManager sessions;
    LookupService lookups;
    SessionId listener = 0;
    const quint16 port = serve(sessions, ServiceMode::None, &listener);
    ui::TcpClientPane pane(sessions, lookups);
    auto *rules = named<ui::RuleEditor>(pane, u"responderRules");
    rules->setFraming(framing);
    QVERIFY(rules->addRule(QStringLiteral("regex:^PING (\\d+)$=>PONG \\1\\n")));
    auto *mode = named<QComboBox>(pane, u"modeBox");
    mode->setCurrentIndex(mode->findData(int(ServiceMode::Rules)));
    QVERIFY(connectPane(pane, sessions, port));
    QVERIFY(tests::waitForChildren(sessions, listener, 1));
    const SessionId server = sessions.children(listener).first();
    sessions.send(server, "PING 1\nPING 2\n");

    const auto traceHas = [&] {
        for (const CallRecord &r : sessions.trace(pane.currentSession())->since(0))
            if (r.result.contains(traced) || r.code.contains(traced))
                return true;
        return false;
    };
    QVERIFY(refreshUntil(pane, traceHas));
    if (!answered.isEmpty())
        QVERIFY(refreshUntil(pane, [&] { return receivedBytes(sessions, server) == answered; }));
    QCOMPARE(receivedBytes(sessions, server), answered);
    // What the traffic view shows: the bytes as received, one record for the one recv().
    QCOMPARE(receivedBytes(sessions, pane.currentSession()), QByteArray("PING 1\nPING 2\n"));
    QCOMPARE(rules->ruleCount(), 1);
}

#include "tst_tcpclientpane.moc"
