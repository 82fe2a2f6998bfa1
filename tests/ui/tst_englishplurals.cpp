// EnglishPlurals: "%n thing(s)" reads "1 thing" and "3 things" once the translator is
// installed, through QObject::tr as the widgets call it; other strings are left alone.

#include "englishplurals.h"

#include <QCoreApplication>
#include <QTest>

using sockscope::ui::EnglishPlurals;

class tst_EnglishPlurals : public QObject
{
    Q_OBJECT
private slots:
    void rule_data();
    void rule();
    void throughTr();
};

void tst_EnglishPlurals::rule_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("n");
    QTest::addColumn<QString>("expected");
    QTest::newRow("one") << "%n open socket(s)" << 1 << "%n open socket";
    QTest::newRow("none") << "%n open socket(s)" << 0 << "%n open sockets";
    QTest::newRow("many") << "%n segment(s) kept." << 7 << "%n segments kept.";
    QTest::newRow("es one") << "owners of %n process(es) not readable" << 1 << "owners of %n process not readable";
    QTest::newRow("es many") << "owners of %n process(es) not readable" << 2 << "owners of %n processes not readable";
    QTest::newRow("two words") << "%n client(s) in SYN_SENT, %n time(s)" << 2 << "%n clients in SYN_SENT, %n times";
    QTest::newRow("no suffix") << "%n half-open (SYN_RECEIVED)" << 2 << "%n half-open (SYN_RECEIVED)";
}

void tst_EnglishPlurals::rule()
{
    QFETCH(QString, text);
    QFETCH(int, n);
    QFETCH(QString, expected);
    QCOMPARE(EnglishPlurals::apply(text, n), expected);
}

void tst_EnglishPlurals::throughTr()
{
    QCOMPARE(QObject::tr("%n segment(s)", nullptr, 1), QStringLiteral("1 segment(s)")); // no translator yet
    EnglishPlurals plurals;
    QVERIFY(QCoreApplication::installTranslator(&plurals));
    QCOMPARE(QObject::tr("%n segment(s)", nullptr, 1), QStringLiteral("1 segment"));
    QCOMPARE(QObject::tr("%n segment(s)", nullptr, 12), QStringLiteral("12 segments"));
    QCOMPARE(QObject::tr("Capture (s) off"), QStringLiteral("Capture (s) off")); // no count: untouched
    QVERIFY(QCoreApplication::removeTranslator(&plurals));
}

QTEST_GUILESS_MAIN(tst_EnglishPlurals)
#include "tst_englishplurals.moc"
