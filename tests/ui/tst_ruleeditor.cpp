// RuleEditor alone (checked as typed, errors naming the rule and field, nothing lost),
// and in a TCP server pane answering a real loopback client by rule, hits counted.

#include "../common/panetesthelpers.h"
#include "../common/widgetlookup.h"

#include "panes/tcpserverpane.h"
#include "widgets/ruleeditor.h"

#include "engine/sessionmanager.h"
#include "net/socket.h"
#include "observe/kernelwatch.h"

#include <QComboBox>
#include <QDir>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTest>

using namespace sockscope;
using namespace sockscope::core;
using sockscope::tests::refreshUntil;

class tst_RuleEditor : public QObject
{
    Q_OBJECT
private slots:
    void checkedAsTyped();
    void orderAndMoves();
    void serverPaneAnswersByRule();
};

void tst_RuleEditor::checkedAsTyped()
{
    ui::RuleEditor editor(true);
    auto *table = editor.findChild<QTableWidget *>(QStringLiteral("ruleTable"));
    QVERIFY(table);
    QVERIFY(!editor.build()); // no rule yet
    QVERIFY(editor.errorText().contains(QStringLiteral("add at least one rule")));

    QSignalSpy edited(&editor, &ui::RuleEditor::edited);
    QVERIFY(editor.addRule(QStringLiteral("regex:^PING (\\d+)$=>PONG \\1\\n")));
    QCOMPARE(edited.size(), 1);
    QVERIFY(editor.addRule(QStringLiteral("[once]equals:QUIT=>BYE")));
    QCOMPARE(table->item(1, ui::RuleEditor::Options)->text(), QStringLiteral("times=1"));
    QVERIFY(!editor.addRule(QStringLiteral("equals:x"))); // no =>: refused, shown
    QVERIFY(editor.errorText().contains(QStringLiteral("KIND:PATTERN=>REPLY")));
    QCOMPARE(editor.ruleCount(), 2);
    QCOMPARE(edited.size(), 2); // each valid addition announced

    // A bad reply typed into rule 2: the error names it; the text stays as typed.
    table->item(1, ui::RuleEditor::Reply)->setText(QStringLiteral("BYE {{WHO}}"));
    QVERIFY2(editor.errorText().startsWith(QStringLiteral("rule 2: reply: {{WHO}} is not a macro")), qPrintable(editor.errorText()));
    QCOMPARE(table->item(1, ui::RuleEditor::Reply)->text(), QStringLiteral("BYE {{WHO}}"));
    QCOMPARE(edited.size(), 2); // not a valid set: not announced
    table->item(1, ui::RuleEditor::Reply)->setText(QStringLiteral("BYE #{{COUNTER}}\\n"));
    QVERIFY(editor.errorText().isEmpty());
    QCOMPARE(edited.size(), 3);

    // Options and the framing are checked the same way.
    table->item(0, ui::RuleEditor::Options)->setText(QStringLiteral("twice"));
    QVERIFY(editor.errorText().startsWith(QStringLiteral("rule 1: option 'twice'")));
    table->item(0, ui::RuleEditor::Options)->setText(QStringLiteral("delay=5"));
    editor.setFraming(QStringLiteral("length:3"));
    QVERIFY(editor.errorText().startsWith(QStringLiteral("framing: length:")));
    editor.setFraming(QStringLiteral("line"));
    const auto rules = editor.build();
    QVERIFY(rules);
    QCOMPARE(rules->framing().kind, Framing::Kind::Line);
    QCOMPARE(rules->rules().size(), 2);
    QCOMPARE(rules->rules()[0].delay, std::chrono::milliseconds(5));

    // Every control is named for a screen reader.
    for (QWidget *w : editor.findChildren<QWidget *>()) {
        if (qobject_cast<QComboBox *>(w) || qobject_cast<QTableWidget *>(w) || qobject_cast<QPushButton *>(w))
            QVERIFY2(!w->accessibleName().isEmpty() || !w->isVisibleTo(&editor), w->metaObject()->className());
    }
}

void tst_RuleEditor::orderAndMoves()
{
    ui::RuleEditor editor(false); // datagrams: no framing
    QVERIFY(!editor.findChild<QComboBox *>(QStringLiteral("ruleFraming"))->isVisibleTo(&editor));
    QVERIFY(editor.addRule(QStringLiteral("prefix:a=>1")));
    QVERIFY(editor.addRule(QStringLiteral("prefix:b=>2")));
    auto *table = editor.findChild<QTableWidget *>(QStringLiteral("ruleTable"));
    table->setCurrentCell(1, ui::RuleEditor::Pattern);
    const auto buttons = editor.findChildren<QPushButton *>();
    const auto up = std::find_if(buttons.begin(), buttons.end(), [](QPushButton *b) { return b->text() == u"Up"; });
    QVERIFY(up != buttons.end());
    (*up)->click();
    const auto rules = editor.build();
    QVERIFY(rules);
    QCOMPARE(rules->rules()[0].pattern, QStringLiteral("b"));
    QCOMPARE(rules->rules()[1].pattern, QStringLiteral("a"));
    QCOMPARE(rules->framing().kind, Framing::Kind::PerRecv);
}

