// Multicast through the engine, in a network namespace of the test's own: a datagram sent
// to a group reaches a session that joined it and not one that left it; the kernel's
// /proc/net/igmp(6) lists the joined group and not the left one; the trace shows each
// setsockopt as Python writes it.

#include "../common/multicastnetns.h"
#include "../common/sessionwaits.h"
#include "../common/tryuntil.h"

#include "engine/sessionmanager.h"
#include "net/multicast.h"

#include <QTest>

#include <net/if.h>

#include <memory>

using namespace sockscope::core;
using namespace sockscope::tests;

class tst_MulticastSessions : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase_data();
    void init();
    void joinedReceivesLeftDoesNot();

private:
    multicast::GroupRequest group(int which) const;
    SessionId bound();
    bool apply(SessionId id, const OptionSetting &setting);
    QStringList received(SessionId id) const;
    QStringList traceCode(SessionId id) const;

    int m_family = AF_INET;
    std::unique_ptr<SessionManager> m_sessions;
};

void tst_MulticastSessions::initTestCase_data()
{
    QTest::addColumn<int>("family");
    QTest::newRow("IPv4") << int(AF_INET);
    QTest::newRow("IPv6") << int(AF_INET6);
}

void tst_MulticastSessions::init()
{
    QFETCH_GLOBAL(int, family);
    m_family = family;
}

multicast::GroupRequest tst_MulticastSessions::group(int which) const
{
    const QString text = m_family == AF_INET ? QStringLiteral("239.1.2.%1").arg(which) : QStringLiteral("ff05::424%1").arg(which);
    return {text, multicastInterface(m_family), m_family};
}

SessionId tst_MulticastSessions::bound()
{
    const SessionId id = m_sessions->openDatagram({.family = m_family, .bind = Address::any(m_family)});
    const auto info = waitForState(*m_sessions, id, SessionState::Bound);
    return info && info->state == SessionState::Bound ? id : 0;
}

bool tst_MulticastSessions::apply(SessionId id, const OptionSetting &setting)
{
    std::optional<OptionApplyResult> result;
    QObject context;
    m_sessions->applyOption(id, setting, &context, [&](OptionApplyResult r) { result = std::move(r); });
    if (!tryUntil([&] { return result.has_value(); }))
        return false;
    if (!result->ok())
        qWarning() << setting.name << setting.value << result->error->toString();
    return result->ok();
}

QStringList tst_MulticastSessions::received(SessionId id) const
{
    QStringList texts;
    if (auto traffic = m_sessions->traffic(id)) {
        for (const TrafficRecord &r : traffic->since(0).records) {
            if (r.direction == Direction::In)
                texts << QString::fromUtf8(r.bytes);
        }
    }
    return texts;
}

QStringList tst_MulticastSessions::traceCode(SessionId id) const
{
    QStringList code;
    if (auto trace = m_sessions->trace(id)) {
        for (const CallRecord &r : trace->since(0))
            code << r.code;
    }
    return code;
}

void tst_MulticastSessions::joinedReceivesLeftDoesNot()
{
    ScratchNetns ns;
    if (!ns.ok())
        QSKIP(qPrintable(ns.error()));
    QVERIFY2(enableMulticast(ns), qPrintable(ns.error()));
    m_sessions = std::make_unique<SessionManager>(); // its I/O thread lives in the namespace
    const auto stop = qScopeGuard([&] { m_sessions.reset(); });

    const SessionId stays = bound();
    const SessionId leaves = bound();
    QVERIFY(stays && leaves);
    const quint16 staysPort = m_sessions->info(stays)->local.port();
    const quint16 leavesPort = m_sessions->info(leaves)->local.port();

    DatagramSpec senderSpec{.family = m_family};
    senderSpec.options << multicast::hopsSetting(m_family, 1) << multicast::loopSetting(m_family, true);
    if (m_family == AF_INET6)
        senderSpec.options << OptionSetting{QStringLiteral("IPV6_MULTICAST_IF"), QString::number(if_nametoindex("mc0"))};
    const SessionId sender = m_sessions->openDatagram(senderSpec);
    QVERIFY(waitUntilOpened(*m_sessions, sender));
    ns.leave();

    QVERIFY(apply(stays, multicast::joinSetting(group(1))));
    QVERIFY(apply(leaves, multicast::joinSetting(group(2))));
    const auto to = [&](int which, quint16 port) { return *Address::ip(group(which).group, port); };
    m_sessions->sendTo(sender, "joined", to(2, leavesPort));
    QTRY_COMPARE(received(leaves), QStringList{QStringLiteral("joined")});

    QVERIFY(apply(leaves, multicast::leaveSetting(group(2))));
    m_sessions->sendTo(sender, "after leaving", to(2, leavesPort));
    m_sessions->sendTo(sender, "still joined", to(1, staysPort));
    QTRY_COMPARE(received(stays), QStringList{QStringLiteral("still joined")});
    QTest::qWait(100); // the datagram sent first would have arrived by now
    QCOMPARE(received(leaves), QStringList{QStringLiteral("joined")});

    std::optional<QList<KernelGroup>> groups;
    QObject context;
    m_sessions->readKernelGroups(&context, [&](QList<KernelGroup> g) { groups = std::move(g); });
    QTRY_VERIFY(groups.has_value());
    const QString iface = multicastInterface(m_family);
    const auto listed = [&](int which) {
        return std::ranges::any_of(*groups, [&](const KernelGroup &g) { return g.group == group(which).group && g.interface == iface; });
    };
    QVERIFY(listed(1));
    QVERIFY(!listed(2));

    const QString join = m_family == AF_INET
        ? QStringLiteral("s.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, socket.inet_aton(\"239.1.2.1\") + "
                         "socket.inet_aton(\"0.0.0.0\") + struct.pack(\"@i\", socket.if_nametoindex(\"lo\")))")
        : QStringLiteral("s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_JOIN_GROUP, socket.inet_pton(socket.AF_INET6, "
                         "\"ff05::4241\") + struct.pack(\"@I\", socket.if_nametoindex(\"mc0\")))");
    QVERIFY2(traceCode(stays).contains(join), qPrintable(traceCode(stays).join(u'\n')));
    const QString hops = m_family == AF_INET ? QStringLiteral("s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 1)")
                                             : QStringLiteral("s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_HOPS, 1)");
    QVERIFY2(traceCode(sender).contains(hops), qPrintable(traceCode(sender).join(u'\n')));
}

QTEST_GUILESS_MAIN(tst_MulticastSessions)
#include "tst_multicastsessions.moc"
