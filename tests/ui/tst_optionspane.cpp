#include "../common/optiontestsupport.h"
#include "../common/widgetlookup.h"
#include "../common/sessionwaits.h"

#include "engine/sessionmanager.h"
#include "models/optionsmodel.h"
#include "net/kernelsettings.h"
#include "panes/optionspane.h"
#include "widgets/kernelsettingsview.h"
#include "widgets/optioneditor.h"

#include <QAbstractButton>
#include <QComboBox>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>

#include <chrono>
#include <memory>

using namespace Qt::StringLiterals;
using namespace sockscope::core;
using sockscope::ui::OptionEditor;
using sockscope::ui::KernelSettingsView;
using sockscope::ui::OptionsModel;
using sockscope::ui::OptionsPane;
using sockscope::tests::named;
using sockscope::tests::waitForState;
using sockscope::tests::waitUntilOpened;

Q_DECLARE_METATYPE(OptionApplyResult)

// The options pane against real sessions on loopback.
class tst_OptionsPane : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase_data();
    void initTestCase();
    void init();
    void cleanup();

    void showsTheRowsOfTheSession();
    void filtersByNameAndLevel();
    void explainsEveryRow();
    void applyShowsAskedAndKept();
    void badValuesMakeNoSyscall_data();
    void badValuesMakeNoSyscall();
    void privilegedOptionSaysEperm();
    void closedSessionCannotBeSet();
    void kernelSettingsTab();
    void accessibleControls();
    void paneDeletedWhileAsking();

private:
    // The pane's option editor, found as a user's tools would: by its objectName.
    OptionEditor *editor() const { return named<OptionEditor>(*m_pane, u"editor"); }
    SessionId listen(SessionManager &sessions)
    {
        QFETCH_GLOBAL(int, family);
        ListenSpec spec;
        spec.bind = Address::loopback(family, 0);
        const SessionId id = sessions.listen(spec);
        waitUntilOpened(sessions, id);
        return id;
    }
    QString valueOf(OptionsPane &pane, const QString &name)
    {
        OptionsModel *m = named<OptionsModel>(pane, u"optionsModel");
        const int row = m->rowOf(findSocketOption(name));
        return row < 0 ? QString() : m->index(row, OptionsModel::ValueColumn).data().toString();
    }
    bool waitForValues(OptionsPane &pane)
    {
        QSignalSpy read(&pane, &OptionsPane::optionsRead);
        pane.refresh();
        return read.wait(5000);
    }

    std::unique_ptr<SessionManager> m_sessions;
    std::unique_ptr<OptionsPane> m_pane;
    SessionId m_id = 0;
};

void tst_OptionsPane::initTestCase_data()
{
    QTest::addColumn<int>("family");
    QTest::newRow("IPv4") << AF_INET;
    if (sockscope::tests::ipv6Loopback())
        QTest::newRow("IPv6") << AF_INET6;
}

void tst_OptionsPane::initTestCase()
{
    qRegisterMetaType<OptionApplyResult>();
}

void tst_OptionsPane::init()
{
    m_sessions = std::make_unique<SessionManager>();
    m_id = listen(*m_sessions);
    m_pane = std::make_unique<OptionsPane>(*m_sessions);
    m_pane->resize(1000, 700);
    m_pane->show();
    QSignalSpy read(m_pane.get(), &OptionsPane::optionsRead);
    m_pane->setSession(m_id);
    QVERIFY(read.wait(5000));
}

void tst_OptionsPane::cleanup()
{
    m_pane.reset();
    m_sessions.reset();
}

