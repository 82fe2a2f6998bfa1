#include "../common/optiontestsupport.h"

#include "engine/calltrace.h"
#include "engine/sessionoptions.h"
#include "net/kernelsettings.h"
#include "net/optioncodec.h"
#include "net/socketoption.h"

#include <QSet>
#include <QTest>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <unistd.h>

using namespace Qt::StringLiterals;
using namespace sockscope::core;
using sockscope::tests::ConnectedSocket;
using sockscope::tests::NetCapabilitiesDropped;
using sockscope::tests::SocketKind;

Q_DECLARE_METATYPE(const SocketOption *)

// The table itself, and every row against a real socket of each kind it applies to.
class tst_SocketOption : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void issueRowsArePresent();
    void everyRowIsDocumented();
    void lookup();

    void getOnFreshSocket_data();
    void getOnFreshSocket();
    void getOnConnectedSocket_data();
    void getOnConnectedSocket();
    void kindOptionsReadTheKind_data();
    void kindOptionsReadTheKind();

    void setAndReadBack_data();
    void setAndReadBack();
    void multicastMembership_data();
    void multicastMembership();
    void privilegedRows_data();
    void privilegedRows();

    void badValuesAreRejected_data();
    void badValuesAreRejected();
    void badValueMakesNoSyscall();
    void formatParsesBack_data();
    void formatParsesBack();
    void applyTracesPython();
    void applyTracesErrno();
    void presetsSkipOtherFamilies();

private:
    bool m_ipv6 = true;
};

namespace {

const SocketOption &row(const char *name)
{
    const SocketOption *r = findSocketOption(QLatin1String(name));
    Q_ASSERT(r);
    return *r;
}

Socket freshSocket(const SocketKind &kind)
{
    auto s = Socket::create(kind.family, kind.type);
    return s ? std::move(*s) : Socket();
}

// What the kernel keeps of each example value, where it is not the value itself.
QString expectedKept(const SocketOption &option, const QString &asked)
{
    const QString name = option.nameText();
    if (name == u"SO_RCVBUF" || name == u"SO_SNDBUF")
        return QString::number(asked.toLongLong() * 2); // Linux doubles it for its bookkeeping
    if (name == u"TCP_DEFER_ACCEPT" && asked == u"5")
        return QStringLiteral("7"); // rounded up to the SYN-ACK retransmission schedule
    return asked;
}

} // namespace

void tst_SocketOption::initTestCase()
{
    m_ipv6 = sockscope::tests::ipv6Loopback();
}

