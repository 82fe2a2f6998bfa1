#include "net/payloadcodec.h"

#include <QTest>

#include <algorithm>

using namespace sockscope::core;

class tst_PayloadCodec : public QObject
{
    Q_OBJECT

private slots:
    void parseText_data();
    void parseText();
    void parseTextErrors_data();
    void parseTextErrors();
    void parseHex_data();
    void parseHex();
    void parseHexErrors_data();
    void parseHexErrors();
    void lineEndings_data();
    void lineEndings();
    void escape_data();
    void escape();
    void escapePrefix_data();
    void escapePrefix();
    void escapeRoundTrips_data();
    void escapeRoundTrips();
    void toHex();
    void hexDump();
    void errorText();
};

void tst_PayloadCodec::parseText_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QByteArray>("expected");

    QTest::newRow("empty") << QString() << QByteArray();
    QTest::newRow("plain") << QStringLiteral("hello") << QByteArrayLiteral("hello");
    QTest::newRow("newline") << QStringLiteral("a\\nb") << QByteArrayLiteral("a\nb");
    QTest::newRow("crlf") << QStringLiteral("GET / HTTP/1.0\\r\\n\\r\\n") << QByteArrayLiteral("GET / HTTP/1.0\r\n\r\n");
    QTest::newRow("tab") << QStringLiteral("\\t") << QByteArrayLiteral("\t");
    QTest::newRow("backslash") << QStringLiteral("C:\\\\dir") << QByteArrayLiteral("C:\\dir");
    QTest::newRow("nul") << QStringLiteral("a\\0b") << QByteArray("a\0b", 3);
    // \0 is NUL only, never an octal escape: the digits that follow are sent as digits.
    QTest::newRow("nul-then-digits") << QStringLiteral("\\012") << QByteArray("\0" "12", 3);
    QTest::newRow("hex-escape-lower") << QStringLiteral("\\x7f\\xff") << QByteArrayLiteral("\x7f\xff");
    QTest::newRow("hex-escape-upper") << QStringLiteral("\\xAB") << QByteArrayLiteral("\xab");
    QTest::newRow("hex-escape-then-digit") << QStringLiteral("\\x414") << QByteArrayLiteral("A4");
    QTest::newRow("utf8") << QStringLiteral(u"caf\u00e9 \u20ac") << QByteArrayLiteral("caf\xc3\xa9 \xe2\x82\xac");
    QTest::newRow("emoji") << QStringLiteral(u"\U0001F600") << QByteArrayLiteral("\xf0\x9f\x98\x80");
    QTest::newRow("literal-newline-kept") << QStringLiteral("a\nb") << QByteArrayLiteral("a\nb");
    QTest::newRow("escaped-backslash-then-n") << QStringLiteral("\\\\n") << QByteArrayLiteral("\\n");
}

void tst_PayloadCodec::parseText()
{
    QFETCH(QString, input);
    QFETCH(QByteArray, expected);
    const PayloadResult r = PayloadCodec::parseText(input);
    QVERIFY2(r.has_value(), r ? "" : qPrintable(r.error().toString()));
    QCOMPARE(*r, expected);
}

void tst_PayloadCodec::parseTextErrors_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<qsizetype>("position");
    QTest::addColumn<qsizetype>("length");
    QTest::addColumn<QString>("mentions");

    QTest::newRow("lone-backslash-at-end") << QStringLiteral("abc\\") << qsizetype(3) << qsizetype(1) << QStringLiteral("lone");
    QTest::newRow("unknown-escape") << QStringLiteral("ab\\q") << qsizetype(2) << qsizetype(2) << QStringLiteral("\\q");
    QTest::newRow("unknown-escape-a") << QStringLiteral("\\a") << qsizetype(0) << qsizetype(2) << QStringLiteral("unknown escape");
    QTest::newRow("x-bad-first-digit") << QStringLiteral("hi\\xg1") << qsizetype(4) << qsizetype(1) << QStringLiteral("'g'");
    QTest::newRow("x-bad-second-digit") << QStringLiteral("\\x4z") << qsizetype(3) << qsizetype(1) << QStringLiteral("'z'");
    QTest::newRow("x-space-digit") << QStringLiteral("\\x 1") << qsizetype(2) << qsizetype(1) << QStringLiteral("U+0020");
    QTest::newRow("x-truncated-one") << QStringLiteral("ab\\x4") << qsizetype(2) << qsizetype(3) << QStringLiteral("two hex digits");
    QTest::newRow("x-truncated-none") << QStringLiteral("\\x") << qsizetype(0) << qsizetype(2) << QStringLiteral("two hex digits");
    QTest::newRow("error-after-good-escapes") << QStringLiteral("\\n\\t\\y") << qsizetype(4) << qsizetype(2) << QStringLiteral("\\y");
}

