#include "../common/optiontestsupport.h"

#include "models/optionsmodel.h"

#include "engine/calltrace.h"
#include "engine/sessionoptions.h"
#include "net/socketoption.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace sockscope::core;
using sockscope::ui::OptionsModel;

// The option rows of real connected sockets of every kind, with getsockopt's answers and
// a real setsockopt's outcome, through the resets and repaints the options pane makes.
class tst_OptionsModel : public QObject
{
    Q_OBJECT
private slots:
    void showsReadingsAndApplies_data();
    void showsReadingsAndApplies();
    void switchingSocketKindResets();
};

void tst_OptionsModel::showsReadingsAndApplies_data()
{
    QTest::addColumn<int>("family");
    QTest::addColumn<int>("type");
    for (const auto &kind : sockscope::tests::socketKinds()) {
        if (kind.family == AF_INET6 && !sockscope::tests::ipv6Loopback())
            continue;
        QTest::newRow(qPrintable(kind.label())) << kind.family << kind.type;
    }
}

void tst_OptionsModel::showsReadingsAndApplies()
{
    QFETCH(int, family);
    QFETCH(int, type);
    auto connected = sockscope::tests::connectedSocket(family, type);
    QVERIFY2(connected, qPrintable(connected ? QString() : connected.error().toString()));

    OptionsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setSocketKind(family, type);
    QCOMPARE(model.rowCount(), int(socketOptionsFor(family, type).size()));
    QVERIFY(model.rowCount() > 0);

    const QList<OptionReading> readings = sessionoptions::read(connected->socket, family, type);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.setReadings(readings);
    QCOMPARE(changed.count(), 1);
    for (const OptionReading &r : readings) {
        const int row = model.rowOf(r.option);
        QVERIFY(row >= 0);
        QCOMPARE(model.index(row, OptionsModel::ValueColumn).data().toString(), OptionsModel::valueText(r));
        QCOMPARE(model.index(row, OptionsModel::NameColumn).data().toString(), r.option->nameText());
    }
    const SocketOption *sndbuf = findSocketOption("SO_SNDBUF");
    const int sndbufRow = model.rowOf(sndbuf);
    QVERIFY(sndbufRow >= 0);
    QVERIFY(!model.index(sndbufRow, OptionsModel::ValueColumn).data().toString().isEmpty());

    CallTrace trace;
    const OptionApplyResult applied = sessionoptions::apply(connected->socket, family, type,
                                                            OptionSetting{QStringLiteral("SO_SNDBUF"), QStringLiteral("65536")},
                                                            trace, QStringLiteral("s"));
    QVERIFY(applied.ok());
    model.setApplyResult(applied);
    QCOMPARE(changed.count(), 2);
    // The kernel doubles SO_SNDBUF: the cell says what was asked and what was kept.
    QCOMPARE(model.index(sndbufRow, OptionsModel::ApplyColumn).data().toString(), OptionsModel::applyText(applied));
    QVERIFY(model.index(sndbufRow, OptionsModel::ApplyColumn).data().toString().contains(QStringLiteral("65536")));

    model.clearValues();
    QCOMPARE(model.index(sndbufRow, OptionsModel::ValueColumn).data().toString(), QString());
    QVERIFY(!model.index(sndbufRow, OptionsModel::ApplyColumn).data().toString().isEmpty());
}

void tst_OptionsModel::switchingSocketKindResets()
{
    OptionsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    model.setSocketKind(AF_INET, SOCK_STREAM);
    const int tcpRows = model.rowCount();
    QVERIFY(model.rowOf(findSocketOption("TCP_NODELAY")) >= 0);
    model.setSocketKind(AF_UNIX, SOCK_DGRAM);
    QCOMPARE(reset.count(), 2);
    QVERIFY(model.rowCount() < tcpRows);
    QCOMPARE(model.rowOf(findSocketOption("TCP_NODELAY")), -1);
    QCOMPARE(model.option(model.rowCount()), nullptr);
}

QTEST_MAIN(tst_OptionsModel)
#include "tst_optionsmodel.moc"
