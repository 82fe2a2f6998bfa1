#include "trafficmodel.h"

#include "theme.h"

#include "engine/monotonic.h"
#include "net/payloadcodec.h"

#include <QColor>
#include <QDateTime>
#include <QFontDatabase>

#include <algorithm>
#include <numeric>

namespace sockscope::ui {

using namespace sockscope::core;

namespace {

QString csvField(const QString &s)
{
    if (!s.contains(u',') && !s.contains(u'"') && !s.contains(u'\n') && !s.contains(u'\r'))
        return s;
    QString quoted = s;
    quoted.replace(u'"', QStringLiteral("\"\""));
    return u'"' + quoted + u'"';
}

QString directionWord(Direction d)
{
    return d == Direction::In ? QStringLiteral("in") : QStringLiteral("out");
}

} // namespace

TrafficModel::TrafficModel(QObject *parent)
    : QAbstractTableModel(parent)
    , m_wallOffsetNs(QDateTime::currentMSecsSinceEpoch() * 1'000'000 - monotonicNs())
    , m_fixedFont(QFontDatabase::systemFont(QFontDatabase::FixedFont))
{
}

int TrafficModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int TrafficModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

qsizetype TrafficModel::cost(const TrafficRecord &record)
{
    // A recv() buffer may keep the capacity it was read with; count what is really held.
    return std::max(record.bytes.size(), record.bytes.capacity()) + qsizetype(sizeof(TrafficRecord));
}

QString TrafficModel::callText(const TrafficRecord &record)
{
    return (record.direction == Direction::In ? QStringLiteral("← ") : QStringLiteral("→ ")) + trafficCallName(record.call);
}

QString TrafficModel::timeText(qint64 ns) const
{
    if (m_timeMode == TimeMode::Absolute) {
        const qint64 wall = ns + m_wallOffsetNs;
        const QDateTime t = QDateTime::fromMSecsSinceEpoch(wall / 1'000'000);
        return t.toString(QStringLiteral("HH:mm:ss.zzz")) + QStringLiteral("%1").arg((wall / 1000) % 1000, 3, 10, QLatin1Char('0'));
    }
    const qint64 base = m_timeBase.value_or(ns);
    return QStringLiteral("+%1").arg(double(ns - base) / 1e9, 0, 'f', 6);
}

QString TrafficModel::toolTip(const TrafficRecord &record, bool hex) const
{
    QString head = QStringLiteral("%1, %2 bytes in this one call").arg(trafficCallName(record.call)).arg(record.bytes.size());
    if (record.peer.isValid())
        head += (record.direction == Direction::In ? QStringLiteral(", from ") : QStringLiteral(", to ")) + record.peer.toString();
    const qsizetype limit = hex ? kToolTipBytes / 4 : kToolTipBytes;
    const QByteArrayView shown = QByteArrayView(record.bytes).first(std::min(record.bytes.size(), limit));
    QString body = hex ? PayloadCodec::toHex(shown) : PayloadCodec::escape(shown);
    if (record.bytes.size() > limit)
        body += QStringLiteral("\n… %1 more bytes: select the row to see them, or export").arg(record.bytes.size() - limit);
    // Qt decides per tooltip whether it is rich text; peer bytes must never be markup, so
    // the tooltip is built as rich text with every peer character escaped.
    return QStringLiteral("<p style=\"white-space:pre-wrap\"><b>%1</b><br><tt>%2</tt></p>")
        .arg(head.toHtmlEscaped(), body.toHtmlEscaped());
}

QVariant TrafficModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= int(m_rows.size()))
        return {};
    const TrafficRecord &r = m_rows[size_t(index.row())];
    const int column = index.column();
    switch (role) {
    case Qt::DisplayRole:
        switch (column) {
        case SeqColumn: return QString::number(r.seq);
        case TimeColumn: return timeText(r.timeNs);
        case CallColumn: return callText(r);
        case PeerColumn: return r.peer.isValid() ? r.peer.toString() : QString();
        case SizeColumn:
            // A datagram cut by MSG_TRUNC: what was kept of how long it really was.
            return r.truncatedFrom > 0 ? tr("%1 of %2").arg(r.bytes.size()).arg(r.truncatedFrom) : QString::number(r.bytes.size());
        case TextColumn: {
            qsizetype used = 0;
            const QString s = PayloadCodec::escape(r.bytes, EscapeStyle::Utf8, kDisplayChars, &used);
            return used < r.bytes.size() ? s + QStringLiteral(" …") : s;
        }
        case HexColumn: {
            const qsizetype n = std::min(r.bytes.size(), kHexDisplayBytes);
            QString s = PayloadCodec::toHex(QByteArrayView(r.bytes).first(n));
            return n < r.bytes.size() ? s + QStringLiteral(" …") : s;
        }
        }
        return {};
    case Qt::ToolTipRole:
        if (column == TextColumn || column == HexColumn)
            return toolTip(r, column == HexColumn);
        if (column == SizeColumn && r.truncatedFrom > 0)
            return tr("MSG_TRUNC: the datagram had %1 bytes; the receive buffer took %2, the rest was discarded")
                .arg(r.truncatedFrom)
                .arg(r.bytes.size());
        if (column == SizeColumn)
            return tr("%1 moved by this one %2() call")
                .arg(r.bytes.size() == 1 ? tr("1 byte") : tr("%1 bytes").arg(r.bytes.size()), trafficCallName(r.call));
        return {};
    case Qt::FontRole:
        if (column == TextColumn || column == HexColumn)
            return m_fixedFont;
        return {};
    case Qt::ForegroundRole:
        if (column == CallColumn)
            return Theme::ofApp().color(r.direction == Direction::In ? Theme::Role::Received : Theme::Role::Sent);
        return {};
    case Qt::TextAlignmentRole:
        if (column == SeqColumn || column == SizeColumn)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return int(Qt::AlignLeft | Qt::AlignVCenter);
    case BytesRole: return r.bytes;
    case DirectionRole: return int(r.direction);
    case SeqRole: return r.seq;
    case TimeNsRole: return r.timeNs;
    default: return {};
    }
}