void tst_PayloadCodec::parseTextErrors()
{
    QFETCH(QString, input);
    QFETCH(qsizetype, position);
    QFETCH(qsizetype, length);
    QFETCH(QString, mentions);
    const PayloadResult r = PayloadCodec::parseText(input, QStringLiteral("message"));
    QVERIFY(!r.has_value());
    QCOMPARE(r.error().position, position);
    QCOMPARE(r.error().length, length);
    QCOMPARE(r.error().error.domain(), SysError::Domain::Input);
    QCOMPARE(r.error().error.field(), QStringLiteral("message"));
    QVERIFY2(r.error().error.message().contains(mentions), qPrintable(r.error().error.message()));
}

void tst_PayloadCodec::parseHex_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QByteArray>("expected");

    QTest::newRow("empty") << QString() << QByteArray();
    QTest::newRow("only-separators") << QStringLiteral(" : \t") << QByteArray();
    QTest::newRow("packed") << QStringLiteral("48656c6c6f") << QByteArrayLiteral("Hello");
    QTest::newRow("spaces") << QStringLiteral("68 69") << QByteArrayLiteral("hi");
    QTest::newRow("colons") << QStringLiteral("de:ad:BE:EF") << QByteArrayLiteral("\xde\xad\xbe\xef");
    QTest::newRow("mixed-separators") << QStringLiteral(" 00: 01  ff\n0a ") << QByteArrayLiteral("\x00\x01\xff\x0a");
    QTest::newRow("groups-of-four") << QStringLiteral("4865 6c6c 6f") << QByteArrayLiteral("Hello");
    QTest::newRow("nul-bytes") << QStringLiteral("00 00") << QByteArray(2, '\0');
}

void tst_PayloadCodec::parseHex()
{
    QFETCH(QString, input);
    QFETCH(QByteArray, expected);
    const PayloadResult r = PayloadCodec::parseHex(input);
    QVERIFY2(r.has_value(), r ? "" : qPrintable(r.error().toString()));
    QCOMPARE(*r, expected);
}

void tst_PayloadCodec::parseHexErrors_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<qsizetype>("position");
    QTest::addColumn<QString>("mentions");

    QTest::newRow("odd-count-at-end") << QStringLiteral("48 6") << qsizetype(3) << QStringLiteral("odd number");
    QTest::newRow("odd-count-single") << QStringLiteral("a") << qsizetype(0) << QStringLiteral("'a' stands alone");
    QTest::newRow("odd-count-middle-group") << QStringLiteral("48 656 6c") << qsizetype(5) << QStringLiteral("'6' stands alone");
    QTest::newRow("digit-split-by-space") << QStringLiteral("4 8") << qsizetype(0) << QStringLiteral("odd number");
    QTest::newRow("digit-split-by-colon") << QStringLiteral("48:6:9") << qsizetype(3) << QStringLiteral("odd number");
    QTest::newRow("bad-digit-first") << QStringLiteral("zz") << qsizetype(0) << QStringLiteral("'z' is not a hex digit");
    QTest::newRow("bad-digit-second") << QStringLiteral("48 6g") << qsizetype(4) << QStringLiteral("'g' is not a hex digit");
    QTest::newRow("0x-prefix") << QStringLiteral("0x41") << qsizetype(1) << QStringLiteral("'x'");
    QTest::newRow("comma") << QStringLiteral("41,42") << qsizetype(2) << QStringLiteral("','");
    QTest::newRow("non-ascii") << QStringLiteral(u"41 \u00e9") << qsizetype(3) << QStringLiteral(u"'\u00e9'");
}

void tst_PayloadCodec::parseHexErrors()
{
    QFETCH(QString, input);
    QFETCH(qsizetype, position);
    QFETCH(QString, mentions);
    const PayloadResult r = PayloadCodec::parseHex(input);
    QVERIFY(!r.has_value());
    QCOMPARE(r.error().position, position);
    QCOMPARE(r.error().length, qsizetype(1));
    QCOMPARE(r.error().error.field(), QStringLiteral("hex"));
    QVERIFY2(r.error().error.message().contains(mentions), qPrintable(r.error().error.message()));
}

