// `sockscope-cli resolve/nameinfo --json` against python3's socket.getaddrinfo and
// socket.getnameinfo, run by the test with the same arguments on the same machine: the
// answers depend on /etc/hosts, /etc/services and gai.conf, so nothing is hard-coded.
// Every case stays on this machine: names are only used where /etc/hosts answers them.

#include "../common/lookuptestsupport.h"

#include "net/resolver.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QProcess>
#include <QTest>

#include <net/if.h>

using namespace Qt::StringLiterals;
using namespace sockscope::core;
using sockscope::tests::hostsFileHas;
using sockscope::tests::hostsFileNames;
using sockscope::tests::numericFamily;
using sockscope::tests::runPython;

namespace {

// Both scripts read a JSON list of requests on stdin and print the list of answers.
const char kGetaddrinfoPy[] = R"PY(
import enum, json, socket, sys
eai = {v: k for k, v in vars(socket).items() if k.startswith('EAI_') and isinstance(v, int)}
def name(v, prefix):
    return v.name if isinstance(v, enum.Enum) else '%s%d' % (prefix, v)
def run(a):
    try:
        rows = socket.getaddrinfo(a['host'], a['service'], a['family'], a['type'], a['proto'], a['flags'])
    except socket.gaierror as e:
        return {'results': [], 'error': {'code': e.errno, 'name': eai.get(e.errno), 'message': e.strerror}}
    return {'results': [{'family': name(f, 'AF_'), 'socktype': name(t, 'SOCK_'), 'protocol': p,
                         'canonname': canon, 'address': sa[0], 'port': sa[1],
                         'flowinfo': sa[2] if len(sa) > 2 else 0, 'scope_id': sa[3] if len(sa) > 3 else 0}
                        for f, t, p, canon, sa in rows],
            'error': None}
print(json.dumps([run(a) for a in json.load(sys.stdin)]))
)PY";

const char kGetnameinfoPy[] = R"PY(
import json, socket, sys
eai = {v: k for k, v in vars(socket).items() if k.startswith('EAI_') and isinstance(v, int)}
def run(a):
    try:
        host, service = socket.getnameinfo(tuple(a['sockaddr']), a['flags'])
    except socket.gaierror as e:
        return {'host': None, 'service': None,
                'error': {'code': e.errno, 'name': eai.get(e.errno), 'message': e.strerror}}
    return {'host': host, 'service': service, 'error': None}
print(json.dumps([run(a) for a in json.load(sys.stdin)]))
)PY";

struct CliRun
{
    int exitCode = -1;
    QJsonObject json;
    QString stderrText;
};

CliRun runCli(const QStringList &args)
{
    CliRun run;
    QProcess cli;
    cli.start(qEnvironmentVariable("SOCKSCOPE_CLI"), args);
    if (!cli.waitForFinished(30000))
        return run;
    run.exitCode = cli.exitCode();
    run.json = QJsonDocument::fromJson(cli.readAllStandardOutput()).object();
    run.stderrText = QString::fromUtf8(cli.readAllStandardError());
    return run;
}

QJsonValue jsonOrNull(const QString &text)
{
    return text.isNull() ? QJsonValue(QJsonValue::Null) : QJsonValue(text);
}

// The name the CLI takes for a value, or the number when it has none.
QString optionName(int value, std::initializer_list<std::pair<int, const char *>> names)
{
    for (const auto &[v, n] : names) {
        if (v == value)
            return QLatin1String(n);
    }
    return QString::number(value);
}

QString withoutScope(const QString &host)
{
    return host.left(host.indexOf(u'%'));
}

// The error as both sides give it: code, name (when Python's socket module has the
// constant) and message.
void compareErrors(const QJsonObject &ours, const QJsonObject &python)
{
    QCOMPARE(ours.value(QStringLiteral("code")).toInt(), python.value(QStringLiteral("code")).toInt());
    if (!python.value(QStringLiteral("name")).isNull())
        QCOMPARE(ours.value(QStringLiteral("name")).toString(), python.value(QStringLiteral("name")).toString());
    QVERIFY(ours.value(QStringLiteral("name")).toString().startsWith(QLatin1String("EAI_")));
    QCOMPARE(ours.value(QStringLiteral("message")).toString(), python.value(QStringLiteral("message")).toString());
}

