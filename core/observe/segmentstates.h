#pragma once

#include "segment.h"
#include "statetimeline.h"
#include "../net/tcpstate.h"

#include <QList>

#include <optional>

namespace sockscope::core {

// What each end of one connection is in, before the first segment and after each one.
struct EndStates
{
    std::optional<TcpState> client; // nullopt: nothing shows it yet
    std::optional<TcpState> server;
    bool operator==(const EndStates &) const = default;
};

// The RFC 9293 states both ends of one connection pass through, read off its segments
// alone: the fallback when the kernel was not sampled, and the only witness fast enough
// for loopback, where a handshake takes microseconds. A capture on one host sees each
// segment once, so sending and receiving it count as one moment: the SYN puts the client
// in SYN_SENT and a listening server in SYN_RECEIVED at once. The flow's client is the end
// that sent the first SYN without ACK (else the first segment's sender).
class SegmentStates
{
public:
    struct Flow
    {
        Address client;
        Address server;
        bool contains(const Segment &s) const;
    };

    // The flow of the first segment; nullopt when there are none.
    static std::optional<Flow> firstFlow(const QList<Segment> &segments);
    // size() == segments of `flow` + 1: [0] is before the first segment, [i + 1] after
    // segment i; segments of other flows are skipped and get no entry.
    static QList<EndStates> infer(const QList<Segment> &segments, const Flow &flow);
    // The same, into timelines (StateSource::Packet, at each segment's tNs).
    static void record(const QList<Segment> &segments, const Flow &flow, StateTimeline &client, StateTimeline &server);
};

} // namespace sockscope::core
