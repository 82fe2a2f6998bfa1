#include "traffictable.h"

#include "formhelpers.h"
#include "itemviewaccess.h"
#include "trafficdelegate.h"

#include "models/trafficmodel.h"

#include <QFontDatabase>
#include <QHeaderView>
#include <QScrollBar>

namespace sockscope::ui {

TrafficTable::TrafficTable(TrafficModel *model, QWidget *parent)
    : QTableView(parent)
{
    setModel(model);
    makeItemViewAccessible(this);
    setItemDelegate(new TrafficDelegate(this));
    setSelectionBehavior(QAbstractItemView::SelectRows);
    setSelectionMode(QAbstractItemView::ExtendedSelection);
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    setWordWrap(false);
    setTextElideMode(Qt::ElideRight);
    setAlternatingRowColors(true);
    setShowGrid(false);
    setVerticalScrollMode(QAbstractItemView::ScrollPerItem);
    setHorizontalScrollMode(QAbstractItemView::ScrollPerPixel);
    // Fixed, uniform row heights: a flood never makes the view measure rows.
    const int rowHeight = std::max(fontMetrics().height(), QFontMetrics(QFontDatabase::systemFont(QFontDatabase::FixedFont)).height()) + 6;
    verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    verticalHeader()->setDefaultSectionSize(rowHeight);
    verticalHeader()->hide();
    QHeaderView *header = horizontalHeader();
    header->setSectionResizeMode(QHeaderView::Interactive);
    header->setStretchLastSection(true);
    header->setHighlightSections(false);
    const int ch = fontMetrics().horizontalAdvance(u'0');
    // Record numbers up to 999,999,999: a flood passes 1,000,000 in minutes.
    header->resizeSection(TrafficModel::SeqColumn, columnWidthFor(this, QStringLiteral("999999999")));
    header->resizeSection(TrafficModel::TimeColumn, ch * 16);
    header->resizeSection(TrafficModel::CallColumn, ch * 12);
    header->resizeSection(TrafficModel::PeerColumn, ch * 22);
    header->resizeSection(TrafficModel::SizeColumn, ch * 8);
    header->resizeSection(TrafficModel::TextColumn, ch * 48);
    describe(this, tr("Traffic"),
             tr("One row per send or recv call. TCP keeps no message boundaries: a row shows exactly what "
                "one recv() returned, which may be two sends, or part of one."));
    connect(verticalScrollBar(), &QScrollBar::valueChanged, this, &TrafficTable::onScrollValue);
    connect(verticalScrollBar(), &QScrollBar::rangeChanged, this, &TrafficTable::onScrollRange);
    connect(model, &QAbstractItemModel::rowsRemoved, this,
            [this](const QModelIndex &, int first, int last) { onRowsRemoved(first == 0 ? last + 1 : 0); });
}

void TrafficTable::setFollowing(bool follow)
{
    const bool changed = follow != m_following;
    m_following = follow;
    if (follow) {
        m_scrolling = true;
        scrollToBottom();
        m_scrolling = false;
    }
    if (changed)
        emit followingChanged(follow);
}

void TrafficTable::onScrollValue(int value)
{
    if (m_scrolling)
        return;
    const bool atBottom = value >= verticalScrollBar()->maximum();
    if (atBottom != m_following)
        setFollowing(atBottom);
}

void TrafficTable::onScrollRange(int, int max)
{
    if (!m_following)
        return;
    m_scrolling = true;
    verticalScrollBar()->setValue(max);
    m_scrolling = false;
}

void TrafficTable::onRowsRemoved(int count)
{
    // Rows left at the top: while the user reads older rows, keep the same rows in view.
    if (m_following || count <= 0)
        return;
    m_scrolling = true;
    verticalScrollBar()->setValue(std::max(0, verticalScrollBar()->value() - count));
    m_scrolling = false;
}

} // namespace sockscope::ui
