#include "tcpstate.h"

namespace sockscope::core {

namespace {

struct StateName
{
    TcpState state;
    const char *rfc;
    const char *ss; // iproute2's spelling, for reading `ss` output
};

constexpr StateName kNames[] = {
    {TcpState::Established, "ESTABLISHED", "ESTAB"},
    {TcpState::SynSent, "SYN_SENT", "SYN-SENT"},
    {TcpState::SynReceived, "SYN_RECEIVED", "SYN-RECV"},
    {TcpState::FinWait1, "FIN_WAIT_1", "FIN-WAIT-1"},
    {TcpState::FinWait2, "FIN_WAIT_2", "FIN-WAIT-2"},
    {TcpState::TimeWait, "TIME_WAIT", "TIME-WAIT"},
    {TcpState::Closed, "CLOSED", "CLOSE"},
    {TcpState::CloseWait, "CLOSE_WAIT", "CLOSE-WAIT"},
    {TcpState::LastAck, "LAST_ACK", "LAST-ACK"},
    {TcpState::Listen, "LISTEN", "LISTEN"},
    {TcpState::Closing, "CLOSING", "CLOSING"},
};

} // namespace

std::optional<TcpState> tcpStateFromKernel(int number)
{
    if (number < int(TcpState::Established) || number > int(TcpState::NewSynReceived))
        return std::nullopt;
    return TcpState(number);
}

TcpState rfcState(TcpState state)
{
    return state == TcpState::NewSynReceived ? TcpState::SynReceived : state;
}

QString tcpStateName(TcpState state)
{
    const TcpState rfc = rfcState(state);
    for (const StateName &n : kNames) {
        if (n.state == rfc)
            return QLatin1String(n.rfc);
    }
    return QStringLiteral("UNKNOWN");
}

std::optional<TcpState> tcpStateFromName(QStringView name)
{
    for (const StateName &n : kNames) {
        if (name.compare(QLatin1String(n.rfc), Qt::CaseInsensitive) == 0
            || name.compare(QLatin1String(n.ss), Qt::CaseInsensitive) == 0)
            return n.state;
    }
    // ss writes a bound TCP socket that neither listens nor connects as UNCONN.
    if (name.compare(QLatin1String("UNCONN"), Qt::CaseInsensitive) == 0)
        return TcpState::Closed;
    return std::nullopt;
}

bool isTransient(TcpState state)
{
    switch (rfcState(state)) {
    case TcpState::SynSent:
    case TcpState::SynReceived:
    case TcpState::FinWait1:
    case TcpState::Closing:
    case TcpState::LastAck:
        return true;
    default:
        return false;
    }
}

} // namespace sockscope::core
