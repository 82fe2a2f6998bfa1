// What a blind user's screen reader gets, offscreen, through Qt's accessibility interfaces
// (the ones the AT-SPI bridge serves): status labels read what they show and say when it
// changes; the state diagram and the packet ladder are tables of what they draw; a row
// selected through accessibility moves the pane; Tab goes round the main window and never
// sticks in a table; the Watch TCP toggle reports the dock as it is. The last test walks
// the whole window with a real loopback connection, as an AT-SPI client would.

#include "appservices.h"
#include "../common/loopbackpair.h"
#include "../common/segmentscript.h"
#include "../common/widgetlookup.h"

#include "mainwindow.h"
#include "panes/tcpclientpane.h"
#include "panes/tcpserverpane.h"
#include "widgets/accessiblelabel.h"
#include "widgets/composer.h"
#include "widgets/connectionview.h"
#include "widgets/connectionwatch.h"
#include "widgets/ladderdiagram.h"
#include "widgets/ladderdiagramaccessible.h"
#include "widgets/ladderpanel.h"
#include "widgets/statediagram.h"
#include "widgets/statediagramaccessible.h"

#include "engine/lookupservice.h"
#include "engine/sessionmanager.h"

#include <QAbstractButton>
#include <QAbstractItemView>
#include <QAccessible>
#include <QAction>
#include <QApplication>
#include <QDockWidget>
#include <QLabel>
#include <QLineEdit>
#include <QTableView>
#include <QTest>
#include <QToolBar>
#include <QTreeView>

using namespace sockscope;
using namespace sockscope::core;
using End = sockscope::ui::StateDiagram::End;
using sockscope::tests::named;

namespace {

// The events Qt hands to the platform's accessibility bridge, as (type, object) pairs.
QList<QPair<QAccessible::Event, QObject *>> g_events;

void recordEvent(QAccessibleEvent *event)
{
    g_events.append({event->type(), event->object()});
}

// Whether the events can be seen in this run (see initTestCase).
bool eventsSeen()
{
    return QAccessible::isActive();
}

struct Node
{
    QAccessible::Role role;
    QString name;
    QString description;
    int row = -1; // a table cell's
    int column = -1;
    QString table; // the name of the table a cell belongs to
};

// Every node under `iface` a screen reader presents, depth first, by child() alone as an
// AT-SPI client walks it; invisible ones (the panes not shown) are left out, as it does.
void walk(QAccessibleInterface *iface, QList<Node> &out, const QString &table = {}, int depth = 0)
{
    if (!iface || !iface->isValid() || iface->state().invisible || depth > 64)
        return;
    Node node{iface->role(), iface->text(QAccessible::Name), iface->text(QAccessible::Description)};
    if (QAccessibleTableCellInterface *cell = iface->tableCellInterface()) {
        node.row = cell->rowIndex();
        node.column = cell->columnIndex();
        node.table = table;
    }
    out.append(node);
    const QString tableName = iface->tableInterface() ? node.name : table;
    for (int i = 0; i < iface->childCount(); ++i)
        walk(iface->child(i), out, tableName, depth + 1);
}

QList<Node> walkFrom(QObject *root)
{
    QList<Node> nodes;
    walk(QAccessible::queryAccessibleInterface(root), nodes);
    return nodes;
}

const Node *findNamed(const QList<Node> &nodes, const QString &name)
{
    for (const Node &n : nodes) {
        if (n.name == name)
            return &n;
    }
    return nullptr;
}

// The cell text at (row, column) of the table called `table` in a walk.
QString cellOf(const QList<Node> &nodes, const QString &table, int row, int column)
{
    for (const Node &n : nodes) {
        if (n.table == table && n.row == row && n.column == column)
            return n.name;
    }
    return {};
}

QString dump(const QList<Node> &nodes)
{
    QStringList lines;
    for (const Node &n : nodes) {
        if (!n.name.isEmpty() || !n.description.isEmpty())
            lines << QStringLiteral("%1 \"%2\" \"%3\"").arg(int(n.role)).arg(n.name, n.description.left(80));
    }
    return lines.join(u'\n');
}

QAbstractButton *toolButtonOf(QMainWindow &window, QAction *action)
{
    for (QToolBar *bar : window.findChildren<QToolBar *>()) {
        if (auto *button = qobject_cast<QAbstractButton *>(bar->widgetForAction(action)))
            return button;
    }
    return nullptr;
}

} // namespace