QVariant TrafficModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::DisplayRole) {
        switch (section) {
        case SeqColumn: return tr("#");
        case TimeColumn: return tr("Time");
        case CallColumn: return tr("Call");
        case PeerColumn: return tr("Peer");
        case SizeColumn: return tr("Bytes");
        case TextColumn: return tr("Text");
        case HexColumn: return tr("Hex");
        }
    } else if (role == Qt::ToolTipRole) {
        switch (section) {
        case SeqColumn: return tr("Record number in this session's log");
        case TimeColumn: return tr("When the call returned (relative to the first record, or wall-clock time)");
        case CallColumn: return tr("← bytes received, → bytes sent, and the call that moved them. Each row is one call: "
                                   "TCP keeps no message boundaries, so one recv() may hold two sends, or half of one.");
        case PeerColumn: return tr("Datagrams: who sent it, or where it went");
        case SizeColumn: return tr("Bytes moved by this call");
        case TextColumn: return tr("The bytes as text; control characters and invalid UTF-8 are escaped (\\n, \\x1b). "
                                   "Long records are cut here only: the tooltip, the detail pane and exports show every byte.");
        case HexColumn: return tr("The bytes in hex");
        }
    }
    return {};
}

qsizetype TrafficModel::append(const QList<TrafficRecord> &records)
{
    if (records.isEmpty())
        return 0;
    if (!m_timeBase)
        m_timeBase = records.first().timeNs;

    // What of the incoming batch fits at all (newest first; the newest always does).
    qsizetype first = records.size();
    qsizetype incomingCost = 0;
    while (first > 0) {
        const qsizetype c = cost(records[first - 1]);
        const bool fits = records.size() - first < m_maxRows && incomingCost + c <= m_maxBytes;
        if (!fits && first < records.size())
            break;
        incomingCost += c;
        --first;
    }
    qsizetype dropped = first;

    // Make room among the rows already shown: one remove batch.
    qsizetype remove = 0;
    qsizetype keptBytes = m_bytes;
    const qsizetype incoming = records.size() - first;
    while (remove < qsizetype(m_rows.size())
           && (qsizetype(m_rows.size()) - remove + incoming > m_maxRows || keptBytes + incomingCost > m_maxBytes)) {
        keptBytes -= cost(m_rows[size_t(remove)]);
        ++remove;
    }
    if (remove > 0) {
        beginRemoveRows({}, 0, int(remove - 1));
        m_rows.erase(m_rows.begin(), m_rows.begin() + remove);
        m_bytes = keptBytes;
        endRemoveRows();
        dropped += remove;
    }

    const int at = int(m_rows.size());
    beginInsertRows({}, at, at + int(incoming) - 1);
    for (qsizetype i = first; i < records.size(); ++i) {
        m_rows.push_back(records[i]);
        m_hasPeers = m_hasPeers || records[i].peer.isValid();
    }
    m_bytes += incomingCost;
    endInsertRows();
    return dropped;
}

void TrafficModel::clear()
{
    if (m_rows.empty())
        return;
    beginRemoveRows({}, 0, int(m_rows.size()) - 1);
    m_rows.clear();
    m_bytes = 0;
    endRemoveRows();
}

void TrafficModel::setLimits(int maxRows, qsizetype maxBytes)
{
    m_maxRows = std::max(1, maxRows);
    m_maxBytes = std::max<qsizetype>(1, maxBytes);
    qsizetype remove = 0;
    qsizetype kept = m_bytes;
    while (qsizetype(m_rows.size()) - remove > 1
           && (qsizetype(m_rows.size()) - remove > m_maxRows || kept > m_maxBytes)) {
        kept -= cost(m_rows[size_t(remove)]);
        ++remove;
    }
    if (remove > 0) {
        beginRemoveRows({}, 0, int(remove - 1));
        m_rows.erase(m_rows.begin(), m_rows.begin() + remove);
        m_bytes = kept;
        endRemoveRows();
    }
}

