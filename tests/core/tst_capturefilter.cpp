// CaptureFilter: the helper's command line is validated field by field and the BPF text
// is built from typed values only, so text that tries to smuggle filter syntax (or a
// second option) into the privileged helper is refused.

#include "observe/capturefilter.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace sockscope::core;

class tst_CaptureFilter : public QObject
{
    Q_OBJECT
private slots:
    void accepted_data();
    void accepted();
    void refused_data();
    void refused();
    void forPort();
    void interfaceFor_data();
    void interfaceFor();
    void limits();
};

void tst_CaptureFilter::accepted_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("bpf");
    QTest::addColumn<QString>("interfaceName");

    QTest::newRow("port") << QStringList{u"--port"_s, u"5000"_s} << "tcp and port 5000" << "lo";
    QTest::newRow("two ports") << QStringList{u"--port"_s, u"5000"_s, u"--port"_s, u"41234"_s} << "tcp and port 5000 and port 41234" << "lo";
    QTest::newRow("IPv4 host") << QStringList{u"--port"_s, u"80"_s, u"--host"_s, u"127.0.0.1"_s} << "tcp and port 80 and ip host 127.0.0.1" << "lo";
    QTest::newRow("IPv6 host, written long") << QStringList{u"--port"_s, u"80"_s, u"--host"_s, u"0:0:0:0:0:0:0:1"_s} << "tcp and port 80 and ip6 host ::1" << "lo";
    // BPF matches the address bytes; the scope only picks the interface.
    QTest::newRow("IPv6 host with scope") << QStringList{u"--port"_s, u"80"_s, u"--host"_s, u"fe80::1%1"_s} << "tcp and port 80 and ip6 host fe80::1" << "lo";
    QTest::newRow("interface any") << QStringList{u"--interface"_s, u"any"_s, u"--port"_s, u"22"_s} << "tcp and port 22" << "any";
    QTest::newRow("port with spaces") << QStringList{u"--port"_s, u" 443 "_s} << "tcp and port 443" << "lo";
    QTest::newRow("snaplen and count") << QStringList{u"--port"_s, u"1"_s, u"--snaplen"_s, u"128"_s, u"--count"_s, u"10"_s} << "tcp and port 1" << "lo";
}

void tst_CaptureFilter::accepted()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, bpf);
    QFETCH(QString, interfaceName);

    const auto f = CaptureFilter::fromArguments(arguments);
    QVERIFY2(f, f ? "" : qPrintable(f.error().detail()));
    QCOMPARE(f->bpf(), bpf);
    QCOMPARE(f->interfaceName(), interfaceName);
    // What the core passes to the helper reads back the same.
    const auto again = CaptureFilter::fromArguments(f->arguments());
    QVERIFY(again);
    QCOMPARE(again->bpf(), bpf);
    QCOMPARE(again->arguments(), f->arguments());
    QCOMPARE(again->snaplen(), f->snaplen());
    QCOMPARE(again->count(), f->count());
}

void tst_CaptureFilter::refused_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("field");

    QTest::newRow("no port") << QStringList{u"--host"_s, u"127.0.0.1"_s} << "port";
    QTest::newRow("port 0") << QStringList{u"--port"_s, u"0"_s} << "port";
    QTest::newRow("port too big") << QStringList{u"--port"_s, u"65536"_s} << "port";
    QTest::newRow("filter syntax in the port") << QStringList{u"--port"_s, u"5000 or port 22"_s} << "port";
    QTest::newRow("filter syntax in the host") << QStringList{u"--port"_s, u"1"_s, u"--host"_s, u"127.0.0.1 or tcp"_s} << "host";
    QTest::newRow("a name, not an address") << QStringList{u"--port"_s, u"1"_s, u"--host"_s, u"localhost"_s} << "host";
    QTest::newRow("three ports") << QStringList{u"--port"_s, u"1"_s, u"--port"_s, u"2"_s, u"--port"_s, u"3"_s} << "port";
    QTest::newRow("three hosts") << QStringList{u"--port"_s, u"1"_s, u"--host"_s, u"::1"_s, u"--host"_s, u"::1"_s, u"--host"_s, u"::1"_s} << "host";
    QTest::newRow("interface with a space") << QStringList{u"--interface"_s, u"lo or"_s, u"--port"_s, u"1"_s} << "interface";
    QTest::newRow("interface with a slash") << QStringList{u"--interface"_s, u"../x"_s, u"--port"_s, u"1"_s} << "interface";
    QTest::newRow("interface too long") << QStringList{u"--interface"_s, u"abcdefghijklmnop"_s, u"--port"_s, u"1"_s} << "interface";
    QTest::newRow("empty interface") << QStringList{u"--interface"_s, u""_s, u"--port"_s, u"1"_s} << "interface";
    QTest::newRow("snaplen too small") << QStringList{u"--port"_s, u"1"_s, u"--snaplen"_s, u"40"_s} << "snaplen";
    QTest::newRow("snaplen not a number") << QStringList{u"--port"_s, u"1"_s, u"--snaplen"_s, u"big"_s} << "snaplen";
    QTest::newRow("negative count") << QStringList{u"--port"_s, u"1"_s, u"--count"_s, u"-1"_s} << "count";
    QTest::newRow("unknown option") << QStringList{u"--port"_s, u"1"_s, u"--filter"_s, u"tcp"_s} << "arguments";
    QTest::newRow("option without value") << QStringList{u"--port"_s} << "arguments";
}

