#include "widgets/formhelpers.h"

#include <QLocale>
#include <QTest>

using namespace sockscope;

class tst_FormHelpers : public QObject
{
    Q_OBJECT

private slots:
    void sizesAreNamedInTheirUnits_data();
    void sizesAreNamedInTheirUnits();
};

void tst_FormHelpers::sizesAreNamedInTheirUnits_data()
{
    QTest::addColumn<quint64>("bytes");
    QTest::addColumn<QString>("shown");
    QTest::newRow("none") << quint64(0) << QStringLiteral("0 bytes");
    QTest::newRow("under 1 KiB") << quint64(1023) << QStringLiteral("1023 bytes");
    QTest::newRow("1 KiB") << quint64(1024) << QStringLiteral("1.0 KiB");
    QTest::newRow("1.5 KiB") << quint64(1536) << QStringLiteral("1.5 KiB");
    QTest::newRow("10^6 bytes is not 1 MiB") << quint64(1'000'000) << QStringLiteral("976.6 KiB");
    QTest::newRow("1 MiB") << quint64(1 << 20) << QStringLiteral("1.0 MiB");
    QTest::newRow("5 GiB") << quint64(5) * (1 << 30) << QStringLiteral("5.0 GiB");
}

// Sizes are counted in 1024s, so they are named in 1024s (the footer, the connection list,
// the status bar and the composer all show them through humanBytes()).
void tst_FormHelpers::sizesAreNamedInTheirUnits()
{
    QFETCH(quint64, bytes);
    QFETCH(QString, shown);
    QLocale::setDefault(QLocale::c());
    QCOMPARE(ui::humanBytes(bytes), shown);
    QLocale::setDefault(QLocale::system());
}

QTEST_MAIN(tst_FormHelpers)
#include "tst_formhelpers.moc"
