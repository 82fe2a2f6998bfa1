// Resolver against the documented behaviour of glibc and, where the answer depends on
// this machine's files (/etc/hosts, /etc/services, /etc/protocols), against python3 run
// in the same test. Lookups stay on this machine: names only where /etc/hosts has them.

#include "../common/lookuptestsupport.h"

#include "net/resolver.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

#include <functional>
#include <net/if.h>

using namespace sockscope::core;
using sockscope::tests::hostsFileHas;
using sockscope::tests::hostsFileNames;
using sockscope::tests::runPython;

namespace {

QJsonValue hostEntJson(const HostEnt &h)
{
    return QJsonArray{h.name, QJsonArray::fromStringList(h.aliases), QJsonArray::fromStringList(h.addresses)};
}

template<typename T>
QJsonValue orError(const std::expected<T, SysError> &result, const std::function<QJsonValue(const T &)> &toJson)
{
    if (!result)
        return QJsonObject{{QStringLiteral("error"), result.error().message()}};
    return toJson(*result);
}

// One call made by us and by Python: `python` is an expression evaluated with `socket`
// imported; errors come back as {"error": str(exception)}.
struct DbCase
{
    const char *tag;
    const char *python;
    std::function<QJsonValue()> ours;
    std::function<bool()> staysLocal = [] { return true; };
};

QList<DbCase> dbCases()
{
    const auto localhostInHosts = [] { return hostsFileHas(QStringLiteral("localhost"), AF_UNSPEC); };
    const auto localhostV4InHosts = [] { return hostsFileHas(QStringLiteral("localhost"), AF_INET); };
    const auto loopbackNamed = [] { return hostsFileNames(QStringLiteral("127.0.0.1")); };
    const auto hostnameInHosts = [] {
        return hostsFileHas(Resolver::gethostname().value_or(QString()), AF_UNSPEC);
    };
    return {
        {"gethostname", "socket.gethostname()", [] { return QJsonValue(*Resolver::gethostname()); }},
        {"getfqdn()", "socket.getfqdn()", [] { return QJsonValue(Resolver::getfqdn()); }, hostnameInHosts},
        {"getfqdn('localhost')", "socket.getfqdn('localhost')",
         [] { return QJsonValue(Resolver::getfqdn(QStringLiteral("localhost"))); }, localhostInHosts},
        {"getfqdn('127.0.0.1')", "socket.getfqdn('127.0.0.1')",
         [] { return QJsonValue(Resolver::getfqdn(QStringLiteral("127.0.0.1"))); }, loopbackNamed},
        {"gethostbyname_ex('localhost')", "socket.gethostbyname_ex('localhost')",
         [] { return orError<HostEnt>(Resolver::gethostbyname_ex(QStringLiteral("localhost")), hostEntJson); },
         localhostV4InHosts},
        {"gethostbyname_ex('127.0.0.1')", "socket.gethostbyname_ex('127.0.0.1')",
         [] { return orError<HostEnt>(Resolver::gethostbyname_ex(QStringLiteral("127.0.0.1")), hostEntJson); }},
        {"gethostbyaddr('127.0.0.1')", "socket.gethostbyaddr('127.0.0.1')",
         [] { return orError<HostEnt>(Resolver::gethostbyaddr(QStringLiteral("127.0.0.1")), hostEntJson); },
         loopbackNamed},
        {"getservbyname('http', 'tcp')", "socket.getservbyname('http', 'tcp')",
         [] {
             return orError<ServEnt>(Resolver::getservbyname(QStringLiteral("http"), QStringLiteral("tcp")),
                                     [](const ServEnt &s) { return QJsonValue(s.port); });
         }},
        {"getservbyname('domain')", "socket.getservbyname('domain')",
         [] {
             return orError<ServEnt>(Resolver::getservbyname(QStringLiteral("domain")),
                                     [](const ServEnt &s) { return QJsonValue(s.port); });
         }},
        {"getservbyname('www') (alias)", "socket.getservbyname('www')",
         [] {
             return orError<ServEnt>(Resolver::getservbyname(QStringLiteral("www")),
                                     [](const ServEnt &s) { return QJsonValue(s.port); });
         }},
        {"getservbyname unknown", "socket.getservbyname('no-such-service', 'tcp')",
         [] {
             return orError<ServEnt>(Resolver::getservbyname(QStringLiteral("no-such-service"), QStringLiteral("tcp")),
                                     [](const ServEnt &s) { return QJsonValue(s.port); });
         }},
        {"getservbyport(53, 'udp')", "socket.getservbyport(53, 'udp')",
         [] {
             return orError<ServEnt>(Resolver::getservbyport(53, QStringLiteral("udp")),
                                     [](const ServEnt &s) { return QJsonValue(s.name); });
         }},
        {"getservbyport(22)", "socket.getservbyport(22)",
         [] {
             return orError<ServEnt>(Resolver::getservbyport(22),
                                     [](const ServEnt &s) { return QJsonValue(s.name); });
         }},
        {"getservbyport unknown", "socket.getservbyport(1, 'udp')",
         [] {
             return orError<ServEnt>(Resolver::getservbyport(1, QStringLiteral("udp")),
                                     [](const ServEnt &s) { return QJsonValue(s.name); });
         }},
        {"getprotobyname('tcp')", "socket.getprotobyname('tcp')",
         [] {
             return orError<ProtoEnt>(Resolver::getprotobyname(QStringLiteral("tcp")),
                                      [](const ProtoEnt &p) { return QJsonValue(p.number); });
         }},
        {"getprotobyname('ipv6-icmp')", "socket.getprotobyname('ipv6-icmp')",
         [] {
             return orError<ProtoEnt>(Resolver::getprotobyname(QStringLiteral("ipv6-icmp")),
                                      [](const ProtoEnt &p) { return QJsonValue(p.number); });
         }},
        {"getprotobyname unknown", "socket.getprotobyname('no-such-protocol')",
         [] {
             return orError<ProtoEnt>(Resolver::getprotobyname(QStringLiteral("no-such-protocol")),
                                      [](const ProtoEnt &p) { return QJsonValue(p.number); });
         }},
    };
}

const char kEvalPy[] = R"PY(
import json, socket, sys
def run(expr):
    try:
        v = eval(expr)
    except OSError as e:
        return {'error': str(e)}
    return list(v) if isinstance(v, tuple) else v
print(json.dumps([run(e) for e in json.load(sys.stdin)]))
)PY";

