#include "../common/optiontestsupport.h"
#include "../common/sessionwaits.h"

#include "engine/sessionmanager.h"

#include <QElapsedTimer>
#include <QPointer>
#include <QTest>
#include <QThread>

#include <chrono>

using namespace sockscope::core;
using namespace std::chrono_literals;
using sockscope::tests::waitForState;
using sockscope::tests::waitUntilOpened;

// The option commands of SessionManager (run on the I/O thread, delivered to a context)
// and the presets applied between socket() and bind/connect/listen.
class tst_SessionOptions : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase_data();
    void readOptionsOfAListener();
    void applyShowsAskedAndKept();
    void badValueMakesNoCall();
    void deadContextGetsNothing();
    void unknownSessionIsEbadf();
    void connectPresetsInOrder();
    void listenPresetsBeforeBind();
    void datagramPresets();
    void failingPresetEndsTheSession();
    void defaultTimeout();

private:
    static QStringList codes(SessionManager &m, SessionId id)
    {
        QStringList out;
        for (const CallRecord &r : m.trace(id)->since(0))
            out << r.code;
        return out;
    }
    SessionId listener(SessionManager &m, QList<OptionSetting> options = {})
    {
        QFETCH_GLOBAL(int, family);
        ListenSpec spec;
        spec.bind = Address::loopback(family, 0);
        spec.options = std::move(options);
        const SessionId id = m.listen(spec);
        waitUntilOpened(m, id);
        return id;
    }
};

void tst_SessionOptions::initTestCase_data()
{
    QTest::addColumn<int>("family");
    QTest::newRow("IPv4") << AF_INET;
    if (sockscope::tests::ipv6Loopback())
        QTest::newRow("IPv6") << AF_INET6;
}

void tst_SessionOptions::readOptionsOfAListener()
{
    SessionManager m;
    const SessionId id = listener(m);
    QCOMPARE(m.info(id)->state, SessionState::Listening);
    QObject context;
    std::optional<SessionManager::OptionReadings> got;
    QThread *deliveredOn = nullptr;
    m.readOptions(id, &context, [&](SessionManager::OptionReadings r) {
        got = std::move(r);
        deliveredOn = QThread::currentThread();
    });
    QTRY_VERIFY(got.has_value());
    QCOMPARE(deliveredOn, QThread::currentThread()); // queued to the context's thread
    QVERIFY(got->has_value());
    QFETCH_GLOBAL(int, family);
    QCOMPARE((*got)->size(), socketOptionsFor(family, SOCK_STREAM).size());
    bool sawAcceptConn = false;
    for (const OptionReading &r : **got) {
        if (r.option->nameText() == u"SO_ACCEPTCONN") {
            sawAcceptConn = true;
            QCOMPARE(r.value->number, 1);
        }
        if (r.option->needsConnection)
            QCOMPARE(r.error->name(), QStringLiteral("ENOTCONN"));
    }
    QVERIFY(sawAcceptConn);

    got.reset();
    m.readOptions(id, &context, [&](SessionManager::OptionReadings r) { got = std::move(r); },
                  {QStringLiteral("SO_REUSEADDR")});
    QTRY_VERIFY(got.has_value());
    QCOMPARE((*got)->size(), 1);
    QCOMPARE((*got)->first().value->number, 1); // ListenSpec::reuseAddr
}

void tst_SessionOptions::applyShowsAskedAndKept()
{
    SessionManager m;
    const SessionId id = listener(m);
    const quint64 before = m.trace(id)->lastSeq();
    QObject context;
    std::optional<OptionApplyResult> result;
    m.applyOption(id, {QStringLiteral("SO_RCVBUF"), QStringLiteral("65536")}, &context,
                  [&](OptionApplyResult r) { result = std::move(r); });
    QTRY_VERIFY(result.has_value());
    QVERIFY(result->ok());
    QCOMPARE(result->asked, QStringLiteral("65536"));
    QCOMPARE(result->kept->number, 131072);
    const auto calls = m.trace(id)->since(before);
    QCOMPARE(calls.size(), 2);
    QCOMPARE(calls[0].code, QStringLiteral("s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 65536)"));
    QCOMPARE(calls[1].result, QStringLiteral("131072  # asked 65536"));
}

void tst_SessionOptions::badValueMakesNoCall()
{
    SessionManager m;
    const SessionId id = listener(m);
    const quint64 before = m.trace(id)->lastSeq();
    QObject context;
    std::optional<OptionApplyResult> result;
    m.applyOption(id, {QStringLiteral("IP_TTL"), QStringLiteral("256")}, &context, [&](OptionApplyResult r) { result = r; });
    QTRY_VERIFY(result.has_value());
    QVERIFY(!result->ok());
    QCOMPARE(result->error->domain(), SysError::Domain::Input);
    QCOMPARE(m.trace(id)->lastSeq(), before);
}

