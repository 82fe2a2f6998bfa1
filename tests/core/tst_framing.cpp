// Framing and Framer: a byte stream cut into messages, however the bytes were split
// across recv() calls.

#include "engine/framing.h"

#include <QTest>

using namespace sockscope::core;

class tst_Framing : public QObject
{
    Q_OBJECT
private slots:
    void parse_data();
    void parse();
    void cuts_data();
    void cuts();
    void tooLongIsAnError();
};

void tst_Framing::parse_data()
{
    QTest::addColumn<QString>("spec");
    QTest::addColumn<QString>("canonical"); // empty: an error whose text contains `error`
    QTest::addColumn<QString>("error");
    QTest::newRow("recv") << "recv" << "recv" << QString();
    QTest::newRow("line") << "line" << "line" << QString();
    QTest::newRow("delim escapes") << "delim:\\r\\n\\r\\n" << "delim:\\r\\n\\r\\n" << QString();
    QTest::newRow("delim nul") << "delim:\\0" << "delim:\\0" << QString();
    QTest::newRow("length default") << "length" << "length:2be" << QString();
    QTest::newRow("length 4le") << "length:4le" << "length:4le" << QString();
    QTest::newRow("length 1") << "length:1" << "length:1be" << QString();
    QTest::newRow("fixed") << "fixed:16" << "fixed:16" << QString();
    QTest::newRow("unknown") << "lines" << QString() << "is not a framing";
    QTest::newRow("empty delim") << "delim:" << QString() << "give the bytes";
    QTest::newRow("bad escape") << "delim:\\q" << QString() << "unknown escape";
    QTest::newRow("length 3") << "length:3" << QString() << "1, 2 or 4";
    QTest::newRow("fixed 0") << "fixed:0" << QString() << "1 or more";
    QTest::newRow("line arg") << "line:x" << QString() << "is not a framing";
}

void tst_Framing::parse()
{
    QFETCH(QString, spec);
    QFETCH(QString, canonical);
    QFETCH(QString, error);
    const auto f = Framing::parse(spec);
    if (canonical.isEmpty()) {
        QVERIFY(!f);
        QVERIFY2(f.error().message().contains(error), qPrintable(f.error().message()));
        return;
    }
    QVERIFY2(f, qPrintable(f ? QString() : f.error().message()));
    QCOMPARE(f->toString(), canonical);
    QCOMPARE(Framing::parse(f->toString()), f); // round trip
}

void tst_Framing::cuts_data()
{
    QTest::addColumn<QString>("spec");
    QTest::addColumn<QByteArray>("stream");
    QTest::addColumn<QList<QByteArray>>("messages");
    QTest::addColumn<qsizetype>("left");
    QTest::newRow("line LF and CRLF") << "line" << QByteArray("PING 1\nPING 2\r\nPIN") << QList<QByteArray>{"PING 1", "PING 2"} << qsizetype(3);
    QTest::newRow("empty lines") << "line" << QByteArray("\n\r\nx\n") << QList<QByteArray>{"", "", "x"} << qsizetype(0);
    QTest::newRow("delim") << "delim:||" << QByteArray("a||bb||c|") << QList<QByteArray>{"a", "bb"} << qsizetype(2);
    QTest::newRow("length 2be") << "length:2be" << QByteArray("\x00\x03" "abc" "\x00\x00" "\x00\x05" "xy", 11)
                                << QList<QByteArray>{"abc", ""} << qsizetype(4);
    QTest::newRow("length 4le") << "length:4le" << QByteArray("\x02\x00\x00\x00" "hi" "\x01\x00", 8)
                                << QList<QByteArray>{"hi"} << qsizetype(2);
    QTest::newRow("length 1") << "length:1" << QByteArray("\x01" "a" "\x02" "bc" "\x03", 6) << QList<QByteArray>{"a", "bc"} << qsizetype(1);
    QTest::newRow("fixed") << "fixed:3" << QByteArray("abcdefgh") << QList<QByteArray>{"abc", "def"} << qsizetype(2);
    QTest::newRow("recv") << "recv" << QByteArray("PING 1\nPING 2\n") << QList<QByteArray>{"PING 1\nPING 2\n"} << qsizetype(0);
}

void tst_Framing::cuts()
{
    QFETCH(QString, spec);
    QFETCH(QByteArray, stream);
    QFETCH(QList<QByteArray>, messages);
    QFETCH(qsizetype, left);
    const Framing framing = *Framing::parse(spec);

    // In one piece.
    Framer whole(framing);
    const auto all = whole.feed(stream);
    QVERIFY(all);
    QCOMPARE(*all, messages);
    QCOMPARE(whole.pending(), left);

    if (framing.kind == Framing::Kind::PerRecv)
        return; // each piece is a message by definition
    // A byte at a time: the same messages.
    Framer bytewise(framing);
    QList<QByteArray> got;
    for (char c : stream) {
        auto part = bytewise.feed(QByteArrayView(&c, 1));
        QVERIFY(part);
        got += *part;
    }
    QCOMPARE(got, messages);
    QCOMPARE(bytewise.pending(), left);
}

void tst_Framing::tooLongIsAnError()
{
    Framer line(*Framing::parse(u"line"));
    const QByteArray chunk(1 << 20, 'x');
    std::expected<QList<QByteArray>, SysError> r;
    for (int i = 0; i <= Framer::kMaxMessage / chunk.size() && (r = line.feed(chunk)); ++i) {
    }
    QVERIFY(!r);
    QVERIFY2(r.error().message().contains(QStringLiteral("longer than")), qPrintable(r.error().message()));
    QVERIFY(!line.feed("\n")); // spent: the stream is out of step

    Framer prefixed(*Framing::parse(u"length:4be"));
    const auto huge = prefixed.feed(QByteArray("\x7f\xff\xff\xff", 4));
    QVERIFY(!huge); // a garbage prefix is refused at once, not buffered for
}

QTEST_GUILESS_MAIN(tst_Framing)
#include "tst_framing.moc"