// The Python spelling of a lookup, run by Python: rows as [family, type, proto, host, port].
const char kRunCallPy[] = R"PY(
import json, socket, sys
def run(expr):
    try:
        return [[int(f), int(t), p, sa[0], sa[1]] for f, t, p, c, sa in eval(expr)]
    except socket.gaierror as e:
        return {'error': e.errno}
print(json.dumps([run(e) for e in json.load(sys.stdin)]))
)PY";

} // namespace

class tst_Resolver : public QObject
{
    Q_OBJECT
private slots:
    void numericRows_data();
    void numericRows();
    void documentedErrors_data();
    void documentedErrors();
    void passiveNullHost_data();
    void passiveNullHost();
    void v4MappedAndScoped();
    void canonicalName();
    void nameinfo_data();
    void nameinfo();
    void databaseCallsMatchPython_data();
    void databaseCallsMatchPython();
    void pythonSpellingRunsTheSameLookup_data();
    void pythonSpellingRunsTheSameLookup();
    void pythonNameinfoSpelling();
    void flagTable();
    void parseFlags_data();
    void parseFlags();
    void legacyErrorsAreNamed();
};

void tst_Resolver::numericRows_data()
{
    QTest::addColumn<QString>("host");
    QTest::addColumn<int>("family");
    QTest::addColumn<int>("socktype");
    QTest::addColumn<int>("protocol");
    QTest::newRow("IPv4 stream") << "127.0.0.1" << AF_INET << int(SOCK_STREAM) << int(IPPROTO_TCP);
    QTest::newRow("IPv4 dgram") << "127.0.0.1" << AF_INET << int(SOCK_DGRAM) << int(IPPROTO_UDP);
    QTest::newRow("IPv6 stream") << "::1" << AF_INET6 << int(SOCK_STREAM) << int(IPPROTO_TCP);
    QTest::newRow("IPv6 dgram") << "::1" << AF_INET6 << int(SOCK_DGRAM) << int(IPPROTO_UDP);
}