void tst_SocketOption::issueRowsArePresent()
{
    const QStringList classic{
        u"SO_ACCEPTCONN"_s, u"SO_BROADCAST"_s, u"SO_DEBUG"_s, u"SO_DONTROUTE"_s, u"SO_ERROR"_s, u"SO_KEEPALIVE"_s, u"SO_LINGER"_s, u"SO_OOBINLINE"_s,
        u"SO_RCVBUF"_s, u"SO_RCVLOWAT"_s, u"SO_RCVTIMEO"_s, u"SO_REUSEADDR"_s, u"SO_SNDBUF"_s, u"SO_SNDLOWAT"_s, u"SO_SNDTIMEO"_s, u"SO_TYPE"_s};
    const QStringList others{
        u"SO_REUSEPORT"_s, u"SO_DOMAIN"_s, u"SO_PROTOCOL"_s, u"SO_PRIORITY"_s, u"SO_MARK"_s, u"SO_BINDTODEVICE"_s, u"SO_RCVBUFFORCE"_s,
        u"SO_SNDBUFFORCE"_s, u"SO_TIMESTAMPNS"_s, u"SO_BUSY_POLL"_s, u"SO_INCOMING_CPU"_s, u"SO_PEERCRED"_s,
        u"TCP_NODELAY"_s, u"TCP_CORK"_s, u"TCP_QUICKACK"_s, u"TCP_MAXSEG"_s, u"TCP_KEEPIDLE"_s, u"TCP_KEEPINTVL"_s, u"TCP_KEEPCNT"_s,
        u"TCP_USER_TIMEOUT"_s, u"TCP_SYNCNT"_s, u"TCP_LINGER2"_s, u"TCP_DEFER_ACCEPT"_s, u"TCP_WINDOW_CLAMP"_s, u"TCP_CONGESTION"_s,
        u"TCP_FASTOPEN"_s, u"TCP_NOTSENT_LOWAT"_s, u"TCP_INFO"_s,
        u"IP_TTL"_s, u"IP_TOS"_s, u"IP_MULTICAST_TTL"_s, u"IP_MULTICAST_LOOP"_s, u"IP_MULTICAST_IF"_s, u"IP_ADD_MEMBERSHIP"_s,
        u"IP_DROP_MEMBERSHIP"_s, u"IP_RECVERR"_s, u"IP_MTU_DISCOVER"_s, u"IP_MTU"_s, u"IP_FREEBIND"_s, u"IP_TRANSPARENT"_s,
        u"IPV6_V6ONLY"_s, u"IPV6_UNICAST_HOPS"_s, u"IPV6_MULTICAST_HOPS"_s, u"IPV6_MULTICAST_LOOP"_s, u"IPV6_MULTICAST_IF"_s,
        u"IPV6_JOIN_GROUP"_s, u"IPV6_LEAVE_GROUP"_s, u"IPV6_TCLASS"_s, u"IPV6_RECVERR"_s};
    for (const QString &name : classic + others) {
        const SocketOption *r = findSocketOption(name);
        QVERIFY2(r, qPrintable(name));
        QCOMPARE(r->nameText(), name);
    }
    for (const QString &name : classic)
        QCOMPARE(findSocketOption(name)->levelText(), QStringLiteral("SOL_SOCKET"));
    QCOMPARE(socketOptions().size(), qsizetype(classic.size() + others.size()));
}

void tst_SocketOption::everyRowIsDocumented()
{
    QSet<QString> names;
    for (const SocketOption &r : socketOptions()) {
        const QString name = r.nameText();
        QVERIFY2(!names.contains(name), qPrintable(name + u" twice"_s));
        names.insert(name);
        QVERIFY2(r.explanation && qstrlen(r.explanation) >= 80, qPrintable(name + u": explanation missing or too short"_s));
        QVERIFY2(r.summary && qstrlen(r.summary) > 0, qPrintable(name));
        QVERIFY2(r.manPage && QByteArray(r.manPage).contains("(7)"), qPrintable(name));
        QVERIFY2(r.families && r.types, qPrintable(name + u": applies to nothing"_s));
        QVERIFY2(findSocketOption(r.level, r.optname) == &r, qPrintable(name + u": level/optname clash"_s));
        QVERIFY2(!r.cTypeName().isEmpty() && !r.rangeText().isEmpty(), qPrintable(name));
        if (r.type == OptionType::Int)
            QVERIFY2(r.min <= r.max, qPrintable(name));
        if (r.type == OptionType::Enum)
            QVERIFY2(!r.enumNames.empty(), qPrintable(name));
        if (r.privilege != OptionPrivilege::None)
            QVERIFY2(r.capability && !r.privilegeText().isEmpty(), qPrintable(name));
        // Every row a user may set without privileges carries a valid example value.
        if (r.settable() && r.privilege != OptionPrivilege::Required) {
            QVERIFY2(r.example, qPrintable(name + u": no example"_s));
            QVERIFY2(parseOptionValue(r, QLatin1String(r.example)).has_value(), qPrintable(name + u": example does not parse"_s));
        }
        if (r.readBack)
            QVERIFY2(findSocketOption(QLatin1String(r.readBack)), qPrintable(name));
    }
}

