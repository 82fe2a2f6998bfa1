#include "theme.h"

#include "../common/samplepalettes.h"
#include "widgets/formhelpers.h"

#include <QApplication>
#include <QDirIterator>
#include <QFile>
#include <QLabel>
#include <QRegularExpression>
#include <QTest>

using namespace sockscope;
using ui::Theme;
using Role = Theme::Role;

Q_DECLARE_METATYPE(Theme::Role)

namespace {

// How far apart two colours look: the "redmean" weighted RGB distance (0 .. ~765).
double distance(const QColor &a, const QColor &b)
{
    const double rmean = (a.red() + b.red()) / 2.0;
    const double dr = a.red() - b.red(), dg = a.green() - b.green(), db = a.blue() - b.blue();
    return std::sqrt((2 + rmean / 256) * dr * dr + 4 * dg * dg + (2 + (255 - rmean) / 256) * db * db);
}

// A colour written in code, or a colour in a style sheet. The one place allowed to hold
// them is ui/theme.*.
bool isColourLiteral(const QString &line)
{
    static const QRegularExpression re(QStringLiteral(
        "\\bQColor\\s*(\\w+\\s*)?[({]\\s*(\\d|\"|'|Qt::|QLatin1|QString|u\")|QColor::from(Rgb|Hsv|Hsl|Cmyk|String)|QColorConstants|"
        "(?<![.>\\w])q?[Rr]gba?(F|64)?\\s*\\(|\\bset(Rgb|Hsv|Hsl)|"
        "\\bQt::(white|black|red|darkRed|green|darkGreen|blue|darkBlue|cyan|darkCyan|magenta|darkMagenta|"
        "yellow|darkYellow|gray|darkGray|lightGray|color0|color1)\\b|"
        "\"[^\"]*(#[0-9a-fA-F]{3,8}\\b|\\bcolor\\s*:|background(-color)?\\s*:|palette\\s*\\(|border[^\";]*\\b(solid|dashed|dotted)\\s+\\w)[^\"]*\""));
    return re.match(line).hasMatch();
}

} // namespace

class tst_Theme : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase_data();
    void inkReads_data();
    void inkReads();
    void tintsShowAndCarryText_data();
    void tintsShowAndCarryText();
    void rolesThatMustDiffer_data();
    void rolesThatMustDiffer();
    void followsThePalette();
    void statesMapToRoles();
    void textOnAFill();
    void labelTextThroughPalette();
    void colourLiteralPattern_data();
    void colourLiteralPattern();
    void noColourLiteralOutsideTheme();
};

void tst_Theme::initTestCase_data()
{
    QTest::addColumn<QPalette>("palette");
    for (const tests::SamplePalette &s : tests::kSamplePalettes)
        QTest::newRow(s.name) << tests::makePalette(s);
}

void tst_Theme::inkReads_data()
{
    QTest::addColumn<Theme::Role>("role");
    for (Role r : Theme::roles()) {
        if (Theme::kind(r) != Theme::Kind::Tint)
            QTest::newRow(qPrintable(Theme::roleName(r))) << r;
    }
}

// Text roles reach WCAG's 4.5:1 against both backgrounds text sits on, lines 3:1.
void tst_Theme::inkReads()
{
    QFETCH_GLOBAL(QPalette, palette);
    QFETCH(Theme::Role, role);
    const QColor c = Theme(palette).color(role);
    const double wanted = Theme::kind(role) == Theme::Kind::Text ? Theme::kTextContrast : Theme::kLineContrast;
    for (QPalette::ColorRole bg : {QPalette::Base, QPalette::Window, QPalette::AlternateBase}) {
        const double ratio = Theme::contrast(c, palette.color(bg));
        QVERIFY2(ratio >= wanted, qPrintable(QStringLiteral("%1 on %2: %3:1").arg(c.name()).arg(int(bg)).arg(ratio, 0, 'f', 2)));
    }
}

void tst_Theme::tintsShowAndCarryText_data()
{
    QTest::addColumn<Theme::Role>("role");
    for (Role r : Theme::roles()) {
        if (Theme::kind(r) == Theme::Kind::Tint)
            QTest::newRow(qPrintable(Theme::roleName(r))) << r;
    }
}

// A tint is seen against Base and Window, and palette Text on it still reads.
void tst_Theme::tintsShowAndCarryText()
{
    QFETCH_GLOBAL(QPalette, palette);
    QFETCH(Theme::Role, role);
    const QColor c = Theme(palette).color(role);
    for (QPalette::ColorRole bg : {QPalette::Base, QPalette::Window})
        QVERIFY2(distance(c, palette.color(bg)) >= 40,
                 qPrintable(QStringLiteral("%1 vs %2: %3").arg(c.name(), palette.color(bg).name()).arg(distance(c, palette.color(bg)))));
    QVERIFY2(Theme::contrast(palette.color(QPalette::Text), c) >= Theme::kTextContrast, qPrintable(c.name()));
}

