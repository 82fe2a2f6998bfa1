#include "widgets/composer.h"

#include <QAbstractButton>
#include <QAbstractScrollArea>
#include <QComboBox>
#include <QCoreApplication>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTemporaryFile>
#include <QTest>
#include <QToolButton>

using namespace Qt::StringLiterals;
using namespace sockscope;
using namespace sockscope::core;
using ui::Composer;

namespace {

QPlainTextEdit *editorOf(Composer &c)
{
    return c.findChild<QPlainTextEdit *>();
}

QPushButton *button(Composer &c, const QString &accessibleName)
{
    for (QPushButton *b : c.findChildren<QPushButton *>()) {
        if (b->accessibleName() == accessibleName)
            return b;
    }
    return nullptr;
}

} // namespace

class tst_Composer : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void sendsParsedBytes_data();
    void sendsParsedBytes();
    void badInputIsAnInlineErrorAtTheSpot_data();
    void badInputIsAnInlineErrorAtTheSpot();
    void keyboardSendAndNewline();
    void historyWithUpAndDown();
    void repeatNTimes();
    void repeatUntilStopped();
    void disablingStopsARepeat();
    void snippetsPersist();
    void sendFile();
    void everyControlIsDescribed();

private:
    QTemporaryDir m_settingsDir;
};

