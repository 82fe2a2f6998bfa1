// The Lookup pane, offscreen, on a real LookupService. Every lookup stays on this
// machine: numeric addresses, NI_NUMERICHOST for reverse lookups, /etc/services names.

#include "models/addrinfomodel.h"
#include "../common/tryuntil.h"
#include "../common/widgetlookup.h"

#include "panes/byteorderform.h"
#include "panes/convertersform.h"
#include "panes/hostdbform.h"
#include "panes/lookuppane.h"
#include "panes/nameinfoform.h"

#include "engine/lookupservice.h"

#include <QAbstractButton>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSemaphore>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTabBar>
#include <QTabWidget>
#include <QTableView>
#include <QTest>

#include <arpa/inet.h>

using namespace sockscope;
using namespace sockscope::core;
using sockscope::ui::AddrInfoModel;
using sockscope::ui::LookupPane;
using sockscope::tests::named;

class tst_LookupPane : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase_data();
    void resolvesIntoTheTableInTheSystemOrder();
    void enterInTheHostFieldResolves();
    void errorsShowInlineWithTheEaiName();
    void nullHostWithPassive();
    void theWindowNeverWaitsAndCancelAbandons();
    void sortingKeepsTheSystemOrderColumn();
    void copyPutsTheRowsOnTheClipboard();
    void getnameinfoTakesARow();
    void aRowStartsATcpClient();
    void pythonLineFollowsTheForm();
    void everyFlagIsACheckboxWithItsExplanation();
    void everyControlIsNamedForAccessibility();
    void databaseCallsRunOnTheService();
    void convertersUpdateAsYouType();
    void byteOrderCalculator();
    void closingThePaneWithALookupStuck();
};

namespace {

// The pane's result model, found by its objectName (the pane keeps no getter for tests).
AddrInfoModel *modelOf(const LookupPane &pane)
{
    return named<AddrInfoModel>(pane, u"addrInfoModel");
}

bool resolveAndWait(LookupPane &pane, const std::optional<QString> &host, const std::optional<QString> &service,
                    const AddrInfoHints &hints)
{
    QSignalSpy finished(&pane, &LookupPane::lookupFinished);
    pane.resolve(host, service, hints);
    return finished.wait(5000) || finished.count() == 1;
}

// Selects one row as a click would, whatever modifier keys an earlier test left down.
void selectRow(LookupPane &pane, int row)
{
    QItemSelectionModel *selection = pane.table()->selectionModel();
    const QModelIndex index = pane.table()->model()->index(row, 0);
    selection->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
}

// Keyboard and mouse input needs a window on screen (offscreen here).
bool showPane(LookupPane &pane)
{
    pane.resize(1000, 700);
    pane.show();
    return tests::tryUntil([&] { return tests::isExposed(pane); });
}

} // namespace

void tst_LookupPane::initTestCase_data()
{
    QTest::addColumn<QString>("loopback");
    QTest::newRow("IPv4") << "127.0.0.1";
    QTest::newRow("IPv6") << "::1";
}

void tst_LookupPane::resolvesIntoTheTableInTheSystemOrder()
{
    QFETCH_GLOBAL(QString, loopback);
    LookupService lookups;
    LookupPane pane(lookups);
    const AddrInfoHints hints{AF_UNSPEC, 0, 0, AI_NUMERICHOST};
    QVERIFY(resolveAndWait(pane, loopback, QStringLiteral("domain"), hints));

    const auto expected = Resolver::getaddrinfo(loopback, QStringLiteral("domain"), hints);
    QVERIFY(expected.has_value());
    QCOMPARE(modelOf(pane)->rowCount(), expected->size());
    for (int r = 0; r < expected->size(); ++r) {
        QCOMPARE(modelOf(pane)->row(r).address, expected->at(r).address);
        QCOMPARE(modelOf(pane)->row(r).socktype, expected->at(r).socktype);
        // The view shows the same order until the user sorts.
        const QModelIndex cell = pane.table()->model()->index(r, AddrInfoModel::Order);
        QCOMPARE(cell.data().toString(), QString::number(r + 1));
        QCOMPARE(pane.table()->model()->index(r, AddrInfoModel::Address).data().toString(), loopback);
    }
    QVERIFY(named<QLabel>(pane, u"resolveErrorLabel")->isHidden());
    QVERIFY2(named<QLabel>(pane, u"statusLabel")->text().contains(QLatin1String("ms")), qPrintable(named<QLabel>(pane, u"statusLabel")->text()));
    QVERIFY(!pane.isBusy());
    QVERIFY(!named<QPushButton>(pane, u"cancelButton")->isEnabled());
}

