#pragma once

#include "engine/trafficlog.h"

#include <QAbstractTableModel>
#include <QFont>

#include <deque>
#include <optional>

namespace sockscope::ui {

// The rows of a traffic view: one per send/recv record, oldest first. Rows arrive in
// batches (one beginInsertRows per batch) and the oldest leave in batches when the row or
// byte cap is exceeded, so a flood costs one insert and one remove per refresh, never a
// reset. A cell shows a prefix of a record (kDisplayChars); ToolTipRole, BytesRole and the
// exports always carry every byte.
class TrafficModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { SeqColumn, TimeColumn, CallColumn, PeerColumn, SizeColumn, TextColumn, HexColumn, ColumnCount };
    enum Role { BytesRole = Qt::UserRole + 1, DirectionRole, SeqRole, TimeNsRole };
    enum class TimeMode { Relative, Absolute };
    enum class RawDirections { Received, Sent, Both };
    enum class ExportFormat { Text, Csv, RawReceived, RawSent };

    static constexpr int kDefaultMaxRows = 10'000;
    static constexpr qsizetype kDefaultMaxBytes = 16 * 1024 * 1024;
    // A cell holds a short prefix: wider than any column, short enough that eliding it at
    // paint time (which lays out the whole string) stays cheap during a flood.
    static constexpr qsizetype kDisplayChars = 160;  // text cell
    static constexpr qsizetype kHexDisplayBytes = 48;
    static constexpr qsizetype kToolTipBytes = 2048;

    explicit TrafficModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // One insert batch, then at most one remove batch; returns how many rows the caps
    // pushed out (records beyond the cap in `records` itself are never inserted).
    qsizetype append(const QList<core::TrafficRecord> &records);
    void clear();
    void setLimits(int maxRows, qsizetype maxBytes);
    int maxRows() const { return m_maxRows; }
    qsizetype maxBytes() const { return m_maxBytes; }
    qsizetype memoryBytes() const { return m_bytes; }

    const core::TrafficRecord &record(int row) const { return m_rows[size_t(row)]; }
    bool hasPeers() const { return m_hasPeers; }

    void setTimeMode(TimeMode mode);
    TimeMode timeMode() const { return m_timeMode; }
    // Relative times count from here; nullopt: from the first record appended next.
    void setTimeBase(std::optional<qint64> monotonicNs);
    QString timeText(qint64 monotonicNs) const;
    static QString callText(const core::TrafficRecord &record); // "← recv", "→ sendto"

    // The first row at or after `from` (at or before, going backward; wrapping) whose bytes
    // contain `needle`; -1 when none. A match that spans two records is not found: the
    // records are the recv() calls, exactly as the kernel cut the stream.
    int find(QByteArrayView needle, int from, bool backward) const;

    // Exports never cut data. `rows` empty = every row.
    QByteArray exportText(const QList<int> &rows = {}) const;
    QByteArray exportCsv(const QList<int> &rows = {}) const;
    QByteArray exportRaw(RawDirections which, const QList<int> &rows = {}) const;
    QByteArray exportAs(ExportFormat format, const QList<int> &rows = {}) const;
    QString textLine(int row) const; // one row of exportText, without the newline
    // A record in full for a detail pane: a header, the text in display lines (one per
    // line of the data, at most 128 bytes each) and a hex dump; at most maxBytes of it.
    QString detailText(int row, qsizetype maxBytes) const;

private:
    QList<int> rowsOrAll(const QList<int> &rows) const;
    QString toolTip(const core::TrafficRecord &record, bool hex) const;
    static qsizetype cost(const core::TrafficRecord &record);

    std::deque<core::TrafficRecord> m_rows;
    qsizetype m_bytes = 0;
    int m_maxRows = kDefaultMaxRows;
    qsizetype m_maxBytes = kDefaultMaxBytes;
    bool m_hasPeers = false;
    TimeMode m_timeMode = TimeMode::Relative;
    std::optional<qint64> m_timeBase;
    qint64 m_wallOffsetNs = 0; // wall clock minus CLOCK_MONOTONIC, taken once
    QFont m_fixedFont;
};

} // namespace sockscope::ui
