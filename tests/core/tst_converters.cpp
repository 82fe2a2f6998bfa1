#include "../common/lookuptestsupport.h"

#include "net/converters.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

#include <cerrno>

using namespace Qt::StringLiterals;
using namespace sockscope::core;
using sockscope::tests::runPython;

namespace {

// Python's inet_aton and byte-order functions are thin skins over libc's: they are the
// oracle, run once for every row.
const char kAtonPy[] = R"PY(
import json, socket, sys
def run(text):
    try:
        return socket.inet_ntoa(socket.inet_aton(text))
    except OSError as e:
        return {'error': str(e)}
print(json.dumps([run(t) for t in json.load(sys.stdin)]))
)PY";

const char kByteOrderPy[] = R"PY(
import json, socket, sys
print(json.dumps([getattr(socket, call)(value) for call, value in json.load(sys.stdin)]))
)PY";

QByteArray bytes(const char *hex)
{
    return QByteArray::fromHex(hex);
}

} // namespace

class tst_Converters : public QObject
{
    Q_OBJECT
private slots:
    void ptonNtop_data();
    void ptonNtop();
    void ptonRejects_data();
    void ptonRejects();
    void ntopChecksLength();
    void aton_data();
    void aton();
    void atonMatchesPython();
    void ntoa();
    void byteOrder_data();
    void byteOrder();
    void byteOrderMatchesPython();
    void byteOrderRange_data();
    void byteOrderRange();
};

void tst_Converters::ptonNtop_data()
{
    QTest::addColumn<int>("family");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QByteArray>("packed");
    QTest::addColumn<QString>("canonical");
    QTest::newRow("IPv4 loopback") << AF_INET << "127.0.0.1" << bytes("7f000001") << "127.0.0.1";
    QTest::newRow("IPv4 broadcast") << AF_INET << "255.255.255.255" << bytes("ffffffff") << "255.255.255.255";
    QTest::newRow("IPv6 loopback") << AF_INET6 << "::1" << bytes("00000000000000000000000000000001") << "::1";
    QTest::newRow("IPv6 long form") << AF_INET6 << "0:0:0:0:0:0:0:1" << bytes("00000000000000000000000000000001")
                                    << "::1";
    QTest::newRow("IPv6 upper case") << AF_INET6 << "FE80::A" << bytes("fe80000000000000000000000000000a")
                                     << "fe80::a";
    QTest::newRow("IPv4-mapped") << AF_INET6 << "::ffff:127.0.0.1" << bytes("00000000000000000000ffff7f000001")
                                 << "::ffff:127.0.0.1";
}

void tst_Converters::ptonNtop()
{
    QFETCH(int, family);
    QFETCH(QString, text);
    QFETCH(QByteArray, packed);
    QFETCH(QString, canonical);
    const auto p = Converters::inetPton(family, text);
    QVERIFY(p.has_value());
    QCOMPARE(*p, packed);
    const auto back = Converters::inetNtop(family, *p);
    QVERIFY(back.has_value());
    QCOMPARE(*back, canonical);
}

void tst_Converters::ptonRejects_data()
{
    QTest::addColumn<int>("family");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("error");
    QTest::newRow("aton's a.b form") << AF_INET << "127.1" << "invalid address";
    QTest::newRow("hex part") << AF_INET << "0x7f.0.0.1" << "invalid address";
    QTest::newRow("256") << AF_INET << "256.1.1.1" << "invalid address";
    QTest::newRow("v6 text as v4") << AF_INET << "::1" << "invalid address";
    QTest::newRow("::g") << AF_INET6 << "::g" << "invalid address";
    QTest::newRow("two ::") << AF_INET6 << "1::2::3" << "invalid address";
    QTest::newRow("empty") << AF_INET6 << "" << "invalid address";
    QTest::newRow("AF_UNIX") << int(AF_UNIX) << "/tmp/x" << "EAFNOSUPPORT";
}

void tst_Converters::ptonRejects()
{
    QFETCH(int, family);
    QFETCH(QString, text);
    QFETCH(QString, error);
    const auto p = Converters::inetPton(family, text);
    QVERIFY(!p.has_value());
    QCOMPARE(p.error().name(), error);
}

void tst_Converters::ntopChecksLength()
{
    QVERIFY(!Converters::inetNtop(AF_INET, bytes("7f0000")).has_value());
    QVERIFY(!Converters::inetNtop(AF_INET6, bytes("7f000001")).has_value());
    QCOMPARE(Converters::inetNtop(AF_INET6, bytes("7f000001")).error().field(), QStringLiteral("packed"));
    QCOMPARE(Converters::inetNtop(AF_UNIX, bytes("7f000001")).error().name(), QStringLiteral("EAFNOSUPPORT"));
}