void tst_SocketOption::lookup()
{
    QCOMPARE(findSocketOption(u"so_rcvbuf"), &row("SO_RCVBUF"));
    QCOMPARE(findSocketOption(u" TCP_NODELAY "), &row("TCP_NODELAY"));
    QCOMPARE(findSocketOption(u"SO_NOSUCH"), nullptr);
    QCOMPARE(findSocketOption(SOL_SOCKET, SO_RCVBUF), &row("SO_RCVBUF"));
    const auto tcp = socketOptionsFor(AF_INET, SOCK_STREAM);
    QVERIFY(tcp.contains(&row("TCP_NODELAY")));
    QVERIFY(!tcp.contains(&row("IPV6_V6ONLY")));
    QVERIFY(!tcp.contains(&row("IP_MULTICAST_TTL")));
    QVERIFY(socketOptionsFor(AF_UNIX, SOCK_STREAM).contains(&row("SO_PEERCRED")));
    QVERIFY(!socketOptionsFor(AF_UNIX, SOCK_STREAM).contains(&row("TCP_NODELAY")));
    QString error;
    const auto setting = parseOptionAssignment(u"so_rcvbuf=65536", &error);
    QVERIFY(setting);
    QCOMPARE(*setting, (OptionSetting{QStringLiteral("SO_RCVBUF"), QStringLiteral("65536")}));
    QVERIFY(!parseOptionAssignment(u"SO_RCVBUF", &error));
    QVERIFY(error.contains(u"NAME=VALUE"));
    QVERIFY(!parseOptionAssignment(u"SO_BOGUS=1", &error));
    QVERIFY(error.contains(u"SO_BOGUS"));
}

void tst_SocketOption::getOnFreshSocket_data()
{
    QTest::addColumn<const SocketOption *>("option");
    QTest::addColumn<int>("family");
    QTest::addColumn<int>("type");
    for (const SocketOption &r : socketOptions()) {
        if (!r.gettable())
            continue;
        for (const SocketKind &kind : sockscope::tests::socketKinds()) {
            if (r.appliesTo(kind.family, kind.type))
                QTest::addRow("%s/%s", r.name, qPrintable(kind.label())) << &r << kind.family << kind.type;
        }
    }
}

void tst_SocketOption::getOnFreshSocket()
{
    QFETCH(const SocketOption *, option);
    QFETCH(int, family);
    QFETCH(int, type);
    if (family == AF_INET6 && !m_ipv6)
        QSKIP("no IPv6 loopback on this host");
    Socket s = freshSocket({family, type});
    QVERIFY(s.isValid());
    const auto value = optioncodec::get(s, *option);
    if (option->needsConnection) {
        QVERIFY(!value);
        QCOMPARE(value.error().name(), QStringLiteral("ENOTCONN"));
        return;
    }
    QVERIFY2(value, qPrintable(value ? QString() : value.error().toString()));
    QVERIFY(!describeOptionValue(*option, *value).isEmpty());
}

void tst_SocketOption::getOnConnectedSocket_data()
{
    getOnFreshSocket_data();
}

void tst_SocketOption::getOnConnectedSocket()
{
    QFETCH(const SocketOption *, option);
    QFETCH(int, family);
    QFETCH(int, type);
    if (family == AF_INET6 && !m_ipv6)
        QSKIP("no IPv6 loopback on this host");
    auto c = sockscope::tests::connectedSocket(family, type);
    QVERIFY2(c, qPrintable(c ? QString() : c.error().toString()));
    const auto value = optioncodec::get(c->socket, *option);
    QVERIFY2(value, qPrintable(value ? QString() : value.error().toString()));
    if (option->nameText() == u"SO_PEERCRED") {
        QCOMPARE(value->fields.value(0).name, QStringLiteral("pid"));
        QCOMPARE(value->fields.value(0).value, qint64(::getpid()));
    }
    if (option->nameText() == u"IP_MTU")
        QVERIFY(value->number >= 576);
    if (option->nameText() == u"TCP_INFO")
        QCOMPARE(value->fields.value(0).text, QStringLiteral("ESTABLISHED"));
}