void tst_Resolver::numericRows()
{
    QFETCH(QString, host);
    QFETCH(int, family);
    QFETCH(int, socktype);
    QFETCH(int, protocol);

    const auto rows = Resolver::getaddrinfo(host, QStringLiteral("8080"), {AF_UNSPEC, socktype, 0, AI_NUMERICHOST});
    QVERIFY2(rows.has_value(), qPrintable(rows.error().toString()));
    QCOMPARE(rows->size(), 1);
    const AddrInfo &row = rows->first();
    QCOMPARE(row.family, family);
    QCOMPARE(row.socktype, socktype);
    QCOMPARE(row.protocol, protocol);
    QVERIFY(row.canonname.isEmpty());
    QCOMPARE(row.address, *Address::ip(host, 8080));

    // With no socket type, one row per type, each with its protocol.
    const auto all = Resolver::getaddrinfo(host, QStringLiteral("8080"), {AF_UNSPEC, 0, 0, AI_NUMERICHOST});
    QVERIFY(all.has_value());
    QVERIFY(all->size() >= 2);
    QSet<int> types;
    for (const AddrInfo &r : *all) {
        QCOMPARE(r.address, *Address::ip(host, 8080));
        types.insert(r.socktype);
    }
    QVERIFY(types.contains(SOCK_STREAM) && types.contains(SOCK_DGRAM));
}

void tst_Resolver::documentedErrors_data()
{
    QTest::addColumn<QString>("host");
    QTest::addColumn<QString>("service");
    QTest::addColumn<int>("family");
    QTest::addColumn<int>("socktype");
    QTest::addColumn<int>("protocol");
    QTest::addColumn<int>("flags");
    QTest::addColumn<QString>("name");
    const QString null;
    QTest::newRow("null host and service") << null << null << AF_UNSPEC << 0 << 0 << 0 << "EAI_NONAME";
    QTest::newRow("256.1.1.1 numeric") << "256.1.1.1" << "80" << AF_UNSPEC << 0 << 0 << AI_NUMERICHOST << "EAI_NONAME";
    QTest::newRow("::g numeric") << "::g" << "80" << AF_UNSPEC << 0 << 0 << AI_NUMERICHOST << "EAI_NONAME";
    QTest::newRow("name with AI_NUMERICHOST") << "localhost" << "80" << AF_UNSPEC << 0 << 0 << AI_NUMERICHOST
                                              << "EAI_NONAME";
    QTest::newRow("service name with AI_NUMERICSERV") << "127.0.0.1" << "http" << AF_UNSPEC << 0 << 0
                                                      << AI_NUMERICSERV << "EAI_NONAME";
    QTest::newRow("unknown service") << "127.0.0.1" << "no-such-service" << AF_UNSPEC << 0 << 0 << 0
                                     << "EAI_SERVICE";
    QTest::newRow("AI_CANONNAME with null host") << null << "80" << AF_UNSPEC << 0 << 0 << AI_CANONNAME
                                                 << "EAI_BADFLAGS";
    QTest::newRow("unknown flag bit") << "127.0.0.1" << "80" << AF_UNSPEC << 0 << 0 << 0x10000 << "EAI_BADFLAGS";
    QTest::newRow("AF_UNIX") << "127.0.0.1" << "80" << int(AF_UNIX) << 0 << 0 << 0 << "EAI_FAMILY";
    QTest::newRow("unknown socktype") << "127.0.0.1" << "80" << AF_UNSPEC << 99 << 0 << 0 << "EAI_SOCKTYPE";
    QTest::newRow("SOCK_RAW with a service") << "127.0.0.1" << "80" << AF_INET << int(SOCK_RAW) << 0 << 0
                                             << "EAI_SERVICE";
    QTest::newRow("SOCK_DGRAM with IPPROTO_TCP") << "127.0.0.1" << "80" << AF_INET << int(SOCK_DGRAM)
                                                 << int(IPPROTO_TCP) << 0 << "EAI_SOCKTYPE";
}

