#include "eventprinter.h"

#include "clijson.h"

#include <algorithm>
#include <cstdio>
#include <variant>

namespace sockscope::cli {

using namespace sockscope::core;

EventPrinter::EventPrinter(SessionManager &sessions, Style style)
    : m_sessions(sessions)
    , m_style(style)
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
    if (m_listener && generation != m_generation) {
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
    for (auto &[id, cursor] : m_cursors) {
        if (auto trace = m_sessions.trace(id)) {
            for (CallRecord &call : trace->since(cursor.trace)) {
                cursor.trace = call.seq;
                events.push_back({call.timeNs, id, std::move(call)});
            }
        }
        if (auto traffic = m_sessions.traffic(id)) {
            TrafficSnapshot snap = traffic->since(cursor.traffic);
            cursor.traffic = snap.lastSeq;
            for (TrafficRecord &record : snap.records)
                events.push_back({record.timeNs, id, std::move(record)});
        }
    }
    std::stable_sort(events.begin(), events.end(), [](const Timed &a, const Timed &b) { return a.timeNs < b.timeNs; });
    for (const Timed &e : events) {
        if (const auto *call = std::get_if<CallRecord>(&e.event))
            printCall(e.id, *call);
        else
            printData(e.id, std::get<TrafficRecord>(e.event));
    }
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
        printJsonLine(o);
        return;
    }
    QString line = QStringLiteral("[#%1] %2 -> %3").arg(id).arg(call.code, call.ok() ? call.result : call.error->toString());
    if (call.error && !call.error->hint().isEmpty())
        line += QStringLiteral(" (%1)").arg(call.error->hint());
    line += u'\n';
    const QByteArray bytes = line.toUtf8();
    std::FILE *stream = m_style == Style::RawData ? stderr : stdout;
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stream);
    std::fflush(stream);
}

void EventPrinter::printData(SessionId id, const TrafficRecord &record)
{
    const bool in = record.direction == Direction::In;
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
        putBytes(o, record.bytes);
        printJsonLine(o);
        return;
    }
    if (m_style == Style::RawData && in) {
        std::fwrite(record.bytes.constData(), 1, size_t(record.bytes.size()), stdout);
        std::fflush(stdout);
        return;
    }
    QString line = QStringLiteral("[#%1] %2 %3 bytes").arg(id).arg(trafficCallName(record.call)).arg(record.bytes.size());
    if (record.peer.isValid())
        line += (in ? QStringLiteral(" from ") : QStringLiteral(" to ")) + record.peer.toString();
    line += QStringLiteral(": ") + escapedText(record.bytes) + u'\n';
    const QByteArray bytes = line.toUtf8();
    std::FILE *stream = m_style == Style::RawData ? stderr : stdout;
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stream);
    std::fflush(stream);
}

} // namespace sockscope::cli