void tst_Composer::initTestCase()
{
    // Snippets live in QSettings: keep the test's away from the user's.
    QVERIFY(m_settingsDir.isValid());
    QCoreApplication::setOrganizationName(QStringLiteral("sockscope-tests"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_composer"));
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_settingsDir.path());
}

void tst_Composer::sendsParsedBytes_data()
{
    QTest::addColumn<int>("mode");
    QTest::addColumn<int>("ending");
    QTest::addColumn<QString>("input");
    QTest::addColumn<QByteArray>("expected");
    QTest::addColumn<QString>("count");

    const int text = int(PayloadMode::Text);
    const int hex = int(PayloadMode::Hex);
    QTest::newRow("plain-text") << text << int(LineEnding::None) << QStringLiteral("hello") << QByteArrayLiteral("hello") << QStringLiteral("5 bytes");
    QTest::newRow("text-escapes") << text << int(LineEnding::None) << QStringLiteral("a\\tb\\0\\xff") << QByteArray("a\tb\0\xff", 5) << QStringLiteral("5 bytes");
    QTest::newRow("text-crlf") << text << int(LineEnding::CrLf) << QStringLiteral("hi") << QByteArrayLiteral("hi\r\n") << QStringLiteral("4 bytes");
    QTest::newRow("hex-spaces") << hex << int(LineEnding::None) << QStringLiteral("68 69") << QByteArrayLiteral("hi") << QStringLiteral("2 bytes");
    QTest::newRow("hex-colons-lf") << hex << int(LineEnding::Lf) << QStringLiteral("de:ad") << QByteArrayLiteral("\xde\xad\n") << QStringLiteral("3 bytes");
    // An empty send is allowed: a UDP pane sends it as a 0-byte datagram.
    QTest::newRow("empty") << text << int(LineEnding::None) << QString() << QByteArray() << QStringLiteral("0 bytes");
}

void tst_Composer::sendsParsedBytes()
{
    QFETCH(int, mode);
    QFETCH(int, ending);
    QFETCH(QString, input);
    QFETCH(QByteArray, expected);
    QFETCH(QString, count);
    Composer composer;
    QSignalSpy sent(&composer, &Composer::sendRequested);
    composer.setMode(PayloadMode(mode));
    composer.setLineEnding(LineEnding(ending));
    composer.setText(input);
    QCOMPARE(composer.byteCountText(), count);
    button(composer, QStringLiteral("Send"))->click();
    QCOMPARE(sent.count(), 1);
    QCOMPARE(sent.at(0).at(0).toByteArray(), expected);
    QVERIFY(composer.errorText().isEmpty());
    QCOMPARE(composer.text(), input); // kept, ready to send again
}

void tst_Composer::badInputIsAnInlineErrorAtTheSpot_data()
{
    QTest::addColumn<int>("mode");
    QTest::addColumn<QString>("input");
    QTest::addColumn<int>("selStart");
    QTest::addColumn<int>("selEnd");
    QTest::addColumn<QString>("mentions");
    QTest::addColumn<QString>("fixed");

    QTest::newRow("hex-bad-digit") << int(PayloadMode::Hex) << QStringLiteral("48 6g 69") << 4 << 5 << QStringLiteral("hex: 'g'") << QStringLiteral("48 6f 69");
    QTest::newRow("hex-odd-count") << int(PayloadMode::Hex) << QStringLiteral("48 6") << 3 << 4 << QStringLiteral("hex: odd number") << QStringLiteral("48 60");
    QTest::newRow("text-unknown-escape") << int(PayloadMode::Text) << QStringLiteral("ab\\qc") << 2 << 4 << QStringLiteral("text: unknown escape \\q") << QStringLiteral("ab\\\\qc");
    QTest::newRow("text-short-x") << int(PayloadMode::Text) << QStringLiteral("\\x4") << 0 << 3 << QStringLiteral("text: \\x needs two hex digits") << QStringLiteral("\\x41");
}

void tst_Composer::badInputIsAnInlineErrorAtTheSpot()
{
    QFETCH(int, mode);
    QFETCH(QString, input);
    QFETCH(int, selStart);
    QFETCH(int, selEnd);
    QFETCH(QString, mentions);
    QFETCH(QString, fixed);
    Composer composer;
    composer.show();
    QSignalSpy sent(&composer, &Composer::sendRequested);
    composer.setMode(PayloadMode(mode));
    composer.setText(input);
    QVERIFY(composer.errorText().isEmpty()); // no nagging while typing, before a send
    QVERIFY(!composer.send());
    QCOMPARE(sent.count(), 0);
    QVERIFY2(composer.errorText().startsWith(mentions), qPrintable(composer.errorText()));
    QVERIFY(composer.errorText().contains(QStringLiteral("(at character %1)").arg(selStart + 1)));
    QCOMPARE(composer.text(), input); // nothing typed is lost
    const QTextCursor cursor = editorOf(composer)->textCursor();
    QCOMPARE(cursor.selectionStart(), selStart);
    QCOMPARE(cursor.selectionEnd(), selEnd);
    QCOMPARE(editorOf(composer)->extraSelections().size(), 1);

    // Fixing the input clears the error at once; then Send works.
    composer.setText(fixed);
    QVERIFY(composer.errorText().isEmpty());
    QVERIFY(editorOf(composer)->extraSelections().isEmpty());
    QVERIFY(composer.send());
    QCOMPARE(sent.count(), 1);
}

void tst_Composer::keyboardSendAndNewline()
{
    Composer composer;
    composer.show();
    QTRY_VERIFY(composer.isActiveWindow());
    QSignalSpy sent(&composer, &Composer::sendRequested);
    QPlainTextEdit *edit = editorOf(composer);
    edit->setFocus();
    QTest::keyClicks(edit, QStringLiteral("line1"));
    QTest::keyClick(edit, Qt::Key_Return); // a literal newline, sent as \n
    QTest::keyClicks(edit, QStringLiteral("line2"));
    QCOMPARE(sent.count(), 0);
    QTest::keyClick(edit, Qt::Key_Return, Qt::ControlModifier);
    QCOMPARE(sent.count(), 1);
    QCOMPARE(sent.at(0).at(0).toByteArray(), QByteArrayLiteral("line1\nline2"));
    // Ctrl+Return also works with the focus elsewhere in the composer.
    composer.findChild<QComboBox *>()->setFocus();
    QTest::keyClick(composer.findChild<QComboBox *>(), Qt::Key_Return, Qt::ControlModifier);
    QCOMPARE(sent.count(), 2);
}

void tst_Composer::historyWithUpAndDown()
{
    Composer composer;
    composer.show();
    QPlainTextEdit *edit = editorOf(composer);
    for (const QString &s : {QStringLiteral("one"), QStringLiteral("two"), QStringLiteral("two"), QStringLiteral("three")}) {
        composer.setText(s);
        QVERIFY(composer.send());
    }
    composer.setMode(PayloadMode::Hex);
    composer.setText(QStringLiteral("ff"));
    QVERIFY(composer.send());
    QCOMPARE(composer.history(), QStringList({u"one"_s, u"two"_s, u"three"_s, u"ff"_s})); // repeats collapse

    composer.setMode(PayloadMode::Text);
    composer.setText(QStringLiteral("draft in progress"));
    edit->setFocus();
    QTest::keyClick(edit, Qt::Key_Up);
    QCOMPARE(composer.text(), QStringLiteral("ff"));
    QCOMPARE(composer.mode(), PayloadMode::Hex); // an entry comes back with its format
    QTest::keyClick(edit, Qt::Key_Up);
    QCOMPARE(composer.text(), QStringLiteral("three"));
    QCOMPARE(composer.mode(), PayloadMode::Text);
    QTest::keyClick(edit, Qt::Key_Up);
    QTest::keyClick(edit, Qt::Key_Up);
    QTest::keyClick(edit, Qt::Key_Up); // stays on the oldest
    QCOMPARE(composer.text(), QStringLiteral("one"));
    QTest::keyClick(edit, Qt::Key_Down);
    QCOMPARE(composer.text(), QStringLiteral("two"));
    QTest::keyClick(edit, Qt::Key_Down);
    QTest::keyClick(edit, Qt::Key_Down);
    QTest::keyClick(edit, Qt::Key_Down);
    QCOMPARE(composer.text(), QStringLiteral("draft in progress")); // nothing typed is lost

    // In a multi-line input, Up and Down move between lines first.
    composer.setText(QStringLiteral("a\nb"));
    edit->moveCursor(QTextCursor::End);
    QTest::keyClick(edit, Qt::Key_Up);
    QCOMPARE(composer.text(), QStringLiteral("a\nb"));
    QCOMPARE(edit->textCursor().blockNumber(), 0);
    QTest::keyClick(edit, Qt::Key_Up);
    QCOMPARE(composer.text(), QStringLiteral("ff"));
}

void tst_Composer::repeatNTimes()
{
    Composer composer;
    QSignalSpy sent(&composer, &Composer::sendRequested);
    QSignalSpy repeating(&composer, &Composer::repeatingChanged);
    composer.setText(QStringLiteral("tick\\n"));
    composer.setRepeat(3, 10);
    QVERIFY(composer.send());
    QVERIFY(composer.isRepeating());
    QVERIFY(!button(composer, QStringLiteral("Send"))->isEnabled());
    QVERIFY(button(composer, QStringLiteral("Stop repeating"))->isEnabled());
    QTRY_VERIFY(!composer.isRepeating());
    QCOMPARE(sent.count(), 3);
    for (const QList<QVariant> &args : sent)
        QCOMPARE(args.at(0).toByteArray(), QByteArrayLiteral("tick\n"));
    QCOMPARE(repeating.count(), 2);
    QCOMPARE(composer.repeatsSent(), 3);
    QVERIFY(button(composer, QStringLiteral("Send"))->isEnabled());
    QTest::qWait(50); // a fixed wait is the point: no fourth send may follow
    QCOMPARE(sent.count(), 3); // and no more
}

void tst_Composer::repeatUntilStopped()
{
    Composer composer;
    QSignalSpy sent(&composer, &Composer::sendRequested);
    composer.setText(QStringLiteral("x"));
    composer.setRepeat(0, 5);
    QVERIFY(composer.send());
    QTRY_VERIFY(sent.count() >= 4);
    QVERIFY(composer.isRepeating());
    QVERIFY(!composer.send()); // one series at a time
    button(composer, QStringLiteral("Stop repeating"))->click();
    QVERIFY(!composer.isRepeating());
    const auto count = sent.count();
    QCOMPARE(composer.repeatsSent(), int(count));
    QTest::qWait(40); // a fixed wait is the point: a stopped series may not send meanwhile
    QCOMPARE(sent.count(), count);
}

void tst_Composer::disablingStopsARepeat()
{
    Composer composer;
    QSignalSpy sent(&composer, &Composer::sendRequested);
    composer.setRepeat(100, 5);
    QVERIFY(composer.send());
    QVERIFY(composer.isRepeating());
    composer.setEnabled(false); // the pane does this when its connection closes
    QVERIFY(!composer.isRepeating());
    const auto count = sent.count();
    QTest::qWait(40); // a fixed wait is the point: a disabled composer may not send meanwhile
    QCOMPARE(sent.count(), count);
    QVERIFY(!composer.send()); // disabled: nothing goes out
}

void tst_Composer::snippetsPersist()
{
    {
        Composer composer;
        composer.setMode(PayloadMode::Hex);
        composer.setLineEnding(LineEnding::CrLf);
        composer.setText(QStringLiteral("de ad be ef"));
        composer.saveSnippet(QStringLiteral("dead & beef"));
        composer.setMode(PayloadMode::Text);
        composer.setLineEnding(LineEnding::None);
        composer.setText(QStringLiteral("HELO example\\r\\n"));
        composer.saveSnippet(QStringLiteral("helo"));
        composer.saveSnippet(QStringLiteral("  ")); // a blank name saves nothing
    }
    Composer other; // another composer (another pane, or the next run) sees them
    QCOMPARE(other.snippetNames(), QStringList({u"dead & beef"_s, u"helo"_s}));
    QVERIFY(other.loadSnippet(QStringLiteral("dead & beef")));
    QCOMPARE(other.text(), QStringLiteral("de ad be ef"));
    QCOMPARE(other.mode(), PayloadMode::Hex);
    QCOMPARE(other.lineEnding(), LineEnding::CrLf);
    QCOMPARE(*other.payload(), QByteArrayLiteral("\xde\xad\xbe\xef\r\n"));
    QVERIFY(!other.loadSnippet(QStringLiteral("nope")));

    // Through the menu, as a user would.
    auto *menuButton = other.findChild<QToolButton *>();
    QMenu *menu = menuButton->menu();
    QMetaObject::invokeMethod(menu, "aboutToShow");
    QAction *helo = nullptr;
    for (QAction *a : menu->actions()) {
        if (a->text() == QStringLiteral("helo"))
            helo = a;
    }
    QVERIFY(helo);
    QVERIFY(menu->actions().first()->text() == QStringLiteral("dead && beef")); // '&' is not a mnemonic
    helo->trigger();
    QCOMPARE(other.text(), QStringLiteral("HELO example\\r\\n"));
    QCOMPARE(other.mode(), PayloadMode::Text);

    // Saving under an existing name replaces it; deleting removes it.
    other.setText(QStringLiteral("EHLO"));
    other.saveSnippet(QStringLiteral("helo"));
    QCOMPARE(other.snippetNames(), QStringList({u"dead & beef"_s, u"helo"_s}));
    QVERIFY(other.loadSnippet(QStringLiteral("helo")));
    QCOMPARE(other.text(), QStringLiteral("EHLO"));
    other.removeSnippet(QStringLiteral("dead & beef"));
    QCOMPARE(Composer().snippetNames(), QStringList({u"helo"_s}));
    other.removeSnippet(QStringLiteral("helo"));
    QVERIFY(other.snippetNames().isEmpty());
}

void tst_Composer::sendFile()
{
    Composer composer;
    QSignalSpy files(&composer, &Composer::sendFileRequested);
    QTemporaryFile file;
    QVERIFY(file.open());
    file.write("file contents");
    file.flush();
    composer.requestSendFile(file.fileName());
    QCOMPARE(files.count(), 1);
    QCOMPARE(files.at(0).at(0).toString(), QFileInfo(file.fileName()).absoluteFilePath());
    QVERIFY(composer.errorText().isEmpty());

    composer.requestSendFile(QStringLiteral("/nonexistent/sockscope-test-file"));
    QCOMPARE(files.count(), 1);
    QVERIFY(composer.errorText().startsWith(QStringLiteral("file: ")));

    composer.show();
    auto *sendFileButton = button(composer, QStringLiteral("Send file"));
    QVERIFY(sendFileButton && sendFileButton->isVisible());
    composer.setFileSendingEnabled(false); // a datagram pane
    QVERIFY(!sendFileButton->isVisible());
}

void tst_Composer::everyControlIsDescribed()
{
    Composer composer;
    auto isPartOfAnotherControl = [&composer](QWidget *w) {
        for (QWidget *p = w->parentWidget(); p && p != &composer; p = p->parentWidget()) {
            if (qobject_cast<QAbstractScrollArea *>(p) || qobject_cast<QAbstractSpinBox *>(p) || qobject_cast<QComboBox *>(p))
                return true;
        }
        return false;
    };
    int controls = 0;
    for (QWidget *w : composer.findChildren<QWidget *>()) {
        const bool control = qobject_cast<QAbstractButton *>(w) || qobject_cast<QComboBox *>(w)
            || qobject_cast<QAbstractSpinBox *>(w) || qobject_cast<QAbstractScrollArea *>(w) || qobject_cast<QLineEdit *>(w);
        if (!control || isPartOfAnotherControl(w))
            continue;
        ++controls;
        QVERIFY2(!w->accessibleName().isEmpty(), w->metaObject()->className());
        QVERIFY2(!w->toolTip().isEmpty(), qPrintable(w->accessibleName()));
        QVERIFY2(w->focusPolicy() & Qt::TabFocus, qPrintable(w->accessibleName()));
    }
    QCOMPARE(controls, 9); // 2 combos, snippets, send file, input, 2 spin boxes, stop, send
}

QTEST_MAIN(tst_Composer)
#include "tst_composer.moc"