void tst_SocketOption::kindOptionsReadTheKind_data()
{
    QTest::addColumn<int>("family");
    QTest::addColumn<int>("type");
    QTest::addColumn<QString>("protocol");
    QTest::newRow("tcp4") << AF_INET << int(SOCK_STREAM) << "IPPROTO_TCP";
    QTest::newRow("udp4") << AF_INET << int(SOCK_DGRAM) << "IPPROTO_UDP";
    QTest::newRow("tcp6") << AF_INET6 << int(SOCK_STREAM) << "IPPROTO_TCP";
    QTest::newRow("unix seqpacket") << AF_UNIX << int(SOCK_SEQPACKET) << "0";
}

void tst_SocketOption::kindOptionsReadTheKind()
{
    QFETCH(int, family);
    QFETCH(int, type);
    QFETCH(QString, protocol);
    if (family == AF_INET6 && !m_ipv6)
        QSKIP("no IPv6 loopback on this host");
    Socket s = freshSocket({family, type});
    QCOMPARE(formatOptionValue(row("SO_DOMAIN"), *optioncodec::get(s, row("SO_DOMAIN"))), familyName(family));
    QCOMPARE(formatOptionValue(row("SO_TYPE"), *optioncodec::get(s, row("SO_TYPE"))), socketTypeName(type));
    QCOMPARE(formatOptionValue(row("SO_PROTOCOL"), *optioncodec::get(s, row("SO_PROTOCOL"))), protocol);
    QCOMPARE(optioncodec::get(s, row("SO_ERROR"))->number, 0);
    if (type != SOCK_DGRAM) {
        QCOMPARE(optioncodec::get(s, row("SO_ACCEPTCONN"))->number, 0);
        QVERIFY(s.bind(family == AF_UNIX ? Address::unixPath(QStringLiteral("@sockscope-tst-%1").arg(::getpid())).value()
                                         : Address::loopback(family, 0)));
        QVERIFY(s.listen(1));
        QCOMPARE(optioncodec::get(s, row("SO_ACCEPTCONN"))->number, 1);
    }
}

void tst_SocketOption::setAndReadBack_data()
{
    QTest::addColumn<const SocketOption *>("option");
    QTest::addColumn<int>("family");
    QTest::addColumn<int>("type");
    for (const SocketOption &r : socketOptions()) {
        if (!r.settable() || !r.gettable() || r.privilege == OptionPrivilege::Required)
            continue;
        for (const SocketKind &kind : sockscope::tests::socketKinds()) {
            if (r.appliesTo(kind.family, kind.type))
                QTest::addRow("%s=%s/%s", r.name, r.example, qPrintable(kind.label())) << &r << kind.family << kind.type;
        }
    }
}

void tst_SocketOption::setAndReadBack()
{
    QFETCH(const SocketOption *, option);
    QFETCH(int, family);
    QFETCH(int, type);
    if (family == AF_INET6 && !m_ipv6)
        QSKIP("no IPv6 loopback on this host");
    Socket s = freshSocket({family, type});
    const auto asked = parseOptionValue(*option, QLatin1String(option->example), KernelSettings::optionContext());
    QVERIFY2(asked, qPrintable(asked ? QString() : asked.error().toString()));
    const auto set = optioncodec::set(s, *option, *asked);
    QVERIFY2(set, qPrintable(set ? QString() : set.error().toString()));
    const auto kept = optioncodec::get(s, *option);
    QVERIFY2(kept, qPrintable(kept ? QString() : kept.error().toString()));
    QCOMPARE(formatOptionValue(*option, *kept), expectedKept(*option, formatOptionValue(*option, *asked)));
}

void tst_SocketOption::multicastMembership_data()
{
    QTest::addColumn<int>("family");
    QTest::addColumn<QString>("join");
    QTest::addColumn<QString>("leave");
    QTest::addColumn<QString>("group");
    QTest::newRow("IPv4 on lo") << AF_INET << "IP_ADD_MEMBERSHIP" << "IP_DROP_MEMBERSHIP" << "239.255.42.99,127.0.0.1";
    QTest::newRow("IPv4 on lo by name (ip_mreqn)") << AF_INET << "IP_ADD_MEMBERSHIP" << "IP_DROP_MEMBERSHIP" << "239.255.42.99,lo";
    QTest::newRow("IPv6 on lo") << AF_INET6 << "IPV6_JOIN_GROUP" << "IPV6_LEAVE_GROUP" << "ff02::4242,lo";
}

