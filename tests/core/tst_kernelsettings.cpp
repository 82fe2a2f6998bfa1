#include "net/kernelsettings.h"
#include "net/socketoption.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace sockscope::core;

class tst_KernelSettings : public QObject
{
    Q_OBJECT
private slots:
    void issueSettingsAreExplained_data();
    void issueSettingsAreExplained();
    void obsoleteAdviceIsNoted_data();
    void obsoleteAdviceIsNoted();
    void everySettingIsDocumented();
    void readsThisKernel_data();
    void readsThisKernel();
    void readsAFakeTree();
    void optionContext();
};

void tst_KernelSettings::issueSettingsAreExplained_data()
{
    QTest::addColumn<QString>("key");
    for (const char *key : {"net.ipv4.tcp_fin_timeout", "net.ipv4.tcp_tw_reuse", "net.ipv4.tcp_syncookies",
                            "net.ipv4.tcp_max_syn_backlog", "net.core.somaxconn", "net.ipv4.ip_local_port_range",
                            "net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes",
                            "net.ipv4.tcp_tw_recycle"})
        QTest::newRow(key) << QString::fromLatin1(key);
}

void tst_KernelSettings::issueSettingsAreExplained()
{
    QFETCH(QString, key);
    const KernelSetting *s = KernelSettings::find(key);
    QVERIFY(s);
    QCOMPARE(s->keyText(), key);
    QVERIFY(s->summary && qstrlen(s->summary) > 10);
    QVERIFY(s->explanation && qstrlen(s->explanation) > 20);
}

void tst_KernelSettings::obsoleteAdviceIsNoted_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("tw_recycle removed") << "net.ipv4.tcp_tw_recycle" << "4.12";
    QTest::newRow("somaxconn caps listen") << "net.core.somaxconn" << "backlog";
    QTest::newRow("fin_timeout is not TIME_WAIT") << "net.ipv4.tcp_fin_timeout" << "TIME_WAIT";
    QTest::newRow("tw_reuse is client-side") << "net.ipv4.tcp_tw_reuse" << "server";
}

void tst_KernelSettings::obsoleteAdviceIsNoted()
{
    QFETCH(QString, key);
    QFETCH(QString, mentions);
    const KernelSetting *s = KernelSettings::find(key);
    QVERIFY(s && s->obsoleteAdvice);
    QVERIFY2(QString::fromLatin1(s->obsoleteAdvice).contains(mentions) || QString::fromLatin1(s->explanation).contains(mentions),
             s->obsoleteAdvice);
}

void tst_KernelSettings::everySettingIsDocumented()
{
    QStringList seen;
    for (const KernelSetting &s : KernelSettings::all()) {
        QVERIFY2(!seen.contains(s.keyText()), s.key);
        seen << s.keyText();
        QVERIFY2(s.key && QByteArray(s.key).startsWith("net."), s.key);
        QVERIFY2(s.explanation && qstrlen(s.explanation) > 20, s.key);
        // The per-socket override it names is a row of the option table.
        if (s.relatedOption)
            QVERIFY2(findSocketOption(QLatin1String(s.relatedOption)), s.relatedOption);
    }
    QCOMPARE(KernelSettings::find(u"net.ipv4.tcp_fin_timeout")->procPath(),
             QStringLiteral("/proc/sys/net/ipv4/tcp_fin_timeout"));
}

void tst_KernelSettings::readsThisKernel_data()
{
    QTest::addColumn<QString>("key");
    for (const KernelSetting &s : KernelSettings::all()) {
        if (s.keyText() != u"net.ipv4.tcp_tw_recycle")
            QTest::newRow(s.key) << s.keyText();
    }
}

void tst_KernelSettings::readsThisKernel()
{
    QFETCH(QString, key);
    const KernelSetting *s = KernelSettings::find(key);
    if (!QFile::exists(s->procPath()))
        QSKIP("this kernel or network namespace does not have the setting");
    const auto value = KernelSettings::read(*s);
    QVERIFY2(value, qPrintable(value ? QString() : value.error().toString()));
    QVERIFY(!value->isEmpty());
    QVERIFY(!value->contains(u'\t') && !value->contains(u'\n'));
    // Cross-check against the file itself.
    QFile file(s->procPath());
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(*value, QString::fromLatin1(file.readAll()).simplified());
    if (key == u"net.ipv4.ip_local_port_range") {
        const QStringList ends = value->split(u' ');
        QCOMPARE(ends.size(), 2);
        QVERIFY(ends[0].toInt() < ends[1].toInt());
    }
    if (key == u"net.core.somaxconn")
        QVERIFY(value->toInt() > 0);
}

void tst_KernelSettings::readsAFakeTree()
{
    QTemporaryDir root;
    QVERIFY(root.isValid());
    QVERIFY(QDir(root.path()).mkpath(QStringLiteral("net/ipv4")));
    QFile range(root.path() + QStringLiteral("/net/ipv4/ip_local_port_range"));
    QVERIFY(range.open(QIODevice::WriteOnly));
    range.write("1024\t\t65000\n");
    range.close();
    const auto value = KernelSettings::read(*KernelSettings::find(u"net.ipv4.ip_local_port_range"), root.path());
    QVERIFY(value);
    QCOMPARE(*value, QStringLiteral("1024 65000"));

    const auto missing = KernelSettings::read(*KernelSettings::find(u"net.ipv4.tcp_tw_recycle"), root.path());
    QVERIFY(!missing);
    QCOMPARE(missing.error().name(), QStringLiteral("ENOENT"));

    const auto all = KernelSettings::readAll(root.path());
    QCOMPARE(all.size(), qsizetype(KernelSettings::all().size()));
    int present = 0;
    for (const KernelSettingReading &r : all) {
        QVERIFY(r.value.has_value() != r.error.has_value());
        present += r.value ? 1 : 0;
    }
    QCOMPARE(present, 1);
}

void tst_KernelSettings::optionContext()
{
    const OptionContext context = KernelSettings::optionContext();
    QVERIFY(context.interfaces.contains(QStringLiteral("lo")));
    const auto current = KernelSettings::read(*KernelSettings::find(u"net.ipv4.tcp_congestion_control"));
    QVERIFY(current);
    QVERIFY2(context.congestionAlgorithms.contains(*current), qPrintable(context.congestionAlgorithms.join(u' ')));
}

QTEST_GUILESS_MAIN(tst_KernelSettings)
#include "tst_kernelsettings.moc"