class tst_Accessibility : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void statusLabelReadsWhatItShows_data();
    void statusLabelReadsWhatItShows();
    void stateDiagramIsATable_data();
    void stateDiagramIsATable();
    void ladderIsATable();
    void selectingARowMovesThePane();
    void tabGoesRoundTheWindow();
    void watchToggleTellsTheTruth();
    void walkReadsTotalsLessonAndBothEnds();
};

void tst_Accessibility::initTestCase()
{
    // As when a screen reader is running: Qt sends events only while accessibility is on.
    // Events reach us only while Qt's accessibility is active, which takes a platform
    // bridge: offscreen has none, so the offscreen run checks what is read and the run
    // under Xvfb with AT-SPI (tst_accessibility_atspi, SOCKSCOPE_A11Y_EVENTS=1) checks what
    // is announced as well.
    QAccessible::installUpdateHandler(recordEvent);
    if (qEnvironmentVariableIntValue("SOCKSCOPE_A11Y_EVENTS"))
        QTRY_VERIFY2(QAccessible::isActive(), "no accessibility bridge: is the AT-SPI bus running?"); // it connects asynchronously
}

void tst_Accessibility::init()
{
    g_events.clear();
}

void tst_Accessibility::statusLabelReadsWhatItShows_data()
{
    QTest::addColumn<QStringList>("texts");
    QTest::newRow("one change") << QStringList{QStringLiteral("Resolving…")};
    QTest::newRow("changes and clears") << QStringList{QStringLiteral("Resolving…"), QStringLiteral("3 addresses in 1.2 ms"), QString()};
    QTest::newRow("same text twice") << QStringList{QStringLiteral("Closed"), QStringLiteral("Closed")};
}

void tst_Accessibility::statusLabelReadsWhatItShows()
{
    QFETCH(QStringList, texts);
    QLabel label;
    ui::nameStatusLabel(&label, QStringLiteral("Lookup status"));
    QAccessibleInterface *iface = QAccessible::queryAccessibleInterface(&label);
    QVERIFY(iface);
    int expectedEvents = 0;
    QString shown;
    for (const QString &text : texts) {
        g_events.clear();
        ui::setStatusText(&label, text);
        QCOMPARE(label.text(), text);
        QCOMPARE(iface->text(QAccessible::Name), QStringLiteral("Lookup status")); // what it is, unchanged
        QCOMPARE(iface->text(QAccessible::Description), text);                      // what it shows
        expectedEvents = text != shown ? 1 : 0;
        shown = text;
        const auto described = std::count_if(g_events.cbegin(), g_events.cend(), [&](const auto &e) {
            return e.first == QAccessible::DescriptionChanged && e.second == &label;
        });
        if (eventsSeen())
            QCOMPARE(int(described), expectedEvents);
    }
}

void tst_Accessibility::stateDiagramIsATable_data()
{
    QTest::addColumn<QList<TcpState>>("client");
    QTest::addColumn<QList<TcpState>>("server");
    QTest::addColumn<QString>("clientState");
    QTest::addColumn<QString>("serverState");
    QTest::addColumn<QString>("summary");
    QTest::newRow("established")
        << QList<TcpState>{TcpState::Closed, TcpState::SynSent, TcpState::Established}
        << QList<TcpState>{TcpState::Listen, TcpState::SynReceived, TcpState::Established}
        << "ESTABLISHED" << "ESTABLISHED" << "client end ESTABLISHED, server end ESTABLISHED";
    QTest::newRow("half closed")
        << QList<TcpState>{TcpState::Established, TcpState::FinWait1, TcpState::FinWait2}
        << QList<TcpState>{TcpState::Established, TcpState::CloseWait}
        << "FIN_WAIT_2" << "CLOSE_WAIT" << "client end FIN_WAIT_2, server end CLOSE_WAIT";
    QTest::newRow("listener alone")
        << QList<TcpState>{} << QList<TcpState>{TcpState::Listen}
        << "none yet" << "LISTEN" << "server end LISTEN";
    QTest::newRow("nothing") << QList<TcpState>{} << QList<TcpState>{} << "none yet" << "none yet" << "No connection shown.";
}

