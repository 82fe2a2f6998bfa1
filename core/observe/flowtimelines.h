#pragma once

#include "segmentstates.h"
#include "statetimeline.h"

#include <QList>

#include <memory>
#include <optional>

namespace sockscope::core {

// The timeline of one TCP connection, both ends: each state with the moment it began and
// the witness that saw it first, merged from every witness there is — the KernelWatch's
// sock_diag timelines (both ends, when both sockets are on this host), the owning socket's
// TCP_INFO, and captured segments. StateTimeline places each report by its time, so
// feeding the same reports again changes nothing and a fast witness (a packet) moves a
// state a slow one (a sampler) saw late back to when it really began.
class FlowTimelines
{
public:
    enum class End { Client, Server };

    struct Row
    {
        End end = End::Client;
        StateEntry entry;
    };

    FlowTimelines(Address client, Address server);

    const Address &client() const { return m_flow.client; }
    const Address &server() const { return m_flow.server; }
    const SegmentStates::Flow &flow() const { return m_flow; }
    // The end whose local address this is (a socket of the connection), if either.
    std::optional<End> endAt(const Address &local) const;

    std::shared_ptr<const StateTimeline> timeline(End end) const;
    // True when something was added or moved.
    bool record(End end, TcpState state, qint64 timeNs, StateSource source);
    bool merge(End end, const StateTimeline &seen); // every entry of another witness
    bool recordSegments(const QList<Segment> &segments); // this connection's, others skipped

    QList<Row> rows() const; // both ends, oldest first (client first at equal times)
    quint64 version() const; // changes whenever either end does

private:
    std::shared_ptr<StateTimeline> &slot(End end) { return end == End::Client ? m_client : m_server; }

    SegmentStates::Flow m_flow;
    std::shared_ptr<StateTimeline> m_client = std::make_shared<StateTimeline>();
    std::shared_ptr<StateTimeline> m_server = std::make_shared<StateTimeline>();
};

QString flowEndName(FlowTimelines::End end); // "client", "server"

} // namespace sockscope::core
