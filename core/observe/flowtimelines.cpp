#include "flowtimelines.h"

#include <algorithm>

namespace sockscope::core {

FlowTimelines::FlowTimelines(Address client, Address server)
    : m_flow{std::move(client), std::move(server)}
{
}

std::optional<FlowTimelines::End> FlowTimelines::endAt(const Address &local) const
{
    if (local == m_flow.client)
        return End::Client;
    if (local == m_flow.server)
        return End::Server;
    return std::nullopt;
}

std::shared_ptr<const StateTimeline> FlowTimelines::timeline(End end) const
{
    return end == End::Client ? m_client : m_server;
}

bool FlowTimelines::record(End end, TcpState state, qint64 timeNs, StateSource source)
{
    return slot(end)->record(state, timeNs, source);
}

bool FlowTimelines::merge(End end, const StateTimeline &seen)
{
    bool changed = false;
    for (const StateEntry &e : seen.entries())
        changed |= record(end, e.state, e.timeNs, e.source);
    return changed;
}

bool FlowTimelines::recordSegments(const QList<Segment> &segments)
{
    const quint64 before = version();
    SegmentStates::record(segments, m_flow, *m_client, *m_server);
    return version() != before;
}

QList<FlowTimelines::Row> FlowTimelines::rows() const
{
    QList<Row> rows;
    for (const End end : {End::Client, End::Server}) {
        for (const StateEntry &e : timeline(end)->entries())
            rows.append(Row{end, e});
    }
    std::stable_sort(rows.begin(), rows.end(), [](const Row &a, const Row &b) { return a.entry.timeNs < b.entry.timeNs; });
    return rows;
}

quint64 FlowTimelines::version() const
{
    return m_client->version() + m_server->version();
}

QString flowEndName(FlowTimelines::End end)
{
    return end == FlowTimelines::End::Client ? QStringLiteral("client") : QStringLiteral("server");
}

} // namespace sockscope::core
