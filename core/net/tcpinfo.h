#pragma once

#include "syserror.h"
#include "tcpstate.h"

#include <QByteArrayView>

#include <expected>
#include <optional>

namespace sockscope::core {

class Socket;

// What getsockopt(TCP_INFO) says about one TCP socket, decoded from the kernel's
// struct tcp_info. The same struct arrives in sock_diag's INET_DIAG_INFO attribute, so
// both paths decode through decode(). Times are in microseconds as the kernel gives them
// (tcpi_last_* are milliseconds). For a listener the kernel reuses two fields: tcpi_unacked
// is the accept-queue length and tcpi_sacked the backlog passed to listen().
struct TcpInfo
{
    // The kernel's "no threshold yet" (TCP_INFINITE_SSTHRESH).
    static constexpr quint32 kInfiniteSsthresh = 0x7fffffff;

    static std::expected<TcpInfo, SysError> sample(const Socket &socket);
    // A shorter struct (an older kernel) leaves the fields it lacks at 0 and
    // hasByteCounters false; nullopt when even the fixed head is missing or the state
    // byte is not a TCP state.
    static std::optional<TcpInfo> decode(QByteArrayView raw);

    bool isListener() const { return state == TcpState::Listen; }
    quint32 acceptQueue() const { return isListener() ? unacked : 0; }
    quint32 backlog() const { return isListener() ? sacked : 0; }
    bool ssthreshInfinite() const { return sndSsthresh >= kInfiniteSsthresh; }
    // True when something a viewer follows moved: the state, the queues, retransmissions,
    // the byte and segment counts. The free-running fields (RTT smoothing, the last-*
    // ages) do not count, so sampling an idle connection reports no change.
    bool progressedFrom(const TcpInfo &earlier) const;

    TcpState state = TcpState::Closed;
    quint8 caState = 0;       // congestion-avoidance state: 0 Open, 1 Disorder, 2 CWR, 3 Recovery, 4 Loss
    quint8 retransmits = 0;   // consecutive retransmissions of the current segment (the RTO backoff count)
    quint8 probes = 0;        // unanswered zero-window / keepalive probes
    quint8 options = 0;       // TCPI_OPT_* negotiated: timestamps, SACK, window scale, ECN
    quint32 rtoUs = 0;
    quint32 rttUs = 0;        // smoothed RTT
    quint32 rttVarUs = 0;
    quint32 sndMss = 0;
    quint32 rcvMss = 0;
    quint32 unacked = 0;      // segments in flight; a listener's accept-queue length
    quint32 sacked = 0;       // SACKed segments; a listener's backlog
    quint32 lost = 0;
    quint32 pmtu = 0;
    quint32 sndSsthresh = 0;
    quint32 sndCwnd = 0;      // in segments
    quint32 totalRetrans = 0; // retransmitted segments over the connection's life
    quint32 lastDataSentMs = 0;
    quint32 lastDataRecvMs = 0;
    quint32 lastAckRecvMs = 0;
    bool hasByteCounters = false; // the kernel's struct had tcpi_bytes_acked/received
    quint64 bytesAcked = 0;    // RFC 4898 HCThruOctetsAcked: our bytes the peer acknowledged
    quint64 bytesReceived = 0; // RFC 4898 HCThruOctetsReceived
    quint32 segsOut = 0;
    quint32 segsIn = 0;

    bool operator==(const TcpInfo &) const = default;
};

} // namespace sockscope::core
