#include "eventprinter.h"

#include "clijson.h"

#include "engine/monotonic.h"

#include <QCommandLineParser>

#include <algorithm>
#include <cstdio>
#include <variant>

namespace sockscope::cli {

using namespace sockscope::core;

QList<QCommandLineOption> EventPrinter::options()
{
    return {
        {QStringLiteral("digest"), QStringLiteral("sha256 or none: the digest of every byte, printed with the totals when "
                                                  "a connection ends (default sha256; none keeps the byte counts exact)."),
         QStringLiteral("DIGEST"), QStringLiteral("sha256")},
        {QStringLiteral("preview"), QStringLiteral("At most N bytes of each payload in an event line (default 64; 0: none)."),
         QStringLiteral("N"), QStringLiteral("64")},
        {QStringLiteral("quiet"), QStringLiteral("No event lines: only the totals (and the digest) when a connection ends.")},
    };
}

std::expected<EventPrinter::Settings, QString> EventPrinter::settingsFrom(const QCommandLineParser &parser)
{
    Settings s;
    const auto digest = trafficDigestFromName(parser.value(QStringLiteral("digest")));
    if (!digest)
        return std::unexpected(QStringLiteral("--digest: give sha256 or none"));
    s.digest = *digest;
    bool ok = false;
    s.previewBytes = parser.value(QStringLiteral("preview")).toLongLong(&ok);
    if (!ok || s.previewBytes < 0)
        return std::unexpected(QStringLiteral("--preview: give a number of bytes, 0 or more"));
    s.quiet = parser.isSet(QStringLiteral("quiet"));
    return s;
}

EventPrinter::EventPrinter(SessionManager &sessions, Style style, Settings settings)
    : m_sessions(sessions)
    , m_style(style)
    , m_settings(settings)
{
}

void EventPrinter::follow(SessionId id, bool fromStart)
{
    Cursor cursor;
    if (!fromStart) {
        if (auto trace = m_sessions.trace(id))
            cursor.trace = trace->lastSeq();
        if (auto traffic = m_sessions.traffic(id))
            cursor.traffic = traffic->lastSeq();
    }
    m_cursors.emplace(id, cursor);
}

void EventPrinter::poll()
{
    const quint64 generation = m_sessions.generation();
    const bool changed = generation != m_generation;
    if (m_listener && changed) {
        for (const SessionInfo &info : m_sessions.sessions()) {
            if (info.parent == m_listener && !m_cursors.contains(info.id))
                follow(info.id);
        }
    }
    m_generation = generation;

    using Event = std::variant<CallRecord, TrafficRecord>;
    struct Timed
    {
        qint64 timeNs;
        SessionId id;
        Event event;
    };
    std::vector<Timed> events;
    std::vector<std::pair<SessionId, quint64>> missed;
    // Quiet: nothing is printed per event, but the cursors move on so the records are
    // never copied out of the logs at all.
    const bool printEvents = !m_settings.quiet;
    for (auto &[id, cursor] : m_cursors) {
        if (auto trace = m_sessions.trace(id)) {
            for (CallRecord &call : trace->since(cursor.trace)) {
                cursor.trace = call.seq;
                if (printEvents)
                    events.push_back({call.timeNs, id, std::move(call)});
            }
        }
        if (auto traffic = m_sessions.traffic(id)) {
            if (!printEvents && m_style != Style::RawData) {
                cursor.traffic = traffic->lastSeq();
                continue;
            }
            TrafficSnapshot snap = traffic->since(cursor.traffic);
            cursor.traffic = snap.lastSeq;
            if (snap.missed)
                missed.emplace_back(id, snap.missed);
            for (TrafficRecord &record : snap.records)
                events.push_back({record.timeNs, id, std::move(record)});
        }
    }
    for (const auto &[id, count] : missed)
        printMissed(id, count);
    std::stable_sort(events.begin(), events.end(), [](const Timed &a, const Timed &b) { return a.timeNs < b.timeNs; });
    for (const Timed &e : events) {
        if (const auto *call = std::get_if<CallRecord>(&e.event))
            printCall(e.id, *call);
        else
            printData(e.id, std::get<TrafficRecord>(e.event));
    }
    // One flush per poll, not per line: a line per recv() must not be a write() per recv().
    std::fflush(stdout);
    std::fflush(stderr);

    if (changed) {
        for (auto &[id, cursor] : m_cursors) {
            if (!cursor.totalsPrinted && m_sessions.info(id).value_or(SessionInfo{}).state == SessionState::Closed)
                printTotals(id, cursor);
        }
    }
}

void EventPrinter::finish()
{
    poll();
    for (auto &[id, cursor] : m_cursors) {
        if (!cursor.totalsPrinted)
            printTotals(id, cursor);
    }
    std::fflush(stdout);
    std::fflush(stderr);
}

void EventPrinter::printText(const QString &line)
{
    const QByteArray bytes = line.toUtf8();
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), m_style == Style::RawData ? stderr : stdout);
}

void EventPrinter::printCall(SessionId id, const CallRecord &call)
{
    if (m_style == Style::Json) {
        QJsonObject o{
            {QStringLiteral("event"), QStringLiteral("call")},
            {QStringLiteral("session"), qint64(id)},
            {QStringLiteral("t_ns"), call.timeNs},
            {QStringLiteral("code"), call.code},
            {QStringLiteral("result"), call.ok() ? QJsonValue(call.result) : QJsonValue()},
            {QStringLiteral("error"), call.error ? errorJson(*call.error) : QJsonValue()},
        };
        writeJsonLine(o);
        return;
    }
    QString line = QStringLiteral("[#%1] %2 -> %3").arg(id).arg(call.code, call.ok() ? call.result : call.error->toString());
    if (call.error && !call.error->hint().isEmpty())
        line += QStringLiteral(" (%1)").arg(call.error->hint());
    printText(line + u'\n');
}