void tst_RuleEditor::serverPaneAnswersByRule()
{
    SessionManager sessions;
    KernelWatch kernel;
    ui::TcpServerPane pane(sessions, kernel);
    auto *editor = pane.findChild<ui::RuleEditor *>(QStringLiteral("responderRules"));
    QVERIFY(editor);
    editor->setFraming(QStringLiteral("line"));
    QVERIFY(editor->addRule(QStringLiteral("regex:^PING (\\d+)$=>PONG \\1\\n")));

    // Rules chosen but made invalid: Listen refuses inline, nothing is opened.
    auto *table = editor->findChild<QTableWidget *>(QStringLiteral("ruleTable"));
    table->item(0, ui::RuleEditor::Pattern)->setText(QStringLiteral("(unclosed"));
    pane.startWith(QStringLiteral("127.0.0.1"), 0, ServiceMode::Rules);
    QVERIFY(!pane.listener());
    const auto labels = pane.findChildren<QLabel *>();
    QVERIFY(std::any_of(labels.begin(), labels.end(), [](QLabel *l) {
        return !l->isHidden() && l->text().startsWith(QStringLiteral("Responder rules: rule 1: regex:"));
    }));
    table->item(0, ui::RuleEditor::Pattern)->setText(QStringLiteral("^PING (\\d+)$"));
    pane.startWith(QStringLiteral("127.0.0.1"), 0, ServiceMode::Rules);
    QVERIFY(refreshUntil(pane, [&] { return pane.portEdit()->text() != u"0"; }));
    const quint16 port = pane.portEdit()->text().toUShort();
    QCOMPARE(sessions.info(pane.listener())->service, ServiceMode::Rules);

    auto client = Socket::create(AF_INET, SOCK_STREAM);
    QVERIFY(client && client->connect(*Address::ip(QStringLiteral("127.0.0.1"), port)));
    QVERIFY(client->sendAll("PING 1\nPING 2\n")); // one send: two messages once framed
    QVERIFY(client->setTimeout(3000));
    QByteArray got;
    while (got.size() < 14) {
        auto r = client->recv(64);
        QVERIFY2(r && !r->eof(), "the server answered too little");
        got += r->data;
    }
    QCOMPARE(got, QByteArray("PONG 1\nPONG 2\n"));
    QVERIFY(refreshUntil(pane, [&] { return table->item(0, ui::RuleEditor::Hits)->text() == u"2"; }));

    // Edited while serving: the new rules answer the connection's next message. The
    // switch is made on the I/O thread; the session's version says when it is done.
    QCOMPARE(pane.childSessions().size(), 1);
    const SessionId child = pane.childSessions().first();
    const quint64 before = sessions.info(child)->version;
    table->item(0, ui::RuleEditor::Reply)->setText(QStringLiteral("pong \\1\\n"));
    QCOMPARE(table->item(0, ui::RuleEditor::Hits)->text(), QStringLiteral("0")); // a fresh set
    QTRY_VERIFY(sessions.info(child)->version > before);
    QVERIFY(client->sendAll("PING 3\n"));
    got.clear();
    while (got.size() < 7) {
        auto r = client->recv(64);
        QVERIFY(r && !r->eof());
        got += r->data;
    }
    QCOMPARE(got, QByteArray("pong 3\n"));

    // With SOCKSCOPE_SHOT_DIR set, the pane as a user sees it, for a look by eye.
    const QString shots = qEnvironmentVariable("SOCKSCOPE_SHOT_DIR");
    if (!shots.isEmpty()) {
        QVERIFY(editor->addRule(QStringLiteral("[once,then=close]equals:QUIT=>BYE {{PEER}}\\n")));
        pane.resize(1000, 800);
        pane.show();
        QTRY_VERIFY(tests::isExposed(pane));
        pane.refresh();
        QTest::qWait(300); // a fixed wait is the point: the pane repaints before the grab
        QDir(shots).mkpath(QStringLiteral("."));
        QVERIFY(pane.grab().save(QDir(shots).filePath(QStringLiteral("responder-rules.png"))));
    }
}

QTEST_MAIN(tst_RuleEditor)
#include "tst_ruleeditor.moc"