void tst_OptionsPane::showsTheRowsOfTheSession()
{
    QFETCH_GLOBAL(int, family);
    QCOMPARE(m_pane->visibleOptionCount(), socketOptionsFor(family, SOCK_STREAM).size());
    QVERIFY(m_pane->sessionText().contains(u"listening"));
    QCOMPARE(valueOf(*m_pane, QStringLiteral("SO_ACCEPTCONN")), QStringLiteral("1 (on)"));
    QCOMPARE(valueOf(*m_pane, QStringLiteral("SO_REUSEADDR")), QStringLiteral("1 (on)"));
    QCOMPARE(valueOf(*m_pane, QStringLiteral("SO_TYPE")), QStringLiteral("SOCK_STREAM (1)"));
    QVERIFY(valueOf(*m_pane, QStringLiteral("TCP_INFO")).contains(u"LISTEN"));
    if (family == AF_INET) {
        QCOMPARE(valueOf(*m_pane, QStringLiteral("IP_MTU")), QStringLiteral("ENOTCONN"));
        QVERIFY(!m_pane->visibleOptionNames().contains(QStringLiteral("IPV6_V6ONLY")));
    } else {
        QVERIFY(m_pane->visibleOptionNames().contains(QStringLiteral("IPV6_V6ONLY")));
        QVERIFY(!m_pane->visibleOptionNames().contains(QStringLiteral("IP_TTL")));
    }
    QVERIFY(!m_pane->visibleOptionNames().contains(QStringLiteral("SO_BROADCAST"))); // datagram only
}

void tst_OptionsPane::filtersByNameAndLevel()
{
    m_pane->setFilter(QStringLiteral("keep"));
    QCOMPARE(m_pane->visibleOptionNames(),
             (QStringList{u"SO_KEEPALIVE"_s, u"TCP_KEEPIDLE"_s, u"TCP_KEEPINTVL"_s, u"TCP_KEEPCNT"_s}));
    m_pane->setFilter(QStringLiteral("keep"), QStringLiteral("IPPROTO_TCP"));
    QCOMPARE(m_pane->visibleOptionCount(), 3);
    m_pane->setFilter(QString(), QStringLiteral("SOL_SOCKET"));
    for (const QString &name : m_pane->visibleOptionNames())
        QVERIFY2(name.startsWith(u"SO_"), qPrintable(name));
    m_pane->setFilter(QStringLiteral("no such option"));
    QCOMPARE(m_pane->visibleOptionCount(), 0);
    m_pane->setFilter(QString());
    QVERIFY(m_pane->visibleOptionCount() > 30);
}

void tst_OptionsPane::explainsEveryRow()
{
    for (const QString &name : m_pane->visibleOptionNames()) {
        m_pane->selectOption(name);
        const SocketOption *option = findSocketOption(name);
        QCOMPARE(editor()->option(), option);
        QCOMPARE(m_pane->explanationText(), QString::fromLatin1(option->explanation));
    }
}

void tst_OptionsPane::applyShowsAskedAndKept()
{
    m_pane->selectOption(QStringLiteral("SO_RCVBUF"));
    const quint64 before = m_sessions->trace(m_id)->lastSeq();
    QSignalSpy applied(m_pane.get(), &OptionsPane::applied);
    auto *line = editor()->findChild<QLineEdit *>();
    QVERIFY(line);
    line->clear();
    QTest::keyClicks(line, QStringLiteral("65536"));
    QTest::keyClick(line, Qt::Key_Return);
    QVERIFY(applied.wait(5000));
    const auto result = applied.first().first().value<OptionApplyResult>();
    QVERIFY(result.ok());
    QCOMPARE(result.kept->number, 131072);
    QVERIFY2(editor()->resultText().contains(u"Asked 65536 — the kernel kept 131072"), qPrintable(editor()->resultText()));
    const int row = named<OptionsModel>(*m_pane, u"optionsModel")->rowOf(findSocketOption("SO_RCVBUF"));
    QCOMPARE(named<OptionsModel>(*m_pane, u"optionsModel")->index(row, OptionsModel::ApplyColumn).data().toString(), QStringLiteral("asked 65536 → kept 131072"));
    QTRY_COMPARE(valueOf(*m_pane, QStringLiteral("SO_RCVBUF")), QStringLiteral("131072 bytes"));
    // The call trace has the setsockopt and the read-back.
    const auto calls = m_sessions->trace(m_id)->since(before);
    QCOMPARE(calls.size(), 2);
    QCOMPARE(calls[0].code, QStringLiteral("s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 65536)"));
}

