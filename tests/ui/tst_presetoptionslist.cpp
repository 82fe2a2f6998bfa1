#include "engine/sessionmanager.h"

#include "../common/sessionwaits.h"

#include "net/kernelsettings.h"
#include "widgets/presetoptionslist.h"

#include <QComboBox>
#include <QLineEdit>
#include <QSignalSpy>
#include <QTest>
#include <QToolButton>

#include <chrono>

using namespace Qt::StringLiterals;
using namespace sockscope::core;
using sockscope::ui::PresetOptionsList;
using sockscope::tests::waitUntilOpened;

class tst_PresetOptionsList : public QObject
{
    Q_OBJECT
private slots:
    void offersWhatApplies_data();
    void offersWhatApplies();
    void earlyOptionsComeFirst();
    void valuesAreCheckedInline();
    void settingsKeepTheirOrder();
    void removeAndClear();
    void settingsDriveAListener();

private:
    static QStringList offered(PresetOptionsList &list)
    {
        if (list.count() == 0)
            list.addSetting();
        QStringList names;
        QComboBox *combo = list.nameCombo(0);
        for (int i = 0; i < combo->count(); ++i)
            names << combo->itemData(i).toString();
        return names;
    }
};

void tst_PresetOptionsList::offersWhatApplies_data()
{
    QTest::addColumn<int>("family");
    QTest::addColumn<int>("type");
    QTest::addColumn<QString>("present");
    QTest::addColumn<QString>("absent");
    QTest::newRow("tcp over IPv6") << AF_INET6 << int(SOCK_STREAM) << "IPV6_V6ONLY" << "IP_TTL";
    QTest::newRow("tcp over IPv4") << AF_INET << int(SOCK_STREAM) << "TCP_FASTOPEN" << "IP_MULTICAST_TTL";
    QTest::newRow("udp, family unknown") << 0 << int(SOCK_DGRAM) << "IPV6_V6ONLY" << "TCP_NODELAY";
    QTest::newRow("udp, family unknown has IPv4 too") << 0 << int(SOCK_DGRAM) << "IP_TTL" << "SO_TYPE";
    QTest::newRow("unix stream") << AF_UNIX << int(SOCK_STREAM) << "SO_SNDBUF" << "SO_REUSEADDR";
}

void tst_PresetOptionsList::offersWhatApplies()
{
    QFETCH(int, family);
    QFETCH(int, type);
    QFETCH(QString, present);
    QFETCH(QString, absent);
    PresetOptionsList list;
    list.setSocketKind(family, type);
    const QStringList names = offered(list);
    QVERIFY2(names.contains(present), qPrintable(names.join(u' ')));
    QVERIFY(!names.contains(absent));
    for (const QString &name : names)
        QVERIFY2(findSocketOption(name)->settable(), qPrintable(name));
}

void tst_PresetOptionsList::earlyOptionsComeFirst()
{
    PresetOptionsList list;
    list.setSocketKind(AF_INET6, SOCK_STREAM);
    const QStringList names = offered(list);
    // The list of options that must be set before bind/connect/listen.
    const QStringList early{u"SO_REUSEADDR"_s, u"SO_REUSEPORT"_s, u"IPV6_V6ONLY"_s, u"SO_BINDTODEVICE"_s, u"SO_RCVBUF"_s, u"SO_SNDBUF"_s,
                            u"TCP_FASTOPEN"_s, u"TCP_SYNCNT"_s, u"TCP_MAXSEG"_s};
    qsizetype lastEarly = 0;
    for (const QString &name : early) {
        QVERIFY2(names.contains(name), qPrintable(name));
        lastEarly = std::max(lastEarly, names.indexOf(name));
    }
    QVERIFY(lastEarly < names.indexOf(QStringLiteral("TCP_NODELAY")));
    QVERIFY(list.nameCombo(0)->itemText(0).contains(u"before"));
}