void tst_Resolver::documentedErrors()
{
    QFETCH(QString, host);
    QFETCH(QString, service);
    QFETCH(int, family);
    QFETCH(int, socktype);
    QFETCH(int, protocol);
    QFETCH(int, flags);
    QFETCH(QString, name);
    const auto opt = [](const QString &s) { return s.isNull() ? std::nullopt : std::optional<QString>(s); };
    const auto rows = Resolver::getaddrinfo(opt(host), opt(service), {family, socktype, protocol, flags});
    QVERIFY(!rows.has_value());
    QCOMPARE(rows.error().domain(), SysError::Domain::Gai);
    QCOMPARE(rows.error().name(), name);
    QCOMPARE(rows.error().message(), QString::fromLocal8Bit(gai_strerror(rows.error().code())));
}

void tst_Resolver::passiveNullHost_data()
{
    QTest::addColumn<int>("flags");
    QTest::addColumn<bool>("wildcard");
    QTest::newRow("AI_PASSIVE: wildcard, to bind") << AI_PASSIVE << true;
    QTest::newRow("no AI_PASSIVE: loopback, to connect") << 0 << false;
}

void tst_Resolver::passiveNullHost()
{
    QFETCH(int, flags);
    QFETCH(bool, wildcard);
    const auto rows = Resolver::getaddrinfo(std::nullopt, QStringLiteral("5000"), {AF_UNSPEC, SOCK_STREAM, 0, flags});
    QVERIFY(rows.has_value());
    QVERIFY(!rows->isEmpty());
    for (const AddrInfo &row : *rows) {
        QCOMPARE(row.address.port(), quint16(5000));
        QCOMPARE(row.address.isWildcard(), wildcard);
        if (!wildcard)
            QCOMPARE(row.address, Address::loopback(row.family, 5000));
    }
}

void tst_Resolver::v4MappedAndScoped()
{
    const auto mapped = Resolver::getaddrinfo(QStringLiteral("127.0.0.1"), QStringLiteral("80"),
                                              {AF_INET6, SOCK_STREAM, 0, AI_V4MAPPED});
    QVERIFY(mapped.has_value());
    QCOMPARE(mapped->size(), 1);
    QCOMPARE(mapped->first().address.host(), QStringLiteral("::ffff:127.0.0.1"));

    const auto unmapped = Resolver::getaddrinfo(QStringLiteral("127.0.0.1"), QStringLiteral("80"),
                                                {AF_INET6, SOCK_STREAM, 0, 0});
    QVERIFY(!unmapped.has_value());

    const auto scoped = Resolver::getaddrinfo(QStringLiteral("fe80::1%lo"), QStringLiteral("22"),
                                              {AF_UNSPEC, SOCK_STREAM, 0, AI_NUMERICHOST});
    QVERIFY(scoped.has_value());
    QCOMPARE(scoped->first().address.scopeId(), quint32(if_nametoindex("lo")));
    QCOMPARE(scoped->first().address.host(), QStringLiteral("fe80::1%lo"));
}

void tst_Resolver::canonicalName()
{
    const auto rows = Resolver::getaddrinfo(QStringLiteral("127.0.0.1"), std::nullopt,
                                            {AF_UNSPEC, SOCK_STREAM, 0, AI_CANONNAME | AI_NUMERICHOST});
    QVERIFY(rows.has_value());
    QCOMPARE(rows->first().canonname, QStringLiteral("127.0.0.1"));
}

void tst_Resolver::nameinfo_data()
{
    QTest::addColumn<QString>("address");
    QTest::addColumn<int>("port");
    QTest::addColumn<int>("flags");
    QTest::addColumn<QString>("host"); // empty: expect the error below
    QTest::addColumn<QString>("service");
    QTest::addColumn<QString>("error");
    const QString http = Resolver::getservbyport(80, QStringLiteral("tcp"))->name;
    const QString domainUdp = Resolver::getservbyport(53, QStringLiteral("udp"))->name;
    const int numeric = NI_NUMERICHOST | NI_NUMERICSERV;
    QTest::newRow("IPv4 numeric") << "127.0.0.1" << 80 << numeric << "127.0.0.1" << "80" << "";
    QTest::newRow("IPv6 numeric") << "::1" << 80 << numeric << "::1" << "80" << "";
    QTest::newRow("IPv4 service name") << "127.0.0.1" << 80 << int(NI_NUMERICHOST) << "127.0.0.1" << http << "";
    QTest::newRow("IPv6 NI_DGRAM") << "::1" << 53 << (NI_NUMERICHOST | NI_DGRAM) << "::1" << domainUdp << "";
    QTest::newRow("scoped") << "fe80::1%lo" << 0 << numeric << "fe80::1%lo" << "0" << "";
    QTest::newRow("a name is not numeric") << "localhost" << 80 << 0 << "" << "" << "EAI_NONAME";
    QTest::newRow("unknown flag bit") << "127.0.0.1" << 80 << 0x1000 << "" << "" << "EAI_BADFLAGS";
}