void tst_OptionsPane::badValuesMakeNoSyscall_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("typed");
    QTest::newRow("negative buffer") << "SO_SNDBUF" << "-4096";
    QTest::newRow("text in an int") << "TCP_KEEPIDLE" << "an hour";
    QTest::newRow("TTL 256") << "TTL" << "256";
    QTest::newRow("unknown congestion algorithm") << "TCP_CONGESTION" << "warp9";
}

void tst_OptionsPane::badValuesMakeNoSyscall()
{
    QFETCH_GLOBAL(int, family);
    QFETCH(QString, name);
    QFETCH(QString, typed);
    if (name == u"TTL")
        name = family == AF_INET ? QStringLiteral("IP_TTL") : QStringLiteral("IPV6_UNICAST_HOPS");
    if (!m_pane->hasHostContext()) {
        QSignalSpy context(m_pane.get(), &OptionsPane::hostContextRead);
        QVERIFY(context.wait(5000));
    }
    m_pane->selectOption(name);
    QCOMPARE(editor()->option(), findSocketOption(name));
    const quint64 before = m_sessions->trace(m_id)->lastSeq();
    QSignalSpy applied(m_pane.get(), &OptionsPane::applied);
    editor()->setText(typed);
    QVERIFY(!editor()->apply());
    QVERIFY(editor()->errorText().startsWith(name + u':'));
    QVERIFY(waitForValues(*m_pane)); // a full round trip to the I/O thread
    QCOMPARE(applied.size(), 0);
    QCOMPARE(m_sessions->trace(m_id)->lastSeq(), before); // no setsockopt was made
    QCOMPARE(editor()->text(), typed);            // and nothing typed was lost
    QVERIFY(!editor()->errorText().isEmpty());    // the refresh did not hide the error
}

void tst_OptionsPane::privilegedOptionSaysEperm()
{
    // A manager whose I/O thread starts without CAP_NET_ADMIN/CAP_NET_RAW: threads inherit
    // the capabilities of the thread that creates them.
    std::unique_ptr<SessionManager> unprivileged;
    {
        sockscope::tests::NetCapabilitiesDropped dropped;
        QVERIFY(dropped.active() || !sockscope::tests::NetCapabilitiesDropped::held());
        unprivileged = std::make_unique<SessionManager>();
    }
    const SessionId id = listen(*unprivileged);
    OptionsPane pane(*unprivileged);
    QSignalSpy read(&pane, &OptionsPane::optionsRead);
    pane.setSession(id);
    QVERIFY(read.wait(5000));
    pane.selectOption(QStringLiteral("SO_MARK"));
    auto *unprivilegedEditor = named<OptionEditor>(pane, u"editor");
    unprivilegedEditor->setText(QStringLiteral("7"));
    QSignalSpy applied(&pane, &OptionsPane::applied);
    QVERIFY(unprivilegedEditor->apply());
    QVERIFY(applied.wait(5000));
    const auto result = applied.first().first().value<OptionApplyResult>();
    QVERIFY(!result.ok());
    QCOMPARE(result.error->name(), QStringLiteral("EPERM"));
    QVERIFY2(unprivilegedEditor->resultText().contains(u"EPERM"), qPrintable(unprivilegedEditor->resultText()));
    QVERIFY(unprivilegedEditor->resultText().contains(u"needs CAP_NET_ADMIN"));
    const int row = named<OptionsModel>(pane, u"optionsModel")->rowOf(findSocketOption("SO_MARK"));
    QCOMPARE(named<OptionsModel>(pane, u"optionsModel")->index(row, OptionsModel::ApplyColumn).data().toString(), QStringLiteral("EPERM"));

    // The same through the privileged manager of this test (root here and in CI).
    if (!sockscope::tests::NetCapabilitiesDropped::held())
        QSKIP("not running with CAP_NET_ADMIN: the privileged success path cannot be tested");
    m_pane->selectOption(QStringLiteral("SO_MARK"));
    editor()->setText(QStringLiteral("7"));
    QSignalSpy ok(m_pane.get(), &OptionsPane::applied);
    QVERIFY(editor()->apply());
    QVERIFY(ok.wait(5000));
    QVERIFY(ok.first().first().value<OptionApplyResult>().ok());
    QVERIFY(editor()->resultText().contains(u"kept 7"));
}