struct ResolveCase
{
    QByteArray tag;
    QString host; // a null QString is NULL ("-" on the command line)
    QString service;
    int family = AF_UNSPEC;
    int type = 0;
    int proto = 0;
    int flags = 0;
};

QList<ResolveCase> resolveCases()
{
    const QString null;
    QList<ResolveCase> c = {
        {"localhost, no service", u"localhost"_s, null},
        {"localhost http", u"localhost"_s, u"http"_s},
        {"localhost 80 stream", u"localhost"_s, u"80"_s, AF_UNSPEC, SOCK_STREAM},
        {"localhost AF_INET dgram", u"localhost"_s, u"53"_s, AF_INET, SOCK_DGRAM},
        {"numeric v4", u"127.0.0.1"_s, u"80"_s},
        {"numeric v4 tcp", u"127.0.0.1"_s, u"80"_s, AF_INET, 0, IPPROTO_TCP},
        {"numeric v6", u"::1"_s, u"80"_s},
        {"numeric v6 long form", u"0:0:0:0:0:0:0:1"_s, u"443"_s, AF_INET6, SOCK_STREAM},
        {"v4-mapped literal", u"::ffff:127.0.0.1"_s, u"80"_s},
        {"v4 literal, AF_INET6, no AI_V4MAPPED", u"127.0.0.1"_s, u"80"_s, AF_INET6},
        {"v4 literal, AF_INET6, AI_V4MAPPED", u"127.0.0.1"_s, u"80"_s, AF_INET6, SOCK_STREAM, 0, AI_V4MAPPED},
        {"v4 literal, AF_INET6, AI_V4MAPPED|AI_ALL", u"127.0.0.1"_s, u"80"_s, AF_INET6, 0, 0, AI_V4MAPPED | AI_ALL},
        {"v6 literal, AF_INET6, AI_V4MAPPED|AI_ALL", u"::1"_s, u"80"_s, AF_INET6, 0, 0, AI_V4MAPPED | AI_ALL},
        {"v4 literal, AF_INET, AI_V4MAPPED", u"127.0.0.1"_s, u"80"_s, AF_INET, 0, 0, AI_V4MAPPED},
        {"scoped link-local by name", u"fe80::1%lo"_s, u"22"_s, AF_UNSPEC, SOCK_STREAM},
        {"scoped link-local by index", u"fe80::1%1"_s, u"22"_s, AF_INET6},
        {"service domain (tcp and udp)", u"127.0.0.1"_s, u"domain"_s},
        {"service alias www", u"::1"_s, u"www"_s},
        {"service ssh as dgram", u"127.0.0.1"_s, u"ssh"_s, AF_INET, SOCK_DGRAM},
        {"service echo udp", u"127.0.0.1"_s, u"echo"_s, AF_INET, 0, IPPROTO_UDP},
    };
    // Every flag alone, with a name and with a numeric host and a service name.
    for (const ResolverFlag &f : Resolver::addrInfoFlags()) {
        c.append({QByteArray(f.name) + " alone, localhost 80", u"localhost"_s, u"80"_s, AF_UNSPEC, 0, 0, f.value});
        c.append({QByteArray(f.name) + " alone, ::1 http", u"::1"_s, u"http"_s, AF_UNSPEC, SOCK_STREAM, 0, f.value});
    }
    c += {
        // The combinations that change the answer.
        {"null host, AI_PASSIVE", null, u"80"_s, AF_UNSPEC, SOCK_STREAM, 0, AI_PASSIVE},
        {"null host, no AI_PASSIVE", null, u"80"_s, AF_UNSPEC, SOCK_STREAM},
        {"null host, AI_PASSIVE, AF_INET6", null, u"8080"_s, AF_INET6, 0, 0, AI_PASSIVE},
        {"null host, AI_PASSIVE|AI_NUMERICSERV", null, u"443"_s, AF_INET, SOCK_DGRAM, 0, AI_PASSIVE | AI_NUMERICSERV},
        {"AI_NUMERICHOST with a name", u"localhost"_s, u"80"_s, AF_UNSPEC, 0, 0, AI_NUMERICHOST},
        {"AI_NUMERICSERV with a name", u"127.0.0.1"_s, u"http"_s, AF_UNSPEC, 0, 0, AI_NUMERICSERV},
        {"AI_CANONNAME|AI_CANONIDN|AI_IDN", u"localhost"_s, u"80"_s, AF_UNSPEC, SOCK_STREAM, 0,
         AI_CANONNAME | AI_CANONIDN | AI_IDN},
        {"AI_ADDRCONFIG|AI_V4MAPPED", u"localhost"_s, null, AF_UNSPEC, 0, 0, AI_ADDRCONFIG | AI_V4MAPPED},
        // Bad input, each with its documented code.
        {"null host and service", null, null},
        {"empty host and service", u""_s, u""_s},
        {"256.1.1.1 with AI_NUMERICHOST", u"256.1.1.1"_s, u"80"_s, AF_UNSPEC, 0, 0, AI_NUMERICHOST},
        {"::g with AI_NUMERICHOST", u"::g"_s, u"80"_s, AF_UNSPEC, 0, 0, AI_NUMERICHOST},
        {"port 99999", u"127.0.0.1"_s, u"99999"_s, AF_UNSPEC, SOCK_STREAM},
        {"port -1", u"127.0.0.1"_s, u"-1"_s, AF_UNSPEC, SOCK_STREAM},
        {"unknown service", u"127.0.0.1"_s, u"no-such-service"_s},
        {"bad flags: AI_CANONNAME, null host", null, u"80"_s, AF_UNSPEC, 0, 0, AI_CANONNAME},
        {"bad flags: unknown bit", u"127.0.0.1"_s, u"80"_s, AF_UNSPEC, 0, 0, 0x10000},
        {"unsupported family AF_UNIX", u"127.0.0.1"_s, u"80"_s, AF_UNIX},
        {"unsupported family 12345", u"127.0.0.1"_s, u"80"_s, 12345},
        {"unknown socktype", u"127.0.0.1"_s, u"80"_s, AF_UNSPEC, 99},
        {"SOCK_RAW with a service", u"127.0.0.1"_s, u"80"_s, AF_INET, SOCK_RAW},
        {"SOCK_DGRAM with IPPROTO_TCP", u"127.0.0.1"_s, u"80"_s, AF_INET, SOCK_DGRAM, IPPROTO_TCP},
    };
    return c;
}

