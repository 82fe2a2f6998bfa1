// Peer bytes and peer-chosen names are plain text on screen: `<b>bold</b><img src=x>` sent
// over a Unix socket whose abstract name is that markup too shows as those very characters
// in the traffic view (the received record) and in the session tree (the pane's title and
// the connection's peer). With SOCKSCOPE_SHOT_DIR set the window is also saved as
// untrusted-text.png there, for a look by eye.

#include "appservices.h"

#include "../common/widgetlookup.h"

#include "mainwindow.h"
#include "models/trafficmodel.h"
#include "panes/unixpane.h"
#include "widgets/composer.h"
#include "widgets/connectionview.h"
#include "widgets/trafficview.h"

#include <QAbstractItemModel>
#include <QDir>
#include <QLineEdit>
#include <QStyledItemDelegate>
#include <QTableView>
#include <QTest>
#include <QTreeView>

using namespace sockscope;
using namespace sockscope::core;
using sockscope::tests::named;

namespace {

const QString kMarkup = QStringLiteral("<b>bold</b><img src=x>");

// Every index of `model` under `parent`, depth first.
QModelIndexList allIndexes(const QAbstractItemModel *model, const QModelIndex &parent = {})
{
    QModelIndexList out;
    for (int row = 0; row < model->rowCount(parent); ++row) {
        const QModelIndex i = model->index(row, 0, parent);
        out << i << allIndexes(model, i);
    }
    return out;
}

// A view lays plain text out at the width of its characters; markup would be laid out as
// "bold" and an image, far narrower than the 22 characters it takes literally.
bool laidOutLiterally(QAbstractItemView *view, const QModelIndex &index, const QString &text)
{
    QStyleOptionViewItem option;
    option.initFrom(view);
    const QVariant font = index.data(Qt::FontRole);
    const QFontMetrics metrics(font.isValid() ? font.value<QFont>() : view->font());
    const int needed = metrics.horizontalAdvance(text);
    const int given = view->itemDelegateForIndex(index)->sizeHint(option, index).width();
    if (given < needed)
        qWarning("%s: %d px laid out, %d px needed", qPrintable(text), given, needed);
    return given >= needed;
}

} // namespace

class tst_UntrustedText : public QObject
{
    Q_OBJECT

private slots:
    void markupFromThePeerIsShownLiterally();
};

void tst_UntrustedText::markupFromThePeerIsShownLiterally()
{
    AppServices services;
    ui::MainWindow window(services);
    window.resize(1280, 800);
    window.show();
    QTRY_VERIFY(tests::isExposed(window));

    ui::UnixPane *pane = window.newUnix();
    const QString name = QStringLiteral("@%1-%2").arg(kMarkup).arg(QCoreApplication::applicationPid());
    named<QLineEdit>(*pane, u"pathEdit")->setText(name);
    pane->listenOrBind();
    QTRY_VERIFY(!pane->childSessions().isEmpty());
    const SessionId listener = pane->childSessions().first();
    QTRY_COMPARE(services.sessions.info(listener)->state, SessionState::Listening);
    pane->connectToPath();
    QTRY_VERIFY(!services.sessions.children(listener).isEmpty());
    const SessionId accepted = services.sessions.children(listener).first();

    // The pane's client sends the markup, escapes and all, as a user would type it.
    QTRY_VERIFY(named<ui::Composer>(*pane, u"composer")->isEnabled()); // once the view saw it connected
    named<ui::Composer>(*pane, u"composer")->setText(kMarkup);
    QVERIFY(named<ui::Composer>(*pane, u"composer")->send());
    QTRY_COMPARE(services.sessions.traffic(accepted)->totals().bytesIn, quint64(kMarkup.size()));

    // The traffic view of the receiving end: the record is the literal characters.
    pane->selectChild(accepted);
    ui::TrafficView *traffic = named<ui::TrafficView>(*pane, u"trafficView");
    QTRY_COMPARE(traffic->table()->model()->rowCount(), 1);
    const QModelIndex cell = traffic->table()->model()->index(0, ui::TrafficModel::TextColumn);
    QCOMPARE(cell.data().toString(), kMarkup);
    QVERIFY(laidOutLiterally(traffic->table(), cell, kMarkup));

    // The session tree: the pane's row (its title holds the name) and the client's row
    // (its peer is the name) carry it literally, through the plain item delegate.
    QTreeView *tree = named<QTreeView>(window, u"sessionTree");
    QTRY_VERIFY(allIndexes(tree->model()).size() >= 4);
    int literalRows = 0;
    for (const QModelIndex &i : allIndexes(tree->model())) {
        const QString text = i.data().toString();
        if (!text.contains(name))
            continue;
        ++literalRows;
        QVERIFY2(laidOutLiterally(tree, i, text), qPrintable(text));
        QCOMPARE(QByteArray(tree->itemDelegateForIndex(i)->metaObject()->className()), QByteArray("QStyledItemDelegate"));
    }
    QVERIFY2(literalRows >= 2, qPrintable(QString::number(literalRows)));

    const QString shots = qEnvironmentVariable("SOCKSCOPE_SHOT_DIR");
    if (!shots.isEmpty()) {
        tree->expandAll();
        QTest::qWait(200); // a fixed wait is the point: the window repaints before the grab
        QDir(shots).mkpath(QStringLiteral("."));
        QVERIFY(window.grab().save(QDir(shots).filePath(QStringLiteral("untrusted-text.png"))));
    }
}

QTEST_MAIN(tst_UntrustedText)
#include "tst_untrustedtext.moc"
