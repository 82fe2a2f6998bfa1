#include "trafficview.h"

#include "accessiblelabel.h"
#include "theme.h"
#include "formhelpers.h"
#include "traffictable.h"

#include "atomicfile.h"
#include "engine/trafficlog.h"
#include "net/payloadcodec.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QToolBar>
#include <QLineEdit>
#include <QLocale>
#include <QPlainTextEdit>
#include <QSplitter>
#include <QToolButton>
#include <QVBoxLayout>

namespace sockscope::ui {

using namespace sockscope::core;

namespace {

QToolButton *makeButton(const QString &text, const QString &name, const QString &tip, QWidget *parent)
{
    auto *b = new QToolButton(parent);
    b->setText(text);
    b->setToolButtonStyle(Qt::ToolButtonTextOnly);
    b->setFocusPolicy(Qt::StrongFocus);
    describe(b, name, tip);
    return b;
}

QAction *addShortcut(QWidget *owner, const QKeySequence &keys, QWidget *contextWidget)
{
    auto *a = new QAction(owner);
    a->setShortcut(keys);
    a->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    contextWidget->addAction(a);
    return a;
}

} // namespace

TrafficView::TrafficView(QWidget *parent)
    : QWidget(parent)
    , m_model(new TrafficModel(this))
{
    buildUi();
    // A hidden view skips its work; the log is bounded, so showing it catches up. The first
    // records after a pause show at the next tick, a stream every kBusyRefreshMs. With a
    // source to listen to (the session manager rings after reads and sends) it sleeps
    // between changes; without one (a log fed by hand) it looks every kRefreshMs.
    m_tick = UiTick::subscribe(this, kRefreshMs, [this] {
        const bool due = !m_pulled.isValid() || m_pulled.elapsed() >= kBusyRefreshMs;
        if (due)
            pullNow();
        // The digest is computed behind the I/O thread and rings nobody: look again until
        // it has caught up.
        return m_log && (!due || !m_hasSource || !m_totals.digestComplete());
    });
    setLog(nullptr);
}

TrafficView::~TrafficView() = default;

void TrafficView::listen(core::Doorbell::List &source)
{
    m_tick->listen(source);
    m_hasSource = true;
}

void TrafficView::buildUi()
{
    auto *viewLabel = new QLabel(tr("View:"), this);
    m_displayBox = new QComboBox(this);
    m_displayBox->addItems({tr("Text"), tr("Hex"), tr("Text and hex")});
    viewLabel->setBuddy(m_displayBox);
    describe(m_displayBox, tr("Show bytes as"), tr("Show the bytes as text (control characters escaped), as hex, or both"));
    connect(m_displayBox, &QComboBox::currentIndexChanged, this, [this](int i) { setDataDisplay(DataDisplay(i)); });

    auto *timeLabel = new QLabel(tr("T&ime:"), this);
    m_timeBox = new QComboBox(this);
    m_timeBox->addItems({tr("Relative"), tr("Clock")});
    timeLabel->setBuddy(m_timeBox);
    describe(m_timeBox, tr("Time format"), tr("Seconds since the first record, or the wall-clock time of each call"));
    connect(m_timeBox, &QComboBox::currentIndexChanged, this,
            [this](int i) { setTimeMode(i == 0 ? TrafficModel::TimeMode::Relative : TrafficModel::TimeMode::Absolute); });

    auto *findLabel = new QLabel(tr("&Find:"), this);
    m_findEdit = new QLineEdit(this);
    m_findEdit->setPlaceholderText(tr("bytes, e.g. HTTP\\r\\n"));
    m_findEdit->setClearButtonEnabled(true);
    m_findEdit->setMinimumWidth(100); // room to read what is typed; the buttons overflow first
    findLabel->setBuddy(m_findEdit);
    describe(m_findEdit, tr("Find bytes"),
             tr("Find a record holding these bytes (escapes as in the composer: \\n \\r \\t \\0 \\xHH). "
                "Enter: next, Shift+Enter: previous. A match split across two recv() calls is not found."));
    m_findPrev = makeButton(tr("◀"), tr("Find previous"), tr("Previous match (Shift+F3)"), this);
    m_findNext = makeButton(tr("▶"), tr("Find next"), tr("Next match (F3)"), this);
    connect(m_findEdit, &QLineEdit::returnPressed, this, [this] {
        if (QApplication::keyboardModifiers() & Qt::ShiftModifier)
            findPrevious();
        else
            findNext();
    });
    connect(m_findPrev, &QToolButton::clicked, this, &TrafficView::findPrevious);
    connect(m_findNext, &QToolButton::clicked, this, &TrafficView::findNext);

    m_follow = makeButton(tr("Autoscroll"), tr("Autoscroll"),
                          tr("Keep the newest record in view. Scrolling up pauses it; scrolling to the bottom or "
                             "pressing this resumes it."), this);
    m_follow->setCheckable(true);
    m_follow->setChecked(true);
    connect(m_follow, &QToolButton::clicked, this, &TrafficView::setFollowing);
    m_details = makeButton(tr("Details"), tr("Show details"),
                           tr("Show the selected record in full below the table: every byte as text and as a hex dump"), this);
    m_details->setCheckable(true);
    m_details->setChecked(true);
    m_copy = makeButton(tr("Copy"), tr("Copy records"), tr("Copy the selected records as text, every byte (Ctrl+C)"), this);
    connect(m_copy, &QToolButton::clicked, this, &TrafficView::copySelection);
    m_clear = makeButton(tr("Clear"), tr("Clear records"),
                         tr("Remove the records from view. The totals and SHA-256 keep counting."), this);
    connect(m_clear, &QToolButton::clicked, this, &TrafficView::clear);
    m_export = makeButton(tr("Export…"), tr("Export records"),
                          tr("Save the records shown as text, CSV, or the raw bytes received or sent. Nothing is cut."), this);
    connect(m_export, &QToolButton::clicked, this, &TrafficView::exportInteractive);

    m_banner = new QLabel(this);
    m_banner->setTextFormat(Qt::PlainText);
    m_banner->setWordWrap(true);
    nameStatusLabel(m_banner, tr("Dropped records"));
    Theme::setFillRole(m_banner, Theme::Role::WarningTint);
    m_banner->setContentsMargins(6, 3, 6, 3);
    m_banner->hide();

    m_model->setObjectName(QStringLiteral("trafficModel"));
    m_table = new TrafficTable(m_model, this);
    connect(m_table, &TrafficTable::followingChanged, this, [this](bool follow) {
        m_follow->setChecked(follow);
        m_follow->setText(follow ? tr("Autoscroll") : tr("Autoscroll (paused)"));
        emit followingChanged(follow);
    });
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &TrafficView::updateDetail);