void tst_Accessibility::stateDiagramIsATable()
{
    QFETCH(QList<TcpState>, client);
    QFETCH(QList<TcpState>, server);
    QFETCH(QString, clientState);
    QFETCH(QString, serverState);
    QFETCH(QString, summary);
    ui::StateDiagram diagram;
    diagram.setStepDuration(0);
    diagram.setAccessibleName(QStringLiteral("TCP state diagram"));
    QAccessibleInterface *iface = QAccessible::queryAccessibleInterface(&diagram);
    QVERIFY(iface);
    QCOMPARE(iface->role(), QAccessible::Table);
    QAccessibleTableInterface *table = iface->tableInterface();
    QVERIFY(table);
    g_events.clear();
    diagram.setStates(End::Client, client);
    diagram.setStates(End::Server, server);

    using Col = ui::StateDiagramAccessible::Column;
    QCOMPARE(table->rowCount(), 2);
    QCOMPARE(table->columnCount(), int(Col::ColumnCount));
    QCOMPARE(table->columnDescription(Col::State), QStringLiteral("State"));
    QCOMPARE(iface->childCount(), 2 * Col::ColumnCount);
    QCOMPARE(table->cellAt(0, Col::End)->text(QAccessible::Name), QStringLiteral("client end"));
    QCOMPARE(table->cellAt(1, Col::End)->text(QAccessible::Name), QStringLiteral("server end"));
    QCOMPARE(table->cellAt(0, Col::State)->text(QAccessible::Name), clientState);
    QCOMPARE(table->cellAt(1, Col::State)->text(QAccessible::Name), serverState);
    QCOMPARE(iface->text(QAccessible::Description), summary);
    // Since when: a time of day while the end is in a state, nothing before.
    QCOMPARE(table->cellAt(0, Col::Since)->text(QAccessible::Name).isEmpty(), client.isEmpty());
    QCOMPARE(table->cellAt(1, Col::Since)->text(QAccessible::Name).contains(QLatin1String("s ago")), !server.isEmpty());
    if (!client.isEmpty())
        QVERIFY(table->cellAt(0, Col::Path)->text(QAccessible::Name).endsWith(clientState));
    // The cells are the table's children, each knowing where it sits.
    QAccessibleInterface *cell = iface->child(Col::ColumnCount + Col::State);
    QCOMPARE(cell, table->cellAt(1, Col::State));
    QCOMPARE(cell->parent(), iface);
    QCOMPARE(iface->indexOfChild(cell), int(Col::ColumnCount + Col::State));
    QCOMPARE(cell->tableCellInterface()->rowIndex(), 1);
    // A state change is announced on the cells of that end's row.
    const bool announced = std::any_of(g_events.cbegin(), g_events.cend(),
                                       [](const auto &e) { return e.first == QAccessible::NameChanged; });
    if (eventsSeen())
        QCOMPARE(announced, !client.isEmpty() || !server.isEmpty());
    // A state implied by a call, not seen, says so.
    diagram.setPath(End::Client, {{TcpState::SynSent, true}, {TcpState::Established, false}});
    QCOMPARE(table->cellAt(0, Col::State)->text(QAccessible::Name), QStringLiteral("ESTABLISHED (implied, not seen)"));
}