void tst_Resolver::nameinfo()
{
    QFETCH(QString, address);
    QFETCH(int, port);
    QFETCH(int, flags);
    QFETCH(QString, host);
    QFETCH(QString, service);
    QFETCH(QString, error);
    const auto info = Resolver::getnameinfo(address, quint16(port), flags);
    if (!error.isEmpty()) {
        QVERIFY(!info.has_value());
        QCOMPARE(info.error().name(), error);
        return;
    }
    QVERIFY2(info.has_value(), qPrintable(info.error().toString()));
    QCOMPARE(info->host, host);
    QCOMPARE(info->service, service);
    // The Address overload gives the same answer.
    const auto direct = Resolver::getnameinfo(*Address::ip(address, quint16(port)), flags);
    QVERIFY(direct.has_value());
    QCOMPARE(direct->host, info->host);
}

void tst_Resolver::databaseCallsMatchPython_data()
{
    QTest::addColumn<int>("index");
    const QList<DbCase> cases = dbCases();
    for (int i = 0; i < cases.size(); ++i)
        QTest::newRow(cases[i].tag) << i;
}

void tst_Resolver::databaseCallsMatchPython()
{
    QFETCH(int, index);
    // One python3 run answers every row (Python starts slowly on some machines).
    static QJsonArray python;
    const QList<DbCase> cases = dbCases();
    if (python.isEmpty()) {
        QJsonArray exprs;
        for (const DbCase &c : cases)
            exprs.append(c.staysLocal() ? QString::fromLatin1(c.python) : QStringLiteral("None"));
        QString error;
        python = runPython(QLatin1String(kEvalPy), QJsonDocument(exprs).toJson(), &error).array();
        QVERIFY2(python.size() == cases.size(), qPrintable(error));
    }
    if (!cases[index].staysLocal())
        QSKIP("/etc/hosts does not answer this name: the lookup would leave the machine");
    const QJsonValue ours = cases[index].ours();
    if (ours != python[index]) {
        QFAIL(qPrintable(QStringLiteral("ours %1, python %2")
                             .arg(QString::fromUtf8(QJsonDocument(QJsonArray{ours}).toJson(QJsonDocument::Compact)),
                                  QString::fromUtf8(QJsonDocument(QJsonArray{python[index]})
                                                        .toJson(QJsonDocument::Compact)))));
    }
}

void tst_Resolver::pythonSpellingRunsTheSameLookup_data()
{
    QTest::addColumn<QString>("host");
    QTest::addColumn<QString>("service");
    QTest::addColumn<int>("family");
    QTest::addColumn<int>("socktype");
    QTest::addColumn<int>("flags");
    const QString null;
    QTest::newRow("numeric v4, stream") << "127.0.0.1" << "80" << AF_INET << int(SOCK_STREAM) << int(AI_NUMERICHOST);
    QTest::newRow("v4-mapped") << "127.0.0.1" << null << AF_INET6 << 0 << (AI_V4MAPPED | AI_ALL);
    QTest::newRow("passive, null host") << null << "443" << AF_UNSPEC << int(SOCK_DGRAM) << int(AI_PASSIVE);
    QTest::newRow("quote in the service") << "::1" << "it's" << AF_UNSPEC << 0 << 0;
    QTest::newRow("GNU flag as a number") << "::1" << "22" << AF_INET6 << int(SOCK_SEQPACKET) << int(AI_IDN);
}