void tst_SessionOptions::deadContextGetsNothing()
{
    SessionManager m;
    const SessionId id = listener(m);
    bool called = false;
    auto *context = new QObject;
    m.readOptions(id, context, [&](SessionManager::OptionReadings) { called = true; });
    delete context;
    // A live context asked afterwards is answered, so the dead one's answer has had its chance.
    QObject witness;
    bool witnessed = false;
    m.readOptions(id, &witness, [&](SessionManager::OptionReadings) { witnessed = true; });
    QTRY_VERIFY(witnessed);
    QCoreApplication::processEvents();
    QVERIFY(!called);
}

void tst_SessionOptions::unknownSessionIsEbadf()
{
    SessionManager m;
    QObject context;
    std::optional<SessionManager::OptionReadings> got;
    m.readOptions(999, &context, [&](SessionManager::OptionReadings r) { got = std::move(r); });
    QTRY_VERIFY(got.has_value());
    QVERIFY(!got->has_value());
    QCOMPARE(got->error().name(), QStringLiteral("EBADF"));
    std::optional<OptionApplyResult> applied;
    m.applyOption(999, {QStringLiteral("TCP_NODELAY"), QStringLiteral("1")}, &context, [&](OptionApplyResult r) { applied = r; });
    QTRY_VERIFY(applied.has_value());
    QCOMPARE(applied->error->name(), QStringLiteral("EBADF"));
}

void tst_SessionOptions::connectPresetsInOrder()
{
    QFETCH_GLOBAL(int, family);
    SessionManager m;
    const SessionId server = listener(m);
    ConnectSpec spec;
    spec.candidates = {m.info(server)->local};
    spec.options = {{QStringLiteral("SO_RCVBUF"), QStringLiteral("65536")},
                    {QStringLiteral("TCP_NODELAY"), QStringLiteral("1")},
                    {QStringLiteral("IPV6_V6ONLY"), QStringLiteral("1")},
                    {QStringLiteral("TCP_MAXSEG"), QStringLiteral("1200")}};
    const SessionId id = m.connect(spec);
    const auto info = m.waitFor(id, [](const SessionInfo &i) { return i.state == SessionState::Connected || i.state == SessionState::Closed; }, 5s);
    QCOMPARE(info->state, SessionState::Connected);
    const QStringList calls = codes(m, id);
    const auto at = [&](const QString &prefix) {
        for (qsizetype i = 0; i < calls.size(); ++i) {
            if (calls[i].startsWith(prefix))
                return i;
        }
        return qsizetype(-1);
    };
    const qsizetype socketCall = at(QStringLiteral("s = socket.socket("));
    const qsizetype rcvbuf = at(QStringLiteral("s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 65536)"));
    const qsizetype nodelay = at(QStringLiteral("s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)"));
    const qsizetype maxseg = at(QStringLiteral("s.setsockopt(socket.IPPROTO_TCP, socket.TCP_MAXSEG, 1200)"));
    const qsizetype v6only = family == AF_INET6 ? at(QStringLiteral("s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)"))
                                                : at(QStringLiteral("# s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY"));
    const qsizetype connectCall = at(QStringLiteral("s.connect("));
    QVERIFY2(socketCall == 0 && socketCall < rcvbuf && rcvbuf < nodelay && nodelay < v6only && v6only < maxseg
                 && maxseg < connectCall,
             qPrintable(calls.join(u'\n')));
    QVERIFY(calls[rcvbuf + 1].startsWith(QStringLiteral("s.getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF)")));

    QObject context;
    std::optional<SessionManager::OptionReadings> got;
    m.readOptions(id, &context, [&](SessionManager::OptionReadings r) { got = std::move(r); },
                  {QStringLiteral("SO_RCVBUF"), QStringLiteral("TCP_NODELAY")});
    QTRY_VERIFY(got.has_value());
    for (const OptionReading &r : **got)
        QCOMPARE(r.value->number, r.option->nameText() == u"SO_RCVBUF" ? 131072 : 1);
}