void tst_Accessibility::ladderIsATable()
{
    ui::LadderDiagram ladder;
    QAccessibleInterface *iface = QAccessible::queryAccessibleInterface(&ladder);
    QVERIFY(iface && iface->tableInterface());
    QAccessibleTableInterface *table = iface->tableInterface();
    QCOMPARE(table->rowCount(), 0);
    ladder.setPlaceholderText(QStringLiteral("No segments yet on port 5000."));
    QCOMPARE(iface->text(QAccessible::Description), QStringLiteral("No segments yet on port 5000."));

    g_events.clear();
    ladder.setSegments(tests::scriptedSegments({QStringLiteral("c S 0 0 0"), QStringLiteral("s S. 0 1 0"), QStringLiteral("c . 1 1 0"),
                                               QStringLiteral("c P. 1 1 5"), QStringLiteral("s . 1 6 0")}));
    if (eventsSeen())
        QVERIFY(std::any_of(g_events.cbegin(), g_events.cend(), [](const auto &e) { return e.first == QAccessible::TableModelChanged; }));
    using Col = ui::LadderDiagramAccessible::Column;
    QCOMPARE(table->rowCount(), 5);
    QCOMPARE(iface->childCount(), 5 * Col::ColumnCount);
    const auto cell = [&](int row, int column) { return table->cellAt(row, column)->text(QAccessible::Name); };
    QCOMPARE(cell(0, Col::Direction), QStringLiteral("client → server"));
    QCOMPARE(cell(1, Col::Direction), QStringLiteral("server → client"));
    QVERIFY2(cell(0, Col::Segment).startsWith(QLatin1String("SYN [S]")), qPrintable(cell(0, Col::Segment)));
    QVERIFY2(cell(1, Col::Segment).startsWith(QLatin1String("SYN-ACK [S.]")), qPrintable(cell(1, Col::Segment)));
    QVERIFY2(cell(3, Col::Numbers).contains(QLatin1String("seq 1  ack 1")) && cell(3, Col::Numbers).endsWith(QLatin1String("len 5")),
             qPrintable(cell(3, Col::Numbers)));
    QCOMPARE(cell(0, Col::Time), QStringLiteral("0.000 ms"));
    QCOMPARE(cell(0, Col::ClientState), QStringLiteral("SYN_SENT"));
    QCOMPARE(cell(1, Col::ClientState), QStringLiteral("ESTABLISHED"));
    QCOMPARE(cell(2, Col::ServerState), QStringLiteral("ESTABLISHED"));
    QVERIFY2(iface->text(QAccessible::Description).contains(QLatin1String("client CLOSED, server LISTEN")),
             qPrintable(iface->text(QAccessible::Description)));
    QCOMPARE(table->columnDescription(Col::Numbers), QStringLiteral("Seq, ack, window, length"));

    // Fewer rows: the cells past the end go, the others read the new rows.
    QAccessibleInterface *last = table->cellAt(4, Col::Segment);
    QVERIFY(last && last->isValid());
    ladder.setSegments(tests::scriptedSegments({QStringLiteral("c S 0 0 0"), QStringLiteral("s R. 0 1 0")}));
    QCOMPARE(table->rowCount(), 2);
    QCOMPARE(iface->childCount(), 2 * Col::ColumnCount);
    QVERIFY2(cell(1, Col::Segment).startsWith(QLatin1String("RST-ACK")), qPrintable(cell(1, Col::Segment)));
    QVERIFY(!table->cellAt(4, Col::Segment));
}

// The session tree and the accepted-connections table, driven as AT-SPI's table interface
// does: the row is selected, the current index left where it was.
void tst_Accessibility::selectingARowMovesThePane()
{
    core::AppServices services;
    core::SessionManager &sessions = services.sessions;
    ui::MainWindow window(services);
    window.show(); // the tree lays its rows out when shown
    QTRY_VERIFY(tests::isExposed(window));
    ui::TcpServerPane *server = window.newTcpServer();
    server->startWith(QStringLiteral("127.0.0.1"), 0, ServiceMode::Echo);
    QTRY_COMPARE(sessions.info(server->listener())->state, SessionState::Listening);
    const Address at = sessions.info(server->listener())->local;
    const auto clients = tests::connectClients(at, 2);
    QVERIFY(clients);
    QTRY_COMPARE(server->childSessions().size(), 2);
    QAbstractItemView *table = named<QTableView>(*server, u"connectionTable");
    QTRY_COMPARE(table->model()->rowCount(), 2);
    QAccessibleInterface *tableIface = QAccessible::queryAccessibleInterface(table);
    QVERIFY(tableIface && tableIface->tableInterface());
    for (int row : {1, 0}) {
        QVERIFY(tableIface->tableInterface()->selectRow(row));
        QCOMPARE(table->currentIndex().row(), row);
        QCOMPARE(named<ui::ConnectionView>(*server, u"connectionView")->session(), server->childSessions().at(row));
    }

    // The tree: selecting the client pane's row shows that pane.
    ui::TcpClientPane *client = window.newTcpClient();
    QTreeView *tree = named<QTreeView>(window, u"sessionTree");
    tree->expandAll();
    window.selectPane(server);
    QCOMPARE(window.currentPane(), server);
    QAccessibleInterface *treeIface = QAccessible::queryAccessibleInterface(tree);
    QVERIFY(treeIface && treeIface->tableInterface());
    const int clientRow = treeIface->tableInterface()->rowCount() - 1; // added last, below the server's children
    QVERIFY(treeIface->tableInterface()->selectRow(clientRow));
    QCOMPARE(window.currentPane(), client);
}