void tst_LookupPane::enterInTheHostFieldResolves()
{
    QFETCH_GLOBAL(QString, loopback);
    LookupService lookups;
    LookupPane pane(lookups);
    QVERIFY(showPane(pane));
    pane.hostEdit()->setText(loopback);
    named<QLineEdit>(pane, u"serviceEdit")->setText(QStringLiteral("8080"));
    pane.flagBox(AI_NUMERICHOST)->setChecked(true);
    named<QComboBox>(pane, u"typeBox")->setCurrentIndex(named<QComboBox>(pane, u"typeBox")->findData(int(SOCK_STREAM)));
    QSignalSpy finished(&pane, &LookupPane::lookupFinished);
    QTest::keyClick(pane.hostEdit(), Qt::Key_Return);
    QVERIFY(finished.wait(5000));
    QCOMPARE(modelOf(pane)->rowCount(), 1);
    QCOMPARE(modelOf(pane)->row(0).address, *Address::ip(loopback, 8080));
}

void tst_LookupPane::errorsShowInlineWithTheEaiName()
{
    LookupService lookups;
    LookupPane pane(lookups);
    QVERIFY(resolveAndWait(pane, QStringLiteral("localhost"), QStringLiteral("80"), {AF_UNSPEC, 0, 0, AI_NUMERICHOST}));
    QVERIFY(!named<QLabel>(pane, u"resolveErrorLabel")->isHidden());
    QCOMPARE(named<QLabel>(pane, u"resolveErrorLabel")->textFormat(), Qt::PlainText);
    const QString text = named<QLabel>(pane, u"resolveErrorLabel")->text();
    QVERIFY2(text.startsWith(QStringLiteral("Host: EAI_NONAME (%1): ").arg(EAI_NONAME)), qPrintable(text));
    QVERIFY(text.contains(QString::fromLocal8Bit(gai_strerror(EAI_NONAME))));
    QCOMPARE(modelOf(pane)->rowCount(), 0);

    // The next lookup clears the error.
    QVERIFY(resolveAndWait(pane, QStringLiteral("127.0.0.1"), QStringLiteral("80"), {AF_UNSPEC, 0, 0, AI_NUMERICHOST}));
    QVERIFY(named<QLabel>(pane, u"resolveErrorLabel")->isHidden());
    QVERIFY(modelOf(pane)->rowCount() > 0);

    // A family getaddrinfo does not take.
    QVERIFY(resolveAndWait(pane, QStringLiteral("127.0.0.1"), QStringLiteral("80"), {AF_UNIX, 0, 0, 0}));
    QVERIFY(named<QLabel>(pane, u"resolveErrorLabel")->text().startsWith(QLatin1String("Hints: EAI_FAMILY")));
}

void tst_LookupPane::nullHostWithPassive()
{
    LookupService lookups;
    LookupPane pane(lookups);
    QVERIFY(resolveAndWait(pane, std::nullopt, QStringLiteral("80"), {AF_UNSPEC, SOCK_STREAM, 0, AI_PASSIVE}));
    QVERIFY(named<QCheckBox>(pane, u"hostNullBox")->isChecked());
    QVERIFY(!pane.hostEdit()->isEnabled());
    QVERIFY(modelOf(pane)->rowCount() > 0);
    for (const AddrInfo &row : modelOf(pane)->rows())
        QVERIFY(row.address.isWildcard());
}

void tst_LookupPane::theWindowNeverWaitsAndCancelAbandons()
{
    LookupService lookups(1);
    // Hold the only worker, as a getaddrinfo stuck on a dead DNS server would.
    auto gate = std::make_shared<QSemaphore>();
    QObject holder;
    lookups.submit<int>(
        [gate] {
            gate->acquire();
            return 0;
        },
        &holder, [](const LookupResult<int> &) {});

    LookupPane pane(lookups);
    QVERIFY(showPane(pane));
    QSignalSpy finished(&pane, &LookupPane::lookupFinished);
    QElapsedTimer timer;
    timer.start();
    pane.resolve(QStringLiteral("127.0.0.1"), QStringLiteral("80"), {AF_UNSPEC, 0, 0, AI_NUMERICHOST});
    QVERIFY(timer.elapsed() < 500); // resolve() only queues
    QVERIFY(pane.isBusy());
    QVERIFY(named<QPushButton>(pane, u"cancelButton")->isEnabled());
    QTRY_VERIFY(named<QLabel>(pane, u"statusLabel")->text().contains(QLatin1String(" s ")));

    QTest::mouseClick(named<QPushButton>(pane, u"cancelButton"), Qt::LeftButton);
    QVERIFY(!pane.isBusy());
    QVERIFY(named<QLabel>(pane, u"statusLabel")->text().startsWith(QLatin1String("Abandoned")));
    gate->release();
    QTRY_COMPARE(lookups.pendingCount(), 0);
    QTRY_COMPARE(lookups.busyWorkers(), 0);
    QTest::qWait(50); // a fixed wait is the point: the abandoned answer may not arrive meanwhile
    QCOMPARE(finished.count(), 0);
    QCOMPARE(modelOf(pane)->rowCount(), 0);
}