void EventPrinter::printData(SessionId id, const TrafficRecord &record)
{
    const bool in = record.direction == Direction::In;
    if (m_style == Style::RawData && in) {
        // connect's stdout is the peer's bytes, unchanged and complete: no preview here.
        std::fwrite(record.bytes.constData(), 1, size_t(record.bytes.size()), stdout);
        return;
    }
    if (m_settings.quiet)
        return;
    const QByteArrayView preview = QByteArrayView(record.bytes).first(std::min(record.bytes.size(), m_settings.previewBytes));
    const bool truncated = preview.size() < record.bytes.size();
    if (m_style == Style::Json) {
        QJsonObject o{
            {QStringLiteral("event"), QStringLiteral("data")},
            {QStringLiteral("session"), qint64(id)},
            {QStringLiteral("t_ns"), record.timeNs},
            {QStringLiteral("direction"), in ? QStringLiteral("in") : QStringLiteral("out")},
            {QStringLiteral("call"), trafficCallName(record.call)},
        };
        if (record.peer.isValid())
            o.insert(QStringLiteral("peer"), record.peer.toString());
        putBytes(o, preview);
        o.insert(QStringLiteral("bytes"), record.bytes.size()); // the whole payload's size
        o.insert(QStringLiteral("truncated"), truncated);
        writeJsonLine(o);
        return;
    }
    QString line = QStringLiteral("[#%1] %2 %3 bytes").arg(id).arg(trafficCallName(record.call)).arg(record.bytes.size());
    if (record.peer.isValid())
        line += (in ? QStringLiteral(" from ") : QStringLiteral(" to ")) + record.peer.toString();
    if (!preview.isEmpty())
        line += QStringLiteral(": ") + escapedText(preview);
    if (truncated && !preview.isEmpty())
        line += QStringLiteral(" … (%1 more)").arg(record.bytes.size() - preview.size());
    printText(line + u'\n');
}

void EventPrinter::printMissed(SessionId id, quint64 missed)
{
    // The log keeps a bounded window; a printer that fell behind says what it skipped
    // (the totals at the end still count every byte).
    if (m_style == Style::Json) {
        writeJsonLine({{QStringLiteral("event"), QStringLiteral("missed")},
                       {QStringLiteral("session"), qint64(id)},
                       {QStringLiteral("t_ns"), monotonicNs()},
                       {QStringLiteral("records"), qint64(missed)}});
        return;
    }
    printText(QStringLiteral("[#%1] %2 records not shown: dropped from memory before they were printed\n").arg(id).arg(missed));
}

void EventPrinter::printTotals(SessionId id, Cursor &cursor)
{
    cursor.totalsPrinted = true;
    const auto info = m_sessions.info(id);
    const auto traffic = m_sessions.traffic(id);
    if (!info || !traffic || info->role == SessionRole::Listener)
        return; // a listener moves no bytes; its connections print their own
    // The hasher runs behind the reads; the figures printed are final.
    traffic->waitForDigest(std::chrono::seconds(30));
    const TrafficTotals t = traffic->totals();
    const bool sha = t.digest == TrafficDigest::Sha256 && t.digestComplete();
    if (m_style == Style::Json) {
        writeJsonLine({{QStringLiteral("event"), QStringLiteral("totals")},
                       {QStringLiteral("session"), qint64(id)},
                       {QStringLiteral("t_ns"), monotonicNs()},
                       {QStringLiteral("digest"), trafficDigestName(t.digest)},
                       {QStringLiteral("bytes_in"), qint64(t.bytesIn)},
                       {QStringLiteral("records_in"), qint64(t.recordsIn)},
                       {QStringLiteral("sha256_in"), sha ? QJsonValue(QString::fromLatin1(t.sha256In.toHex())) : QJsonValue()},
                       {QStringLiteral("bytes_out"), qint64(t.bytesOut)},
                       {QStringLiteral("records_out"), qint64(t.recordsOut)},
                       {QStringLiteral("sha256_out"), sha ? QJsonValue(QString::fromLatin1(t.sha256Out.toHex())) : QJsonValue()},
                       {QStringLiteral("kernel_drops"), info->type == SOCK_DGRAM ? QJsonValue(qint64(info->kernelDrops)) : QJsonValue()}});
        return;
    }
    auto half = [&](const char *what, quint64 bytes, quint64 records, const QByteArray &digest) {
        return QStringLiteral("%1 %2 bytes in %3 records, %4")
            .arg(QLatin1String(what))
            .arg(bytes)
            .arg(records)
            .arg(sha ? QStringLiteral("sha256 ") + QString::fromLatin1(digest.toHex())
                     : QStringLiteral("digest ") + trafficDigestName(t.digest));
    };
    // Datagrams the kernel dropped on a full receive queue (SO_RXQ_OVFL) never reached the
    // log: said apart from what was received.
    const QString drops = info->type == SOCK_DGRAM ? QStringLiteral("; kernel dropped %1 datagrams").arg(info->kernelDrops) : QString();
    printText(QStringLiteral("[#%1] totals: %2; %3%4\n")
                  .arg(id)
                  .arg(half("received", t.bytesIn, t.recordsIn, t.sha256In), half("sent", t.bytesOut, t.recordsOut, t.sha256Out), drops));
}

} // namespace sockscope::cli
