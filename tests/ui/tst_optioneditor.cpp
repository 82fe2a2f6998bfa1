#include "engine/sessionoptions.h"
#include "net/kernelsettings.h"
#include "widgets/optioneditor.h"

#include <QCheckBox>
#include <QComboBox>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>

using namespace sockscope::core;
using sockscope::ui::OptionEditor;

Q_DECLARE_METATYPE(OptionSetting)

class tst_OptionEditor : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void editsAValueAndShowsTheReadBack();
    void controlsFitTheType_data();
    void controlsFitTheType();
    void badValuesAreRejected_data();
    void badValuesAreRejected();
    void typedTextSurvivesSwitching();
    void currentValueFillsAnUntouchedInput();
    void errnoIsShownWithItsMeaning();
    void closedSessionCannotApply();
    void readOnlyOptionHasNoApply();

private:
    static const SocketOption &row(const char *name) { return *findSocketOption(QLatin1String(name)); }
    static QPushButton *applyButton(OptionEditor &e)
    {
        for (auto *b : e.findChildren<QPushButton *>()) {
            if (b->accessibleName() == u"Apply")
                return b;
        }
        return nullptr;
    }
};

void tst_OptionEditor::initTestCase()
{
    qRegisterMetaType<OptionSetting>();
}

void tst_OptionEditor::editsAValueAndShowsTheReadBack()
{
    OptionEditor editor;
    editor.setOption(&row("SO_RCVBUF"));
    QSignalSpy spy(&editor, &OptionEditor::applyRequested);
    auto *line = editor.findChild<QLineEdit *>();
    QVERIFY(line);
    QTest::keyClicks(line, QStringLiteral("65536"));
    QTest::keyClick(line, Qt::Key_Return);
    QCOMPARE(spy.size(), 1);
    const auto setting = spy.first().first().value<OptionSetting>();
    QCOMPARE(setting, (OptionSetting{QStringLiteral("SO_RCVBUF"), QStringLiteral("65536")}));

    // What the pane would hand back: a real setsockopt and read-back on a real socket.
    auto socket = Socket::create(AF_INET, SOCK_STREAM);
    QVERIFY(socket);
    CallTrace trace;
    const OptionApplyResult result = sessionoptions::apply(*socket, AF_INET, SOCK_STREAM, setting, trace, QStringLiteral("s"));
    QVERIFY(result.ok());
    editor.showResult(result);
    QVERIFY2(editor.resultText().contains(u"Asked 65536"), qPrintable(editor.resultText()));
    QVERIFY2(editor.resultText().contains(u"131072"), qPrintable(editor.resultText()));
    QVERIFY(editor.resultText().contains(u"adjusted"));
    QCOMPARE(editor.text(), QStringLiteral("65536")); // the input keeps what was typed
}

void tst_OptionEditor::controlsFitTheType_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("value");
    QTest::addColumn<bool>("check");
    QTest::addColumn<bool>("combo");
    QTest::addColumn<bool>("line");
    QTest::newRow("bool") << "TCP_NODELAY" << "1" << true << false << false;
    QTest::newRow("int") << "IP_TTL" << "32" << false << false << true;
    QTest::newRow("enum") << "IP_MTU_DISCOVER" << "IP_PMTUDISC_DO" << false << true << false;
    QTest::newRow("linger") << "SO_LINGER" << "on,5" << true << false << true;
    QTest::newRow("timeval") << "SO_RCVTIMEO" << "2.5" << false << false << true;
    QTest::newRow("congestion") << "TCP_CONGESTION" << "reno" << false << true << false;
    QTest::newRow("interface") << "SO_BINDTODEVICE" << "lo" << false << true << false;
    QTest::newRow("ip_mreq") << "IP_ADD_MEMBERSHIP" << "239.1.2.3,127.0.0.1" << false << false << true;
}

void tst_OptionEditor::controlsFitTheType()
{
    QFETCH(QString, name);
    QFETCH(QString, value);
    QFETCH(bool, check);
    QFETCH(bool, combo);
    QFETCH(bool, line);
    OptionEditor editor;
    editor.setContext(KernelSettings::optionContext());
    editor.setOption(findSocketOption(name));
    QCOMPARE(editor.findChild<QCheckBox *>() != nullptr, check);
    QCOMPARE(editor.findChild<QComboBox *>() != nullptr, combo);
    // An editable combo box has a line edit of its own.
    QCOMPARE(editor.findChild<QLineEdit *>() != nullptr && !editor.findChild<QComboBox *>(), line);
    editor.setText(value);
    QCOMPARE(editor.text(), value);
    QSignalSpy spy(&editor, &OptionEditor::applyRequested);
    QVERIFY(editor.apply());
    QCOMPARE(spy.size(), 1);
    if (auto *c = editor.findChild<QComboBox *>(); c && name == u"TCP_CONGESTION")
        QVERIFY(c->findText(QStringLiteral("reno")) >= 0); // the list holds this kernel's algorithms
    for (QWidget *w : editor.findChildren<QWidget *>()) {
        if (qobject_cast<QLineEdit *>(w) && qobject_cast<QComboBox *>(w->parentWidget()))
            continue;
        if (qobject_cast<QCheckBox *>(w) || qobject_cast<QComboBox *>(w) || qobject_cast<QLineEdit *>(w))
            QVERIFY2(!w->accessibleName().isEmpty() && !w->toolTip().isEmpty(), w->metaObject()->className());
    }
}