void tst_PayloadCodec::lineEndings_data()
{
    QTest::addColumn<int>("mode");
    QTest::addColumn<QString>("input");
    QTest::addColumn<int>("ending");
    QTest::addColumn<QByteArray>("expected");

    const int text = int(PayloadMode::Text);
    const int hex = int(PayloadMode::Hex);
    QTest::newRow("text-none") << text << QStringLiteral("hi") << int(LineEnding::None) << QByteArrayLiteral("hi");
    QTest::newRow("text-lf") << text << QStringLiteral("hi") << int(LineEnding::Lf) << QByteArrayLiteral("hi\n");
    QTest::newRow("text-crlf") << text << QStringLiteral("hi") << int(LineEnding::CrLf) << QByteArrayLiteral("hi\r\n");
    QTest::newRow("text-cr") << text << QStringLiteral("hi") << int(LineEnding::Cr) << QByteArrayLiteral("hi\r");
    QTest::newRow("hex-crlf") << hex << QStringLiteral("68 69") << int(LineEnding::CrLf) << QByteArrayLiteral("hi\r\n");
    QTest::newRow("empty-with-lf") << text << QString() << int(LineEnding::Lf) << QByteArrayLiteral("\n");
}

void tst_PayloadCodec::lineEndings()
{
    QFETCH(int, mode);
    QFETCH(QString, input);
    QFETCH(int, ending);
    QFETCH(QByteArray, expected);
    const PayloadResult r = PayloadCodec::parse(input, PayloadMode(mode), LineEnding(ending));
    QVERIFY(r.has_value());
    QCOMPARE(*r, expected);
    QVERIFY(!PayloadCodec::lineEndingLabel(LineEnding(ending)).isEmpty());
}

void tst_PayloadCodec::escape_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<int>("style");
    QTest::addColumn<QString>("expected");

    const int utf8 = int(EscapeStyle::Utf8);
    const int ascii = int(EscapeStyle::Ascii);
    QTest::newRow("plain") << QByteArrayLiteral("hello world") << utf8 << QStringLiteral("hello world");
    QTest::newRow("controls") << QByteArrayLiteral("a\r\n\tb") << utf8 << QStringLiteral("a\\r\\n\\tb");
    QTest::newRow("nul") << QByteArray("\0", 1) << utf8 << QStringLiteral("\\0");
    QTest::newRow("backslash") << QByteArrayLiteral("\\") << utf8 << QStringLiteral("\\\\");
    QTest::newRow("escape-and-del") << QByteArrayLiteral("\x1b[2J\x7f") << utf8 << QStringLiteral("\\x1b[2J\\x7f");
    QTest::newRow("utf8-kept") << QByteArrayLiteral("caf\xc3\xa9") << utf8 << QStringLiteral(u"caf\u00e9");
    QTest::newRow("utf8-ascii-style") << QByteArrayLiteral("caf\xc3\xa9") << ascii << QStringLiteral("caf\\xc3\\xa9");
    QTest::newRow("invalid-utf8") << QByteArrayLiteral("\xff\xfe") << utf8 << QStringLiteral("\\xff\\xfe");
    QTest::newRow("truncated-utf8") << QByteArrayLiteral("a\xe2\x82") << utf8 << QStringLiteral("a\\xe2\\x82");
    QTest::newRow("overlong-utf8") << QByteArrayLiteral("\xc0\xaf") << utf8 << QStringLiteral("\\xc0\\xaf");
    QTest::newRow("surrogate-utf8") << QByteArrayLiteral("\xed\xa0\x80") << utf8 << QStringLiteral("\\xed\\xa0\\x80");
    // U+202E RIGHT-TO-LEFT OVERRIDE would reorder what follows on screen.
    QTest::newRow("bidi-override") << QByteArrayLiteral("a\xe2\x80\xae" "b") << utf8 << QStringLiteral("a\\xe2\\x80\\xaeb");
    QTest::newRow("c1-control") << QByteArrayLiteral("\xc2\x9b") << utf8 << QStringLiteral("\\xc2\\x9b");
    QTest::newRow("emoji") << QByteArrayLiteral("\xf0\x9f\x98\x80") << utf8 << QStringLiteral(u"\U0001F600");
    // A combining mark stays on a character, but never lands on an escape or starts the text.
    QTest::newRow("combining-after-letter") << QByteArrayLiteral("e\xcc\x81") << utf8 << QStringLiteral(u"e\u0301");
    QTest::newRow("combining-after-escape") << QByteArrayLiteral("\x14\xcc\x83") << utf8 << QStringLiteral("\\x14\\xcc\\x83");
    QTest::newRow("combining-first") << QByteArrayLiteral("\xcc\x83" "a") << utf8 << QStringLiteral("\\xcc\\x83a");
    QTest::newRow("combining-after-backslash") << QByteArrayLiteral("\\\xcc\x83") << utf8 << QStringLiteral("\\\\\\xcc\\x83");
}

void tst_PayloadCodec::escape()
{
    QFETCH(QByteArray, bytes);
    QFETCH(int, style);
    QFETCH(QString, expected);
    QCOMPARE(PayloadCodec::escape(bytes, EscapeStyle(style)), expected);
}

