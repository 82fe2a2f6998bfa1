#include "lessons/lesson.h"
#include "lessons/lessoncatalog.h"

#include <QRegularExpression>
#include <QTest>

using namespace sockscope::core;

class tst_Lesson : public QObject
{
    Q_OBJECT
private slots:
    void catalogInTeachingOrder();
    void everyLessonIsComplete_data();
    void everyLessonIsComplete();
    void languageFallsBackToEnglish();
    void invalidScripts_data();
    void invalidScripts();
    void substitute();
};

void tst_Lesson::catalogInTeachingOrder()
{
    const QStringList ids = LessonCatalog::ids();
    const QStringList expected{QStringLiteral("handshake"), QStringLiteral("refused"),  QStringLiteral("teardown"),
                               QStringLiteral("halfclose"), QStringLiteral("abort"),    QStringLiteral("addrinuse"),
                               QStringLiteral("backlog"),   QStringLiteral("stream"),   QStringLiteral("empty"),
                               QStringLiteral("crash"),     QStringLiteral("nagle")};
    QCOMPARE(ids, expected);
    QVERIFY(LessonCatalog::languages().contains(QStringLiteral("en")));
    auto all = LessonCatalog::load(QStringLiteral("en"));
    QVERIFY(all);
    QCOMPARE(all->size(), expected.size());
}

void tst_Lesson::everyLessonIsComplete_data()
{
    QTest::addColumn<QString>("id");
    for (const QString &id : LessonCatalog::ids())
        QTest::newRow(qPrintable(id)) << id;
}

// Every step narrates, shows Python and checks something; every placeholder in the texts
// names a variable the lesson defines (an actor's port, a burst's segment count).
void tst_Lesson::everyLessonIsComplete()
{
    QFETCH(QString, id);
    auto lesson = LessonCatalog::loadOne(id, QStringLiteral("en"));
    QVERIFY2(lesson, qPrintable(lesson ? QString() : lesson.error().toString()));
    QCOMPARE(lesson->id, id);
    QVERIFY(!lesson->summary.isEmpty());
    QVERIFY(!lesson->steps.isEmpty());
    QStringList defined{QStringLiteral("host"), QStringLiteral("family"), QStringLiteral("AF")};
    for (const LessonStep &step : lesson->steps) {
        for (const LessonAction &a : step.actions) {
            const QString created = a.op == QLatin1String("accept") ? a.args.value(QLatin1String("as")).toString() : a.actor;
            defined << created + QStringLiteral(".port") << a.actor + QStringLiteral(".segments");
        }
    }
    static const QRegularExpression placeholder(QStringLiteral("\\{([A-Za-z0-9_.]+)\\}"));
    for (int i = 0; i < lesson->steps.size(); ++i) {
        const LessonStep &step = lesson->steps[i];
        const QString where = QStringLiteral("%1 step %2").arg(id).arg(i + 1);
        QVERIFY2(!step.python.isEmpty(), qPrintable(where));
        QVERIFY2(!step.expectations.isEmpty(), qPrintable(where));
        QStringList texts{step.narration, step.python, step.title};
        for (const LessonExpectation &e : step.expectations)
            texts << e.text << e.spec.value(QLatin1String("less")).toString() << e.spec.value(QLatin1String("than")).toString();
        for (const QString &text : texts) {
            for (const auto &m : placeholder.globalMatch(text)) {
                QVERIFY2(defined.contains(m.captured(1)), qPrintable(where + QStringLiteral(": {%1}").arg(m.captured(1))));
            }
        }
    }
}

void tst_Lesson::languageFallsBackToEnglish()
{
    auto de = LessonCatalog::loadOne(QStringLiteral("handshake"), QStringLiteral("de_DE"));
    auto en = LessonCatalog::loadOne(QStringLiteral("handshake"), QStringLiteral("en"));
    QVERIFY(de && en);
    QCOMPARE(de->title, en->title);
    QVERIFY(!LessonCatalog::loadOne(QStringLiteral("no-such-lesson"), QStringLiteral("en")));
}

void tst_Lesson::invalidScripts_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("mentions");
    const QByteArray head = R"({"id": "x", "title": "X", "focus": {"client": "c"}, "steps": [)";
    QTest::newRow("not json") << QByteArray("{") << QString();
    QTest::newRow("no id") << QByteArray(R"({"title": "X", "focus": {"client": "c"}, "steps": []})") << QStringLiteral("id");
    QTest::newRow("no focus") << QByteArray(R"({"id": "x", "title": "X", "steps": []})") << QStringLiteral("focus");
    QTest::newRow("no steps") << head + "]}" << QStringLiteral("no steps");
    QTest::newRow("step without narration") << head + R"({"title": "t"}]})" << QStringLiteral("narration");
    QTest::newRow("unknown op") << head + R"({"title": "t", "narration": "n", "actions": [{"op": "fly"}]}]})"
                                << QStringLiteral("fly");
    QTest::newRow("op missing field") << head + R"({"title": "t", "narration": "n", "actions": [{"op": "connect", "actor": "c"}]}]})"
                                      << QStringLiteral("\"to\"");
    QTest::newRow("unknown expectation") << head + R"({"title": "t", "narration": "n", "expect": [{"color": "red"}]}]})"
                                         << QStringLiteral("unknown expectation");
    QTest::newRow("unknown state") << head + R"({"title": "t", "narration": "n", "expect": [{"actor": "c", "state": "DANCING"}]}]})"
                                   << QStringLiteral("DANCING");
    QTest::newRow("state without subject") << head + R"({"title": "t", "narration": "n", "expect": [{"state": "LISTEN"}]}]})"
                                           << QStringLiteral("\"end\"");
    QTest::newRow("count without port") << head + R"({"title": "t", "narration": "n", "expect": [{"count": 1, "state": "SYN_SENT"}]}]})"
                                        << QStringLiteral("toPort");
}

void tst_Lesson::invalidScripts()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, mentions);
    const auto lesson = Lesson::fromJson(json);
    QVERIFY(!lesson);
    QCOMPARE(lesson.error().domain(), SysError::Domain::Input);
    QVERIFY2(lesson.error().detail().contains(mentions), qPrintable(lesson.error().detail()));
}

void tst_Lesson::substitute()
{
    const QList<std::pair<QString, QString>> vars{{QStringLiteral("host"), QStringLiteral("::1")},
                                                  {QStringLiteral("server.port"), QStringLiteral("4242")}};
    QCOMPARE(Lesson::substitute(QStringLiteral("(\"{host}\", {server.port}) {unknown}"), vars),
             QStringLiteral("(\"::1\", 4242) {unknown}"));
}

QTEST_GUILESS_MAIN(tst_Lesson)
#include "tst_lesson.moc"
