// PreferencesDialog: the default timeout is saved, read back, handed to the
// SessionManager (socket.setdefaulttimeout) and used by new TCP client panes; unchecked
// means None. QSettings writes to Qt's test location, never the user's.

#include "appservices.h"
#include "preferencesdialog.h"

#include "../common/widgetlookup.h"

#include "mainwindow.h"
#include "panes/tcpclientpane.h"

#include "engine/lookupservice.h"
#include "engine/sessionmanager.h"

#include <QCheckBox>
#include <QDoubleSpinBox>
#include <QSettings>
#include <QStandardPaths>
#include <QTest>

using namespace sockscope;
using sockscope::tests::named;

class tst_PreferencesDialog : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void factoryDefault();
    void savedAndApplied();
    void noneMeansBlock();
    void cancelKeepsTheSaved();
};

void tst_PreferencesDialog::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("sockscope-tests"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_preferencesdialog"));
}

void tst_PreferencesDialog::init()
{
    QSettings().clear();
}

void tst_PreferencesDialog::factoryDefault()
{
    QCOMPARE(ui::PreferencesDialog::savedTimeoutMs(), std::optional<int>(ui::PreferencesDialog::kFactoryTimeoutMs));
    ui::PreferencesDialog dialog;
    QVERIFY(named<QCheckBox>(dialog, u"timeoutEnabled")->isChecked());
    QCOMPARE(named<QDoubleSpinBox>(dialog, u"timeoutBox")->value(), 10.0);
}

void tst_PreferencesDialog::savedAndApplied()
{
    ui::PreferencesDialog dialog;
    named<QDoubleSpinBox>(dialog, u"timeoutBox")->setValue(2.5);
    dialog.accept();
    QCOMPARE(ui::PreferencesDialog::savedTimeoutMs(), std::optional<int>(2500));

    core::AppServices services;
    core::SessionManager &sessions = services.sessions;
    ui::MainWindow window(services); // applies the saved preference
    QCOMPARE(sessions.defaultTimeout(), std::optional<int>(2500));
    ui::TcpClientPane *client = window.newTcpClient();
    QCOMPARE(named<QDoubleSpinBox>(*client, u"timeoutBox")->value(), 2.5);
}

void tst_PreferencesDialog::noneMeansBlock()
{
    ui::PreferencesDialog dialog;
    named<QCheckBox>(dialog, u"timeoutEnabled")->setChecked(false);
    QVERIFY(!named<QDoubleSpinBox>(dialog, u"timeoutBox")->isEnabled());
    dialog.accept();
    QCOMPARE(ui::PreferencesDialog::savedTimeoutMs(), std::nullopt);

    core::AppServices services;
    core::SessionManager &sessions = services.sessions;
    sessions.setDefaultTimeout(1000);
    ui::PreferencesDialog::apply(sessions);
    QCOMPARE(sessions.defaultTimeout(), std::nullopt);
    ui::MainWindow window(services);
    ui::TcpClientPane *client = window.newTcpClient();
    QCOMPARE(named<QDoubleSpinBox>(*client, u"timeoutBox")->text(), QStringLiteral("none"));
}

void tst_PreferencesDialog::cancelKeepsTheSaved()
{
    ui::PreferencesDialog::saveTimeoutMs(4000);
    ui::PreferencesDialog dialog;
    QCOMPARE(dialog.timeoutMs(), std::optional<int>(4000));
    named<QDoubleSpinBox>(dialog, u"timeoutBox")->setValue(30);
    dialog.reject();
    QCOMPARE(ui::PreferencesDialog::savedTimeoutMs(), std::optional<int>(4000));
}

QTEST_MAIN(tst_PreferencesDialog)
#include "tst_preferencesdialog.moc"