void TrafficModel::setTimeMode(TimeMode mode)
{
    if (mode == m_timeMode)
        return;
    m_timeMode = mode;
    if (!m_rows.empty())
        emit dataChanged(index(0, TimeColumn), index(rowCount() - 1, TimeColumn), {Qt::DisplayRole});
}

void TrafficModel::setTimeBase(std::optional<qint64> ns)
{
    m_timeBase = ns;
    if (!m_rows.empty())
        emit dataChanged(index(0, TimeColumn), index(rowCount() - 1, TimeColumn), {Qt::DisplayRole});
}

int TrafficModel::find(QByteArrayView needle, int from, bool backward) const
{
    const int n = int(m_rows.size());
    if (n == 0 || needle.isEmpty())
        return -1;
    from = ((from % n) + n) % n; // one past either end wraps around
    for (int k = 0; k < n; ++k) {
        const int row = backward ? (from - k + n) % n : (from + k) % n;
        if (m_rows[size_t(row)].bytes.contains(needle))
            return row;
    }
    return -1;
}

QList<int> TrafficModel::rowsOrAll(const QList<int> &rows) const
{
    if (!rows.isEmpty())
        return rows;
    QList<int> all(qsizetype(m_rows.size()));
    std::iota(all.begin(), all.end(), 0);
    return all;
}

QString TrafficModel::textLine(int row) const
{
    const TrafficRecord &r = m_rows[size_t(row)];
    QString line = QStringLiteral("#%1  %2  %3 %4  ").arg(r.seq).arg(timeText(r.timeNs), directionWord(r.direction), trafficCallName(r.call));
    if (r.peer.isValid())
        line += r.peer.toString() + QStringLiteral("  ");
    line += QStringLiteral("%1 bytes: ").arg(r.bytes.size()) + PayloadCodec::escape(r.bytes);
    return line;
}

QByteArray TrafficModel::exportText(const QList<int> &rows) const
{
    QByteArray out;
    for (int row : rowsOrAll(rows))
        out += textLine(row).toUtf8() + '\n';
    return out;
}

QByteArray TrafficModel::exportCsv(const QList<int> &rows) const
{
    QByteArray out = "seq,time,time_ns,direction,call,peer,bytes,text,hex\r\n";
    for (int row : rowsOrAll(rows)) {
        const TrafficRecord &r = m_rows[size_t(row)];
        const QStringList fields{
            QString::number(r.seq),
            timeText(r.timeNs),
            QString::number(r.timeNs),
            directionWord(r.direction),
            trafficCallName(r.call),
            r.peer.isValid() ? r.peer.toString() : QString(),
            QString::number(r.bytes.size()),
            PayloadCodec::escape(r.bytes),
            PayloadCodec::toHex(r.bytes, 0),
        };
        QStringList quoted;
        for (const QString &f : fields)
            quoted << csvField(f);
        out += quoted.join(u',').toUtf8() + "\r\n";
    }
    return out;
}

QByteArray TrafficModel::exportRaw(RawDirections which, const QList<int> &rows) const
{
    QByteArray out;
    for (int row : rowsOrAll(rows)) {
        const TrafficRecord &r = m_rows[size_t(row)];
        const bool want = which == RawDirections::Both || (which == RawDirections::Received) == (r.direction == Direction::In);
        if (want)
            out += r.bytes;
    }
    return out;
}

QByteArray TrafficModel::exportAs(ExportFormat format, const QList<int> &rows) const
{
    switch (format) {
    case ExportFormat::Text: return exportText(rows);
    case ExportFormat::Csv: return exportCsv(rows);
    case ExportFormat::RawReceived: return exportRaw(RawDirections::Received, rows);
    case ExportFormat::RawSent: return exportRaw(RawDirections::Sent, rows);
    }
    return {};
}

QString TrafficModel::detailText(int row, qsizetype maxBytes) const
{
    const TrafficRecord &r = m_rows[size_t(row)];
    QString head = QStringLiteral("#%1  %2  %3").arg(r.seq).arg(timeText(r.timeNs), callText(r));
    if (r.peer.isValid())
        head += (r.direction == Direction::In ? tr("  from ") : tr("  to ")) + r.peer.toString();
    head += r.bytes.size() == 1 ? tr("  1 byte") : tr("  %1 bytes").arg(r.bytes.size());
    const QByteArrayView shown = QByteArrayView(r.bytes).first(std::min(r.bytes.size(), maxBytes));
    // One huge paragraph is slow to lay out and hard to read.
    QStringList lines;
    for (qsizetype start = 0; start < shown.size();) {
        qsizetype end = std::min(start + 128, shown.size());
        if (const qsizetype nl = shown.sliced(start, end - start).indexOf('\n'); nl >= 0)
            end = start + nl + 1;
        lines << PayloadCodec::escape(shown.sliced(start, end - start));
        start = end;
    }
    QString text = head + tr("\n\nText (escaped):\n%1\n\nHex:\n%2").arg(lines.join(u'\n'), PayloadCodec::hexDump(shown));
    if (shown.size() < r.bytes.size())
        text += tr("\n… %1 more bytes are not shown here; Copy and Export hold every byte.").arg(r.bytes.size() - shown.size());
    return text;
}

} // namespace sockscope::ui
