// /proc/net/igmp and igmp6 as this kernel (6.x) writes them, parsed into groups.

#include "observe/kernelgroups.h"

#include <QTest>

#include <QtEndian>

using namespace sockscope::core;

Q_DECLARE_METATYPE(QList<KernelGroup>)

class tst_KernelGroups : public QObject
{
    Q_OBJECT

private slots:
    void parseIgmp_data();
    void parseIgmp();
    void parseIgmp6_data();
    void parseIgmp6();
};

namespace {

// The kernel prints the group's __be32 as a host-order number: 239.1.2.3 is 030201EF on a
// little-endian machine, EF010203 on a big-endian one.
QByteArray printed(quint32 networkOrder)
{
    quint32 inMemory = qToBigEndian(networkOrder);
    return QByteArray::number(inMemory, 16).toUpper().rightJustified(8, '0');
}

} // namespace

void tst_KernelGroups::parseIgmp_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QList<KernelGroup>>("groups");
    const QByteArray header = "Idx\tDevice    : Count Querier\tGroup    Users Timer\tReporter\n";
    QTest::newRow("empty") << QByteArray() << QList<KernelGroup>{};
    QTest::newRow("header only") << header << QList<KernelGroup>{};
    QTest::newRow("two interfaces") << header + "1\tlo        :     2      V3\n"
                                                "\t\t\t\t" + printed(0xE0000001) + "     1 0:00000000\t\t0\n"
                                                "\t\t\t\t" + printed(0xEF010203) + "     2 0:00000000\t\t0\n"
                                                "4\teth0      :     1      V3\n"
                                                "\t\t\t\t" + printed(0xE0000001) + "     1 0:00000000\t\t0\n"
                                    << QList<KernelGroup>{{1, QStringLiteral("lo"), QStringLiteral("224.0.0.1"), 1},
                                                          {1, QStringLiteral("lo"), QStringLiteral("239.1.2.3"), 2},
                                                          {4, QStringLiteral("eth0"), QStringLiteral("224.0.0.1"), 1}};
    QTest::newRow("interface without groups")
        << header + "3\tifb0      :     0      V3\n2\tlo        :     1      V3\n\t\t\t\t" + printed(0xE0000001) + "     1 0:00000000\t\t0\n"
        << QList<KernelGroup>{{2, QStringLiteral("lo"), QStringLiteral("224.0.0.1"), 1}};
    QTest::newRow("garbage line skipped") << header + "1\tlo        :     1      V3\n\t\t\t\tnothex  1\n"
                                          << QList<KernelGroup>{};
}

void tst_KernelGroups::parseIgmp()
{
    QFETCH(QByteArray, text);
    QFETCH(QList<KernelGroup>, groups);
    QCOMPARE(KernelGroups::parseIgmp(text), groups);
}

void tst_KernelGroups::parseIgmp6_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QList<KernelGroup>>("groups");
    QTest::newRow("empty") << QByteArray() << QList<KernelGroup>{};
    QTest::newRow("lo and eth0") << QByteArray("1    lo              ff020000000000000000000000000001     1 0000000C 0\n"
                                               "1    lo              ff050000000000000000000000004242     2 00000004 0\n"
                                               "4    eth0            ff0200000000000000000001ff8d0e6f     1 00000004 0\n")
                                 << QList<KernelGroup>{{1, QStringLiteral("lo"), QStringLiteral("ff02::1"), 1},
                                                       {1, QStringLiteral("lo"), QStringLiteral("ff05::4242"), 2},
                                                       {4, QStringLiteral("eth0"), QStringLiteral("ff02::1:ff8d:e6f"), 1}};
    QTest::newRow("short group skipped") << QByteArray("1    lo              ff02     1 0000000C 0\n") << QList<KernelGroup>{};
}

void tst_KernelGroups::parseIgmp6()
{
    QFETCH(QByteArray, text);
    QFETCH(QList<KernelGroup>, groups);
    QCOMPARE(KernelGroups::parseIgmp6(text), groups);
}

QTEST_GUILESS_MAIN(tst_KernelGroups)
#include "tst_kernelgroups.moc"
