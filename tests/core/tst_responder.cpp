// ReplyTemplate, ResponderRule and Responder without sockets: macros, captures, rules in
// order, fire limits and the call-trace notes. Over real sockets: tst_respondercli.

#include "engine/responder.h"

#include <QDateTime>
#include <QRegularExpression>
#include <QTest>

using namespace sockscope::core;

class tst_Responder : public QObject
{
    Q_OBJECT
private slots:
    void templates_data();
    void templates();
    void templateErrors_data();
    void templateErrors();
    void ruleParse_data();
    void ruleParse();
    void matches_data();
    void matches();
    void pingPongOverFraming();
    void firstMatchWinsAndLimits();
    void counterIsShared();
};

void tst_Responder::templates_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("pattern"); // a regular expression the rendering must match
    QTest::newRow("plain escapes") << "a\\tb\\n" << "^a\tb\n$";
    QTest::newRow("counter") << "n={{COUNTER}}" << "^n=41$";
    QTest::newRow("peer and len") << "{{PEER}} {{LEN}}" << "^127\\.0\\.0\\.1:5000 7$";
    QTest::newRow("captures") << "\\2-\\1\\3" << "^b-a$";
    QTest::newRow("date time") << "{{DATE}}T{{TIME}}" << "^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d$";
    QTest::newRow("unixtime") << "{{UNIXTIME}}/{{UNIXTIME_MS}}" << "^\\d{10}/\\d{13}$";
    QTest::newRow("random") << "{{RANDOM:5-5}} {{RANDOM:-2--1}}" << "^5 -[12]$";
    QTest::newRow("randomhex") << "{{RANDOMHEX:8}}" << "^[0-9a-f]{8}$";
    QTest::newRow("braces alone") << "{ } }} x" << "^\\{ \\} \\}\\} x$";
}

void tst_Responder::templates()
{
    QFETCH(QString, text);
    QFETCH(QString, pattern);
    const auto t = ReplyTemplate::parse(text, QStringLiteral("reply"), ReplyTemplate::Captures::Allowed);
    QVERIFY2(t, qPrintable(t ? QString() : t.error().toString()));
    MacroContext context;
    context.counter = 41;
    context.peer = *Address::ip(QStringLiteral("127.0.0.1"), 5000);
    context.length = 7;
    context.captures = {"a", "b"};
    const QString out = QString::fromUtf8(t->render(context));
    QVERIFY2(QRegularExpression(pattern).match(out).hasMatch(), qPrintable(out));
    QCOMPARE(t->usesCounter(), text.contains(QStringLiteral("COUNTER")));
}

void tst_Responder::templateErrors_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("position");
    QTest::addColumn<QString>("error");
    QTest::newRow("unknown macro") << "ab{{NOPE}}" << 2 << "{{NOPE}} is not a macro";
    QTest::newRow("unclosed") << "x {{COUNTER" << 2 << "never closed";
    QTest::newRow("argument") << "{{LEN:3}}" << 0 << "takes no argument";
    QTest::newRow("random order") << "{{RANDOM:9-1}}" << 0 << "a <= b";
    QTest::newRow("randomhex") << "{{RANDOMHEX:0}}" << 0 << "1 to 4096";
    QTest::newRow("bad escape") << "ok\\q" << 2 << "";
}

void tst_Responder::templateErrors()
{
    QFETCH(QString, text);
    QFETCH(int, position);
    QFETCH(QString, error);
    const auto t = ReplyTemplate::parse(text, QStringLiteral("reply"));
    QVERIFY(!t);
    QCOMPARE(t.error().position, qsizetype(position));
    QVERIFY2(t.error().toString().contains(error), qPrintable(t.error().toString()));
    QCOMPARE(t.error().error.field(), QStringLiteral("reply")); // the field is named
    // A capture outside a reply is refused too.
    QVERIFY(!ReplyTemplate::parse(u"\\1", QStringLiteral("composer")));
}

void tst_Responder::ruleParse_data()
{
    QTest::addColumn<QString>("spec");
    QTest::addColumn<QString>("canonical"); // empty: error containing `error`
    QTest::addColumn<QString>("error");
    QTest::newRow("regex") << "regex:^PING (\\d+)$=>PONG \\1\\n" << "regex:^PING (\\d+)$=>PONG \\1\\n" << QString();
    QTest::newRow("options") << "[once,delay=250,then=close]equals:QUIT=>BYE\\n" << "[times=1,delay=250,then=close]equals:QUIT=>BYE\\n" << QString();
    QTest::newRow("hex") << "[times=3,then=shutdown]hex:de ad ?? ef=>ok" << "[times=3,then=shutdown]hex:de ad ?? ef=>ok" << QString();
    QTest::newRow("no arrow") << "equals:QUIT" << QString() << "KIND:PATTERN=>REPLY";
    QTest::newRow("bad kind") << "like:x=>y" << QString() << "'like' is not a kind";
    QTest::newRow("bad regex") << "regex:(=>y" << QString() << "regex:";
    QTest::newRow("bad hex") << "hex:zz=>y" << QString() << "'zz' is not a byte";
    QTest::newRow("odd hex") << "hex:abc=>y" << QString() << "pairs of hex digits";
    QTest::newRow("bad option") << "[twice]equals:a=>b" << QString() << "option 'twice'";
    QTest::newRow("bad reply") << "equals:a=>{{WHO}}" << QString() << "reply: ";
    QTest::newRow("unclosed options") << "[once equals:a=>b" << QString() << "never closed";
}

