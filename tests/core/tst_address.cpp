#include "net/address.h"

#include <QTest>

#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/un.h>

using sockscope::core::Address;
using sockscope::core::SysError;

class tst_Address : public QObject
{
    Q_OBJECT
private slots:
    void parseAndFormat_data();
    void parseAndFormat();
    void scopedLinkLocal();
    void unixAddresses_data();
    void unixAddresses();
    void parsePortAccepts_data();
    void parsePortAccepts();
    void parsePortRejects_data();
    void parsePortRejects();
    void parseRejects_data();
    void parseRejects();
    void sockaddrRoundTripAndHelpers();
};

void tst_Address::parseAndFormat_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("family");
    QTest::addColumn<QString>("host");
    QTest::addColumn<int>("port");
    QTest::addColumn<QString>("formatted");
    QTest::addColumn<QString>("python");
    QTest::newRow("v4") << "127.0.0.1:8080" << AF_INET << "127.0.0.1" << 8080 << "127.0.0.1:8080"
                        << R"(("127.0.0.1", 8080))";
    QTest::newRow("v4 port 0, spaces") << "  10.1.2.3:0 " << AF_INET << "10.1.2.3" << 0 << "10.1.2.3:0"
                                       << R"(("10.1.2.3", 0))";
    QTest::newRow("v4 max port") << "0.0.0.0:65535" << AF_INET << "0.0.0.0" << 65535 << "0.0.0.0:65535"
                                 << R"(("0.0.0.0", 65535))";
    QTest::newRow("v6 loopback") << "[::1]:80" << AF_INET6 << "::1" << 80 << "[::1]:80" << R"(("::1", 80, 0, 0))";
    QTest::newRow("v6 long form is canonicalised")
        << "[2001:db8:0:0:0:0:0:1]:443" << AF_INET6 << "2001:db8::1" << 443 << "[2001:db8::1]:443"
        << R"(("2001:db8::1", 443, 0, 0))";
    QTest::newRow("v4-mapped v6") << "[::ffff:127.0.0.1]:7" << AF_INET6 << "::ffff:127.0.0.1" << 7
                                  << "[::ffff:127.0.0.1]:7" << R"(("::ffff:127.0.0.1", 7, 0, 0))";
}

void tst_Address::parseAndFormat()
{
    QFETCH(QString, text);
    QFETCH(int, family);
    QFETCH(QString, host);
    QFETCH(int, port);
    QFETCH(QString, formatted);
    QFETCH(QString, python);

    auto a = Address::parse(text);
    QVERIFY2(a, qPrintable(a ? QString() : a.error().toString()));
    QCOMPARE(a->family(), family);
    QCOMPARE(a->host(), host);
    QCOMPARE(int(a->port()), port);
    QCOMPARE(a->toString(), formatted);
    QCOMPARE(a->toPython(), python);
    QCOMPARE(a->size(), socklen_t(family == AF_INET ? sizeof(sockaddr_in) : sizeof(sockaddr_in6)));

    // Formatting then parsing gives the same bytes back.
    auto again = Address::parse(a->toString());
    QVERIFY(again);
    QVERIFY(*again == *a);
    // Address::ip() with the same host and port agrees with parse().
    auto direct = Address::ip(host, quint16(port));
    QVERIFY(direct);
    QVERIFY(*direct == *a);
}

void tst_Address::scopedLinkLocal()
{
    const unsigned lo = if_nametoindex("lo");
    QVERIFY(lo > 0);

    auto named = Address::ip(u"fe80::1%lo", 9);
    QVERIFY2(named, qPrintable(named ? QString() : named.error().toString()));
    QCOMPARE(named->family(), AF_INET6);
    QCOMPARE(named->scopeId(), quint32(lo));
    QCOMPARE(named->host(), QStringLiteral("fe80::1%lo"));
    QCOMPARE(named->toString(), QStringLiteral("[fe80::1%lo]:9"));
    QCOMPARE(named->toPython(), QStringLiteral(R"(("fe80::1%lo", 9, 0, %1))").arg(lo));

    auto bracketed = Address::parse(u"[fe80::1%lo]:9");
    QVERIFY(bracketed);
    QVERIFY(*bracketed == *named);

    // A numeric scope is the interface index itself.
    auto numeric = Address::ip(QStringLiteral("fe80::1%%1").arg(lo), 9);
    QVERIFY(numeric);
    QVERIFY(*numeric == *named);

    auto unknown = Address::ip(u"fe80::1%no-such-if0", 9);
    QVERIFY(!unknown);
    QCOMPARE(unknown.error().domain(), SysError::Domain::Input);
    QCOMPARE(unknown.error().field(), QStringLiteral("scope"));
}

void tst_Address::unixAddresses_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("abstract");
    QTest::addColumn<QString>("python");
    QTest::addColumn<int>("size");
    const int base = int(offsetof(sockaddr_un, sun_path));
    QTest::newRow("path") << "/tmp/sockscope.sock" << false << R"("/tmp/sockscope.sock")" << base + 20;
    QTest::newRow("relative path") << "./s" << false << R"("./s")" << base + 4;
    // Abstract names have no terminating NUL: the length is part of the name.
    QTest::newRow("abstract") << "@sockscope" << true << R"("\0sockscope")" << base + 10;
}