void tst_LookupPane::sortingKeepsTheSystemOrderColumn()
{
    QFETCH_GLOBAL(QString, loopback);
    LookupService lookups;
    LookupPane pane(lookups);
    QVERIFY(resolveAndWait(pane, loopback, QStringLiteral("9"), {AF_UNSPEC, 0, 0, AI_NUMERICHOST}));
    const int rows = modelOf(pane)->rowCount();
    QVERIFY(rows >= 2);
    QAbstractItemModel *view = pane.table()->model();

    pane.table()->sortByColumn(AddrInfoModel::SockType, Qt::DescendingOrder);
    QStringList types;
    for (int r = 0; r < rows; ++r) {
        types.append(view->index(r, AddrInfoModel::SockType).data().toString());
        // "#" still names each row's place in the system's answer.
        const int order = view->index(r, AddrInfoModel::Order).data().toInt();
        QCOMPARE(socketTypeName(modelOf(pane)->row(order - 1).socktype), types.last());
    }
    QStringList sorted = types;
    std::sort(sorted.begin(), sorted.end(), std::greater<>());
    QCOMPARE(types, sorted);

    pane.table()->sortByColumn(AddrInfoModel::Order, Qt::AscendingOrder);
    for (int r = 0; r < rows; ++r) {
        QCOMPARE(view->index(r, AddrInfoModel::Order).data().toInt(), r + 1);
        QCOMPARE(view->index(r, AddrInfoModel::SockType).data().toString(),
                 socketTypeName(modelOf(pane)->row(r).socktype));
    }
}

