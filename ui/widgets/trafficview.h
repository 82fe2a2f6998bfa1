#pragma once

#include "uitick.h"

#include "engine/doorbell.h"

#include "models/trafficmodel.h"

#include <QElapsedTimer>
#include <QWidget>

class QTableView;

#include <expected>
#include <memory>

class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QSplitter;
class QToolButton;

namespace sockscope::core {
class TrafficLog;
}

namespace sockscope::ui {

class TrafficTable;

// Every send/recv of one session, a row per call, so the reader sees where each recv()
// boundary fell. The view pulls from the session's TrafficLog on its own ~30 Hz timer
// while visible (never a signal per packet) and appends what is new in one batch; its
// model keeps a bounded window of rows and a banner says how many older ones left it.
// Totals and SHA-256 come from the log and so count every byte, dropped rows included.
class TrafficView : public QWidget
{
    Q_OBJECT
public:
    enum class DataDisplay { Text, Hex, Both };
    using ExportFormat = TrafficModel::ExportFormat;
    static constexpr int kRefreshMs = 33;
    // While records keep coming, rows and totals move together this often: the footer's
    // text re-lays out the view, too costly 30 times a second during a flood.
    static constexpr int kBusyRefreshMs = 100;
    static constexpr qsizetype kDetailBytes = 64 * 1024; // the detail pane (a whole recv()); exports have all

    explicit TrafficView(QWidget *parent = nullptr);
    ~TrafficView() override;

    // nullptr shows nothing. A new log starts a fresh view (rows, banner, time base).
    void setLog(std::shared_ptr<const core::TrafficLog> log);
    // The source that rings when the log grows (SessionManager::doorbells()): the view then
    // pulls only after a change instead of every kRefreshMs.
    void listen(core::Doorbell::List &source);
    std::shared_ptr<const core::TrafficLog> log() const { return m_log; }

    QTableView *table() const;

    void setDataDisplay(DataDisplay display);
    DataDisplay dataDisplay() const { return m_display; }
    void setTimeMode(TrafficModel::TimeMode mode);
    void setRowLimits(int maxRows, qsizetype maxBytes) { m_model->setLimits(maxRows, maxBytes); }

    bool isFollowing() const;
    quint64 droppedFromView() const { return m_droppedFromView; }
    QString bannerText() const;   // empty while nothing was dropped
    QString totalsText() const;   // both footer lines, as shown since the last pull
    QString detailText() const;   // the detail pane: the current record in full

    QByteArray exportBytes(ExportFormat format) const { return m_model->exportAs(format); }
    // Writes the records to `path`, all or nothing (a failure keeps the old file), and says
    // on the status line how it went: the count and the path, or why not.
    bool exportTo(const QString &path, ExportFormat format);

public slots:
    void pullNow();          // one refresh (the timer's tick); callable directly
    void clear();            // rows and banner; the log's totals and hashes keep counting
    void copySelection();    // the selected rows as exported text, never cut
    bool find(const QString &text, bool backward = false); // escapes as in the composer
    void findNext();
    void findPrevious();
    void setFollowing(bool follow);
    void setDetailsVisible(bool visible); // the full-record pane under the table
    void exportInteractive(); // asks for a file and a format

signals:
    void followingChanged(bool following);
    // The user cleared the view; a pane may also clear the session's TrafficLog to free
    // its memory (TrafficLog::clear keeps totals and hashes).
    void cleared();

protected:
    void showEvent(QShowEvent *event) override;

private:
    void buildUi();
    void updateColumns();
    void updateLabels();
    QStringList totalsLines() const;
    void updateDetail();
    void setStatus(const QString &text);
    QList<int> selectedRows() const;

    std::shared_ptr<const core::TrafficLog> m_log;
    quint64 m_lastSeq = 0;
    quint64 m_droppedFromView = 0;
    DataDisplay m_display = DataDisplay::Text;
    core::TrafficTotals m_totals;
    QElapsedTimer m_pulled; // since the last pull that brought records
    bool m_evicting = false;  // inside the model's batch remove
    quint64 m_detailSeq = 0;  // the record the detail pane shows

    TrafficModel *m_model = nullptr;
    UiTick::Subscription *m_tick = nullptr;
    bool m_hasSource = false; // listen() was called
    TrafficTable *m_table = nullptr;
    QSplitter *m_split = nullptr;
    QPlainTextEdit *m_detail = nullptr;
    QLabel *m_banner = nullptr;
    QLabel *m_totalsIn = nullptr;
    QLabel *m_totalsOut = nullptr;
    QLabel *m_status = nullptr;
    QComboBox *m_displayBox = nullptr;
    QComboBox *m_timeBox = nullptr;
    QLineEdit *m_findEdit = nullptr;
    QToolButton *m_findPrev = nullptr;
    QToolButton *m_findNext = nullptr;
    QToolButton *m_follow = nullptr;
    QToolButton *m_details = nullptr;
    QToolButton *m_copy = nullptr;
    QToolButton *m_clear = nullptr;
    QToolButton *m_export = nullptr;
};

} // namespace sockscope::ui
