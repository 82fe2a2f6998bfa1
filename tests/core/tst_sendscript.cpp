// Parsing send-script steps: every kind, the expect timeout suffix, repeat blocks paired
// with their ends, and errors that name the step and say what is accepted.

#include "engine/sendscript.h"

#include <QTest>

using namespace sockscope::core;
using Kind = ScriptStep::Kind;

class tst_SendScript : public QObject
{
    Q_OBJECT
private slots:
    void step_data();
    void step();
    void expectMatches_data();
    void expectMatches();
    void sendRendersMacros();
    void badStep_data();
    void badStep();
    void repeatBlocks();
    void badBlocks_data();
    void badBlocks();
};

void tst_SendScript::step_data()
{
    QTest::addColumn<QString>("spec");
    QTest::addColumn<int>("kind");
    QTest::addColumn<QByteArray>("bytes"); // SendHex
    QTest::addColumn<qint64>("waitMs");    // Expect, Sleep
    QTest::addColumn<int>("count");        // Repeat
    QTest::newRow("send") << "send:hi\\n" << int(Kind::Send) << QByteArray() << qint64(0) << 0;
    QTest::newRow("sendhex") << "sendhex:de ad:be" << int(Kind::SendHex) << QByteArray("\xde\xad\xbe") << qint64(0) << 0;
    QTest::newRow("expect default") << "expect:equals:OK" << int(Kind::Expect) << QByteArray() << qint64(5000) << 0;
    QTest::newRow("expect timeout") << "expect:prefix:OK@1.5" << int(Kind::Expect) << QByteArray() << qint64(1500) << 0;
    QTest::newRow("expect @ in pattern") << "expect:contains:a@b" << int(Kind::Expect) << QByteArray() << qint64(5000) << 0;
    QTest::newRow("sleep") << "sleep:250" << int(Kind::Sleep) << QByteArray() << qint64(250) << 0;
    QTest::newRow("shutdown") << "shutdown" << int(Kind::Shutdown) << QByteArray() << qint64(0) << 0;
    QTest::newRow("close") << "close" << int(Kind::Close) << QByteArray() << qint64(0) << 0;
    QTest::newRow("repeat") << "repeat:3" << int(Kind::Repeat) << QByteArray() << qint64(0) << 3;
    QTest::newRow("end") << "end" << int(Kind::End) << QByteArray() << qint64(0) << 0;
}

void tst_SendScript::step()
{
    QFETCH(QString, spec);
    QFETCH(int, kind);
    QFETCH(QByteArray, bytes);
    QFETCH(qint64, waitMs);
    QFETCH(int, count);
    const auto s = ScriptStep::parse(spec);
    QVERIFY2(s, s ? "" : qPrintable(s.error().toString()));
    QCOMPARE(int(s->kind), kind);
    QCOMPARE(s->toString(), spec);
    QCOMPARE(s->bytes, bytes);
    QCOMPARE(s->wait.count(), waitMs);
    QCOMPARE(s->count, count);
    QCOMPARE(s->match.has_value(), s->kind == Kind::Expect);
}

void tst_SendScript::expectMatches_data()
{
    QTest::addColumn<QString>("spec");
    QTest::addColumn<QByteArray>("message");
    QTest::addColumn<bool>("matches");
    QTest::newRow("equals") << "expect:equals:PONG 1" << QByteArray("PONG 1") << true;
    QTest::newRow("equals longer") << "expect:equals:PONG" << QByteArray("PONG 1") << false;
    QTest::newRow("prefix") << "expect:prefix:PONG" << QByteArray("PONG 1") << true;
    QTest::newRow("contains escape") << "expect:contains:\\t" << QByteArray("a\tb") << true;
    QTest::newRow("regex") << "expect:regex:^N\\d+$@2" << QByteArray("N42") << true;
    QTest::newRow("regex no") << "expect:regex:^N\\d+$" << QByteArray("N4x") << false;
    QTest::newRow("hex any") << "expect:hex:01??03" << QByteArray("\x01\x7f\x03\x04") << true;
    QTest::newRow("@ kept in pattern") << "expect:equals:me@host" << QByteArray("me@host") << true;
}