void tst_LookupPane::copyPutsTheRowsOnTheClipboard()
{
    QFETCH_GLOBAL(QString, loopback);
    LookupService lookups;
    LookupPane pane(lookups);
    QVERIFY(showPane(pane));
    QVERIFY(resolveAndWait(pane, loopback, QStringLiteral("53"), {AF_UNSPEC, 0, 0, AI_NUMERICHOST}));
    pane.table()->selectAll();
    pane.table()->setFocus();
    QApplication::clipboard()->clear();
    QTest::keySequence(pane.table(), QKeySequence::Copy);
    const QStringList lines = QApplication::clipboard()->text().split(u'\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), modelOf(pane)->rowCount() + 1);
    QVERIFY(lines[0].startsWith(QLatin1String("#\tFamily\tType")));
    for (int r = 0; r < modelOf(pane)->rowCount(); ++r) {
        const QStringList cells = lines[r + 1].split(u'\t');
        QCOMPARE(cells[AddrInfoModel::Order], QString::number(r + 1));
        QCOMPARE(cells[AddrInfoModel::Address], loopback);
        QCOMPARE(cells[AddrInfoModel::Port], QStringLiteral("53"));
    }
}

void tst_LookupPane::getnameinfoTakesARow()
{
    QFETCH_GLOBAL(QString, loopback);
    LookupService lookups;
    LookupPane pane(lookups);
    QVERIFY(showPane(pane));
    QVERIFY(resolveAndWait(pane, loopback, QStringLiteral("8080"), {AF_UNSPEC, SOCK_DGRAM, 0, AI_NUMERICHOST}));
    ui::NameInfoForm *form = named<ui::NameInfoForm>(pane, u"nameInfoForm");
    form->flagBox(NI_NUMERICHOST)->setChecked(true); // no reverse query leaves the machine
    form->flagBox(NI_NUMERICSERV)->setChecked(true);
    selectRow(pane, 0);
    QSignalSpy finished(form, &ui::NameInfoForm::finished);
    QVERIFY(named<QPushButton>(pane, u"nameInfoButton")->isEnabled());
    QTest::mouseClick(named<QPushButton>(pane, u"nameInfoButton"), Qt::LeftButton);
    QVERIFY(finished.wait(5000));
    QCOMPARE(named<QTabWidget>(pane, u"tabs")->currentIndex(), 0);
    QVERIFY(form->isVisibleTo(named<QTabWidget>(pane, u"tabs")->currentWidget()));
    QCOMPARE(named<QLineEdit>(*form, u"nameinfoAddress")->text(), loopback);
    QCOMPARE(named<QSpinBox>(*form, u"nameinfoPort")->value(), 8080);
    QVERIFY(form->flagBox(NI_DGRAM)->isChecked()); // a datagram row
    QCOMPARE(named<QLineEdit>(*form, u"nameinfoHost")->text(), loopback);
    QCOMPARE(named<QLineEdit>(*form, u"nameinfoService")->text(), QStringLiteral("8080"));
    QVERIFY(named<QLabel>(*form, u"errorLabel")->isHidden());
}

void tst_LookupPane::aRowStartsATcpClient()
{
    QFETCH_GLOBAL(QString, loopback);
    LookupService lookups;
    LookupPane pane(lookups);
    QVERIFY(showPane(pane));
    QVERIFY(resolveAndWait(pane, loopback, QStringLiteral("7"), {AF_UNSPEC, SOCK_STREAM, 0, AI_NUMERICHOST}));
    QSignalSpy wanted(&pane, &LookupPane::connectRequested);
    selectRow(pane, 0);
    QVERIFY(named<QPushButton>(pane, u"clientButton")->isEnabled());
    QTest::mouseClick(named<QPushButton>(pane, u"clientButton"), Qt::LeftButton);
    QCOMPARE(wanted.count(), 1);
    QCOMPARE(wanted.first().first().value<Address>(), *Address::ip(loopback, 7));

    // From the keyboard, in the table.
    pane.table()->setFocus();
    QTest::keyClick(pane.table(), Qt::Key_Return, Qt::ControlModifier);
    QCOMPARE(wanted.count(), 2);

    // Nothing selected: nothing to connect to.
    pane.table()->clearSelection();
    QVERIFY(!named<QPushButton>(pane, u"clientButton")->isEnabled());
    pane.connectToSelection();
    QCOMPARE(wanted.count(), 2);
}

void tst_LookupPane::pythonLineFollowsTheForm()
{
    LookupService lookups;
    LookupPane pane(lookups);
    named<QCheckBox>(pane, u"hostNullBox")->setChecked(true);
    named<QLineEdit>(pane, u"serviceEdit")->setText(QStringLiteral("443"));
    named<QComboBox>(pane, u"familyBox")->setCurrentIndex(named<QComboBox>(pane, u"familyBox")->findData(AF_INET6));
    named<QComboBox>(pane, u"typeBox")->setCurrentIndex(named<QComboBox>(pane, u"typeBox")->findData(int(SOCK_STREAM)));
    pane.flagBox(AI_PASSIVE)->setChecked(true);
    pane.flagBox(AI_IDN)->setChecked(true);
    QCOMPARE(named<QLineEdit>(pane, u"pythonLine")->text(),
             Resolver::pythonGetaddrinfo(std::nullopt, QStringLiteral("443"),
                                         {AF_INET6, SOCK_STREAM, 0, AI_PASSIVE | AI_IDN}));
    QVERIFY(named<QLineEdit>(pane, u"pythonLine")->text().startsWith(QLatin1String("socket.getaddrinfo(None, '443', socket.AF_INET6")));
}

void tst_LookupPane::everyFlagIsACheckboxWithItsExplanation()
{
    LookupService lookups;
    LookupPane pane(lookups);
    for (const ResolverFlag &f : Resolver::addrInfoFlags()) {
        QCheckBox *box = pane.flagBox(f.value);
        QVERIFY2(box, f.name);
        QCOMPARE(box->text(), QLatin1String(f.name));
        QCOMPARE(box->toolTip(), QString::fromUtf8(f.help));
        QCOMPARE(box->accessibleName(), QLatin1String(f.name));
    }
    for (const ResolverFlag &f : Resolver::nameInfoFlags()) {
        QCheckBox *box = named<ui::NameInfoForm>(pane, u"nameInfoForm")->flagBox(f.value);
        QVERIFY2(box, f.name);
        QCOMPARE(box->toolTip(), QString::fromUtf8(f.help));
    }
    QCOMPARE(pane.findChildren<QCheckBox *>().size(),
             Resolver::addrInfoFlags().size() + Resolver::nameInfoFlags().size() + 2); // + the two NULLs
}

void tst_LookupPane::everyControlIsNamedForAccessibility()
{
    LookupService lookups;
    LookupPane pane(lookups);
    QStringList unnamed;
    for (QWidget *w : pane.findChildren<QWidget *>()) {
        const bool control = qobject_cast<QAbstractButton *>(w) || qobject_cast<QLineEdit *>(w)
                             || qobject_cast<QComboBox *>(w) || qobject_cast<QSpinBox *>(w)
                             || qobject_cast<QTableView *>(w);
        const QWidget *parent = w->parentWidget();
        if (!control || qobject_cast<const QLineEdit *>(parent) || qobject_cast<const QComboBox *>(parent)
            || qobject_cast<const QSpinBox *>(parent) || qobject_cast<const QTabBar *>(parent)
            || qobject_cast<const QTableView *>(parent))
            continue; // parts of a composite widget (a spin box's line edit, a tab bar's scroll buttons)
        if (w->accessibleName().isEmpty() || w->toolTip().isEmpty())
            unnamed.append(QStringLiteral("%1 \"%2\"").arg(QLatin1String(w->metaObject()->className()),
                                                           w->property("text").toString()));
    }
    QVERIFY2(unnamed.isEmpty(), qPrintable(unnamed.join(QStringLiteral(", "))));
    // Labels never interpret what they show.
    for (QLabel *label : pane.findChildren<QLabel *>())
        QCOMPARE(label->textFormat(), Qt::PlainText);
}

void tst_LookupPane::databaseCallsRunOnTheService()
{
    LookupService lookups;
    LookupPane pane(lookups);
    ui::HostDbForm *db = named<ui::HostDbForm>(pane, u"hostDbForm");
    QSignalSpy finished(db, &ui::HostDbForm::finished);
    const auto run = [&](ui::HostDbForm::Call call) {
        const int before = finished.count();
        db->run(call);
        return tests::tryUntil([&] { return finished.count() > before; });
    };

    QVERIFY(run(ui::HostDbForm::GetHostName));
    QCOMPARE(db->result(ui::HostDbForm::GetHostName)->text(), *Resolver::gethostname());

    db->input(ui::HostDbForm::GetServByName)->setText(QStringLiteral("http"));
    db->protocol(ui::HostDbForm::GetServByName)->setCurrentIndex(1); // tcp
    QVERIFY(run(ui::HostDbForm::GetServByName));
    const ServEnt http = *Resolver::getservbyname(QStringLiteral("http"), QStringLiteral("tcp"));
    QVERIFY2(db->result(ui::HostDbForm::GetServByName)->text().startsWith(QStringLiteral("%1/tcp is %2").arg(http.port).arg(http.name)),
             qPrintable(db->result(ui::HostDbForm::GetServByName)->text()));

    db->input(ui::HostDbForm::GetProtoByNumber)->setText(QStringLiteral("17"));
    QVERIFY(run(ui::HostDbForm::GetProtoByNumber));
    QVERIFY(db->result(ui::HostDbForm::GetProtoByNumber)->text().startsWith(
        QStringLiteral("17 is %1").arg(Resolver::getprotobynumber(17)->name)));

    db->input(ui::HostDbForm::GetServByName)->setText(QStringLiteral("no-such-service"));
    QVERIFY(run(ui::HostDbForm::GetServByName));
    QVERIFY(db->result(ui::HostDbForm::GetServByName)->text().isEmpty());
    QVERIFY(!named<QLabel>(*db, u"errorLabel")->isHidden());
    QVERIFY2(named<QLabel>(*db, u"errorLabel")->text().contains(QLatin1String("service/proto not found")),
             qPrintable(named<QLabel>(*db, u"errorLabel")->text()));

    // A bad number is refused before any lookup.
    db->input(ui::HostDbForm::GetServByPort)->setText(QStringLiteral("eighty"));
    db->run(ui::HostDbForm::GetServByPort);
    QVERIFY(!db->isBusy(ui::HostDbForm::GetServByPort));
    QVERIFY(named<QLabel>(*db, u"errorLabel")->text().contains(QLatin1String("not a number")));
}

void tst_LookupPane::convertersUpdateAsYouType()
{
    LookupService lookups;
    LookupPane pane(lookups);
    ui::ConvertersForm *c = named<ui::ConvertersForm>(pane, u"convertersForm");
    named<QLineEdit>(*c, u"textEdit")->setText(QStringLiteral("0x7f.1"));
    QVERIFY2(named<QLineEdit>(*c, u"aton")->text().contains(QLatin1String("127.0.0.1")), qPrintable(named<QLineEdit>(*c, u"aton")->text()));
    QVERIFY(named<QLineEdit>(*c, u"aton")->text().contains(QLatin1String("7f 00 00 01")));
    QVERIFY(named<QLabel>(*c, u"atonNotes")->text().contains(QLatin1String("hexadecimal")));
    QVERIFY(named<QLabel>(*c, u"atonNotes")->text().contains(QLatin1String("inet_pton(AF_INET) rejects")));
    QVERIFY(named<QLineEdit>(*c, u"ptonV4")->text().startsWith(QLatin1String("rejected")));

    named<QLineEdit>(*c, u"textEdit")->setText(QStringLiteral("fe80::1"));
    QCOMPARE(named<QLineEdit>(*c, u"ptonV6")->text(), QStringLiteral("fe 80 00 00 00 00 00 00 00 00 00 00 00 00 00 01"));
    QCOMPARE(named<QLineEdit>(*c, u"aton")->text(), QStringLiteral("rejected (returns 0)"));

    named<QLineEdit>(*c, u"bytesEdit")->setText(QStringLiteral("fe80 0000 0000 0000 0000 0000 0000 0001"));
    QVERIFY2(named<QLineEdit>(*c, u"ntop")->text().startsWith(QLatin1String("fe80::1")), qPrintable(named<QLineEdit>(*c, u"ntop")->text()));
    QVERIFY(!named<QLineEdit>(*c, u"ntoa")->text().contains(u':'));
    named<QLineEdit>(*c, u"bytesEdit")->setText(QStringLiteral("c0:a8:00:01"));
    QVERIFY(named<QLineEdit>(*c, u"ntop")->text().startsWith(QLatin1String("192.168.0.1")));
    QCOMPARE(named<QLineEdit>(*c, u"ntoa")->text(), QStringLiteral("192.168.0.1"));
    named<QLineEdit>(*c, u"bytesEdit")->setText(QStringLiteral("c0a8g"));
    QVERIFY(named<QLineEdit>(*c, u"ntop")->text().contains(QLatin1String("hex")));
}

void tst_LookupPane::byteOrderCalculator()
{
    LookupService lookups;
    LookupPane pane(lookups);
    ui::ByteOrderForm *c = named<ui::ByteOrderForm>(pane, u"byteOrderForm");
    c->valueEdit()->setText(QStringLiteral("80"));
    const quint16 port = htons(80);
    QCOMPARE(c->cell(0, 0)->text(), QStringLiteral("0x%1 (%2)").arg(port, 4, 16, QLatin1Char('0')).arg(port));
    QCOMPARE(c->cell(0, 2)->text(), QStringLiteral("00 50")); // on the wire
    QCOMPARE(c->cell(0, 3)->text(), QStringLiteral("00 50")); // htons' result, in memory
    c->valueEdit()->setText(QStringLiteral("0x7f000001"));
    QVERIFY(c->cell(0, 0)->text().startsWith(QLatin1String("out of range"))); // htons: 16 bits
    QCOMPARE(c->cell(2, 2)->text(), QStringLiteral("7f 00 00 01"));            // htonl
    const quint32 addr = htonl(0x7f000001);
    QCOMPARE(c->cell(2, 0)->text(),
             QStringLiteral("0x%1 (%2)").arg(addr, 8, 16, QLatin1Char('0')).arg(addr));
    c->valueEdit()->setText(QStringLiteral("port"));
    QVERIFY(c->cell(0, 0)->text().isEmpty());
}

void tst_LookupPane::closingThePaneWithALookupStuck()
{
    LookupService lookups(1);
    auto gate = std::make_shared<QSemaphore>();
    QObject holder;
    lookups.submit<int>(
        [gate] {
            gate->acquire();
            return 0;
        },
        &holder, [](const LookupResult<int> &) {});
    auto *pane = new LookupPane(lookups);
    pane->resolve(QStringLiteral("127.0.0.1"), QStringLiteral("80"), {AF_UNSPEC, 0, 0, AI_NUMERICHOST});
    QVERIFY(pane->isBusy());
    delete pane; // never waits for the worker
    QCOMPARE(lookups.pendingCount(), 1); // only the holder's
    gate->release();
    QTRY_COMPARE(lookups.pendingCount(), 0);
}

QTEST_MAIN(tst_LookupPane)
#include "tst_lookuppane.moc"
