// Bad input, walked field by field: every text field of every pane gets a value it must
// refuse, and the test asserts what a user sees and keeps: an inline error that names the
// field, the typed text still in the field, and no socket opened and no byte sent. A
// field added to a pane without a row here fails everyTypedFieldIsWalked, so the walk
// stays whole. Spin boxes and fixed lists cannot hold a bad value: they are checked to
// clamp what is typed into them.

#include "appservices.h"
#include "../common/loopbackpair.h"
#include "../common/tryuntil.h"
#include "../common/widgetlookup.h"

#include "mainwindow.h"
#include "panes/tcpclientpane.h"
#include "panes/tcpserverpane.h"
#include "panes/udppane.h"
#include "panes/unixpane.h"

#include "engine/sessionmanager.h"

#include <QAbstractButton>
#include <QAbstractItemView>
#include <QAbstractSpinBox>
#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QSet>
#include <QSpinBox>
#include <QTabWidget>
#include <QValidator>
#include <QTest>

using namespace sockscope;
using namespace sockscope::core;

namespace {

enum Kind { TcpClient, TcpServer, Udp, Unix, Lookup, SystemSockets, Lessons, KindCount };

const char *const kKindNames[] = {"TCP client", "TCP server", "UDP", "Unix", "Lookup", "System sockets", "Lessons"};

// Fields where every text is a valid value, and why.
struct FreeField
{
    Kind kind;
    const char *field;
    const char *why;
};
const FreeField kFreeFields[] = {
    {Lookup, "getfqdn(name) argument", "any text is a name to look up; an unknown one is getfqdn's own answer"},
    {Lookup, "gethostbyname_ex(name) argument", "any text is a name to look up; an unknown one is the call's own h_errno answer"},
    {SystemSockets, "Address", "a text filter: sockets whose address contains it; no match shows \"0 shown\""},
    {TcpServer, "Bytes to send", "the same Composer as the TCP client's, walked there"},
    {Udp, "Bytes to send", "the same Composer as the TCP client's, walked there"},
    {Unix, "Bytes to send", "the same Composer as the TCP client's, walked there"},
};

// One bad value for a field: the setup that makes the field count, what is typed, what
// makes the pane act on it (a button's accessible name; "Return": Enter in the field; empty:
// typing alone), and what the inline error must say (empty: "<field>: ").
struct BadValue
{
    Kind kind;
    const char *setup;
    const char *field;
    QByteArray bad;
    const char *trigger;
    const char *mentions;
};

// A field whose validator refuses the keystrokes of a bad value: what is typed never
// becomes its text (QLineEdit::setValidator), so there is nothing to correct later.
constexpr const char *kRefusedAtTheKeyboard = "(refused at the keyboard)";

QList<BadValue> badValues()
{
    return {
        {TcpClient, "", "Host", "", "Connect", "Host: "},
        {TcpClient, "Port=9;Address family=IPv4", "Host", "::1", "Return", "Host: getaddrinfo(\"::1\") failed: EAI_"},
        {TcpClient, "", "Port", "70000", "Connect", "Port: \"70000\""},
        {TcpClient, "", "Port", "no-such-service", "Return", "Port: getaddrinfo() refused \"no-such-service\": EAI_SERVICE"},
        {TcpClient, "Port=9", "Source address", "127.0.0.256", "Connect", "Source address: "},
        {TcpClient, "Port=9", "Source port", "-5", "Connect", "Source port: "},
        {TcpClient, "connected", "HMAC key", "", "Answer challenge", "HMAC key: "},
        {TcpClient, "connected", "Bytes to send", "ab\\qc", "Send", "text: unknown escape \\q"},
        {TcpClient, "connected;Input format=Hex", "Bytes to send", "48 6", "Send", "hex: odd number"},
        {TcpClient, "", "Find bytes", "\\x4", "Return", "find: "},
        {TcpClient, "Port=9;Reply mode=Rules", "Framing", "delim:", "Connect", "framing"},
        {TcpServer, "", "Bind address", "127.0.0.300", "Listen", "Bind address: "},
        {TcpServer, "", "Port", "65536", "Listen", "Port: "},
        {TcpServer, "HMAC gate=on", "HMAC key", "", "Listen", "HMAC key: "},
        {TcpServer, "Reply mode=Rules", "Framing", "delim:", "Listen", "framing"},
        {TcpServer, "", "Find bytes", "\\q", "Return", "find: "},
        {Udp, "Address family=IPv4", "Bind address", "::1", "Open", "Bind address: not an address of the chosen family"},
        {Udp, "", "Bind port", "99999", "Open", "Bind port: "},
        {Udp, "click:Open;Target port=9", "Target host", "1.2.3", "Send", "Target host: "},
        {Udp, "click:Open", "Target port", "0", "Send", "Target port: "},
        {Udp, "", "Find bytes", "zz\\", "Return", "find: "},
        {Udp, "click:Open;click:Multicast", "Multicast group", "10.1.1.1", "Join group", "Multicast group: \"10.1.1.1\" is not a multicast group"},
        {Udp, "click:Open;click:Multicast", "Multicast group", "ff05::1", "Join group", "Multicast group: ff05::1 is an IPv6 group; this socket is IPv4"},
        {Udp, "click:Open;click:Multicast;Multicast group=239.1.2.3", "Multicast interface", "eth 0", "Join group", "Multicast interface: "},
        {Unix, "", "Path", "", "Listen", "Path: "},
        {Unix, "", "Path", QByteArray(200, 'p'), "Connect", "Path: "},
        {Unix, "Socket type=SOCK_DGRAM;Path=@sockscope-badinput;click:Bind", "Send to path", QByteArray(200, 's'), "Send", "Send to path: "},
        {Unix, "", "Find bytes", "\\x", "Return", "find: "},
        {Lookup, "Service=", "Host", "", "Resolve", "Host: "},
        {Lookup, "", "Service", "no-such-service", "Resolve", "Service: EAI_SERVICE"},
        {Lookup, "", "Value", "0x12g4", "", "Value: "},
        {Lookup, "", "Address text", "1.2.3.4.5", "", "rejected (returns 0)"},
        {Lookup, "", "Packed bytes", "7f 00 0", "", "odd number of hex digits"},
        {Lookup, "", "gethostbyaddr(address) argument", "not-an-address", "Return", "gethostbyaddr"},
        {Lookup, "", "getservbyname(name, proto) argument", "no-such-service", "Return", "getservbyname"},
        {Lookup, "", "getservbyport(port, proto) argument", "http", "Return", "getservbyport(port, proto): \"http\" is not a number"},
        {Lookup, "", "getprotobyname(name) argument", "no-such-protocol", "Return", "getprotobyname"},
        {Lookup, "", "getprotobynumber(number) argument", "tcp", "Return", "getprotobynumber(number): \"tcp\" is not a number"},
        {Lookup, "", "Address", "256.0.0.1", "Run getnameinfo", "Address: "},
        {SystemSockets, "", "Port", "http", "", kRefusedAtTheKeyboard},
        {SystemSockets, "", "Port", "70000", "", "Port: "},
    };
}

QWidget *openPane(ui::MainWindow &window, Kind kind)
{
    switch (kind) {
    case TcpClient: return window.newTcpClient();
    case TcpServer: return window.newTcpServer();
    case Udp: return window.newUdp();
    case Unix: return window.newUnix();
    case Lookup: window.showLookup(); break;
    case SystemSockets: window.showSystemSockets(); break;
    default: window.showLessons(); break;
    }
    return window.currentPane();
}

bool insideAnotherControl(const QWidget *w)
{
    for (const QWidget *p = w->parentWidget(); p; p = p->parentWidget())
        if (qobject_cast<const QAbstractSpinBox *>(p) || qobject_cast<const QComboBox *>(p) || qobject_cast<const QAbstractItemView *>(p))
            return true;
    return false;
}

bool takesText(const QWidget *w)
{
    if (auto *line = qobject_cast<const QLineEdit *>(w))
        return !line->isReadOnly();
    if (auto *combo = qobject_cast<const QComboBox *>(w))
        return combo->isEditable();
    if (auto *plain = qobject_cast<const QPlainTextEdit *>(w))
        return !plain->isReadOnly();
    return false;
}

// The pane's controls that take typed text, by accessible name.
QList<QWidget *> textFields(QWidget *pane)
{
    QList<QWidget *> fields;
    // Not a field hidden for good by its own widget (a datagram rule editor's framing:
    // a datagram is one message); a field in a folded section counts.
    for (QWidget *w : pane->findChildren<QWidget *>())
        if (!insideAnotherControl(w) && takesText(w) && !w->isHidden())
            fields << w;
    return fields;
}

template<typename T>
T *byName(QWidget *pane, const QString &name)
{
    for (T *w : pane->findChildren<T *>())
        if (w->accessibleName() == name && !insideAnotherControl(w))
            return w;
    return nullptr;
}

QWidget *textField(QWidget *pane, const QString &name)
{
    for (QWidget *w : textFields(pane))
        if (w->accessibleName() == name)
            return w;
    return nullptr;
}

void typeInto(QWidget *field, const QString &text)
{
    if (auto *plain = qobject_cast<QPlainTextEdit *>(field)) {
        plain->setFocus();
        plain->selectAll();
        QTest::keyClicks(plain, text);
        return;
    }
    if (auto *combo = qobject_cast<QComboBox *>(field)) {
        combo->setEditText(text); // typed, an editable box would complete it to a known item
        return;
    }
    auto *line = qobject_cast<QLineEdit *>(field);
    line->setFocus();
    line->selectAll();
    QTest::keyClick(line, Qt::Key_Backspace);
    QTest::keyClicks(line, text);
}

// Brings the tab that holds `w` to the front, as a user would before typing into it.
void reveal(QWidget *w)
{
    for (QWidget *child = w; child && child->parentWidget(); child = child->parentWidget())
        if (auto *tabs = qobject_cast<QTabWidget *>(child->parentWidget()->parentWidget()); tabs && tabs->indexOf(child) >= 0)
            tabs->setCurrentWidget(child);
}

QString textOf(QWidget *field)
{
    if (auto *plain = qobject_cast<QPlainTextEdit *>(field))
        return plain->toPlainText();
    if (auto *combo = qobject_cast<QComboBox *>(field))
        return combo->currentText();
    return qobject_cast<QLineEdit *>(field)->text();
}

// What the pane shows: its labels, and the read-only fields where a tool puts a call's answer.
QStringList visibleTexts(QWidget *pane)
{
    QStringList texts;
    for (QLabel *label : pane->findChildren<QLabel *>())
        if (label->isVisible() && !label->text().isEmpty())
            texts << label->text();
    for (QLineEdit *answer : pane->findChildren<QLineEdit *>())
        if (answer->isVisible() && answer->isReadOnly() && !answer->text().isEmpty())
            texts << answer->text();
    return texts;
}

// "Reply mode=Rules" picks the item of the combo box named "Reply mode" that starts with
// "Rules"; "HMAC gate=on" checks the check box; "connected" connects a TCP client pane to
// a listener of the same workbench.
// A TCP client pane connected to a plain listening socket the kernel completes handshakes
// for: not a session, so the counts the test compares are the client's alone.
bool connectClient(QWidget *pane, SessionManager &sessions, std::optional<Socket> &peer)
{
    auto *client = qobject_cast<ui::TcpClientPane *>(pane);
    auto listener = tests::tcpListener(AF_INET, 4);
    if (!client || !listener)
        return false;
    client->portEdit()->setText(QString::number(tests::localPort(*listener)));
    peer = std::move(*listener);
    client->connectToTarget();
    return tests::tryUntil([&] {
        const auto info = client->currentSession() ? sessions.info(client->currentSession()) : std::nullopt;
        return info && info->state == SessionState::Connected;
    });
}

bool prepare(QWidget *pane, SessionManager &sessions, const QString &setup, std::optional<Socket> &peer)
{
    if (setup.isEmpty())
        return true;
    // Steps separated by ";": "connected" (connectClient), "Name=value" types into a field, picks the item of a combo box
    // that holds `value`, or sets a check box ("on"/"off"); "click:Name" presses a button.
    for (const QString &step : setup.split(QLatin1Char(';'))) {
        if (step == QLatin1String("connected")) {
            if (!connectClient(pane, sessions, peer))
                return false;
            continue;
        }
        if (step.startsWith(QLatin1String("click:"))) {
            auto *button = byName<QAbstractButton>(pane, step.mid(6));
            if (!button || !button->isEnabled())
                return false;
            button->click();
            continue;
        }
        const QString name = step.section(QLatin1Char('='), 0, 0);
        const QString value = step.section(QLatin1Char('='), 1);
        if (auto *check = byName<QCheckBox>(pane, name)) {
            check->setChecked(value == QLatin1String("on"));
        } else if (QWidget *field = textField(pane, name); field && !qobject_cast<QComboBox *>(field)) {
            reveal(field);
            typeInto(field, value);
        } else if (auto *combo = byName<QComboBox>(pane, name)) {
            const int index = combo->findText(value, Qt::MatchContains);
            if (index < 0)
                return false;
            combo->setCurrentIndex(index);
        } else {
            return false;
        }
    }
    return true;
}

} // namespace