void tst_Address::unixAddresses()
{
    QFETCH(QString, text);
    QFETCH(bool, abstract);
    QFETCH(QString, python);
    QFETCH(int, size);

    auto a = Address::parse(text);
    QVERIFY2(a, qPrintable(a ? QString() : a.error().toString()));
    QCOMPARE(a->family(), AF_UNIX);
    QCOMPARE(a->isAbstract(), abstract);
    QCOMPARE(a->host(), text);
    QCOMPARE(a->toString(), text);
    QCOMPARE(a->toPython(), python);
    QCOMPARE(int(a->size()), size);
    QCOMPARE(a->port(), quint16(0));
    const auto *sun = reinterpret_cast<const sockaddr_un *>(a->data());
    if (abstract)
        QCOMPARE(sun->sun_path[0], '\0');
    else
        QCOMPARE(QByteArray(sun->sun_path), text.toLocal8Bit());
}

void tst_Address::parsePortAccepts_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("port");
    QTest::newRow("zero") << "0" << 0;
    QTest::newRow("http") << "80" << 80;
    QTest::newRow("max") << "65535" << 65535;
    QTest::newRow("surrounding spaces") << " 443 " << 443;
}

void tst_Address::parsePortAccepts()
{
    QFETCH(QString, text);
    QFETCH(int, port);
    auto p = Address::parsePort(text);
    QVERIFY(p);
    QCOMPARE(int(*p), port);
}

void tst_Address::parsePortRejects_data()
{
    QTest::addColumn<QString>("text");
    QTest::newRow("negative") << "-1";
    QTest::newRow("one too big") << "65536";
    QTest::newRow("way too big") << "70000";
    QTest::newRow("not a number") << "abc";
    QTest::newRow("trailing junk") << "80x";
    QTest::newRow("empty") << "";
    QTest::newRow("blank") << "   ";
}

void tst_Address::parsePortRejects()
{
    QFETCH(QString, text);
    auto p = Address::parsePort(text);
    QVERIFY(!p);
    QCOMPARE(p.error().domain(), SysError::Domain::Input);
    QCOMPARE(p.error().field(), QStringLiteral("port"));
    QVERIFY2(p.error().toString().startsWith(QLatin1String("port: ")), qPrintable(p.error().toString()));
    QVERIFY(p.error().message().contains(QLatin1String("0 to 65535")));

    // The same rule applies inside a host:port.
    auto a = Address::parse(QStringLiteral("127.0.0.1:") + text);
    QVERIFY(!a);
    QCOMPARE(a.error().field(), QStringLiteral("port"));
}

void tst_Address::parseRejects_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("field");
    QTest::newRow("no port") << "127.0.0.1" << "address";
    QTest::newRow("bare v6 without brackets") << "::1:80" << "address";
    QTest::newRow("v6 bracket not closed") << "[::1:80" << "address";
    QTest::newRow("v6 no port after bracket") << "[::1]" << "address";
    QTest::newRow("name, not numeric") << "localhost:80" << "host";
    QTest::newRow("bad v4") << "256.1.1.1:80" << "host";
    QTest::newRow("empty host") << ":80" << "host";
    QTest::newRow("unix path too long") << QStringLiteral("/") + QString(200, u'x') << "path";
}

void tst_Address::parseRejects()
{
    QFETCH(QString, text);
    QFETCH(QString, field);
    auto a = Address::parse(text);
    QVERIFY(!a);
    QCOMPARE(a.error().domain(), SysError::Domain::Input);
    QCOMPARE(a.error().field(), field);
    QVERIFY(!a.error().message().isEmpty());
}

void tst_Address::sockaddrRoundTripAndHelpers()
{
    sockaddr_in6 raw{};
    raw.sin6_family = AF_INET6;
    raw.sin6_port = htons(5555);
    raw.sin6_flowinfo = htonl(7);
    raw.sin6_addr = in6addr_loopback;
    const Address a = Address::fromSockaddr(reinterpret_cast<sockaddr *>(&raw), sizeof raw);
    QCOMPARE(a.port(), quint16(5555));
    QCOMPARE(a.flowInfo(), quint32(7));
    QCOMPARE(a.toPython(), QStringLiteral(R"(("::1", 5555, 7, 0))"));
    QVERIFY(!Address::fromSockaddr(nullptr, 0).isValid());
    QCOMPARE(Address().toString(), QStringLiteral("(none)"));

    Address v4 = Address::loopback(AF_INET);
    QCOMPARE(v4.toString(), QStringLiteral("127.0.0.1:0"));
    v4.setPort(1234);
    QCOMPARE(v4.port(), quint16(1234));
    QVERIFY(!v4.isWildcard());
    QVERIFY(Address::any(AF_INET).isWildcard());
    QVERIFY(Address::any(AF_INET6, 7).isWildcard());
    QVERIFY(Address::loopback(AF_INET).isLoopback());
    QVERIFY(Address::loopback(AF_INET6).isLoopback());
    QVERIFY(Address::parse(u"127.255.0.1:1")->isLoopback());
    QVERIFY(Address::parse(u"[::ffff:127.0.0.1]:1")->isLoopback());
    QVERIFY(!Address::parse(u"128.0.0.1:1")->isLoopback());
    QVERIFY(!Address::parse(u"[::2]:1")->isLoopback());
    QVERIFY(!Address::any(AF_INET).isLoopback());
    QVERIFY(!Address::unixPath(u"/tmp/x")->isLoopback());
    QCOMPARE(Address::any(AF_INET6, 7).toString(), QStringLiteral("[::]:7"));
    QCOMPARE(Address::loopback(AF_INET6, 1).toString(), QStringLiteral("[::1]:1"));
    QVERIFY(!(Address::loopback(AF_INET, 1) == Address::loopback(AF_INET, 2)));

    QCOMPARE(sockscope::core::familyName(AF_INET6), QStringLiteral("AF_INET6"));
    QCOMPARE(sockscope::core::socketTypeName(SOCK_DGRAM | SOCK_NONBLOCK), QStringLiteral("SOCK_DGRAM"));
}

QTEST_GUILESS_MAIN(tst_Address)
#include "tst_address.moc"