void tst_OptionsPane::closedSessionCannotBeSet()
{
    m_sessions->close(m_id);
    waitForState(*m_sessions, m_id, SessionState::Closed);
    QVERIFY(waitForValues(*m_pane));
    QVERIFY(m_pane->sessionText().contains(u"closed"));
    m_pane->selectOption(QStringLiteral("TCP_NODELAY"));
    QSignalSpy applied(m_pane.get(), &OptionsPane::applied);
    QVERIFY(!editor()->apply());
    QCOMPARE(applied.size(), 0);
    QVERIFY(editor()->currentText().contains(u"EBADF") || editor()->currentText().contains(u"closed"));
}

void tst_OptionsPane::kernelSettingsTab()
{
    if (!m_pane->hasHostContext()) {
        QSignalSpy context(m_pane.get(), &OptionsPane::hostContextRead);
        QVERIFY(context.wait(5000));
    }
    auto *view = named<KernelSettingsView>(*m_pane, u"kernelSettings");
    QCOMPARE(view->rowCount(), int(KernelSettings::all().size()));
    QCOMPARE(view->valueText(QStringLiteral("net.core.somaxconn")).section(u' ', 0, 0),
             *KernelSettings::read(*KernelSettings::find(u"net.core.somaxconn")));
    view->select(QStringLiteral("net.ipv4.tcp_tw_recycle"));
    QVERIFY(view->explanationText().contains(u"4.12"));
    view->select(QStringLiteral("net.core.somaxconn"));
    QVERIFY(view->explanationText().contains(u"Note on common advice"));
}

void tst_OptionsPane::accessibleControls()
{
    m_pane->selectOption(QStringLiteral("SO_LINGER"));
    for (QWidget *w : m_pane->findChildren<QWidget *>()) {
        if (!w->isVisibleTo(m_pane.get()))
            continue;
        if (qobject_cast<QLineEdit *>(w) && qobject_cast<QComboBox *>(w->parentWidget()))
            continue; // the editable combo box is described
        if (qobject_cast<QAbstractButton *>(w) || qobject_cast<QLineEdit *>(w) || qobject_cast<QComboBox *>(w)) {
            if (w->parentWidget()->inherits("QTabBar") || qobject_cast<QLineEdit *>(w->parentWidget()))
                continue; // Qt's own scroll and clear buttons
            const QString what = QString::fromLatin1(w->metaObject()->className()) + u' ' + w->accessibleName();
            const auto *button = qobject_cast<QAbstractButton *>(w);
            QVERIFY2(!w->accessibleName().isEmpty() || (button && !button->text().isEmpty()), qPrintable(what));
            if (!button)
                QVERIFY2(!w->toolTip().isEmpty(), qPrintable(what)); // every input says what it takes
        }
    }
    // Keyboard: Ctrl+F reaches the filter.
    m_pane->activateWindow();
    QTest::keySequence(m_pane.get(), QKeySequence::Find);
    QTRY_VERIFY(qobject_cast<QLineEdit *>(QApplication::focusWidget()) != nullptr);
}

void tst_OptionsPane::paneDeletedWhileAsking()
{
    auto pane = std::make_unique<OptionsPane>(*m_sessions);
    pane->setSession(m_id);
    pane->refresh();
    pane.reset(); // the replies find no pane: nothing may be delivered, nothing may crash
    QVERIFY(waitForValues(*m_pane));
}

QTEST_MAIN(tst_OptionsPane)
#include "tst_optionspane.moc"