class tst_BadInput : public QObject
{
    Q_OBJECT
private slots:
    void badValueIsNamedInline_data();
    void badValueIsNamedInline();
    void everyTypedFieldIsWalked();
    void spinBoxesClampWhatIsTyped();
};

void tst_BadInput::badValueIsNamedInline_data()
{
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("setup");
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("bad");
    QTest::addColumn<QString>("trigger");
    QTest::addColumn<QString>("mentions");
    for (const BadValue &r : badValues())
        QTest::addRow("%s: %s = \"%s\"", kKindNames[r.kind], r.field, r.bad.left(20).constData())
            << int(r.kind) << QString::fromUtf8(r.setup) << QString::fromUtf8(r.field) << QString::fromUtf8(r.bad)
            << QString::fromUtf8(r.trigger) << QString::fromUtf8(r.mentions);
}

void tst_BadInput::badValueIsNamedInline()
{
    QFETCH(int, kind);
    QFETCH(QString, setup);
    QFETCH(QString, field);
    QFETCH(QString, bad);
    QFETCH(QString, trigger);
    QFETCH(QString, mentions);
    AppServices services;
    SessionManager &sessions = services.sessions;
    ui::MainWindow window(services);
    window.resize(1280, 800);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QWidget *pane = openPane(window, Kind(kind));
    QVERIFY(pane);
    std::optional<Socket> peer;
    QVERIFY2(prepare(pane, sessions, setup, peer), qPrintable(setup));
    QWidget *edit = textField(pane, field);
    QVERIFY2(edit, qPrintable(field));
    const qsizetype sessionsBefore = sessions.sessions().size();
    const quint64 sentBefore = sessions.totals().bytesOut;

    reveal(edit);
    // As a user would, type once the field takes input: a composer is enabled by the
    // window's next tick after its connection opens.
    QVERIFY(tests::tryUntil([edit] { return edit->isEnabled(); }));
    typeInto(edit, bad);
    if (trigger == QLatin1String("Return")) {
        QTest::keyClick(edit, Qt::Key_Return);
    } else if (!trigger.isEmpty()) {
        auto *button = byName<QAbstractButton>(pane, trigger);
        QVERIFY2(button, qPrintable(trigger));
        QVERIFY(tests::tryUntil([button] { return button->isEnabled(); })); // a socket opened in setup is ready
        button->click();
    }
    if (mentions == QLatin1String(kRefusedAtTheKeyboard)) {
        auto *line = qobject_cast<QLineEdit *>(edit);
        QVERIFY(line && line->validator());
        QString probe = bad;
        int at = 0;
        QCOMPARE(line->validator()->validate(probe, at), QValidator::Invalid);
        QVERIFY(line->text() != bad);
        QCOMPARE(sessions.sessions().size(), sessionsBefore);
        return;
    }
    const QString expected = mentions.isEmpty() ? field + QStringLiteral(": ") : mentions;
    QStringList shown;
    const bool named = tests::tryUntil([&] {
        shown = visibleTexts(pane);
        return std::any_of(shown.cbegin(), shown.cend(), [&](const QString &t) { return t.contains(expected, Qt::CaseInsensitive); });
    });
    QVERIFY2(named, qPrintable(QStringLiteral("no visible error with \"%1\"; shown: %2").arg(expected, shown.join(QStringLiteral(" | ")))));
    QCOMPARE(textOf(edit), bad); // nothing typed is lost
    QCOMPARE(sessions.sessions().size(), sessionsBefore); // nothing opened
    QCOMPARE(sessions.totals().bytesOut, sentBefore);     // nothing sent
}

