#include "tcpinfofields.h"

#include "tcpinfo.h"

#include <cerrno>
#include <linux/tcp.h>

namespace sockscope::core {

namespace {

QString caStateName(int state)
{
    static const char *const names[] = {"Open", "Disorder", "CWR", "Recovery", "Loss"};
    return state >= 0 && state < int(std::size(names)) ? QString::fromLatin1(names[state]) : QString::number(state);
}

QString optionsText(int options)
{
    static constexpr struct { int bit; const char *name; } kBits[] = {
        {TCPI_OPT_TIMESTAMPS, "timestamps"}, {TCPI_OPT_SACK, "sack"}, {TCPI_OPT_WSCALE, "wscale"},
        {TCPI_OPT_ECN, "ecn"}, {TCPI_OPT_ECN_SEEN, "ecn_seen"}, {TCPI_OPT_SYN_DATA, "syn_data"},
    };
    QStringList names;
    for (const auto &b : kBits) {
        if (options & b.bit)
            names << QLatin1String(b.name);
    }
    return names.isEmpty() ? QStringLiteral("none") : names.join(u'|');
}

} // namespace

QList<OptionField> tcpInfoFields(const TcpInfo &info)
{
    const QString us = QStringLiteral("us");
    const QString ms = QStringLiteral("ms");
    const QString bytes = QStringLiteral("bytes");
    const QString segments = QStringLiteral("segments");
    QList<OptionField> fields{
        {QStringLiteral("state"), int(info.state), {}, tcpStateName(info.state)},
        {QStringLiteral("ca_state"), info.caState, {}, caStateName(info.caState)},
        {QStringLiteral("retransmits"), info.retransmits, {}, {}},
        {QStringLiteral("probes"), info.probes, {}, {}},
        {QStringLiteral("options"), info.options, {}, optionsText(info.options)},
        {QStringLiteral("rto"), info.rtoUs, us, {}},
        {QStringLiteral("rtt"), info.rttUs, us, {}},
        {QStringLiteral("rttvar"), info.rttVarUs, us, {}},
        {QStringLiteral("snd_mss"), info.sndMss, bytes, {}},
        {QStringLiteral("rcv_mss"), info.rcvMss, bytes, {}},
        {QStringLiteral("snd_cwnd"), info.sndCwnd, segments, {}},
        {QStringLiteral("snd_ssthresh"), info.sndSsthresh, segments,
         info.ssthreshInfinite() ? QStringLiteral("infinite") : QString()},
        {QStringLiteral("unacked"), info.unacked, segments, {}},
        {QStringLiteral("sacked"), info.sacked, segments, {}},
        {QStringLiteral("lost"), info.lost, segments, {}},
        {QStringLiteral("total_retrans"), info.totalRetrans, segments, {}},
        {QStringLiteral("pmtu"), info.pmtu, bytes, {}},
        {QStringLiteral("last_data_sent"), info.lastDataSentMs, ms, {}},
        {QStringLiteral("last_data_recv"), info.lastDataRecvMs, ms, {}},
        {QStringLiteral("last_ack_recv"), info.lastAckRecvMs, ms, {}},
    };
    if (info.isListener()) {
        fields.append({QStringLiteral("accept_queue"), info.acceptQueue(), QStringLiteral("connections"), {}});
        fields.append({QStringLiteral("backlog"), info.backlog(), QStringLiteral("connections"), {}});
    }
    if (info.hasByteCounters) {
        fields.append({QStringLiteral("bytes_acked"), qint64(info.bytesAcked), bytes, {}});
        fields.append({QStringLiteral("bytes_received"), qint64(info.bytesReceived), bytes, {}});
        fields.append({QStringLiteral("segs_out"), info.segsOut, segments, {}});
        fields.append({QStringLiteral("segs_in"), info.segsIn, segments, {}});
    }
    return fields;
}

std::expected<QList<OptionField>, SysError> decodeTcpInfoFields(QByteArrayView raw)
{
    const auto info = TcpInfo::decode(raw);
    if (!info)
        return std::unexpected(SysError::fromErrno(EPROTO));
    return tcpInfoFields(*info);
}

socklen_t tcpInfoBufferSize()
{
    return sizeof(tcp_info);
}

} // namespace sockscope::core