struct NameInfoCase
{
    QByteArray tag;
    QString address;
    int port = 0;
    int flags = 0;
};

QList<NameInfoCase> nameInfoCases()
{
    QList<NameInfoCase> c = {
        {"v4 numeric host and service", u"127.0.0.1"_s, 80, NI_NUMERICHOST | NI_NUMERICSERV},
        {"v4 reverse", u"127.0.0.1"_s, 80, 0},
    };
    for (const ResolverFlag &f : Resolver::nameInfoFlags())
        c.append({QByteArray(f.name) + " alone, 127.0.0.1 53", u"127.0.0.1"_s, 53, f.value});
    c += {
        {"NI_DGRAM|NI_NUMERICHOST, port 514", u"127.0.0.1"_s, 514, NI_DGRAM | NI_NUMERICHOST},
        {"port without a service", u"127.0.0.1"_s, 65000, NI_NUMERICHOST},
        {"v6 numeric", u"::1"_s, 22, NI_NUMERICHOST},
        {"v6 numeric, dgram service", u"::1"_s, 53, NI_NUMERICHOST | NI_DGRAM},
        {"v4-mapped", u"::ffff:127.0.0.1"_s, 80, NI_NUMERICHOST},
        {"scoped link-local", u"fe80::1%lo"_s, 0, NI_NUMERICHOST | NI_NUMERICSERV},
        {"a name is not an address", u"localhost"_s, 80, 0},
        {"256.1.1.1", u"256.1.1.1"_s, 80, 0},
        {"bad flags: unknown bit", u"127.0.0.1"_s, 80, 0x1000},
    };
    return c;
}

// A case whose host is a name /etc/hosts does not answer (for its family) would be
// sent to DNS: such a case is skipped, never run.
bool staysLocal(const ResolveCase &c)
{
    if (c.host.isEmpty() || (c.flags & AI_NUMERICHOST) || numericFamily(withoutScope(c.host)) != AF_UNSPEC)
        return true;
    return hostsFileHas(c.host, c.family == AF_INET || c.family == AF_INET6 ? c.family : AF_UNSPEC);
}