void tst_SendScript::expectMatches()
{
    QFETCH(QString, spec);
    QFETCH(QByteArray, message);
    QFETCH(bool, matches);
    const auto s = ScriptStep::parse(spec);
    QVERIFY2(s, s ? "" : qPrintable(s.error().toString()));
    QCOMPARE(s->match->matches(message, nullptr), matches);
}

void tst_SendScript::sendRendersMacros()
{
    const auto s = ScriptStep::parse(QStringLiteral("send:n{{COUNTER}}\\r\\n"));
    QVERIFY(s && s->send);
    MacroContext context;
    context.counter = 7;
    QCOMPARE(s->send->render(context), QByteArray("n7\r\n"));
}

void tst_SendScript::badStep_data()
{
    QTest::addColumn<QString>("spec");
    QTest::addColumn<QString>("error");
    QTest::newRow("unknown") << "sned:hi" << "step: 'sned:hi' is not a step; accepted: send:TEXT, sendhex:HEX";
    QTest::newRow("no argument") << "sleep" << "'sleep' is not a step; accepted:";
    QTest::newRow("bad sleep") << "sleep:soon" << "sleep:MS: give milliseconds";
    QTest::newRow("bad hex") << "sendhex:zz" << "sendhex: ";
    QTest::newRow("bad kind") << "expect:startswith:x" << "expect: give expect:KIND:PATTERN[@SECONDS]";
    QTest::newRow("no kind") << "expect:OK" << "expect: give expect:KIND:PATTERN[@SECONDS]";
    QTest::newRow("zero timeout") << "expect:equals:x@0" << "@SECONDS: give more than 0";
    QTest::newRow("bad regex") << "expect:regex:(" << "regex: ";
    QTest::newRow("unknown macro") << "send:{{WHO}}" << "{{WHO}} is not a macro";
    QTest::newRow("capture in send") << "send:\\1" << "send: ";
    QTest::newRow("repeat zero") << "repeat:0" << "repeat:N: give a count";
}

void tst_SendScript::badStep()
{
    QFETCH(QString, spec);
    QFETCH(QString, error);
    const auto s = ScriptStep::parse(spec);
    QVERIFY(!s);
    QVERIFY2(s.error().toString().contains(error), qPrintable(s.error().toString()));
}

void tst_SendScript::repeatBlocks()
{
    const auto script = SendScript::parse({QStringLiteral("repeat:2"), QStringLiteral("send:a"), QStringLiteral("repeat:3"),
                                           QStringLiteral("sleep:1"), QStringLiteral("end"), QStringLiteral("end")});
    QVERIFY(script);
    const auto &steps = script->steps();
    QCOMPARE(steps.size(), 6);
    QCOMPARE(steps[0].partner, 5);
    QCOMPARE(steps[5].partner, 0);
    QCOMPARE(steps[2].partner, 4);
    QCOMPARE(steps[4].partner, 2);
}

void tst_SendScript::badBlocks_data()
{
    QTest::addColumn<QStringList>("specs");
    QTest::addColumn<QString>("error");
    QTest::newRow("end alone") << QStringList{QStringLiteral("send:a"), QStringLiteral("end")}
                               << "--step 2: end without a repeat:N before it";
    QTest::newRow("never closed") << QStringList{QStringLiteral("repeat:2"), QStringLiteral("send:a")}
                                  << "--step 1: repeat:N is never closed with end";
    QTest::newRow("third bad") << QStringList{QStringLiteral("send:a"), QStringLiteral("send:b"), QStringLiteral("wait:1")}
                               << "--step 3: 'wait:1' is not a step";
}

void tst_SendScript::badBlocks()
{
    QFETCH(QStringList, specs);
    QFETCH(QString, error);
    const auto script = SendScript::parse(specs, QStringLiteral("--step"));
    QVERIFY(!script);
    QVERIFY2(script.error().toString().contains(error), qPrintable(script.error().toString()));
}

QTEST_GUILESS_MAIN(tst_SendScript)
#include "tst_sendscript.moc"