void tst_PayloadCodec::escapePrefix_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<qsizetype>("maxChars");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<qsizetype>("consumed");

    QTest::newRow("cut-plain") << QByteArrayLiteral("abcdef") << qsizetype(3) << QStringLiteral("abc") << qsizetype(3);
    QTest::newRow("fits") << QByteArrayLiteral("abc") << qsizetype(10) << QStringLiteral("abc") << qsizetype(3);
    QTest::newRow("zero") << QByteArrayLiteral("abc") << qsizetype(0) << QString() << qsizetype(0);
    // Whole escapes only: the text may pass the limit by the last escape, never split one.
    QTest::newRow("escapes-whole") << QByteArrayLiteral("\x01\x02\x03") << qsizetype(5) << QStringLiteral("\\x01\\x02") << qsizetype(2);
    QTest::newRow("named-escape") << QByteArrayLiteral("a\nb") << qsizetype(2) << QStringLiteral("a\\n") << qsizetype(2);
    QTest::newRow("utf8-whole") << QByteArrayLiteral("\xc3\xa9x") << qsizetype(1) << QStringLiteral(u"\u00e9") << qsizetype(2);
}

void tst_PayloadCodec::escapePrefix()
{
    QFETCH(QByteArray, bytes);
    QFETCH(qsizetype, maxChars);
    QFETCH(QString, expected);
    QFETCH(qsizetype, consumed);
    qsizetype used = -1;
    QCOMPARE(PayloadCodec::escape(bytes, EscapeStyle::Utf8, maxChars, &used), expected);
    QCOMPARE(used, consumed);
    // The prefix is exactly the escape of the bytes it covers.
    QCOMPARE(PayloadCodec::escape(QByteArrayView(bytes).first(used)), expected);
}

void tst_PayloadCodec::escapeRoundTrips_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QByteArray all;
    for (int i = 0; i < 256; ++i)
        all += char(i);
    QTest::newRow("every-byte") << all;
    QByteArray reversed = all;
    std::reverse(reversed.begin(), reversed.end());
    QTest::newRow("every-byte-reversed") << reversed;
    QTest::newRow("mixed-utf8") << QByteArrayLiteral("\xe2\x82\xac\\x41\\\\\x00\xc3");
    QTest::newRow("backslash-zero-digit") << QByteArray("\\\0" "1", 3);
}

void tst_PayloadCodec::escapeRoundTrips()
{
    QFETCH(QByteArray, bytes);
    for (const EscapeStyle style : {EscapeStyle::Utf8, EscapeStyle::Ascii}) {
        const QString text = PayloadCodec::escape(bytes, style);
        for (const QChar c : text)
            QVERIFY2(c.unicode() >= 0x20 && c.unicode() != 0x7f, qPrintable(text));
        const PayloadResult back = PayloadCodec::parseText(text);
        QVERIFY(back.has_value());
        QCOMPARE(*back, bytes);
        const PayloadResult viaHex = PayloadCodec::parseHex(PayloadCodec::toHex(bytes, ':'));
        QVERIFY(viaHex.has_value());
        QCOMPARE(*viaHex, bytes);
    }
}

void tst_PayloadCodec::toHex()
{
    QCOMPARE(PayloadCodec::toHex(QByteArrayLiteral("hi\n")), QStringLiteral("68 69 0a"));
    QCOMPARE(PayloadCodec::toHex(QByteArrayLiteral("hi\n"), 0), QStringLiteral("68690a"));
    QCOMPARE(PayloadCodec::toHex(QByteArray()), QString());
}

void tst_PayloadCodec::hexDump()
{
    const QString dump = PayloadCodec::hexDump(QByteArrayLiteral("Hello, world!\n\x00\xff" "ABC"));
    const QStringList lines = dump.split(u'\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 2);
    QCOMPARE(lines[0], QStringLiteral("00000000  48 65 6c 6c 6f 2c 20 77  6f 72 6c 64 21 0a 00 ff  |Hello, world!...|"));
    QCOMPARE(lines[1], QStringLiteral("00000010  41 42 43                                          |ABC|"));
    QCOMPARE(PayloadCodec::hexDump(QByteArray()), QString());
}

void tst_PayloadCodec::errorText()
{
    const PayloadResult r = PayloadCodec::parseHex(QStringLiteral("41 4"), QStringLiteral("--send-hex"));
    QVERIFY(!r);
    QCOMPARE(r.error().toString(),
             QStringLiteral("--send-hex: odd number of hex digits: '4' stands alone; a byte needs two digits (at character 4)"));
}

QTEST_APPLESS_MAIN(tst_PayloadCodec)
#include "tst_payloadcodec.moc"
