// sockscope-cli's multicast options: `serve udp --join GROUP[@IFACE]` receives what
// `connect udp GROUP PORT --ttl N --loop on` sends to the group, and a server that did not
// join does not (in a network namespace of the test's own); bad values are usage errors
// naming the option.

#include "../common/multicastnetns.h"

#include <QProcess>
#include <QRegularExpression>
#include <QTest>

#include <net/if.h>

using namespace sockscope::tests;

namespace {

QString cli()
{
    return qEnvironmentVariable("SOCKSCOPE_CLI");
}

// The server's port, from its first line "listening on ADDR:P".
quint16 startServer(QProcess &server, const QStringList &args)
{
    server.start(cli(), QStringList{QStringLiteral("serve"), QStringLiteral("udp")} + args);
    if (!server.waitForStarted(5000))
        return 0;
    while (!server.canReadLine()) {
        if (!server.waitForReadyRead(5000))
            return 0;
    }
    const QString line = QString::fromUtf8(server.readLine()).trimmed();
    const auto m = QRegularExpression(QStringLiteral("^listening on .*:(\\d+)$")).match(line);
    return m.hasMatch() ? quint16(m.captured(1).toUInt()) : 0;
}

QString stop(QProcess &server)
{
    server.terminate();
    server.waitForFinished(5000);
    return QString::fromUtf8(server.readAll());
}

} // namespace

class tst_MulticastCli : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QVERIFY2(!cli().isEmpty(), "SOCKSCOPE_CLI must name sockscope-cli"); }
    void badValues_data();
    void badValues();
    void joinedServerReceives_data();
    void joinedServerReceives();
};

void tst_MulticastCli::badValues_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("expected");
    QTest::newRow("unicast group") << QStringList{u"serve"_qs, u"udp"_qs, u"--join"_qs, u"10.0.0.1"_qs}
                                   << u"serve: --join: \"10.0.0.1\" is not a multicast group"_qs;
    QTest::newRow("not an address") << QStringList{u"serve"_qs, u"udp"_qs, u"--join"_qs, u"group"_qs}
                                    << u"serve: --join: \"group\" is not an IP address"_qs;
    QTest::newRow("empty interface") << QStringList{u"serve"_qs, u"udp"_qs, u"--join"_qs, u"239.1.2.3@"_qs}
                                     << u"serve: --join: name the interface"_qs;
    QTest::newRow("v4 group on a v6 socket") << QStringList{u"serve"_qs, u"udp"_qs, u"--bind"_qs, u"::"_qs, u"--join"_qs, u"239.1.2.3"_qs}
                                             << u"serve: --join: 239.1.2.3 is an IPv4 group, the socket is IPv6"_qs;
    QTest::newRow("join on tcp") << QStringList{u"serve"_qs, u"tcp"_qs, u"--join"_qs, u"239.1.2.3"_qs}
                                 << u"serve: --join: multicast is for udp"_qs;
    QTest::newRow("ttl too big") << QStringList{u"connect"_qs, u"udp"_qs, u"239.1.2.3"_qs, u"9"_qs, u"--ttl"_qs, u"256"_qs}
                                 << u"connect: --ttl: give a number from 0 to 255"_qs;
    QTest::newRow("ttl not a number") << QStringList{u"connect"_qs, u"udp"_qs, u"239.1.2.3"_qs, u"9"_qs, u"--ttl"_qs, u"x"_qs}
                                      << u"connect: --ttl: give a number from 0 to 255"_qs;
    QTest::newRow("loop maybe") << QStringList{u"connect"_qs, u"udp"_qs, u"239.1.2.3"_qs, u"9"_qs, u"--loop"_qs, u"maybe"_qs}
                                << u"connect: --loop: give on or off"_qs;
    QTest::newRow("ttl on tcp") << QStringList{u"connect"_qs, u"tcp"_qs, u"127.0.0.1"_qs, u"9"_qs, u"--ttl"_qs, u"2"_qs}
                                << u"connect: --ttl: multicast is for udp"_qs;
}

void tst_MulticastCli::badValues()
{
    QFETCH(QStringList, args);
    QFETCH(QString, expected);
    QProcess p;
    p.start(cli(), args);
    QVERIFY(p.waitForFinished(5000));
    const QString err = QString::fromUtf8(p.readAllStandardError());
    QCOMPARE(p.exitCode(), 1);
    QVERIFY2(err.contains(expected), qPrintable(err));
}

void tst_MulticastCli::joinedServerReceives_data()
{
    QTest::addColumn<int>("family");
    QTest::newRow("IPv4") << int(AF_INET);
    QTest::newRow("IPv6") << int(AF_INET6);
}

void tst_MulticastCli::joinedServerReceives()
{
    QFETCH(int, family);
    ScratchNetns ns; // QProcess forks from this thread: the children live in the namespace
    if (!ns.ok())
        QSKIP(qPrintable(ns.error()));
    QVERIFY2(enableMulticast(ns), qPrintable(ns.error()));
    const bool v4 = family == AF_INET;
    const QString iface = multicastInterface(family);
    const QString wildcard = v4 ? u"0.0.0.0"_qs : u"::"_qs;
    const QString joined = v4 ? u"239.1.2.1"_qs : u"ff05::4241"_qs;
    const QString other = v4 ? u"239.1.2.2"_qs : u"ff05::4242"_qs;

    QProcess member;
    QProcess outsider;
    const quint16 memberPort = startServer(member, {u"--bind"_qs, wildcard, u"--join"_qs, joined + u'@' + iface});
    const quint16 outsiderPort = startServer(outsider, {u"--bind"_qs, wildcard});
    QVERIFY(memberPort && outsiderPort);

    const auto send = [&](const QString &group, quint16 port, const QString &text) {
        QStringList args{u"connect"_qs, u"udp"_qs, group, QString::number(port), u"--send"_qs, text,
                         u"--ttl"_qs, u"1"_qs, u"--loop"_qs, u"on"_qs, u"--idle"_qs, u"0.2"_qs};
        if (!v4)
            args << u"--opt"_qs << u"IPV6_MULTICAST_IF=%1"_qs.arg(if_nametoindex("mc0"));
        QProcess p;
        p.start(cli(), args);
        p.waitForFinished(5000);
        return p.exitCode() == 0 ? QString() : QString::fromUtf8(p.readAllStandardError());
    };
    QCOMPARE(send(other, outsiderPort, u"to the outsider"_qs), QString());
    QCOMPARE(send(joined, memberPort, u"to the member"_qs), QString());
    QString memberSaw;
    QTRY_VERIFY2((memberSaw += QString::fromUtf8(member.readAll())).contains(u"to the member"_qs), qPrintable(memberSaw));
    // Sent before the member's datagram, over the same path: it would have been printed by now.
    const QString outsiderSaw = stop(outsider);
    stop(member);
    QVERIFY2(!outsiderSaw.contains(u"to the outsider"_qs), qPrintable(outsiderSaw));
}

QTEST_GUILESS_MAIN(tst_MulticastCli)
#include "tst_multicastcli.moc"
