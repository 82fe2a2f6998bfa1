#include "net/tcpstate.h"

#include <QTest>

#include <netinet/tcp.h>

using namespace sockscope::core;

class tst_TcpState : public QObject
{
    Q_OBJECT
private slots:
    void kernelNumbers_data();
    void kernelNumbers();
    void outOfRange_data();
    void outOfRange();
    void fromName_data();
    void fromName();
    void namesRoundTrip();
    void transient_data();
    void transient();
};

void tst_TcpState::kernelNumbers_data()
{
    QTest::addColumn<int>("number");
    QTest::addColumn<QString>("name");
    // The userspace constants of <netinet/tcp.h> pin the numbering to the kernel's.
    QTest::newRow("established") << int(TCP_ESTABLISHED) << "ESTABLISHED";
    QTest::newRow("syn sent") << int(TCP_SYN_SENT) << "SYN_SENT";
    QTest::newRow("syn recv") << int(TCP_SYN_RECV) << "SYN_RECEIVED";
    QTest::newRow("fin wait 1") << int(TCP_FIN_WAIT1) << "FIN_WAIT_1";
    QTest::newRow("fin wait 2") << int(TCP_FIN_WAIT2) << "FIN_WAIT_2";
    QTest::newRow("time wait") << int(TCP_TIME_WAIT) << "TIME_WAIT";
    QTest::newRow("close") << int(TCP_CLOSE) << "CLOSED";
    QTest::newRow("close wait") << int(TCP_CLOSE_WAIT) << "CLOSE_WAIT";
    QTest::newRow("last ack") << int(TCP_LAST_ACK) << "LAST_ACK";
    QTest::newRow("listen") << int(TCP_LISTEN) << "LISTEN";
    QTest::newRow("closing") << int(TCP_CLOSING) << "CLOSING";
    // TCP_NEW_SYN_RECV is kernel-internal (no userspace constant): a request socket.
    QTest::newRow("new syn recv") << 12 << "SYN_RECEIVED";
}

void tst_TcpState::kernelNumbers()
{
    QFETCH(int, number);
    QFETCH(QString, name);
    const auto state = tcpStateFromKernel(number);
    QVERIFY(state);
    QCOMPARE(int(*state), number);
    QCOMPARE(tcpStateName(*state), name);
}

void tst_TcpState::outOfRange_data()
{
    QTest::addColumn<int>("number");
    QTest::newRow("zero") << 0;
    QTest::newRow("thirteen") << 13;
    QTest::newRow("negative") << -1;
    QTest::newRow("byte max") << 255;
}

void tst_TcpState::outOfRange()
{
    QFETCH(int, number);
    QVERIFY(!tcpStateFromKernel(number));
}

void tst_TcpState::fromName_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<int>("expected"); // 0: not a state name
    QTest::newRow("rfc listen") << "LISTEN" << int(TcpState::Listen);
    QTest::newRow("rfc syn received") << "SYN_RECEIVED" << int(TcpState::SynReceived);
    QTest::newRow("rfc time wait") << "TIME_WAIT" << int(TcpState::TimeWait);
    QTest::newRow("rfc lower case") << "close_wait" << int(TcpState::CloseWait);
    QTest::newRow("ss estab") << "ESTAB" << int(TcpState::Established);
    QTest::newRow("ss syn-recv") << "SYN-RECV" << int(TcpState::SynReceived);
    QTest::newRow("ss fin-wait-2") << "FIN-WAIT-2" << int(TcpState::FinWait2);
    QTest::newRow("ss time-wait") << "TIME-WAIT" << int(TcpState::TimeWait);
    QTest::newRow("ss close") << "CLOSE" << int(TcpState::Closed);
    QTest::newRow("ss unconn") << "UNCONN" << int(TcpState::Closed);
    QTest::newRow("empty") << "" << 0;
    QTest::newRow("kernel-only name") << "NEW_SYN_RECV" << 0;
    QTest::newRow("prefix only") << "FIN_WAIT" << 0;
}

void tst_TcpState::fromName()
{
    QFETCH(QString, name);
    QFETCH(int, expected);
    const auto state = tcpStateFromName(name);
    if (expected == 0) {
        QVERIFY(!state);
        return;
    }
    QVERIFY(state);
    QCOMPARE(int(*state), expected);
}

void tst_TcpState::namesRoundTrip()
{
    for (int n = 1; n <= 12; ++n) {
        const TcpState s = *tcpStateFromKernel(n);
        const auto back = tcpStateFromName(tcpStateName(s));
        QVERIFY2(back, qPrintable(tcpStateName(s)));
        QCOMPARE(*back, rfcState(s));
    }
    QCOMPARE(rfcState(TcpState::NewSynReceived), TcpState::SynReceived);
    QCOMPARE(rfcState(TcpState::TimeWait), TcpState::TimeWait);
}

void tst_TcpState::transient_data()
{
    QTest::addColumn<int>("state");
    QTest::addColumn<bool>("transient");
    QTest::newRow("syn sent") << int(TcpState::SynSent) << true;
    QTest::newRow("request socket") << int(TcpState::NewSynReceived) << true;
    QTest::newRow("fin wait 1") << int(TcpState::FinWait1) << true;
    QTest::newRow("last ack") << int(TcpState::LastAck) << true;
    QTest::newRow("established") << int(TcpState::Established) << false;
    QTest::newRow("listen") << int(TcpState::Listen) << false;
    QTest::newRow("time wait") << int(TcpState::TimeWait) << false;
    QTest::newRow("close wait") << int(TcpState::CloseWait) << false;
}

void tst_TcpState::transient()
{
    QFETCH(int, state);
    QFETCH(bool, transient);
    QCOMPARE(isTransient(TcpState(state)), transient);
}

QTEST_APPLESS_MAIN(tst_TcpState)
#include "tst_tcpstate.moc"