// Tab from the session tree goes through every control, docks included, and comes back
// to the tree; it never stays in a table.
void tst_Accessibility::tabGoesRoundTheWindow()
{
    core::AppServices services;
    core::SessionManager &sessions = services.sessions;
    ui::MainWindow window(services);
    window.show();
    QTRY_VERIFY(tests::isExposed(window));
    window.activateWindow();
    QTRY_VERIFY(window.isActiveWindow());
    window.openStarterSessions();
    auto *client = qobject_cast<ui::TcpClientPane *>(window.currentPane());
    QVERIFY(client);
    named<ui::LadderPanel>(*named<ui::ConnectionWatch>(window, u"connectionWatch"), u"ladder")->setCaptureEnabled(false);
    QTRY_VERIFY(!client->portEdit()->text().isEmpty());
    client->connectToTarget();
    QTRY_VERIFY(client->currentSession() && sessions.info(client->currentSession())->state == SessionState::Connected);
    window.watchDock()->toggleViewAction()->trigger();
    QTRY_VERIFY(window.watchDock()->isVisible());

    QWidget *start = named<QTreeView>(window, u"sessionTree");
    start->setFocus(Qt::TabFocusReason);
    QTRY_COMPARE(QApplication::focusWidget(), start);
    QStringList visited;
    QSet<QWidget *> seen;
    bool back = false;
    for (int i = 0; i < 500 && !back; ++i) {
        QWidget *before = QApplication::focusWidget();
        QTest::keyClick(before, Qt::Key_Tab);
        QWidget *after = QApplication::focusWidget();
        QVERIFY(after);
        const QString what = QStringLiteral("%1 \"%2\"").arg(QString::fromLatin1(after->metaObject()->className()),
                                                             after->accessibleName().isEmpty() ? after->objectName() : after->accessibleName());
        QVERIFY2(after != before, qPrintable(QStringLiteral("Tab stays in ") + what));
        QVERIFY2(!seen.contains(after) || after == start,
                 qPrintable(QStringLiteral("Tab went round a loop that misses the tree, at ") + what + QStringLiteral(" after ")
                            + visited.join(QStringLiteral(" → "))));
        seen.insert(after);
        visited << what;
        back = after == start;
    }
    QVERIFY2(back, qPrintable(visited.join(QStringLiteral(" → "))));
    // Through the pane, the docks and their tables.
    QVERIFY2(visited.size() > 20, qPrintable(visited.join(QStringLiteral(" → "))));
    QVERIFY(visited.contains(QStringLiteral("QTableView \"Call trace\"")));
}

// AT-SPI's Toggle action on the toolbar button (QAccessibleButton::doAction -> toggle())
// opens and closes the dock, and the button, the action and the dock agree.
void tst_Accessibility::watchToggleTellsTheTruth()
{
    core::AppServices services;
    ui::MainWindow window(services);
    window.show();
    QTRY_VERIFY(tests::isExposed(window));
    named<ui::LadderPanel>(*named<ui::ConnectionWatch>(window, u"connectionWatch"), u"ladder")->setCaptureEnabled(false);
    QAction *toggle = window.watchDock()->toggleViewAction();
    QAbstractButton *button = toolButtonOf(window, toggle);
    QVERIFY(button);
    QAccessibleInterface *iface = QAccessible::queryAccessibleInterface(button);
    QVERIFY(iface && iface->actionInterface());
    QVERIFY(iface->actionInterface()->actionNames().contains(QAccessibleActionInterface::toggleAction()));
    for (bool open : {true, false, true}) {
        iface->actionInterface()->doAction(QAccessibleActionInterface::toggleAction());
        QTRY_COMPARE(window.watchDock()->isVisible(), open);
        QCOMPARE(button->isChecked(), open);
        QCOMPARE(toggle->isChecked(), open);
        QCOMPARE(bool(iface->state().checked), open);
    }
}