    m_table->setContextMenuPolicy(Qt::ActionsContextMenu);
    auto *copyAction = new QAction(tr("Copy"), m_table);
    copyAction->setShortcut(QKeySequence::Copy);
    copyAction->setShortcutContext(Qt::WidgetShortcut);
    connect(copyAction, &QAction::triggered, this, &TrafficView::copySelection);
    auto *exportAction = new QAction(tr("Export…"), m_table);
    connect(exportAction, &QAction::triggered, this, &TrafficView::exportInteractive);
    m_table->addActions({copyAction, exportAction});

    m_detail = new QPlainTextEdit(this);
    m_detail->setReadOnly(true);
    m_detail->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_detail->setPlaceholderText(tr("Select a record to see it in full here."));
    describe(m_detail, tr("Record details"), tr("The selected record in full: every byte as escaped text and as a hex dump"));
    connect(m_details, &QToolButton::toggled, m_detail, &QWidget::setVisible);

    m_split = new QSplitter(Qt::Vertical, this);
    m_split->addWidget(m_table);
    m_split->addWidget(m_detail);
    m_split->setStretchFactor(0, 4);
    m_split->setStretchFactor(1, 1);
    m_split->setChildrenCollapsible(false);

    auto makeFooter = [this](const QString &name) {
        auto *label = new QLabel(this);
        label->setTextFormat(Qt::PlainText);
        // Narrow panes (the Watch TCP dock open beside) wrap the digest onto its own line.
        label->setWordWrap(true);
        label->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
        label->setFocusPolicy(Qt::TabFocus);
        describe(label, name, tr("Counted over every byte of the session, including records dropped from view. "
                                 "Compare the SHA-256 with sha256sum on the other side."));
        nameStatusLabel(label, name);
        return label;
    };
    m_totalsIn = makeFooter(tr("Received totals"));
    m_totalsIn->setObjectName(QStringLiteral("receivedTotals"));
    m_totalsOut = makeFooter(tr("Sent totals"));
    m_totalsOut->setObjectName(QStringLiteral("sentTotals"));
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("trafficStatus"));
    m_status->setTextFormat(Qt::PlainText);
    nameStatusLabel(m_status, tr("Traffic view status"));

    connect(addShortcut(this, QKeySequence::Find, this), &QAction::triggered, this, [this] {
        m_findEdit->setFocus(Qt::ShortcutFocusReason);
        m_findEdit->selectAll();
    });
    connect(addShortcut(this, QKeySequence::FindNext, this), &QAction::triggered, this, &TrafficView::findNext);
    connect(addShortcut(this, QKeySequence::FindPrevious, this), &QAction::triggered, this, &TrafficView::findPrevious);

    auto *bar = new QHBoxLayout;
    bar->setSpacing(4);
    bar->addWidget(viewLabel);
    bar->addWidget(m_displayBox);
    bar->addSpacing(6);
    bar->addWidget(timeLabel);
    bar->addWidget(m_timeBox);
    bar->addSpacing(6);
    bar->addWidget(findLabel);
    bar->addWidget(m_findEdit, 1);
    bar->addWidget(m_findPrev);
    bar->addWidget(m_findNext);
    bar->addSpacing(6);
    // A tool bar, so that in a narrow pane (the Watch TCP dock open beside it) the buttons
    // that do not fit move into its » menu instead of widening the window.
    auto *actions = new QToolBar(this);
    actions->setToolButtonStyle(Qt::ToolButtonTextOnly);
    actions->setStyleSheet(QStringLiteral("QToolBar { border: 0; padding: 0; spacing: 4px; }"));
    for (QToolButton *b : {m_follow, m_details, m_copy, m_clear, m_export}) {
        actions->addWidget(b);
        b->setAutoRaise(false); // framed like the find buttons beside, not flat as tool bars make them
    }
    if (auto *more = actions->findChild<QToolButton *>(QStringLiteral("qt_toolbar_ext_button"))) {
        more->setFocusPolicy(Qt::TabFocus); // reachable from the keyboard like the buttons it holds
        describe(more, tr("More traffic actions"), tr("The buttons that do not fit: Autoscroll, Details, Copy, Clear, Export"));
    }
    bar->addWidget(actions);

    auto *footer = new QVBoxLayout;
    footer->setSpacing(0);
    footer->addWidget(m_totalsIn);
    footer->addWidget(m_totalsOut);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(bar);
    layout->addWidget(m_status);
    layout->addWidget(m_banner);
    layout->addWidget(m_split, 1);
    layout->addLayout(footer);
    m_status->hide();
    updateColumns();
}