void tst_PresetOptionsList::valuesAreCheckedInline()
{
    PresetOptionsList list;
    list.setSocketKind(AF_INET, SOCK_STREAM);
    list.setContext(KernelSettings::optionContext());
    list.addSetting({QStringLiteral("SO_RCVBUF"), QString()});
    QLineEdit *value = list.valueEdit(0);
    QTest::keyClicks(value, QStringLiteral("-5"));
    QVERIFY2(list.errorText(0).startsWith(u"SO_RCVBUF:"), qPrintable(list.errorText(0)));
    QVERIFY(!list.isValid());
    value->clear();
    QTest::keyClicks(value, QStringLiteral("65536"));
    QVERIFY(list.errorText(0).isEmpty());
    QVERIFY(list.isValid());

    list.addSetting({QStringLiteral("TCP_CONGESTION"), QStringLiteral("warp9")});
    QVERIFY(!list.isValid());
    QVERIFY(list.errorText(1).contains(u"unknown congestion algorithm"));
    QCOMPARE(list.valueEdit(1)->text(), QStringLiteral("warp9")); // kept as typed
    // Choosing another option re-checks the value against the new row.
    list.nameCombo(1)->setCurrentIndex(list.nameCombo(1)->findData(QStringLiteral("TCP_SYNCNT")));
    QVERIFY(list.errorText(1).contains(u"not a number"));
    QVERIFY(list.valueEdit(0)->accessibleName().size() > 0 && !list.valueEdit(0)->toolTip().isEmpty());
}

void tst_PresetOptionsList::settingsKeepTheirOrder()
{
    PresetOptionsList list;
    list.setSocketKind(AF_INET, SOCK_STREAM);
    QSignalSpy changed(&list, &PresetOptionsList::changed);
    const QList<OptionSetting> wanted{{QStringLiteral("SO_REUSEPORT"), QStringLiteral("1")},
                                      {QStringLiteral("SO_RCVBUF"), QStringLiteral("65536")},
                                      {QStringLiteral("TCP_NODELAY"), QStringLiteral("1")}};
    list.setSettings(wanted);
    QVERIFY(changed.size() >= 3);
    QCOMPARE(list.count(), 3);
    QVERIFY(list.isValid());
    QCOMPARE(list.settings(), wanted);
}

void tst_PresetOptionsList::removeAndClear()
{
    PresetOptionsList list;
    list.setSocketKind(AF_INET, SOCK_DGRAM);
    list.setSettings({{QStringLiteral("IP_TTL"), QStringLiteral("3")}, {QStringLiteral("SO_BROADCAST"), QStringLiteral("1")}});
    auto *remove = list.findChildren<QToolButton *>().first();
    QTest::mouseClick(remove, Qt::LeftButton);
    QCOMPARE(list.count(), 1);
    QCOMPARE(list.settings().first().name, QStringLiteral("SO_BROADCAST"));
    list.clear();
    QCOMPARE(list.count(), 0);
    QVERIFY(list.settings().isEmpty());
}

void tst_PresetOptionsList::settingsDriveAListener()
{
    PresetOptionsList list;
    list.setSocketKind(AF_INET, SOCK_STREAM);
    list.setSettings({{QStringLiteral("SO_REUSEPORT"), QStringLiteral("1")}, {QStringLiteral("TCP_DEFER_ACCEPT"), QStringLiteral("5")}});
    QVERIFY(list.isValid());
    SessionManager sessions;
    ListenSpec spec;
    spec.bind = Address::loopback(AF_INET, 0);
    spec.options = list.settings();
    const SessionId id = sessions.listen(spec);
    const auto info = waitUntilOpened(sessions, id);
    QCOMPARE(info->state, SessionState::Listening);
    QStringList codes;
    for (const CallRecord &r : sessions.trace(id)->since(0))
        codes << r.code;
    const qsizetype reuse = codes.indexOf(QStringLiteral("s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)"));
    const qsizetype defer = codes.indexOf(QStringLiteral("s.setsockopt(socket.IPPROTO_TCP, socket.TCP_DEFER_ACCEPT, 5)"));
    const qsizetype bind = codes.indexOf(QStringLiteral("s.bind((\"127.0.0.1\", 0))"));
    QVERIFY2(reuse > 0 && reuse < defer && defer < bind, qPrintable(codes.join(u'\n')));
}

QTEST_MAIN(tst_PresetOptionsList)
#include "tst_presetoptionslist.moc"
