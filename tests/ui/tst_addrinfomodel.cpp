#include "models/addrinfomodel.h"

#include "net/resolver.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

#include <netdb.h>

using namespace sockscope::core;
using sockscope::ui::AddrInfoModel;

// getaddrinfo's real answers for numeric loopback hosts (no DNS), through the resets the
// lookup pane makes, checked by QAbstractItemModelTester.
class tst_AddrInfoModel : public QObject
{
    Q_OBJECT
private slots:
    void showsGetaddrinfosRows_data();
    void showsGetaddrinfosRows();
    void newAnswersAndClearReset();
};

void tst_AddrInfoModel::showsGetaddrinfosRows_data()
{
    QTest::addColumn<QString>("host");
    QTest::addColumn<int>("socktype");
    QTest::addColumn<QString>("family");
    QTest::addColumn<int>("rows");
    QTest::newRow("IPv4 any type") << QStringLiteral("127.0.0.1") << 0 << QStringLiteral("AF_INET") << 3;
    QTest::newRow("IPv4 stream") << QStringLiteral("127.0.0.1") << int(SOCK_STREAM) << QStringLiteral("AF_INET") << 1;
    QTest::newRow("IPv6 datagram") << QStringLiteral("::1") << int(SOCK_DGRAM) << QStringLiteral("AF_INET6") << 1;
}

void tst_AddrInfoModel::showsGetaddrinfosRows()
{
    QFETCH(QString, host);
    QFETCH(int, socktype);
    QFETCH(QString, family);
    QFETCH(int, rows);
    AddrInfoHints hints;
    hints.socktype = socktype;
    hints.flags = AI_NUMERICHOST | AI_NUMERICSERV;
    const auto answer = Resolver::getaddrinfo(host, QStringLiteral("8080"), hints);
    QVERIFY2(answer, qPrintable(answer ? QString() : answer.error().toString()));

    AddrInfoModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setRows(*answer);
    QCOMPARE(model.rowCount(), rows);
    for (int row = 0; row < rows; ++row) {
        QCOMPARE(model.index(row, AddrInfoModel::Order).data().toString(), QString::number(row + 1));
        QCOMPARE(model.index(row, AddrInfoModel::Order).data(AddrInfoModel::SortRole).toInt(), row);
        QCOMPARE(model.index(row, AddrInfoModel::Family).data().toString(), family);
        QCOMPARE(model.index(row, AddrInfoModel::Address).data().toString(), host);
        QCOMPARE(model.index(row, AddrInfoModel::Port).data().toString(), QStringLiteral("8080"));
        QCOMPARE(model.index(row, AddrInfoModel::Port).data(AddrInfoModel::SortRole).toInt(), 8080);
    }
    const QStringList tsv = model.toTsv({0}).split(u'\n', Qt::SkipEmptyParts);
    QCOMPARE(tsv.size(), 2);
    QVERIFY(tsv[1].startsWith(QStringLiteral("1\t%1\t").arg(family)));
}

void tst_AddrInfoModel::newAnswersAndClearReset()
{
    AddrInfoModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    AddrInfoHints hints;
    hints.flags = AI_NUMERICHOST;
    const auto first = Resolver::getaddrinfo(QStringLiteral("127.0.0.1"), std::nullopt, hints);
    QVERIFY(first);
    model.setRows(*first);
    hints.socktype = SOCK_STREAM;
    const auto second = Resolver::getaddrinfo(QStringLiteral("::1"), QStringLiteral("22"), hints);
    QVERIFY(second);
    model.setRows(*second);
    QCOMPARE(model.rowCount(), int(second->size()));
    QCOMPARE(model.index(0, AddrInfoModel::Address).data().toString(), QStringLiteral("::1"));
    model.clear();
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(reset.count(), 3);
}

QTEST_MAIN(tst_AddrInfoModel)
#include "tst_addrinfomodel.moc"