void tst_Converters::aton_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("dotted"); // empty: rejected
    QTest::addColumn<QString>("form");
    QTest::addColumn<bool>("legacy");
    QTest::addColumn<QString>("note"); // a note that must be among the explanations
    QTest::newRow("a.b.c.d") << "127.0.0.1" << "127.0.0.1" << "a.b.c.d" << false << "";
    QTest::newRow("a.b") << "127.1" << "127.0.0.1" << "a.b" << true << "last 3 bytes";
    QTest::newRow("hex a.b") << "0x7f.1" << "127.0.0.1" << "a.b" << true << "0x7f is hexadecimal: 127";
    QTest::newRow("a.b.c") << "10.1.258" << "10.1.1.2" << "a.b.c" << true << "last 2 bytes";
    QTest::newRow("a") << "2130706433" << "127.0.0.1" << "a" << true << "whole 32-bit";
    QTest::newRow("hex a") << "0x7f000001" << "127.0.0.1" << "a" << true << "hexadecimal";
    QTest::newRow("octal part") << "010.0.0.1" << "8.0.0.1" << "a.b.c.d" << true << "010 is octal";
    QTest::newRow("trailing text after a space") << "1.2.3.4 junk" << "1.2.3.4" << "a.b.c.d" << true
                                                 << "ignored";
    QTest::newRow("256 in a byte") << "256.1.1.1" << "" << "" << false << "";
    QTest::newRow("five parts") << "1.2.3.4.5" << "" << "" << false << "";
    QTest::newRow("a.b overflow") << "1.16777216" << "" << "" << false << "";
    QTest::newRow("not a number") << "localhost" << "" << "" << false << "";
    QTest::newRow("octal digit 8") << "08.0.0.1" << "" << "" << false << "";
}

void tst_Converters::aton()
{
    QFETCH(QString, text);
    QFETCH(QString, dotted);
    QFETCH(QString, form);
    QFETCH(bool, legacy);
    QFETCH(QString, note);
    const auto r = Converters::inetAton(text);
    if (dotted.isEmpty()) {
        QVERIFY(!r.has_value());
        QCOMPARE(r.error().message(), QStringLiteral("illegal IP address string passed to inet_aton"));
        return;
    }
    QVERIFY(r.has_value());
    QCOMPARE(r->dotted, dotted);
    QCOMPARE(r->packed, *Converters::inetPton(AF_INET, dotted));
    QCOMPARE(r->form, form);
    QCOMPARE(r->legacy, legacy);
    if (!note.isEmpty())
        QVERIFY2(r->notes.join(u'\n').contains(note), qPrintable(r->notes.join(u'\n')));
}

void tst_Converters::atonMatchesPython()
{
    const QStringList texts = {u"127.0.0.1"_s, u"127.1"_s,      u"0x7f.1"_s,     u"10.1.258"_s,  u"2130706433"_s, u"0x7f000001"_s,
                               u"010.0.0.1"_s, u"1.2.3.4 x"_s,  u"256.1.1.1"_s,  u"1.2.3.4.5"_s, u"1.16777216"_s, u"localhost"_s,
                               u"08.0.0.1"_s,  u"0"_s,          u"0xffffffff"_s, u"1.0x10.3"_s,  u""_s,           u"1..2"_s};
    QString error;
    const QJsonArray python =
        runPython(QLatin1String(kAtonPy), QJsonDocument(QJsonArray::fromStringList(texts)).toJson(), &error).array();
    QVERIFY2(python.size() == texts.size(), qPrintable(error));
    for (qsizetype i = 0; i < texts.size(); ++i) {
        const auto ours = Converters::inetAton(texts[i]);
        const QJsonValue expected = python[i];
        if (expected.isObject()) {
            QVERIFY2(!ours.has_value(), qPrintable(texts[i]));
            QCOMPARE(ours.error().message(), expected.toObject().value(QStringLiteral("error")).toString());
        } else {
            QVERIFY2(ours.has_value(), qPrintable(texts[i]));
            QCOMPARE(ours->dotted, expected.toString());
        }
    }
}

void tst_Converters::ntoa()
{
    QCOMPARE(*Converters::inetNtoa(bytes("c0a80001")), QStringLiteral("192.168.0.1"));
    QVERIFY(!Converters::inetNtoa(bytes("c0a8000101")).has_value());
    QVERIFY(!Converters::inetNtoa({}).has_value());
}

