#include "net/syserror.h"

#include <QTest>

#include <cerrno>
#include <netdb.h>

using sockscope::core::SysError;

class tst_SysError : public QObject
{
    Q_OBJECT
private slots:
    void errnoNames_data();
    void errnoNames();
    void gaiNames_data();
    void gaiNames();
    void hints();
    void inputErrorsNameTheField();
};

void tst_SysError::errnoNames_data()
{
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("name");
    QTest::newRow("refused") << ECONNREFUSED << "ECONNREFUSED";
    QTest::newRow("in use") << EADDRINUSE << "EADDRINUSE";
    QTest::newRow("reset") << ECONNRESET << "ECONNRESET";
    QTest::newRow("pipe") << EPIPE << "EPIPE";
    QTest::newRow("timed out") << ETIMEDOUT << "ETIMEDOUT";
    QTest::newRow("would block") << EAGAIN << "EAGAIN";
}

void tst_SysError::errnoNames()
{
    QFETCH(int, code);
    QFETCH(QString, name);
    const SysError e = SysError::fromErrno(code);
    QCOMPARE(e.name(), name);
    QCOMPARE(e.code(), code);
    QCOMPARE(e.message(), QString::fromLocal8Bit(strerror(code)));
    QVERIFY(e.toString().startsWith(name + QStringLiteral(" (%1)").arg(code)));
}

void tst_SysError::gaiNames_data()
{
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("name");
    QTest::newRow("noname") << EAI_NONAME << "EAI_NONAME";
    QTest::newRow("service") << EAI_SERVICE << "EAI_SERVICE";
    QTest::newRow("family") << EAI_FAMILY << "EAI_FAMILY";
    QTest::newRow("badflags") << EAI_BADFLAGS << "EAI_BADFLAGS";
    QTest::newRow("addrfamily (GNU)") << EAI_ADDRFAMILY << "EAI_ADDRFAMILY";
    QTest::newRow("nodata (GNU)") << EAI_NODATA << "EAI_NODATA";
    QTest::newRow("idn encode (GNU)") << EAI_IDN_ENCODE << "EAI_IDN_ENCODE";
}

void tst_SysError::gaiNames()
{
    QFETCH(int, code);
    QFETCH(QString, name);
    const SysError e = SysError::fromGai(code);
    QCOMPARE(e.name(), name);
    QCOMPARE(e.message(), QString::fromLocal8Bit(gai_strerror(code)));
}

void tst_SysError::hints()
{
    QVERIFY(SysError::fromErrno(EADDRINUSE).hint().contains(QLatin1String("SO_REUSEADDR")));
    QVERIFY(SysError::fromErrno(ECONNREFUSED).hint().contains(QLatin1String("RST")));
    QVERIFY(SysError::fromPcap(-8).hint().contains(QLatin1String("CAP_NET_RAW")));
    QCOMPARE(SysError::fromPcap(-8).name(), QStringLiteral("PCAP_ERROR_PERM_DENIED"));
    QVERIFY(SysError::fromErrno(EDOM).hint().isEmpty());
}

void tst_SysError::inputErrorsNameTheField()
{
    const SysError e = SysError::input(QStringLiteral("port"), QStringLiteral("too big"));
    QCOMPARE(e.domain(), SysError::Domain::Input);
    QCOMPARE(e.field(), QStringLiteral("port"));
    QCOMPARE(e.toString(), QStringLiteral("port: too big"));
}

QTEST_GUILESS_MAIN(tst_SysError)
#include "tst_syserror.moc"