void tst_SocketOption::multicastMembership()
{
    QFETCH(int, family);
    QFETCH(QString, join);
    QFETCH(QString, leave);
    QFETCH(QString, group);
    if (family == AF_INET6 && !m_ipv6)
        QSKIP("no IPv6 loopback on this host");
    const SocketOption *joinRow = findSocketOption(join);
    const SocketOption *leaveRow = findSocketOption(leave);
    QVERIFY(!joinRow->gettable() && !leaveRow->gettable());
    Socket s = freshSocket({family, SOCK_DGRAM});
    const auto value = parseOptionValue(*joinRow, group);
    QVERIFY2(value, qPrintable(value ? QString() : value.error().toString()));
    QVERIFY(optioncodec::set(s, *joinRow, *value));
    const auto again = optioncodec::set(s, *joinRow, *value);
    QVERIFY(!again);
    QCOMPARE(again.error().name(), QStringLiteral("EADDRINUSE"));
    QVERIFY(optioncodec::set(s, *leaveRow, *value));
    const auto twice = optioncodec::set(s, *leaveRow, *value);
    QVERIFY(!twice);
    QCOMPARE(twice.error().name(), QStringLiteral("EADDRNOTAVAIL"));
    // Set-only: the kernel has nothing to report, and sockscope says so without asking.
    QVERIFY(!optioncodec::get(s, *joinRow));
}

void tst_SocketOption::privilegedRows_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("value");
    QTest::addColumn<int>("family");
    QTest::addColumn<int>("type");
    QTest::addColumn<QString>("firstSet"); // made before the privileges are dropped
    QTest::addColumn<QString>("denied");
    QTest::newRow("SO_DEBUG") << "SO_DEBUG" << "1" << AF_INET << int(SOCK_STREAM) << "" << "EACCES";
    QTest::newRow("SO_MARK") << "SO_MARK" << "42" << AF_INET << int(SOCK_DGRAM) << "" << "EPERM";
    QTest::newRow("SO_MARK unix") << "SO_MARK" << "42" << AF_UNIX << int(SOCK_STREAM) << "" << "EPERM";
    QTest::newRow("SO_RCVBUFFORCE") << "SO_RCVBUFFORCE" << "262144" << AF_INET << int(SOCK_STREAM) << "" << "EPERM";
    QTest::newRow("SO_SNDBUFFORCE") << "SO_SNDBUFFORCE" << "262144" << AF_INET6 << int(SOCK_DGRAM) << "" << "EPERM";
    QTest::newRow("IP_TRANSPARENT") << "IP_TRANSPARENT" << "1" << AF_INET << int(SOCK_STREAM) << "" << "EPERM";
    QTest::newRow("SO_PRIORITY above 6") << "SO_PRIORITY" << "7" << AF_INET << int(SOCK_DGRAM) << "" << "EPERM";
    QTest::newRow("SO_BINDTODEVICE rebind") << "SO_BINDTODEVICE" << "" << AF_INET << int(SOCK_DGRAM) << "lo" << "EPERM";
    // Every row marked Required is in this list.
    QSet<QString> covered{u"SO_DEBUG"_s, u"SO_MARK"_s, u"SO_RCVBUFFORCE"_s, u"SO_SNDBUFFORCE"_s, u"IP_TRANSPARENT"_s};
    for (const SocketOption &r : socketOptions()) {
        if (r.privilege == OptionPrivilege::Required)
            QVERIFY2(covered.contains(r.nameText()), r.name);
    }
}