void tst_Resolver::pythonSpellingRunsTheSameLookup()
{
    QFETCH(QString, host);
    QFETCH(QString, service);
    QFETCH(int, family);
    QFETCH(int, socktype);
    QFETCH(int, flags);
    const auto opt = [](const QString &s) { return s.isNull() ? std::nullopt : std::optional<QString>(s); };
    const AddrInfoHints hints{family, socktype, 0, flags};
    const QString call = Resolver::pythonGetaddrinfo(opt(host), opt(service), hints);
    QVERIFY(call.startsWith(QLatin1String("socket.getaddrinfo(")));

    QString error;
    const QJsonArray answer =
        runPython(QLatin1String(kRunCallPy), QJsonDocument(QJsonArray{call}).toJson(), &error).array();
    QVERIFY2(answer.size() == 1, qPrintable(error + call));

    const auto rows = Resolver::getaddrinfo(opt(host), opt(service), hints);
    if (!rows) {
        QCOMPARE(answer[0].toObject().value(QStringLiteral("error")).toInt(), rows.error().code());
        return;
    }
    QJsonArray ours;
    for (const AddrInfo &r : *rows) {
        ours.append(QJsonArray{r.family, r.socktype, r.protocol, r.address.host().section(u'%', 0, 0),
                               r.address.port()});
    }
    QCOMPARE(ours, answer[0].toArray());
}

void tst_Resolver::pythonNameinfoSpelling()
{
    // Numeric flags only: no reverse query leaves the machine.
    const QList<std::pair<Address, int>> cases = {
        {*Address::ip(u"127.0.0.1", 80), NI_NUMERICHOST | NI_NUMERICSERV},
        {*Address::ip(u"::1", 53), NI_NUMERICHOST | NI_DGRAM},
        {*Address::ip(u"fe80::1%lo", 22), NI_NUMERICHOST},
        {*Address::ip(u"::ffff:127.0.0.1", 443), NI_NUMERICHOST | NI_NUMERICSERV},
    };
    QJsonArray calls;
    for (const auto &[address, flags] : cases)
        calls.append(Resolver::pythonGetnameinfo(address, flags));
    QString error;
    const QJsonArray python = runPython(QLatin1String(kEvalPy), QJsonDocument(calls).toJson(), &error).array();
    QVERIFY2(python.size() == cases.size(), qPrintable(error));
    for (qsizetype i = 0; i < cases.size(); ++i) {
        const auto ours = Resolver::getnameinfo(cases[i].first, cases[i].second);
        QVERIFY(ours.has_value());
        QCOMPARE(python[i].toArray(), (QJsonArray{ours->host, ours->service}));
    }
}

void tst_Resolver::flagTable()
{
    // Every glibc AI_* and NI_* flag, each once, each explained.
    const QList<int> ai = {AI_PASSIVE, AI_CANONNAME, AI_NUMERICHOST, AI_NUMERICSERV, AI_V4MAPPED,
                           AI_ALL,     AI_ADDRCONFIG, AI_IDN,        AI_CANONIDN};
    const QList<int> ni = {NI_NUMERICHOST, NI_NUMERICSERV, NI_NOFQDN, NI_NAMEREQD, NI_DGRAM, NI_IDN};
    QList<int> seen;
    for (const ResolverFlag &f : Resolver::addrInfoFlags()) {
        QVERIFY(QByteArray(f.name).startsWith("AI_"));
        QVERIFY(qstrlen(f.help) > 20);
        seen.append(f.value);
    }
    QCOMPARE(seen, ai);
    seen.clear();
    for (const ResolverFlag &f : Resolver::nameInfoFlags()) {
        QVERIFY(QByteArray(f.name).startsWith("NI_"));
        QVERIFY(qstrlen(f.help) > 20);
        seen.append(f.value);
    }
    QCOMPARE(seen, ni);
}