// The acceptance walk: a client pane connected to a server pane on 127.0.0.1, bytes sent
// and echoed, Watch TCP open on the connection. From the window's interface down, by
// child() and text() alone: the totals, both ends' current state, then the lesson status.
void tst_Accessibility::walkReadsTotalsLessonAndBothEnds()
{
    core::AppServices services;
    core::SessionManager &sessions = services.sessions;
    ui::MainWindow window(services);
    window.resize(1280, 800);
    window.show();
    QTRY_VERIFY(tests::isExposed(window));
    named<ui::LadderPanel>(*named<ui::ConnectionWatch>(window, u"connectionWatch"), u"ladder")->setCaptureEnabled(false); // no capture permission needed: sock_diag states
    ui::TcpServerPane *server = window.newTcpServer();
    server->startWith(QStringLiteral("127.0.0.1"), 0, ServiceMode::Echo);
    QTRY_COMPARE(sessions.info(server->listener())->state, SessionState::Listening);
    const quint16 port = sessions.info(server->listener())->local.port();
    ui::TcpClientPane *client = window.newTcpClient();
    client->setTarget(QStringLiteral("127.0.0.1"), port);
    client->connectToTarget();
    QTRY_VERIFY(client->currentSession() && sessions.info(client->currentSession())->state == SessionState::Connected);
    ui::Composer *composer = named<ui::Composer>(*client, u"composer");
    composer->setMode(PayloadMode::Hex); // exactly these 5 bytes, no line ending
    composer->setText(QStringLiteral("68 65 6c 6c 6f"));
    QVERIFY(composer->send());
    QTRY_COMPARE(sessions.traffic(client->currentSession())->totals().bytesIn, quint64(5)); // echoed
    window.watchDock()->toggleViewAction()->trigger();
    QTRY_VERIFY(window.watchDock()->isVisible());
    QTRY_COMPARE(named<ui::ConnectionWatch>(window, u"connectionWatch")->session(), client->currentSession());

    const QString diagram = QStringLiteral("TCP state diagram");
    using Col = ui::StateDiagramAccessible::Column;
    QList<Node> nodes;
    const auto readsAll = [&] {
        nodes = walkFrom(&window);
        const Node *sent = findNamed(nodes, QStringLiteral("Sent totals"));
        const Node *received = findNamed(nodes, QStringLiteral("Received totals"));
        return sent && sent->description.contains(QLatin1String("sent: 1 call, 5 bytes")) && received
            && received->description.contains(QLatin1String("5 bytes"))
            && cellOf(nodes, diagram, 0, Col::State) == u"ESTABLISHED" && cellOf(nodes, diagram, 1, Col::State) == u"ESTABLISHED";
    };
    QTRY_VERIFY_WITH_TIMEOUT(readsAll() || (qInfo("%s", qPrintable(dump(nodes))), false), 10000);
    QVERIFY(cellOf(nodes, diagram, 0, Col::End).startsWith(QLatin1String("client 127.0.0.1:")));
    QVERIFY(cellOf(nodes, diagram, 1, Col::End).startsWith(QStringLiteral("server 127.0.0.1:%1").arg(port)));
    const Node *table = findNamed(nodes, diagram);
    QVERIFY(table && table->role == QAccessible::Table);
    QVERIFY2(table->description.contains(QLatin1String("ESTABLISHED")), qPrintable(table->description));

    window.showLessons();
    nodes = walkFrom(&window);
    const Node *lesson = findNamed(nodes, QStringLiteral("Lesson status"));
    QVERIFY2(lesson, qPrintable(dump(nodes)));
    QVERIFY2(lesson->description.contains(QLatin1String("Press Next")), qPrintable(lesson->description));
}

QTEST_MAIN(tst_Accessibility)
#include "tst_accessibility.moc"