void tst_SocketOption::privilegedRows()
{
    QFETCH(QString, name);
    QFETCH(QString, value);
    QFETCH(int, family);
    QFETCH(int, type);
    QFETCH(QString, firstSet);
    QFETCH(QString, denied);
    if (family == AF_INET6 && !m_ipv6)
        QSKIP("no IPv6 loopback on this host");
    const SocketOption *option = findSocketOption(name);
    QVERIFY(option && option->privilege != OptionPrivilege::None);
    const auto parsed = parseOptionValue(*option, value);
    QVERIFY(parsed);

    // Without the capabilities: the errno the UI and the CLI show.
    {
        Socket s = freshSocket({family, type});
        if (!firstSet.isEmpty())
            QVERIFY(optioncodec::set(s, *option, *parseOptionValue(*option, firstSet)));
        NetCapabilitiesDropped dropped;
        QVERIFY(dropped.active() || !NetCapabilitiesDropped::held());
        const auto set = optioncodec::set(s, *option, *parsed);
        QVERIFY2(!set, "the kernel accepted a privileged setting without the capability");
        QCOMPARE(set.error().name(), denied);
    }
    // With them (as root here and in CI): accepted.
    if (!NetCapabilitiesDropped::held())
        QSKIP("not running with CAP_NET_ADMIN and CAP_NET_RAW: the privileged success path cannot be tested");
    Socket s = freshSocket({family, type});
    if (!firstSet.isEmpty())
        QVERIFY(optioncodec::set(s, *option, *parseOptionValue(*option, firstSet)));
    const auto set = optioncodec::set(s, *option, *parsed);
    QVERIFY2(set, qPrintable(set ? QString() : set.error().toString()));
    const SocketOption *readRow = option->readBack ? findSocketOption(QLatin1String(option->readBack)) : option;
    const auto kept = optioncodec::get(s, *readRow);
    QVERIFY(kept);
    if (option->readBack)
        QCOMPARE(kept->number, parsed->number * 2); // the FORCE rows double like the plain ones
    else
        QCOMPARE(formatOptionValue(*readRow, *kept), formatOptionValue(*option, *parsed));
}

void tst_SocketOption::badValuesAreRejected_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("negative buffer") << "SO_RCVBUF" << "-1" << "out of range";
    QTest::newRow("text in an int") << "SO_SNDBUF" << "lots" << "not a number";
    QTest::newRow("empty int") << "TCP_KEEPCNT" << "" << "empty";
    QTest::newRow("TTL 256") << "IP_TTL" << "256" << "1 to 255";
    QTest::newRow("TTL 0") << "IP_TTL" << "0" << "out of range";
    QTest::newRow("hop limit 300") << "IPV6_UNICAST_HOPS" << "300" << "-1 to 255";
    QTest::newRow("MSS too small") << "TCP_MAXSEG" << "20" << "88";
    QTest::newRow("unknown congestion algorithm") << "TCP_CONGESTION" << "warp9" << "unknown congestion algorithm";
    QTest::newRow("congestion name with spaces") << "TCP_CONGESTION" << "my algo" << "not an algorithm name";
    QTest::newRow("flag as a word") << "SO_KEEPALIVE" << "maybe" << "1 or 0";
    QTest::newRow("linger garbage") << "SO_LINGER" << "sometimes" << "on,SECONDS";
    QTest::newRow("linger negative") << "SO_LINGER" << "on,-3" << "whole seconds";
    QTest::newRow("negative timeout") << "SO_RCVTIMEO" << "-2" << "seconds";
    QTest::newRow("unknown enum") << "IP_MTU_DISCOVER" << "SOMETIMES" << "IP_PMTUDISC_DO";
    QTest::newRow("unicast group") << "IP_ADD_MEMBERSHIP" << "10.0.0.1" << "not a multicast group";
    QTest::newRow("v4 group for v6") << "IPV6_JOIN_GROUP" << "239.1.1.1" << "IPv6";
    QTest::newRow("interface name too long") << "SO_BINDTODEVICE" << "averyveryverylongname" << "interface name";
    QTest::newRow("no such interface") << "SO_BINDTODEVICE" << "nosuchif0" << "no interface named";
    QTest::newRow("not an address") << "IP_MULTICAST_IF" << "localhost" << "IPv4 address";
    QTest::newRow("read-only") << "SO_TYPE" << "1" << "read-only";
}