bool staysLocal(const NameInfoCase &c)
{
    const bool numericAddress = numericFamily(withoutScope(c.address)) != AF_UNSPEC;
    return !numericAddress || (c.flags & NI_NUMERICHOST) || hostsFileNames(withoutScope(c.address));
}

// Python takes an IPv6 scope as the sockaddr's fourth member; the CLI as "%scope".
QJsonArray pythonSockaddr(const NameInfoCase &c)
{
    if (numericFamily(withoutScope(c.address)) != AF_INET6)
        return {c.address, c.port};
    const qsizetype percent = c.address.indexOf(u'%');
    const uint scope = percent < 0 ? 0 : if_nametoindex(c.address.mid(percent + 1).toLatin1().constData());
    return {c.address, c.port, 0, qint64(scope)};
}

} // namespace

class tst_ResolveCli : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void resolveMatchesPython_data();
    void resolveMatchesPython();
    void nameinfoMatchesPython_data();
    void nameinfoMatchesPython();
    void badArgumentsExitOne_data();
    void badArgumentsExitOne();
    void textOutputShowsPythonCall();

private:
    // Python's answers, by row tag, computed in one python3 run per function.
    QHash<QByteArray, QJsonObject> m_pyResolve;
    QHash<QByteArray, QJsonObject> m_pyNameinfo;
};

void tst_ResolveCli::initTestCase()
{
    QVERIFY2(QFile::exists(qEnvironmentVariable("SOCKSCOPE_CLI")), "SOCKSCOPE_CLI must point at sockscope-cli");

    const QList<ResolveCase> resolve = resolveCases();
    QJsonArray requests;
    for (const ResolveCase &c : resolve) {
        requests.append(QJsonObject{{QStringLiteral("host"), jsonOrNull(c.host)},
                                    {QStringLiteral("service"), jsonOrNull(c.service)},
                                    {QStringLiteral("family"), c.family},
                                    {QStringLiteral("type"), c.type},
                                    {QStringLiteral("proto"), c.proto},
                                    {QStringLiteral("flags"), c.flags}});
    }
    QString error;
    // Cases that would leave the machine are sent to Python as numeric-only lookups
    // (and skipped on our side), so that Python never queries DNS either.
    for (qsizetype i = 0; i < resolve.size(); ++i) {
        if (!staysLocal(resolve[i])) {
            QJsonObject r = requests[i].toObject();
            r[QStringLiteral("flags")] = resolve[i].flags | AI_NUMERICHOST;
            requests[i] = r;
        }
    }
    QJsonArray answers = runPython(QLatin1String(kGetaddrinfoPy), QJsonDocument(requests).toJson(), &error).array();
    QVERIFY2(answers.size() == resolve.size(), qPrintable(error));
    for (qsizetype i = 0; i < resolve.size(); ++i)
        m_pyResolve.insert(resolve[i].tag, answers[i].toObject());

    const QList<NameInfoCase> nameinfo = nameInfoCases();
    requests = {};
    for (const NameInfoCase &c : nameinfo) {
        requests.append(QJsonObject{{QStringLiteral("sockaddr"), pythonSockaddr(c)},
                                    {QStringLiteral("flags"), staysLocal(c) ? c.flags : c.flags | NI_NUMERICHOST}});
    }
    answers = runPython(QLatin1String(kGetnameinfoPy), QJsonDocument(requests).toJson(), &error).array();
    QVERIFY2(answers.size() == nameinfo.size(), qPrintable(error));
    for (qsizetype i = 0; i < nameinfo.size(); ++i)
        m_pyNameinfo.insert(nameinfo[i].tag, answers[i].toObject());
}

void tst_ResolveCli::resolveMatchesPython_data()
{
    QTest::addColumn<QString>("host");
    QTest::addColumn<QString>("service");
    QTest::addColumn<int>("family");
    QTest::addColumn<int>("type");
    QTest::addColumn<int>("proto");
    QTest::addColumn<int>("flags");
    QTest::addColumn<bool>("local");
    for (const ResolveCase &c : resolveCases()) {
        QTest::newRow(c.tag.constData()) << c.host << c.service << c.family << c.type << c.proto << c.flags
                                         << staysLocal(c);
    }
}