void tst_Theme::rolesThatMustDiffer_data()
{
    QTest::addColumn<QList<Theme::Role>>("roles");
    QTest::newRow("client-server") << QList<Role>{Role::Client, Role::Server};
    QTest::newRow("client-server tints") << QList<Role>{Role::ClientTint, Role::ServerTint};
    QTest::newRow("error-warning-success") << QList<Role>{Role::Error, Role::Warning, Role::Success};
    QTest::newRow("received-sent") << QList<Role>{Role::Received, Role::Sent};
    QTest::newRow("arrows") << QList<Role>{Role::ArrowSyn, Role::ArrowData, Role::ArrowAck, Role::ArrowFin, Role::ArrowRst};
    QTest::newRow("states") << QList<Role>{Role::StateOpening, Role::StateEstablished, Role::StateClosing,
                                           Role::StateTimeWait, Role::StateClosed};
    QTest::newRow("state tints") << QList<Role>{Role::StateOpeningTint, Role::StateEstablishedTint, Role::StateClosingTint,
                                                Role::StateTimeWaitTint, Role::StateClosedTint};
    QTest::newRow("muted-text") << QList<Role>{Role::Muted, Role::Error};
}

void tst_Theme::rolesThatMustDiffer()
{
    QFETCH_GLOBAL(QPalette, palette);
    QFETCH(QList<Theme::Role>, roles);
    const Theme theme(palette);
    // Tints are pale by design; inks must be told apart at a glance.
    const double apart = Theme::kind(roles.first()) == Theme::Kind::Tint ? 25 : 90;
    for (qsizetype i = 0; i < roles.size(); ++i) {
        for (qsizetype j = i + 1; j < roles.size(); ++j) {
            const QColor a = theme.color(roles[i]), b = theme.color(roles[j]);
            QVERIFY2(distance(a, b) >= apart, qPrintable(QStringLiteral("%1 %2 vs %3 %4: %5")
                                                              .arg(Theme::roleName(roles[i]), a.name(), Theme::roleName(roles[j]), b.name())
                                                              .arg(distance(a, b))));
        }
    }
}

// The same role is another colour on a dark palette than on a light one: each palette is
// compared with one of the other lightness.
void tst_Theme::followsThePalette()
{
    QFETCH_GLOBAL(QPalette, palette);
    const Theme theme(palette);
    const Theme other(tests::samplePalette(theme.isDark() ? "fusion-light" : "fusion-dark"));
    QVERIFY(theme.isDark() != other.isDark());
    for (Role r : {Role::Error, Role::Client, Role::Server, Role::Muted, Role::ClientTint, Role::StateClosedTint})
        QVERIFY2(theme.color(r) != other.color(r), qPrintable(Theme::roleName(r)));
    // A tint sits on the side of Base, away from the text drawn on it.
    const bool tintBelowText = Theme::luminance(theme.color(Role::ClientTint)) < Theme::luminance(palette.color(QPalette::Text));
    QCOMPARE(tintBelowText, theme.isDark());
}

void tst_Theme::statesMapToRoles()
{
    using core::TcpState;
    QCOMPARE(Theme::state(TcpState::SynSent), Role::StateOpening);
    QCOMPARE(Theme::state(TcpState::NewSynReceived), Role::StateOpening);
    QCOMPARE(Theme::state(TcpState::Established), Role::StateEstablished);
    QCOMPARE(Theme::state(TcpState::LastAck), Role::StateClosing);
    QCOMPARE(Theme::state(TcpState::TimeWait), Role::StateTimeWait);
    QCOMPARE(Theme::state(TcpState::Closed), Role::StateClosed);
    QCOMPARE(Theme::stateTint(TcpState::Listen), Role::StateOpeningTint);
    QCOMPARE(Theme::stateTint(TcpState::Established), Role::StateEstablishedTint);
    QCOMPARE(Theme::stateTint(TcpState::FinWait2), Role::StateClosingTint);
    QCOMPARE(Theme::stateTint(TcpState::TimeWait), Role::StateTimeWaitTint);
    QCOMPARE(Theme::stateTint(TcpState::Closed), Role::StateClosedTint);
}

// A tag filled with an end's colour is lettered in whichever of Base and Text reads on it.
void tst_Theme::textOnAFill()
{
    QFETCH_GLOBAL(QPalette, palette);
    const Theme theme(palette);
    for (Role r : {Role::Client, Role::Server}) {
        const QColor fill = theme.color(r);
        QVERIFY2(Theme::contrast(theme.textOn(fill), fill) >= Theme::kTextContrast - 0.5,
                 qPrintable(QStringLiteral("%1 on %2").arg(theme.textOn(fill).name(), fill.name())));
    }
}

