#pragma once

#include <QString>
#include <QStringView>

#include <optional>

namespace sockscope::core {

// The kernel's TCP states with the kernel's own numbers (include/net/tcp_states.h), so a
// tcpi_state or idiag_state byte converts with a range check and nothing else. Names
// follow RFC 9293 with underscores; the kernel's NEW_SYN_RECV (a request socket: the
// listener answered a SYN and waits for the final ACK) is RFC 9293's SYN-RECEIVED.
enum class TcpState : quint8 {
    Established = 1,
    SynSent = 2,
    SynReceived = 3,
    FinWait1 = 4,
    FinWait2 = 5,
    TimeWait = 6,
    Closed = 7,
    CloseWait = 8,
    LastAck = 9,
    Listen = 10,
    Closing = 11,
    NewSynReceived = 12,
};

// nullopt for numbers the kernel does not use (0, > 12).
std::optional<TcpState> tcpStateFromKernel(int number);
// The RFC 9293 state this one stands for (NewSynReceived -> SynReceived, others unchanged).
TcpState rfcState(TcpState state);
// "ESTABLISHED", "SYN_RECEIVED", "TIME_WAIT", ...
QString tcpStateName(TcpState state);
// Accepts our names and the ones `ss` prints ("ESTAB", "SYN-RECV", "TIME-WAIT", "CLOSE"),
// case-insensitive; the result is always an RFC state (never NewSynReceived).
std::optional<TcpState> tcpStateFromName(QStringView name);
// States a connection passes through quickly; a sampler polls faster while one is seen.
bool isTransient(TcpState state);

} // namespace sockscope::core