void tst_CaptureFilter::refused()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, field);

    const auto f = CaptureFilter::fromArguments(arguments);
    QVERIFY(!f);
    QCOMPARE(f.error().domain(), SysError::Domain::Input);
    QCOMPARE(f.error().field(), field);
    QVERIFY(!f.error().detail().isEmpty());
}

void tst_CaptureFilter::forPort()
{
    QCOMPARE(CaptureFilter::forPort(5000)->arguments(), (QStringList{u"--interface"_s, u"lo"_s, u"--port"_s, u"5000"_s}));
    QVERIFY(!CaptureFilter::forPort(0));
}

void tst_CaptureFilter::limits()
{
    CaptureFilter f;
    QVERIFY(f.setSnaplen(CaptureFilter::kMinSnaplen));
    QVERIFY(f.setSnaplen(CaptureFilter::kDefaultSnaplen));
    QVERIFY(!f.setSnaplen(CaptureFilter::kDefaultSnaplen + 1));
    QVERIFY(!f.addHost(*Address::unixPath(u"/tmp/x")));
    QVERIFY(f.setInterface(u"eth0.100"));
    QVERIFY(f.setInterface(u"abcdefghijklmno")); // 15 bytes: IFNAMSIZ - 1
}

// Which interface a connection's packets cross (only addresses are compared; nothing is
// sent): loopback and this host's own address go through lo, anything else through "any".
void tst_CaptureFilter::interfaceFor_data()
{
    QTest::addColumn<QString>("local");
    QTest::addColumn<QString>("peer"); // empty: no peer (a listener)
    QTest::addColumn<QString>("expected");
    QTest::newRow("IPv4 loopback") << "127.0.0.1:40000" << "127.0.0.1:5000" << "lo";
    QTest::newRow("127/8") << "127.0.0.1:40000" << "127.1.2.3:5000" << "lo";
    QTest::newRow("IPv6 loopback") << "[::1]:40000" << "[::1]:5000" << "lo";
    QTest::newRow("v4-mapped loopback") << "[::ffff:127.0.0.1]:40000" << "[::ffff:127.0.0.1]:5000" << "lo";
    QTest::newRow("own address") << "192.0.2.7:40000" << "192.0.2.7:5000" << "lo";
    QTest::newRow("another host") << "192.0.2.7:40000" << "198.51.100.1:80" << "any";
    QTest::newRow("IPv6 another host") << "[2001:db8::7]:40000" << "[2001:db8::1]:80" << "any";
    QTest::newRow("loopback listener") << "127.0.0.1:5000" << "" << "lo";
    QTest::newRow("wildcard listener") << "0.0.0.0:5000" << "" << "any";
    QTest::newRow("wildcard peer") << "[::1]:5000" << "[::]:0" << "lo";
}

void tst_CaptureFilter::interfaceFor()
{
    QFETCH(QString, local);
    QFETCH(QString, peer);
    QFETCH(QString, expected);
    const std::optional<Address> peerAddress = peer.isEmpty() ? std::nullopt : std::optional<Address>(*Address::parse(peer));
    QCOMPARE(CaptureFilter::interfaceFor(*Address::parse(local), peerAddress), expected);
    // Every answer is a name the helper takes.
    CaptureFilter f;
    QVERIFY(f.setInterface(expected));
}

QTEST_GUILESS_MAIN(tst_CaptureFilter)
#include "tst_capturefilter.moc"