void TrafficView::setLog(std::shared_ptr<const TrafficLog> log)
{
    m_log = std::move(log);
    m_model->clear();
    m_model->setTimeBase(std::nullopt);
    m_lastSeq = 0;
    m_droppedFromView = 0;
    m_detail->clear();
    m_detailSeq = 0;
    m_totals = m_log ? m_log->totals() : TrafficTotals{};
    updateLabels();
    if (m_log) {
        pullNow();
        m_tick->poke();
    }
    setFollowing(true);
}

void TrafficView::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    pullNow();
}

void TrafficView::pullNow()
{
    if (!m_log || m_log->lastSeq() == m_lastSeq) {
        if (m_log && !m_totals.digestComplete()) {
            // The hasher runs behind the data: its digest completes after the last record.
            m_totals = m_log->totals();
            updateLabels();
        }
        return;
    }
    m_pulled.start();
    const TrafficSnapshot snap = m_log->since(m_lastSeq);
    m_lastSeq = snap.lastSeq;
    const bool hadPeers = m_model->hasPeers();
    m_droppedFromView += snap.missed;
    m_evicting = true;
    m_droppedFromView += quint64(m_model->append(snap.records));
    m_evicting = false;
    if (m_model->hasPeers() != hadPeers)
        updateColumns();
    m_totals = snap.totals;
    // The footer moves in the same tick as the rows it counts (it used to trail them by up
    // to 250 ms, so the totals did not add up to what the table showed).
    updateLabels();
}