void tst_SocketOption::badValuesAreRejected()
{
    QFETCH(QString, name);
    QFETCH(QString, text);
    QFETCH(QString, mentions);
    const SocketOption *option = findSocketOption(name);
    QVERIFY(option);
    OptionContext context = KernelSettings::optionContext();
    QVERIFY(!context.congestionAlgorithms.isEmpty());
    QVERIFY(context.interfaces.contains(QStringLiteral("lo")));
    const auto parsed = parseOptionValue(*option, text, context);
    QVERIFY(!parsed);
    QCOMPARE(parsed.error().domain(), SysError::Domain::Input);
    QCOMPARE(parsed.error().field(), name); // the error names the field
    QVERIFY2(parsed.error().message().contains(mentions), qPrintable(parsed.error().message()));
    QVERIFY(parsed.error().toString().startsWith(name + u':'));
}

void tst_SocketOption::badValueMakesNoSyscall()
{
    Socket s = freshSocket({AF_INET, SOCK_STREAM});
    const qint64 before = optioncodec::get(s, row("SO_RCVBUF"))->number;
    CallTrace trace;
    const OptionApplyResult result =
        sessionoptions::apply(s, AF_INET, SOCK_STREAM, {QStringLiteral("SO_RCVBUF"), QStringLiteral("-1")}, trace, QStringLiteral("s"));
    QVERIFY(!result.ok());
    QCOMPARE(result.error->domain(), SysError::Domain::Input);
    QCOMPARE(result.asked, QStringLiteral("-1")); // what was typed comes back untouched
    QVERIFY(!result.kept);
    QCOMPARE(trace.lastSeq(), 0u); // no setsockopt, no getsockopt
    QCOMPARE(optioncodec::get(s, row("SO_RCVBUF"))->number, before);
}

void tst_SocketOption::formatParsesBack_data()
{
    QTest::addColumn<const SocketOption *>("option");
    QTest::addColumn<QString>("text");
    for (const SocketOption &r : socketOptions()) {
        if (r.example)
            QTest::addRow("%s", r.name) << &r << QString::fromLatin1(r.example);
    }
    QTest::newRow("linger off") << &row("SO_LINGER") << "off";
    QTest::newRow("linger 1 0") << &row("SO_LINGER") << "1 0";
    QTest::newRow("timeout 0.004") << &row("SO_SNDTIMEO") << "0.004";
    QTest::newRow("tos hex") << &row("IP_TOS") << "0x10";
    QTest::newRow("pmtu by number") << &row("IP_MTU_DISCOVER") << "1";
    QTest::newRow("pmtu short name") << &row("IP_MTU_DISCOVER") << "probe";
    QTest::newRow("mark u32") << &row("SO_MARK") << "4294967295";
    QTest::newRow("v6 group by index") << &row("IPV6_JOIN_GROUP") << "ff05::1:3,1";
}

void tst_SocketOption::formatParsesBack()
{
    QFETCH(const SocketOption *, option);
    QFETCH(QString, text);
    const auto first = parseOptionValue(*option, text);
    QVERIFY2(first, qPrintable(first ? QString() : first.error().toString()));
    const QString formatted = formatOptionValue(*option, *first);
    const auto second = parseOptionValue(*option, formatted);
    QVERIFY2(second, qPrintable(formatted));
    QCOMPARE(*second, *first);
    QCOMPARE(formatOptionValue(*option, *second), formatted);
    // And the bytes round-trip through the C structure.
    if (option->gettable()) {
        const auto bytes = optioncodec::encode(*option, *first);
        QVERIFY(bytes);
        QCOMPARE(*optioncodec::decode(*option, *bytes), *first);
    }
}