void tst_Converters::byteOrder_data()
{
    QTest::addColumn<int>("call");
    QTest::addColumn<qint64>("value");
    QTest::addColumn<QByteArray>("bigEndian");
    QTest::newRow("htons 0x1234") << int(ByteOrderCall::Htons) << qint64(0x1234) << bytes("1234");
    QTest::newRow("ntohs 0x1234") << int(ByteOrderCall::Ntohs) << qint64(0x1234) << bytes("1234");
    QTest::newRow("htons port 80") << int(ByteOrderCall::Htons) << qint64(80) << bytes("0050");
    QTest::newRow("htonl 127.0.0.1") << int(ByteOrderCall::Htonl) << qint64(0x7f000001) << bytes("7f000001");
    QTest::newRow("ntohl 0x01020304") << int(ByteOrderCall::Ntohl) << qint64(0x01020304) << bytes("01020304");
    QTest::newRow("htonl max") << int(ByteOrderCall::Htonl) << qint64(0xffffffff) << bytes("ffffffff");
    QTest::newRow("htons 0") << int(ByteOrderCall::Htons) << qint64(0) << bytes("0000");
}

void tst_Converters::byteOrder()
{
    QFETCH(int, call);
    QFETCH(qint64, value);
    QFETCH(QByteArray, bigEndian);
    const auto r = Converters::byteOrder(ByteOrderCall(call), value);
    QVERIFY(r.has_value());
    QCOMPARE(r->width, bigEndian.size());
    QCOMPARE(qint64(r->input), value);
    QCOMPARE(r->inputBigEndian, bigEndian);

    // How this host stores the value, read straight from memory.
    const quint32 v32 = quint32(value);
    const quint16 v16 = quint16(value);
    const QByteArray inMemory = r->width == 2 ? QByteArray(reinterpret_cast<const char *>(&v16), 2)
                                              : QByteArray(reinterpret_cast<const char *>(&v32), 4);
    QCOMPARE(r->inputInMemory, inMemory);
    QCOMPARE(Converters::hostIsLittleEndian(), QSysInfo::ByteOrder == QSysInfo::LittleEndian);
    // The point of hton*: the result, stored by this host, lies in network order.
    if (ByteOrderCall(call) == ByteOrderCall::Htons || ByteOrderCall(call) == ByteOrderCall::Htonl)
        QCOMPARE(r->outputInMemory, bigEndian);
    // And each call is its own inverse.
    const auto twice = Converters::byteOrder(ByteOrderCall(call), r->output);
    QCOMPARE(twice->output, r->input);
}

void tst_Converters::byteOrderMatchesPython()
{
    const QList<std::pair<ByteOrderCall, qint64>> calls = {
        {ByteOrderCall::Htons, 0x1234}, {ByteOrderCall::Ntohs, 80},         {ByteOrderCall::Htonl, 0x7f000001},
        {ByteOrderCall::Ntohl, 1},      {ByteOrderCall::Htons, 65535},      {ByteOrderCall::Htonl, 0xdeadbeef},
    };
    QJsonArray request;
    for (const auto &[call, value] : calls)
        request.append(QJsonArray{Converters::callName(call), value});
    QString error;
    const QJsonArray python = runPython(QLatin1String(kByteOrderPy), QJsonDocument(request).toJson(), &error).array();
    QVERIFY2(python.size() == calls.size(), qPrintable(error));
    for (qsizetype i = 0; i < calls.size(); ++i)
        QCOMPARE(qint64(Converters::byteOrder(calls[i].first, calls[i].second)->output), python[i].toInteger());
}

void tst_Converters::byteOrderRange_data()
{
    QTest::addColumn<int>("call");
    QTest::addColumn<qint64>("value");
    QTest::newRow("htons 65536") << int(ByteOrderCall::Htons) << qint64(65536);
    QTest::newRow("ntohs -1") << int(ByteOrderCall::Ntohs) << qint64(-1);
    QTest::newRow("htonl 2^32") << int(ByteOrderCall::Htonl) << (qint64(1) << 32);
    QTest::newRow("ntohl -1") << int(ByteOrderCall::Ntohl) << qint64(-1);
}

void tst_Converters::byteOrderRange()
{
    QFETCH(int, call);
    QFETCH(qint64, value);
    const auto r = Converters::byteOrder(ByteOrderCall(call), value);
    QVERIFY(!r.has_value());
    QCOMPARE(r.error().field(), QStringLiteral("value"));
    QVERIFY(r.error().message().contains(Converters::callName(ByteOrderCall(call))));
}

QTEST_GUILESS_MAIN(tst_Converters)
#include "tst_converters.moc"
