#include "engine/services.h"

#include <QTest>

using namespace sockscope::core;

Q_DECLARE_METATYPE(sockscope::core::ServiceMode)

class tst_Services : public QObject
{
    Q_OBJECT
private slots:
    void replies_data();
    void replies();
    void modeNames_data();
    void modeNames();
    void chargenAndDaytimeSpeakFirst();
};

void tst_Services::replies_data()
{
    QTest::addColumn<ServiceMode>("mode");
    QTest::addColumn<QByteArray>("in");
    QTest::addColumn<bool>("answers");
    QTest::addColumn<QByteArray>("out");
    QTest::newRow("echo text") << ServiceMode::Echo << QByteArray("hello\n") << true << QByteArray("hello\n");
    QTest::newRow("echo binary") << ServiceMode::Echo << QByteArray("\x00\xff\x7f", 3) << true << QByteArray("\x00\xff\x7f", 3);
    // An empty datagram is answered with an empty datagram.
    QTest::newRow("echo empty") << ServiceMode::Echo << QByteArray() << true << QByteArray();
    QTest::newRow("upper") << ServiceMode::Upper << QByteArray("hello") << true << QByteArray("HELLO");
    QTest::newRow("upper mixed") << ServiceMode::Upper << QByteArray("Mixed 123 z{`") << true << QByteArray("MIXED 123 Z{`");
    // Like bytes.upper(): only ASCII letters change; UTF-8 bytes pass through untouched.
    QTest::newRow("upper non-ascii") << ServiceMode::Upper << QByteArray("\xc3\xa9t\xc3\xa9") << true
                                     << QByteArray("\xc3\xa9T\xc3\xa9");
    QTest::newRow("upper empty") << ServiceMode::Upper << QByteArray() << true << QByteArray();
    QTest::newRow("discard") << ServiceMode::Discard << QByteArray("anything") << false << QByteArray();
}

void tst_Services::replies()
{
    QFETCH(ServiceMode, mode);
    QFETCH(QByteArray, in);
    QFETCH(bool, answers);
    QFETCH(QByteArray, out);

    const auto service = Service::create({mode});
    QVERIFY(service);
    QVERIFY(!service->onOpen().bytes.has_value()); // none of them greets
    const Service::Reply reply = service->onData(in);
    QCOMPARE(reply.bytes.has_value(), answers);
    if (answers)
        QCOMPARE(*reply.bytes, out);
    QVERIFY(!reply.close);
    // Stateless: the same input gives the same answer again.
    QCOMPARE(service->onData(in).bytes, reply.bytes);
}

void tst_Services::modeNames_data()
{
    QTest::addColumn<ServiceMode>("mode");
    QTest::addColumn<QString>("name");
    QTest::newRow("none") << ServiceMode::None << "none";
    QTest::newRow("echo") << ServiceMode::Echo << "echo";
    QTest::newRow("upper") << ServiceMode::Upper << "upper";
    QTest::newRow("discard") << ServiceMode::Discard << "discard";
    QTest::newRow("chargen") << ServiceMode::Chargen << "chargen";
    QTest::newRow("daytime") << ServiceMode::Daytime << "daytime";
}

void tst_Services::modeNames()
{
    QFETCH(ServiceMode, mode);
    QFETCH(QString, name);
    QCOMPARE(serviceModeName(mode), name);
    QCOMPARE(serviceModeFromName(name), std::optional(mode));
    QCOMPARE(serviceModeFromName(name.toUpper()), std::optional(mode));
    QVERIFY(!serviceModeFromName(name + u'x'));
    QCOMPARE(Service::create({mode}) == nullptr, mode == ServiceMode::None);
}

void tst_Services::chargenAndDaytimeSpeakFirst()
{
    const auto chargen = Service::create({ServiceMode::Chargen});
    const Service::Reply opened = chargen->onOpen();
    QVERIFY(opened.bytes && !opened.close);
    const QList<QByteArray> lines = opened.bytes->split('\n');
    QVERIFY(lines.size() > 2);
    // RFC 864: 72 printable characters per line, each line starting one character later.
    QCOMPARE(lines[0], QByteArray(" !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefg\r"));
    QCOMPARE(lines[0].size(), 73);
    QCOMPARE(lines[1].left(3), QByteArray("!\"#"));
    const auto more = chargen->more();
    QVERIFY(more && !more->isEmpty());
    QVERIFY(!chargen->onData("ignored").bytes);

    const auto daytime = Service::create({ServiceMode::Daytime});
    const Service::Reply greeting = daytime->onOpen();
    QVERIFY(greeting.bytes && greeting.bytes->endsWith("\r\n"));
    QVERIFY(greeting.close); // RFC 867: the server closes after the time
    QVERIFY(greeting.bytes->contains(QByteArray::number(QDate::currentDate().year())));
}

QTEST_GUILESS_MAIN(tst_Services)
#include "tst_services.moc"