void tst_SocketOption::applyTracesPython()
{
    Socket s = freshSocket({AF_INET, SOCK_STREAM});
    CallTrace trace;
    const OptionApplyResult result = sessionoptions::apply(
        s, AF_INET, SOCK_STREAM, {QStringLiteral("SO_RCVBUF"), QStringLiteral("65536")}, trace, QStringLiteral("s"));
    QVERIFY(result.ok());
    QCOMPARE(result.asked, QStringLiteral("65536"));
    QVERIFY(result.kept);
    QCOMPARE(result.kept->number, 131072);
    QCOMPARE(result.keptOption, &row("SO_RCVBUF"));
    const QList<CallRecord> calls = trace.since(0);
    QCOMPARE(calls.size(), 2);
    QCOMPARE(calls[0].code, QStringLiteral("s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 65536)"));
    QCOMPARE(calls[0].result, QStringLiteral("None"));
    QCOMPARE(calls[1].code, QStringLiteral("s.getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF)"));
    QCOMPARE(calls[1].result, QStringLiteral("131072  # asked 65536"));

    CallTrace lingerTrace;
    const auto linger = sessionoptions::apply(s, AF_INET, SOCK_STREAM, {QStringLiteral("SO_LINGER"), QStringLiteral("on,5")},
                                              lingerTrace, QStringLiteral("conn"));
    QVERIFY(linger.ok());
    const auto lingerCalls = lingerTrace.since(0);
    QCOMPARE(lingerCalls[0].code, QStringLiteral("conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack(\"ii\", 1, 5))"));
    QCOMPARE(lingerCalls[1].code, QStringLiteral("struct.unpack(\"ii\", conn.getsockopt(socket.SOL_SOCKET, socket.SO_LINGER, 8))"));
    QCOMPARE(lingerCalls[1].result, QStringLiteral("(1, 5)"));
}

void tst_SocketOption::applyTracesErrno()
{
    Socket s = freshSocket({AF_INET, SOCK_STREAM});
    CallTrace trace;
    // No context given, so the name is the kernel's to refuse.
    const auto result = sessionoptions::apply(s, AF_INET, SOCK_STREAM, {QStringLiteral("TCP_CONGESTION"), QStringLiteral("warp9")},
                                              trace, QStringLiteral("s"));
    QVERIFY(!result.ok());
    QCOMPARE(result.error->name(), QStringLiteral("ENOENT"));
    const auto calls = trace.since(0);
    QCOMPARE(calls.size(), 1);
    QCOMPARE(calls[0].code, QStringLiteral("s.setsockopt(socket.IPPROTO_TCP, socket.TCP_CONGESTION, b\"warp9\")"));
    QCOMPARE(calls[0].errorName(), QStringLiteral("ENOENT"));
}

void tst_SocketOption::presetsSkipOtherFamilies()
{
    Socket s = freshSocket({AF_INET, SOCK_STREAM});
    CallTrace trace;
    const QList<OptionSetting> presets{{QStringLiteral("IPV6_V6ONLY"), QStringLiteral("1")},
                                       {QStringLiteral("TCP_NODELAY"), QStringLiteral("1")}};
    QVERIFY(sessionoptions::applyPresets(s, AF_INET, SOCK_STREAM, presets, trace, QStringLiteral("s")));
    const auto calls = trace.since(0);
    QCOMPARE(calls.size(), 3);
    QVERIFY(calls[0].code.startsWith(u'#'));
    QVERIFY(calls[0].result.contains(u"skipped"));
    QCOMPARE(calls[1].code, QStringLiteral("s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)"));
    QCOMPARE(optioncodec::get(s, row("TCP_NODELAY"))->number, 1);

    CallTrace failing;
    const auto failed = sessionoptions::applyPresets(
        s, AF_INET, SOCK_STREAM,
        {{QStringLiteral("TCP_CONGESTION"), QStringLiteral("warp9")}, {QStringLiteral("TCP_CORK"), QStringLiteral("1")}}, failing,
        QStringLiteral("s"));
    QVERIFY(!failed);
    QCOMPARE(failed.error().name(), QStringLiteral("ENOENT"));
    QCOMPARE(failing.since(0).size(), 1); // stopped at the first failure
    QCOMPARE(optioncodec::get(s, row("TCP_CORK"))->number, 0);
}

QTEST_GUILESS_MAIN(tst_SocketOption)
#include "tst_socketoption.moc"