void tst_BadInput::everyTypedFieldIsWalked()
{
    QSet<QString> walked;
    for (const BadValue &r : badValues())
        walked << QStringLiteral("%1: %2").arg(QLatin1String(kKindNames[r.kind]), QString::fromUtf8(r.field));
    for (const FreeField &free : kFreeFields)
        walked << QStringLiteral("%1: %2").arg(QLatin1String(kKindNames[free.kind]), QString::fromUtf8(free.field));
    AppServices services;
    ui::MainWindow window(services);
    QStringList unwalked;
    int fields = 0;
    for (int kind = 0; kind < KindCount; ++kind) {
        QWidget *pane = openPane(window, Kind(kind));
        QVERIFY(pane);
        for (QWidget *w : textFields(pane)) {
            ++fields;
            const QString key = QStringLiteral("%1: %2").arg(QLatin1String(kKindNames[kind]), w->accessibleName());
            if (!walked.contains(key))
                unwalked << key;
        }
    }
    QVERIFY(fields > 30);
    QVERIFY2(unwalked.isEmpty(), qPrintable(QStringLiteral("text fields with no bad-input row: ") + unwalked.join(QStringLiteral(", "))));
}

void tst_BadInput::spinBoxesClampWhatIsTyped()
{
    AppServices services;
    ui::MainWindow window(services);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    int boxes = 0;
    for (int kind = 0; kind < KindCount; ++kind) {
        QWidget *pane = openPane(window, Kind(kind));
        for (QAbstractSpinBox *box : pane->findChildren<QAbstractSpinBox *>()) {
            if (insideAnotherControl(box))
                continue;
            ++boxes;
            auto *whole = qobject_cast<QSpinBox *>(box);
            auto *real = qobject_cast<QDoubleSpinBox *>(box);
            QVERIFY(whole || real);
            box->setFocus();
            box->selectAll();
            QTest::keyClicks(box, QStringLiteral("99999999x-"));
            box->interpretText();
            const QString what = QStringLiteral("%1: %2").arg(QLatin1String(kKindNames[kind]), box->accessibleName());
            if (whole)
                QVERIFY2(whole->value() >= whole->minimum() && whole->value() <= whole->maximum(), qPrintable(what));
            else
                QVERIFY2(real->value() >= real->minimum() && real->value() <= real->maximum(), qPrintable(what));
            QVERIFY2(!box->toolTip().isEmpty(), qPrintable(what)); // says what it accepts
        }
    }
    QVERIFY(boxes >= 5);
}

QTEST_MAIN(tst_BadInput)
#include "tst_badinput.moc"
