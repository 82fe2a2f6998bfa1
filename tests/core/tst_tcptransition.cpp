#include "observe/tcptransition.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace sockscope::core;
using S = TcpState;

Q_DECLARE_METATYPE(sockscope::core::TcpState)

namespace {

QStringList routeText(const QList<int> &route)
{
    QStringList out;
    for (int i : route) {
        const TcpTransition &t = tcpTransitions()[i];
        out.append(QStringLiteral("%1>%2").arg(t.from ? tcpStateName(*t.from) : QStringLiteral("*"), tcpStateName(t.to)));
    }
    return out;
}

} // namespace

class tst_TcpTransition : public QObject
{
    Q_OBJECT
private slots:
    void table();
    void labels_data();
    void labels();
    void likelyRoute_data();
    void likelyRoute();
    void synchronized();
};

void tst_TcpTransition::table()
{
    QCOMPARE(tcpTransitions().size(), size_t(22));
    QCOMPARE(rfcStates().size(), 11);
    for (S s : rfcStates()) {
        const bool reached = std::ranges::any_of(tcpTransitions(), [s](const TcpTransition &t) { return t.to == s; });
        const bool left = std::ranges::any_of(tcpTransitions(), [s](const TcpTransition &t) { return t.from == s; });
        QVERIFY2(reached, qPrintable(tcpStateName(s)));
        QVERIFY2(left || s == S::Closed, qPrintable(tcpStateName(s)));
    }
}

void tst_TcpTransition::labels_data()
{
    QTest::addColumn<TcpState>("from");
    QTest::addColumn<TcpState>("to");
    QTest::addColumn<QString>("label");
    QTest::newRow("passive open") << S::Closed << S::Listen << QStringLiteral("passive open (listen)");
    QTest::newRow("active open") << S::Closed << S::SynSent << QStringLiteral("active open (connect) / snd SYN");
    QTest::newRow("rcv SYN") << S::Listen << S::SynReceived << QStringLiteral("rcv SYN / snd SYN,ACK");
    QTest::newRow("rcv SYN,ACK") << S::SynSent << S::Established << QStringLiteral("rcv SYN,ACK / snd ACK");
    QTest::newRow("2 MSL") << S::TimeWait << S::Closed << QStringLiteral("2 MSL timeout");
    QTest::newRow("RST") << S::Established << S::Closed << QStringLiteral("rcv RST, or abort / snd RST");
    QTest::newRow("NEW_SYN_RECV is SYN_RECEIVED") << S::NewSynReceived << S::Established << QStringLiteral("rcv ACK of SYN");
}

void tst_TcpTransition::labels()
{
    QFETCH(TcpState, from);
    QFETCH(TcpState, to);
    QFETCH(QString, label);
    const auto index = tcpTransitionIndex(from, to);
    QVERIFY(index);
    QCOMPARE(tcpTransitions()[*index].label(), label);
}

void tst_TcpTransition::likelyRoute_data()
{
    QTest::addColumn<TcpState>("from");
    QTest::addColumn<TcpState>("to");
    QTest::addColumn<QStringList>("route");
    QTest::newRow("client handshake") << S::Closed << S::Established
                                      << QStringList{u"CLOSED>SYN_SENT"_s, u"SYN_SENT>ESTABLISHED"_s};
    QTest::newRow("server handshake") << S::Listen << S::Established
                                      << QStringList{u"LISTEN>SYN_RECEIVED"_s, u"SYN_RECEIVED>ESTABLISHED"_s};
    QTest::newRow("passive close, gone") << S::CloseWait << S::Closed << QStringList{u"CLOSE_WAIT>LAST_ACK"_s, u"LAST_ACK>CLOSED"_s};
    QTest::newRow("reset") << S::Established << S::Closed << QStringList{u"*>CLOSED"_s};
    QTest::newRow("active close, fast") << S::Established << S::TimeWait << QStringList{u"ESTABLISHED>FIN_WAIT_1"_s, u"FIN_WAIT_1>TIME_WAIT"_s};
    QTest::newRow("direct") << S::FinWait2 << S::TimeWait << QStringList{u"FIN_WAIT_2>TIME_WAIT"_s};
    QTest::newRow("queued then closed by peer") << S::Listen << S::CloseWait
                                                << QStringList{u"LISTEN>SYN_RECEIVED"_s, u"SYN_RECEIVED>ESTABLISHED"_s, u"ESTABLISHED>CLOSE_WAIT"_s};
    QTest::newRow("same state") << S::Established << S::Established << QStringList{};
    QTest::newRow("no way back") << S::TimeWait << S::SynReceived
                                 << QStringList{u"TIME_WAIT>CLOSED"_s, u"CLOSED>LISTEN"_s, u"LISTEN>SYN_RECEIVED"_s};
}

void tst_TcpTransition::likelyRoute()
{
    QFETCH(TcpState, from);
    QFETCH(TcpState, to);
    QFETCH(QStringList, route);
    QCOMPARE(routeText(tcpLikelyRoute(from, to)), route);
}

void tst_TcpTransition::synchronized()
{
    QVERIFY(isSynchronized(S::Established));
    QVERIFY(isSynchronized(S::TimeWait));
    QVERIFY(!isSynchronized(S::SynSent));
    QVERIFY(!isSynchronized(S::SynReceived));
    QVERIFY(!isSynchronized(S::Listen));
    QVERIFY(!isSynchronized(S::Closed));
    QVERIFY(!tcpTransitionIndex(S::Listen, S::Established)); // not one arrow
}

QTEST_GUILESS_MAIN(tst_TcpTransition)
#include "tst_tcptransition.moc"