void tst_ResolveCli::resolveMatchesPython()
{
    QFETCH(QString, host);
    QFETCH(QString, service);
    QFETCH(int, family);
    QFETCH(int, type);
    QFETCH(int, proto);
    QFETCH(int, flags);
    QFETCH(bool, local);
    if (!local)
        QSKIP("/etc/hosts does not answer this name for this family: the lookup would leave the machine");

    QStringList args{QStringLiteral("resolve"), QStringLiteral("--json")};
    args << QStringLiteral("--family")
         << optionName(family, {{AF_UNSPEC, "unspec"}, {AF_INET, "inet"}, {AF_INET6, "inet6"}});
    args << QStringLiteral("--type")
         << optionName(type, {{0, "any"}, {SOCK_STREAM, "stream"}, {SOCK_DGRAM, "dgram"}, {SOCK_RAW, "raw"}});
    args << QStringLiteral("--proto") << optionName(proto, {{IPPROTO_TCP, "tcp"}, {IPPROTO_UDP, "udp"}});
    args << QStringLiteral("--flags") << Resolver::flagNames(flags, Resolver::addrInfoFlags());
    // After "--" a "-1" port is an argument, not an option.
    args << QStringLiteral("--") << (host.isNull() ? QStringLiteral("-") : host)
         << (service.isNull() ? QStringLiteral("-") : service);
    const CliRun ours = runCli(args);
    const QJsonObject python = m_pyResolve.value(QTest::currentDataTag());
    QVERIFY(!python.isEmpty());

    const bool pythonFailed = !python.value(QStringLiteral("error")).isNull();
    QVERIFY2(ours.exitCode == (pythonFailed ? 2 : 0), qPrintable(ours.stderrText));
    QCOMPARE(ours.json.keys(), (QStringList{QStringLiteral("error"), QStringLiteral("results")}));

    const QJsonArray ourRows = ours.json.value(QStringLiteral("results")).toArray();
    const QJsonArray pyRows = python.value(QStringLiteral("results")).toArray();
    QCOMPARE(ourRows.size(), pyRows.size());
    for (qsizetype i = 0; i < ourRows.size(); ++i) {
        const QJsonObject o = ourRows[i].toObject();
        const QJsonObject p = pyRows[i].toObject();
        QCOMPARE(o.keys(), p.keys());
        for (const QString &key : p.keys()) {
            if (o.value(key) != p.value(key)) {
                QFAIL(qPrintable(QStringLiteral("row %1, %2: ours %3, python %4")
                                     .arg(i)
                                     .arg(key, o.value(key).toVariant().toString(),
                                          p.value(key).toVariant().toString())));
            }
        }
    }
    if (pythonFailed) {
        compareErrors(ours.json.value(QStringLiteral("error")).toObject(),
                      python.value(QStringLiteral("error")).toObject());
    } else {
        QVERIFY(ours.json.value(QStringLiteral("error")).isNull());
        QVERIFY(!ourRows.isEmpty());
    }
}

void tst_ResolveCli::nameinfoMatchesPython_data()
{
    QTest::addColumn<QString>("address");
    QTest::addColumn<int>("port");
    QTest::addColumn<int>("flags");
    QTest::addColumn<bool>("local");
    for (const NameInfoCase &c : nameInfoCases())
        QTest::newRow(c.tag.constData()) << c.address << c.port << c.flags << staysLocal(c);
}