void TrafficView::clear()
{
    m_model->clear();
    m_droppedFromView = 0;
    m_detail->clear();
    m_detailSeq = 0;
    updateLabels();
    setFollowing(true);
    emit cleared();
}

void TrafficView::setDataDisplay(DataDisplay display)
{
    m_display = display;
    if (m_displayBox->currentIndex() != int(display))
        m_displayBox->setCurrentIndex(int(display));
    updateColumns();
}

void TrafficView::setTimeMode(TrafficModel::TimeMode mode)
{
    m_model->setTimeMode(mode);
    const int index = mode == TrafficModel::TimeMode::Relative ? 0 : 1;
    if (m_timeBox->currentIndex() != index)
        m_timeBox->setCurrentIndex(index);
}

void TrafficView::updateColumns()
{
    m_table->setColumnHidden(TrafficModel::PeerColumn, !m_model->hasPeers());
    m_table->setColumnHidden(TrafficModel::TextColumn, m_display == DataDisplay::Hex);
    m_table->setColumnHidden(TrafficModel::HexColumn, m_display == DataDisplay::Text);
}

QTableView *TrafficView::table() const
{
    return m_table;
}

bool TrafficView::isFollowing() const
{
    return m_table->isFollowing();
}

void TrafficView::setFollowing(bool follow)
{
    m_table->setFollowing(follow);
}

QString TrafficView::bannerText() const
{
    if (m_droppedFromView == 0)
        return {};
    const QString what = m_droppedFromView == 1 ? tr("1 older record was") : tr("%1 older records were").arg(QLocale().toString(m_droppedFromView));
    return tr("%1 dropped from view to bound memory; the totals and SHA-256 below still count every byte.").arg(what);
}

QStringList TrafficView::totalsLines() const
{
    const QLocale locale;
    auto line = [&](const QString &arrow, const QString &what, quint64 calls, quint64 bytes, const QByteArray &sha, quint64 hashed) {
        // A digest of part of the bytes would pass for the whole: while the hasher is behind,
        // say so instead of showing it.
        const QString digest = m_totals.digest == TrafficDigest::None ? tr("off")
            : hashed < bytes                                          ? tr("hashing…")
            : sha.isEmpty()                                           ? QStringLiteral("—")
                                                                      : QString::fromLatin1(sha.toHex());
        return tr("%1 %2: %3, %4 bytes (%5)   SHA-256 %6")
            .arg(arrow, what, calls == 1 ? tr("1 call") : tr("%1 calls").arg(locale.toString(calls)), locale.toString(bytes),
                 humanBytes(bytes), digest);
    };
    return {line(QStringLiteral("←"), tr("received"), m_totals.recordsIn, m_totals.bytesIn, m_totals.sha256In, m_totals.hashedIn),
            line(QStringLiteral("→"), tr("sent"), m_totals.recordsOut, m_totals.bytesOut, m_totals.sha256Out, m_totals.hashedOut)};
}

QString TrafficView::totalsText() const
{
    return totalsLines().join(u'\n');
}

