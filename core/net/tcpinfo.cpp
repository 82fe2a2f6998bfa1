#include "tcpinfo.h"

#include "socket.h"

#include <linux/tcp.h>
#include <netinet/in.h>

#include <cstddef>
#include <cstring>

namespace sockscope::core {

namespace {

// The layout of Linux 2.6's first tcp_info ends at tcpi_total_retrans; every field
// decode() reads unconditionally lies within it.
constexpr qsizetype kHeadSize = offsetof(tcp_info, tcpi_total_retrans) + sizeof(__u32);
constexpr qsizetype kWithBytes = offsetof(tcp_info, tcpi_bytes_received) + sizeof(__u64);
constexpr qsizetype kWithSegs = offsetof(tcp_info, tcpi_segs_in) + sizeof(__u32);

} // namespace

std::expected<TcpInfo, SysError> TcpInfo::sample(const Socket &socket)
{
    auto raw = socket.getRawOption(IPPROTO_TCP, TCP_INFO, sizeof(tcp_info));
    if (!raw)
        return std::unexpected(raw.error());
    auto info = decode(*raw);
    if (!info)
        return std::unexpected(SysError::fromErrno(EPROTO));
    return *info;
}

bool TcpInfo::progressedFrom(const TcpInfo &earlier) const
{
    return state != earlier.state || unacked != earlier.unacked || sacked != earlier.sacked
        || retransmits != earlier.retransmits || totalRetrans != earlier.totalRetrans
        || bytesAcked != earlier.bytesAcked || bytesReceived != earlier.bytesReceived
        || segsOut != earlier.segsOut || segsIn != earlier.segsIn;
}

std::optional<TcpInfo> TcpInfo::decode(QByteArrayView raw)
{
    if (raw.size() < kHeadSize)
        return std::nullopt;
    // Copy into a zeroed struct: the buffer may be shorter than ours, and unaligned
    // (netlink attributes are only 4-byte aligned; the struct holds u64s).
    tcp_info t;
    std::memset(&t, 0, sizeof t);
    std::memcpy(&t, raw.data(), size_t(std::min<qsizetype>(raw.size(), qsizetype(sizeof t))));

    const auto state = tcpStateFromKernel(t.tcpi_state);
    if (!state)
        return std::nullopt;
    TcpInfo info;
    info.state = *state;
    info.caState = t.tcpi_ca_state;
    info.retransmits = t.tcpi_retransmits;
    info.probes = t.tcpi_probes;
    info.options = t.tcpi_options;
    info.rtoUs = t.tcpi_rto;
    info.rttUs = t.tcpi_rtt;
    info.rttVarUs = t.tcpi_rttvar;
    info.sndMss = t.tcpi_snd_mss;
    info.rcvMss = t.tcpi_rcv_mss;
    info.unacked = t.tcpi_unacked;
    info.sacked = t.tcpi_sacked;
    info.lost = t.tcpi_lost;
    info.pmtu = t.tcpi_pmtu;
    info.sndSsthresh = t.tcpi_snd_ssthresh;
    info.sndCwnd = t.tcpi_snd_cwnd;
    info.totalRetrans = t.tcpi_total_retrans;
    info.lastDataSentMs = t.tcpi_last_data_sent;
    info.lastDataRecvMs = t.tcpi_last_data_recv;
    info.lastAckRecvMs = t.tcpi_last_ack_recv;
    info.hasByteCounters = raw.size() >= kWithBytes;
    info.bytesAcked = t.tcpi_bytes_acked;
    info.bytesReceived = t.tcpi_bytes_received;
    if (raw.size() >= kWithSegs) {
        info.segsOut = t.tcpi_segs_out;
        info.segsIn = t.tcpi_segs_in;
    }
    return info;
}

} // namespace sockscope::core