void tst_ResolveCli::nameinfoMatchesPython()
{
    QFETCH(QString, address);
    QFETCH(int, port);
    QFETCH(int, flags);
    QFETCH(bool, local);
    if (!local)
        QSKIP("/etc/hosts does not name this address: the reverse lookup would leave the machine");

    QStringList args{QStringLiteral("nameinfo"), QStringLiteral("--json")};
    if (flags != 0)
        args << QStringLiteral("--flags") << Resolver::flagNames(flags, Resolver::nameInfoFlags());
    args << QStringLiteral("--") << address << QString::number(port);
    const CliRun ours = runCli(args);
    const QJsonObject python = m_pyNameinfo.value(QTest::currentDataTag());
    QVERIFY(!python.isEmpty());

    const bool pythonFailed = !python.value(QStringLiteral("error")).isNull();
    QVERIFY2(ours.exitCode == (pythonFailed ? 2 : 0), qPrintable(ours.stderrText));
    QCOMPARE(ours.json.keys(),
             (QStringList{QStringLiteral("error"), QStringLiteral("host"), QStringLiteral("service")}));
    QCOMPARE(ours.json.value(QStringLiteral("host")), python.value(QStringLiteral("host")));
    QCOMPARE(ours.json.value(QStringLiteral("service")), python.value(QStringLiteral("service")));
    if (pythonFailed) {
        compareErrors(ours.json.value(QStringLiteral("error")).toObject(),
                      python.value(QStringLiteral("error")).toObject());
    } else {
        QVERIFY(ours.json.value(QStringLiteral("error")).isNull());
    }
}

void tst_ResolveCli::badArgumentsExitOne_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::newRow("resolve without host") << QStringList{QStringLiteral("resolve")};
    QTest::newRow("resolve, three positionals") << QStringList{u"resolve"_s, u"a"_s, u"b"_s, u"c"_s};
    QTest::newRow("unknown flag name") << QStringList{u"resolve"_s, u"127.0.0.1"_s, u"--flags"_s, u"AI_BOGUS"_s};
    QTest::newRow("NI flag given to resolve") << QStringList{u"resolve"_s, u"127.0.0.1"_s, u"--flags"_s, u"NI_NAMEREQD"_s};
    QTest::newRow("unknown family") << QStringList{u"resolve"_s, u"127.0.0.1"_s, u"--family"_s, u"appletalk"_s};
    QTest::newRow("unknown type") << QStringList{u"resolve"_s, u"127.0.0.1"_s, u"--type"_s, u"stream2"_s};
    QTest::newRow("unknown protocol") << QStringList{u"resolve"_s, u"127.0.0.1"_s, u"--proto"_s, u"no-such-proto"_s};
    QTest::newRow("nameinfo without address") << QStringList{QStringLiteral("nameinfo")};
    QTest::newRow("nameinfo port 99999") << QStringList{u"nameinfo"_s, u"127.0.0.1"_s, u"99999"_s};
    QTest::newRow("nameinfo port abc") << QStringList{u"nameinfo"_s, u"127.0.0.1"_s, u"abc"_s};
    QTest::newRow("nameinfo AI flag") << QStringList{u"nameinfo"_s, u"127.0.0.1"_s, u"--flags"_s, u"AI_PASSIVE"_s};
}

void tst_ResolveCli::badArgumentsExitOne()
{
    QFETCH(QStringList, args);
    const CliRun run = runCli(args);
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.stderrText.startsWith(QLatin1String("sockscope-cli: ")), qPrintable(run.stderrText));
}

void tst_ResolveCli::textOutputShowsPythonCall()
{
    QProcess cli;
    cli.start(qEnvironmentVariable("SOCKSCOPE_CLI"),
              {u"resolve"_s, u"127.0.0.1"_s, u"80"_s, u"--type"_s, u"stream"_s, u"--flags"_s, u"AI_NUMERICHOST|AI_CANONNAME"_s});
    QVERIFY(cli.waitForFinished(30000));
    QCOMPARE(cli.exitCode(), 0);
    const QStringList lines = QString::fromUtf8(cli.readAllStandardOutput()).split(u'\n', Qt::SkipEmptyParts);
    QVERIFY2(lines.size() == 4, qPrintable(lines.join(u'\n'))); // call, header, one row, summary
    QCOMPARE(lines[0], QStringLiteral("socket.getaddrinfo('127.0.0.1', '80', socket.AF_UNSPEC, socket.SOCK_STREAM, "
                                      "0, socket.AI_CANONNAME | socket.AI_NUMERICHOST)"));
    QVERIFY(lines[2].contains(QLatin1String("127.0.0.1")));
    QVERIFY(lines[2].contains(QLatin1String("SOCK_STREAM")));
    QVERIFY(lines[3].startsWith(QLatin1String("1 row in ")));
}

QTEST_GUILESS_MAIN(tst_ResolveCli)
#include "tst_resolvecli.moc"