void tst_OptionEditor::badValuesAreRejected_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("typed");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("negative buffer") << "SO_RCVBUF" << "-1" << "out of range";
    QTest::newRow("text in an int") << "SO_SNDBUF" << "big" << "not a number";
    QTest::newRow("TTL 256") << "IP_TTL" << "256" << "1 to 255";
    QTest::newRow("unknown congestion algorithm") << "TCP_CONGESTION" << "warp9" << "unknown congestion algorithm";
    QTest::newRow("linger without seconds") << "SO_LINGER" << "on,soon" << "whole seconds";
    QTest::newRow("not a group") << "IP_ADD_MEMBERSHIP" << "10.1.1.1" << "multicast";
}

void tst_OptionEditor::badValuesAreRejected()
{
    QFETCH(QString, name);
    QFETCH(QString, typed);
    QFETCH(QString, mentions);
    OptionEditor editor;
    editor.setContext(KernelSettings::optionContext());
    editor.setOption(findSocketOption(name));
    editor.setText(typed);
    QSignalSpy spy(&editor, &OptionEditor::applyRequested);
    QVERIFY(!editor.apply());
    QCOMPARE(spy.size(), 0); // nothing reaches the pane, so no setsockopt is made
    QVERIFY2(editor.errorText().startsWith(name + u':'), qPrintable(editor.errorText())); // names the field
    QVERIFY2(editor.errorText().contains(mentions), qPrintable(editor.errorText()));
    QCOMPARE(editor.text(), typed); // nothing typed is lost
}

void tst_OptionEditor::typedTextSurvivesSwitching()
{
    OptionEditor editor;
    editor.setOption(&row("SO_SNDBUF"));
    QTest::keyClicks(editor.findChild<QLineEdit *>(), QStringLiteral("12x4"));
    editor.setOption(&row("TCP_NODELAY"));
    editor.setOption(&row("SO_SNDBUF"));
    QCOMPARE(editor.text(), QStringLiteral("12x4"));
    // The kernel's value does not overwrite a draft.
    editor.setCurrent(OptionReading{&row("SO_SNDBUF"), OptionValue{.number = 16384}, std::nullopt});
    QCOMPARE(editor.text(), QStringLiteral("12x4"));
    QVERIFY(editor.currentText().contains(u"16384"));
}

void tst_OptionEditor::currentValueFillsAnUntouchedInput()
{
    OptionEditor editor;
    editor.setOption(&row("SO_LINGER"));
    editor.setCurrent(OptionReading{&row("SO_LINGER"), OptionValue{.number = 7, .on = true}, std::nullopt});
    QCOMPARE(editor.text(), QStringLiteral("on,7"));
    QVERIFY(editor.findChild<QCheckBox *>()->isChecked());
    editor.setOption(&row("IP_MTU"));
    editor.setCurrent(OptionReading{&row("IP_MTU"), std::nullopt, SysError::fromErrno(ENOTCONN)});
    QVERIFY(editor.currentText().contains(u"ENOTCONN"));
    QVERIFY(editor.currentText().contains(u"connected"));
}

void tst_OptionEditor::errnoIsShownWithItsMeaning()
{
    OptionEditor editor;
    editor.setOption(&row("SO_MARK"));
    OptionApplyResult result;
    result.option = &row("SO_MARK");
    result.asked = QStringLiteral("7");
    result.error = SysError::fromErrno(EPERM);
    editor.showResult(result);
    QVERIFY2(editor.resultText().contains(u"EPERM"), qPrintable(editor.resultText()));
    QVERIFY(editor.resultText().contains(u"CAP_NET_ADMIN"));
    QVERIFY(editor.resultText().contains(u"does not have it"));

    result.option = &row("IP_TTL");
    editor.setOption(&row("IP_TTL"));
    result.error = SysError::fromErrno(EINVAL);
    editor.showResult(result);
    QVERIFY(editor.resultText().contains(u"EINVAL"));
}

void tst_OptionEditor::closedSessionCannotApply()
{
    OptionEditor editor;
    editor.setOption(&row("TCP_NODELAY"));
    editor.setSessionUsable(false, QStringLiteral("closed"));
    QVERIFY(!applyButton(editor)->isEnabled());
    QSignalSpy spy(&editor, &OptionEditor::applyRequested);
    QVERIFY(!editor.apply());
    QCOMPARE(spy.size(), 0);
    editor.setSessionUsable(true);
    QVERIFY(applyButton(editor)->isEnabled());
}

void tst_OptionEditor::readOnlyOptionHasNoApply()
{
    OptionEditor editor;
    editor.show();
    editor.setOption(&row("SO_TYPE"));
    QVERIFY(!applyButton(editor)->isVisible());
    QVERIFY(!editor.apply());
}

QTEST_MAIN(tst_OptionEditor)
#include "tst_optioneditor.moc"