void TrafficView::updateLabels()
{
    const QStringList lines = totalsLines();
    if (m_totalsIn->text() != lines[0])
        setStatusText(m_totalsIn, lines[0]);
    if (m_totalsOut->text() != lines[1])
        setStatusText(m_totalsOut, lines[1]);
    const QString banner = bannerText();
    if (m_banner->text() != banner)
        setStatusText(m_banner, banner);
    m_banner->setVisible(!banner.isEmpty());
}

void TrafficView::updateDetail()
{
    if (m_evicting)
        return; // rows leaving the top move the current index: keep showing what was chosen
    const QModelIndex current = m_table->currentIndex();
    if (!current.isValid()) {
        m_detail->clear();
        m_detailSeq = 0;
        return;
    }
    const quint64 seq = m_model->record(current.row()).seq;
    if (seq == m_detailSeq)
        return;
    m_detailSeq = seq;
    m_detail->setPlainText(m_model->detailText(current.row(), kDetailBytes));
}

QString TrafficView::detailText() const
{
    return m_detail->toPlainText();
}

void TrafficView::setStatus(const QString &text)
{
    setStatusText(m_status, text);
    m_status->setVisible(!text.isEmpty());
}

QList<int> TrafficView::selectedRows() const
{
    QList<int> rows;
    for (const QModelIndex &index : m_table->selectionModel()->selectedRows())
        rows << index.row();
    std::sort(rows.begin(), rows.end());
    if (rows.isEmpty() && m_table->currentIndex().isValid())
        rows << m_table->currentIndex().row();
    return rows;
}

void TrafficView::copySelection()
{
    const QList<int> rows = selectedRows();
    if (rows.isEmpty())
        return;
    QApplication::clipboard()->setText(QString::fromUtf8(m_model->exportText(rows)));
    setStatus(rows.size() == 1 ? tr("Copied 1 record.") : tr("Copied %1 records.").arg(rows.size()));
}

bool TrafficView::find(const QString &text, bool backward)
{
    const PayloadResult needle = PayloadCodec::parseText(text, tr("find"));
    if (!needle) {
        setStatus(needle.error().toString());
        return false;
    }
    if (needle->isEmpty()) {
        setStatus({});
        return false;
    }
    const int current = m_table->currentIndex().isValid() ? m_table->currentIndex().row() : (backward ? 0 : -1);
    const int row = m_model->find(*needle, backward ? current - 1 : current + 1, backward);
    if (row < 0) {
        setStatus(tr("No record holds these bytes."));
        return false;
    }
    setStatus({});
    m_table->selectRow(row);
    m_table->scrollTo(m_model->index(row, 0), QAbstractItemView::PositionAtCenter);
    return true;
}

void TrafficView::findNext()
{
    find(m_findEdit->text(), false);
}

void TrafficView::findPrevious()
{
    find(m_findEdit->text(), true);
}

bool TrafficView::exportTo(const QString &path, ExportFormat format)
{
    const auto written = writeFileAtomically(path, exportBytes(format));
    if (!written)
        setStatus(tr("Export failed: %1").arg(written.error().message()));
    else
        setStatus(tr("Exported %1 records to %2.").arg(m_model->rowCount()).arg(path));
    return written.has_value();
}

void TrafficView::exportInteractive()
{
    const QStringList filters{tr("Text, one record per line (*.txt)"), tr("CSV (*.csv)"),
                              tr("Raw bytes received (*.bin)"), tr("Raw bytes sent (*.bin)")};
    QString selected = filters.first();
    QString path = QFileDialog::getSaveFileName(this, tr("Export traffic"), QString(), filters.join(QStringLiteral(";;")), &selected);
    if (path.isEmpty())
        return;
    const auto format = ExportFormat(std::max<qsizetype>(0, filters.indexOf(selected)));
    const QString suffix = format == ExportFormat::Text ? QStringLiteral(".txt")
        : format == ExportFormat::Csv                  ? QStringLiteral(".csv")
                                                       : QStringLiteral(".bin");
    if (QFileInfo(path).suffix().isEmpty())
        path += suffix;
    exportTo(path, format);
}

void TrafficView::setDetailsVisible(bool visible)
{
    m_details->setChecked(visible);
}

} // namespace sockscope::ui