void tst_Resolver::parseFlags_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("flags"); // -1: an input error
    QTest::addColumn<QString>("names");
    QTest::newRow("empty") << "" << 0 << "0";
    QTest::newRow("one") << "AI_PASSIVE" << int(AI_PASSIVE) << "AI_PASSIVE";
    QTest::newRow("comma") << "AI_CANONNAME,AI_PASSIVE" << (AI_CANONNAME | AI_PASSIVE) << "AI_PASSIVE|AI_CANONNAME";
    QTest::newRow("pipe and spaces") << " AI_V4MAPPED | AI_ALL " << (AI_V4MAPPED | AI_ALL) << "AI_V4MAPPED|AI_ALL";
    QTest::newRow("lower case") << "ai_numerichost" << int(AI_NUMERICHOST) << "AI_NUMERICHOST";
    QTest::newRow("numbers pass through") << "0x10000,AI_IDN" << (0x10000 | AI_IDN) << "AI_IDN|0x10000";
    QTest::newRow("unknown name") << "AI_BOGUS" << -1 << "";
    QTest::newRow("NI flag in the AI table") << "NI_DGRAM" << -1 << "";
}

void tst_Resolver::parseFlags()
{
    QFETCH(QString, text);
    QFETCH(int, flags);
    QFETCH(QString, names);
    const auto parsed = Resolver::parseFlags(text, Resolver::addrInfoFlags());
    if (flags < 0) {
        QVERIFY(!parsed.has_value());
        QCOMPARE(parsed.error().field(), QStringLiteral("flags"));
        QVERIFY(parsed.error().message().contains(QLatin1String("AI_CANONIDN")));
        return;
    }
    QVERIFY(parsed.has_value());
    QCOMPARE(*parsed, flags);
    QCOMPARE(Resolver::flagNames(*parsed, Resolver::addrInfoFlags()), names);
    QCOMPARE(*Resolver::parseFlags(names, Resolver::addrInfoFlags()), flags);
}

void tst_Resolver::legacyErrorsAreNamed()
{
    QCOMPARE(SysError::fromHerrno(HOST_NOT_FOUND).name(), QStringLiteral("HOST_NOT_FOUND"));
    QCOMPARE(SysError::fromHerrno(TRY_AGAIN).name(), QStringLiteral("TRY_AGAIN"));
    QCOMPARE(SysError::fromHerrno(NO_RECOVERY).name(), QStringLiteral("NO_RECOVERY"));
    QCOMPARE(SysError::fromHerrno(NO_DATA).name(), QStringLiteral("NO_DATA"));
    QCOMPARE(SysError::fromHerrno(HOST_NOT_FOUND).message(), QString::fromLocal8Bit(hstrerror(HOST_NOT_FOUND)));
    QCOMPARE(SysError::fromHerrno(HOST_NOT_FOUND).domain(), SysError::Domain::Herrno);
    // Every EAI_* code of glibc's netdb.h, the GNU ones included, has its name.
    const QList<std::pair<int, const char *>> eai = {
        {EAI_BADFLAGS, "EAI_BADFLAGS"},     {EAI_NONAME, "EAI_NONAME"},         {EAI_AGAIN, "EAI_AGAIN"},
        {EAI_FAIL, "EAI_FAIL"},             {EAI_NODATA, "EAI_NODATA"},         {EAI_FAMILY, "EAI_FAMILY"},
        {EAI_SOCKTYPE, "EAI_SOCKTYPE"},     {EAI_SERVICE, "EAI_SERVICE"},       {EAI_ADDRFAMILY, "EAI_ADDRFAMILY"},
        {EAI_MEMORY, "EAI_MEMORY"},         {EAI_SYSTEM, "EAI_SYSTEM"},         {EAI_OVERFLOW, "EAI_OVERFLOW"},
        {EAI_INPROGRESS, "EAI_INPROGRESS"}, {EAI_CANCELED, "EAI_CANCELED"},     {EAI_NOTCANCELED, "EAI_NOTCANCELED"},
        {EAI_ALLDONE, "EAI_ALLDONE"},       {EAI_INTR, "EAI_INTR"},             {EAI_IDN_ENCODE, "EAI_IDN_ENCODE"},
    };
    for (const auto &[code, name] : eai) {
        QCOMPARE(SysError::fromGai(code).name(), QLatin1String(name));
        QCOMPARE(SysError::fromGai(code).message(), QString::fromLocal8Bit(gai_strerror(code)));
    }
}

QTEST_GUILESS_MAIN(tst_Resolver)
#include "tst_resolver.moc"