void tst_SessionOptions::listenPresetsBeforeBind()
{
    SessionManager m;
    const SessionId id = listener(m, {{QStringLiteral("SO_REUSEPORT"), QStringLiteral("1")},
                                      {QStringLiteral("TCP_DEFER_ACCEPT"), QStringLiteral("5")}});
    QCOMPARE(m.info(id)->state, SessionState::Listening);
    const QStringList calls = codes(m, id);
    const qsizetype bind = calls.indexOf(QRegularExpression(QStringLiteral("s\\.bind\\(.*")));
    const qsizetype reuseport = calls.indexOf(QStringLiteral("s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)"));
    QVERIFY2(reuseport > 0 && reuseport < bind, qPrintable(calls.join(u'\n')));
    const auto records = m.trace(id)->since(0);
    const auto deferRead = std::find_if(records.begin(), records.end(), [](const CallRecord &r) {
        return r.code == u"s.getsockopt(socket.IPPROTO_TCP, socket.TCP_DEFER_ACCEPT)";
    });
    QVERIFY(deferRead != records.end());
    QCOMPARE(deferRead->result, QStringLiteral("7  # asked 5"));
}

void tst_SessionOptions::datagramPresets()
{
    QFETCH_GLOBAL(int, family);
    SessionManager m;
    DatagramSpec spec;
    spec.family = family;
    spec.bind = Address::loopback(family, 0);
    spec.options = {{QStringLiteral("IP_TTL"), QStringLiteral("7")}, {QStringLiteral("IPV6_UNICAST_HOPS"), QStringLiteral("7")}};
    const SessionId id = m.openDatagram(spec);
    QCOMPARE(waitUntilOpened(m, id)->state, SessionState::Bound);
    QObject context;
    std::optional<SessionManager::OptionReadings> got;
    const QString name = family == AF_INET ? QStringLiteral("IP_TTL") : QStringLiteral("IPV6_UNICAST_HOPS");
    m.readOptions(id, &context, [&](SessionManager::OptionReadings r) { got = std::move(r); }, {name});
    QTRY_VERIFY(got.has_value());
    QCOMPARE((*got)->size(), 1);
    QCOMPARE((*got)->first().value->number, 7);
}

void tst_SessionOptions::failingPresetEndsTheSession()
{
    QFETCH_GLOBAL(int, family);
    SessionManager m;
    ListenSpec spec;
    spec.bind = Address::loopback(family, 0);
    spec.options = {{QStringLiteral("TCP_CONGESTION"), QStringLiteral("warp9")}};
    const SessionId id = m.listen(spec);
    const auto info = waitForState(m, id, SessionState::Closed);
    QCOMPARE(info->state, SessionState::Closed);
    QVERIFY(info->error);
    QCOMPARE(info->error->name(), QStringLiteral("ENOENT"));
    QVERIFY(!codes(m, id).join(u'\n').contains(u"s.bind("));
}

void tst_SessionOptions::defaultTimeout()
{
    QFETCH_GLOBAL(int, family);
    SessionManager m;
    QCOMPARE(m.defaultTimeout(), std::nullopt);
    m.setDefaultTimeout(300);
    QCOMPARE(m.defaultTimeout(), std::optional<int>(300));

    // A listener that never accepts, with its accept queue full: the next SYN is dropped and
    // only the timeout ends the connect.
    auto full = sockscope::tests::connectedSocket(family, SOCK_STREAM);
    QVERIFY(full);
    QVERIFY(full->listener.listen(0));
    const Address where = *full->listener.localAddress();
    auto queued = Socket::create(family, SOCK_STREAM);
    QVERIFY(queued);
    queued->setBlocking(false);
    queued->connect(where);
    QTest::qWait(50); // a fixed wait is the point: the loopback handshake completes into the queue (not observable here)

    ConnectSpec spec;
    spec.candidates = {where};
    spec.timeoutMs = ConnectSpec::kUseDefaultTimeout;
    QElapsedTimer clock;
    clock.start();
    const SessionId id = m.connect(spec);
    const auto info = m.waitFor(id, [](const SessionInfo &i) { return i.state == SessionState::Closed || i.state == SessionState::Connected; }, 5s);
    QCOMPARE(info->state, SessionState::Closed);
    QCOMPARE(info->error->name(), QStringLiteral("ETIMEDOUT"));
    QVERIFY(clock.elapsed() >= 250 && clock.elapsed() < 3000);
    const auto calls = m.trace(id)->since(0);
    QCOMPARE(calls.first().code, QStringLiteral("socket.setdefaulttimeout(0.3)"));

    // An explicit timeout is not overridden, and leaves no setdefaulttimeout line.
    ConnectSpec own;
    own.candidates = {where};
    own.timeoutMs = 100;
    const SessionId other = m.connect(own);
    waitForState(m, other, SessionState::Closed);
    QVERIFY(!m.trace(other)->since(0).first().code.startsWith(u"socket.setdefaulttimeout"));
}

QTEST_GUILESS_MAIN(tst_SessionOptions)
#include "tst_sessionoptions.moc"