// An error label takes its red through the palette (no style sheet) and follows the
// application's palette when it changes.
void tst_Theme::labelTextThroughPalette()
{
    QFETCH_GLOBAL(QPalette, palette);
    struct Restore
    {
        QPalette before = QApplication::palette();
        ~Restore() { QApplication::setPalette(before); }
    } restore;
    QWidget parent;
    QLabel *label = ui::makeErrorLabel(&parent);
    QVERIFY(label->styleSheet().isEmpty());
    QCOMPARE(label->palette().color(QPalette::WindowText), Theme(parent.palette()).color(Role::Error));
    QApplication::setPalette(palette);
    QTRY_COMPARE(label->palette().color(QPalette::WindowText), Theme(palette).color(Role::Error));
    // The rest inherited (the new palette reaches children from the event loop).
    QTRY_COMPARE(label->palette().color(QPalette::Window), palette.color(QPalette::Window));

    Theme::setTextRole(label, std::nullopt);
    QCOMPARE(label->palette().color(QPalette::WindowText), palette.color(QPalette::WindowText));
    Theme::setTextRole(label, Role::Muted);
    QCOMPARE(label->palette().color(QPalette::WindowText), Theme(palette).color(Role::Muted));

    auto *banner = new QLabel(&parent);
    Theme::setFillRole(banner, Role::WarningTint);
    QVERIFY(banner->autoFillBackground());
    QCOMPARE(banner->palette().color(QPalette::Window), Theme(palette).color(Role::WarningTint));
    QCOMPARE(banner->palette().color(QPalette::WindowText), palette.color(QPalette::Text));
}

void tst_Theme::colourLiteralPattern_data()
{
    QTest::addColumn<QString>("line");
    QTest::addColumn<bool>("literal");
    const auto row = [](const char *name, const char *line, bool literal) {
        QTest::newRow(name) << QString::fromLatin1(line) << literal;
    };
    row("QColor hex", "return QBrush(QColor(0xb3, 0x26, 0x1e));", true);
    row("QColor declared", "const QColor kLine(107, 107, 107);", true);
    row("QColor declared hex", "const QColor kFull(0xc6, 0x28, 0x28);", true);
    row("QColor temporary decimal", "p.setPen(QColor(107, 107, 107));", true);
    row("QColor name", "QColor(\"#b3261e\")", true);
    row("QColor Qt", "QColor(Qt::red)", true);
    row("fromRgb", "QColor::fromRgb(0xb3261e)", true);
    row("Qt::white", "p.setPen(Qt::white);", true);
    row("Qt::darkGray", "return Qt::darkGray;", true);
    row("qRgb", "image.fill(qRgb(1, 2, 3));", true);
    row("style sheet colour", "label->setStyleSheet(QStringLiteral(\"QLabel { color: #b3261e; }\"));", true);
    row("style sheet palette", "label->setStyleSheet(QStringLiteral(\"QLabel { color: palette(mid); }\"));", true);
    row("style sheet rgb", "w->setStyleSheet(QStringLiteral(\"background: rgb(1, 2, 3)\"));", true);
    row("style sheet border", "w->setStyleSheet(QStringLiteral(\"border: 1px solid gray\"));", true);
    row("hex string", "const char *c = \"#e0c060\";", true);
    row("theme", "p.setPen(theme.color(Theme::Role::Error));", false);
    row("palette", "p.setPen(palette().color(QPalette::Text));", false);
    row("no pen", "p.setPen(Qt::NoPen);", false);
    row("tool bar style sheet", "actions->setStyleSheet(QStringLiteral(\"QToolBar { border: 0; padding: 0; spacing: 4px; }\"));", false);
    row("QColor variable", "const QColor fill = queueFull() ? full : filled;", false);
    row("issue number", "tr(\"see #12\")", false);
    row("rgb() of a colour", "if (pixel.rgb() == c.toRgb().rgb())", false);
    row("empty QColor", "QColor none;", false);
}

void tst_Theme::colourLiteralPattern()
{
    QFETCH(QString, line);
    QFETCH(bool, literal);
    QCOMPARE(isColourLiteral(line), literal);
}

// The acceptance's grep, automated: no colour outside ui/theme.
void tst_Theme::noColourLiteralOutsideTheme()
{
    // The source does not depend on the palette; reading it again for each row is cheap.
    const QString root = QStringLiteral(SOCKSCOPE_SOURCE_DIR "/ui");
    QStringList found;
    int files = 0;
    QDirIterator it(root, {QStringLiteral("*.h"), QStringLiteral("*.cpp")}, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        const QString name = it.fileName();
        if (name == QLatin1String("theme.h") || name == QLatin1String("theme.cpp"))
            continue;
        QFile file(path);
        QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(path));
        ++files;
        int number = 0;
        while (!file.atEnd()) {
            const QString line = QString::fromUtf8(file.readLine()).trimmed();
            ++number;
            if (line.startsWith(QLatin1String("//")) || line.startsWith(QLatin1String("#include")))
                continue;
            if (isColourLiteral(line))
                found << QStringLiteral("%1:%2: %3").arg(path.mid(root.size() - 2)).arg(number).arg(line);
        }
    }
    QVERIFY2(files > 50, qPrintable(QStringLiteral("only %1 files under %2").arg(files).arg(root)));
    QVERIFY2(found.isEmpty(), qPrintable(found.join(u'\n')));
}

QTEST_MAIN(tst_Theme)
#include "tst_theme.moc"