void tst_Responder::ruleParse()
{
    QFETCH(QString, spec);
    QFETCH(QString, canonical);
    QFETCH(QString, error);
    const auto rule = ResponderRule::parse(spec, QStringLiteral("--rule 1"));
    if (canonical.isEmpty()) {
        QVERIFY(!rule);
        QVERIFY2(rule.error().message().contains(error), qPrintable(rule.error().message()));
        QCOMPARE(rule.error().field(), QStringLiteral("--rule 1"));
        return;
    }
    QVERIFY2(rule, qPrintable(rule ? QString() : rule.error().message()));
    QCOMPARE(rule->toString(), canonical);
}

void tst_Responder::matches_data()
{
    QTest::addColumn<QString>("spec");
    QTest::addColumn<QByteArray>("message");
    QTest::addColumn<bool>("match");
    QTest::newRow("equals") << "equals:QUIT=>x" << QByteArray("QUIT") << true;
    QTest::newRow("equals not prefix") << "equals:QUIT=>x" << QByteArray("QUIT!") << false;
    QTest::newRow("prefix") << "prefix:GET =>x" << QByteArray("GET /") << true;
    QTest::newRow("contains escape") << "contains:\\r\\n\\r\\n=>x" << QByteArray("a\r\n\r\nb") << true;
    QTest::newRow("regex whole") << "regex:^PING (\\d+)$=>x" << QByteArray("PING 12") << true;
    QTest::newRow("regex two lines") << "regex:^PING (\\d+)$=>x" << QByteArray("PING 1\nPING 2\n") << false;
    QTest::newRow("regex utf8") << "regex:^你好=>x" << QByteArray("你好 world") << true;
    QTest::newRow("hex wildcard") << "hex:01??03=>x" << QByteArray("\x01\x7f\x03\x04", 4) << true;
    QTest::newRow("hex mismatch") << "hex:01??03=>x" << QByteArray("\x01\x7f\x04", 3) << false;
    QTest::newRow("hex short") << "hex:01??03=>x" << QByteArray("\x01", 1) << false;
}

void tst_Responder::matches()
{
    QFETCH(QString, spec);
    QFETCH(QByteArray, message);
    QFETCH(bool, match);
    const auto rule = ResponderRule::parse(spec);
    QVERIFY(rule);
    QCOMPARE(rule->matches(message, nullptr), match);
}

void tst_Responder::pingPongOverFraming()
{
    const auto rule = ResponderRule::parse(u"regex:^PING (\\d+)$=>PONG \\1\\n");
    QVERIFY(rule);
    // Line framing: the two messages of one recv() are answered one by one.
    auto lines = std::make_shared<ResponderRules>(*Framing::parse(u"line"), QList<ResponderRule>{*rule});
    Responder framed(lines);
    QByteArray answered;
    for (const Service::Reply &r : framed.replies("PING 1\nPING 2\n", Address())) {
        QVERIFY(r.bytes);
        answered += *r.bytes;
        QVERIFY2(r.note.startsWith(QStringLiteral("rule 1 (regex ^PING (\\d+)$) answered the 6-byte message")), qPrintable(r.note));
    }
    QCOMPARE(answered, QByteArray("PONG 1\nPONG 2\n"));
    QCOMPARE(lines->hits(0), 2u);

    // Per recv(): one 14-byte message that the anchored regex does not match, and the
    // note says so.
    auto perRecv = std::make_shared<ResponderRules>(Framing{}, QList<ResponderRule>{*rule});
    Responder raw(perRecv);
    const auto replies = raw.replies("PING 1\nPING 2\n", Address());
    QCOMPARE(replies.size(), size_t(1));
    QVERIFY(!replies[0].bytes);
    QVERIFY2(replies[0].note.contains(QStringLiteral("no rule answered the 14-byte message PING 1\\nPING 2\\n")),
             qPrintable(replies[0].note));
    QCOMPARE(perRecv->hits(0), 0u);
}

void tst_Responder::firstMatchWinsAndLimits()
{
    QList<ResponderRule> rules{*ResponderRule::parse(u"[once,then=close]equals:QUIT=>BYE\\n"),
                               *ResponderRule::parse(u"[delay=20]prefix:Q=>q\\n"), *ResponderRule::parse(u"equals:never=>?")};
    auto shared = std::make_shared<ResponderRules>(*Framing::parse(u"line"), rules);
    Responder first(shared), second(shared); // two connections of one server
    auto r = first.replies("QUIT\n", Address());
    QCOMPARE(r.size(), size_t(1));
    QCOMPARE(*r[0].bytes, QByteArray("BYE\n"));
    QVERIFY(r[0].close);
    // The once-rule has fired for the whole server: the next QUIT falls to rule 2.
    r = second.replies("QUIT\nQx\nzz\n", Address());
    QCOMPARE(r.size(), size_t(3));
    QCOMPARE(*r[0].bytes, QByteArray("q\n"));
    QCOMPARE(r[0].delay, std::chrono::milliseconds(20));
    QVERIFY(!r[0].close);
    QCOMPARE(*r[1].bytes, QByteArray("q\n"));
    QVERIFY(!r[2].bytes);
    QVERIFY2(r[2].note.contains(QStringLiteral("none of the 3 rule(s)")), qPrintable(r[2].note));
    QCOMPARE(shared->hits(0), 1u);
    QCOMPARE(shared->hits(1), 2u);
}

void tst_Responder::counterIsShared()
{
    auto shared = std::make_shared<ResponderRules>(Framing{}, QList<ResponderRule>{*ResponderRule::parse(u"prefix:n=>{{COUNTER}},")}, 7);
    Responder a(shared), b(shared);
    QCOMPARE(*a.replies("n", Address())[0].bytes, QByteArray("7,"));
    QCOMPARE(*b.replies("n", Address())[0].bytes, QByteArray("8,"));
    QCOMPARE(*a.replies("n", Address())[0].bytes, QByteArray("9,"));
}

QTEST_GUILESS_MAIN(tst_Responder)
#include "tst_responder.moc"
