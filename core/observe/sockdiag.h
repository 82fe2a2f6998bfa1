#pragma once

#include "../net/address.h"
#include "../net/syserror.h"
#include "../net/tcpinfo.h"
#include "../net/tcpstate.h"

#include <QList>

#include <expected>
#include <optional>

struct mnl_socket; // libmnl stays an implementation detail of sockdiag.cpp
struct nlmsghdr;

namespace sockscope::core {

enum class DiagProtocol : quint8 { Tcp = 1, Udp = 2, Unix = 4 };
QString diagProtocolName(DiagProtocol protocol); // "tcp", "udp", "unix"

// The timer the kernel runs for a socket (idiag_timer), named as `ss -o` names them,
// except that ss's "on" (the retransmission timer) is spelled out.
enum class DiagTimer : quint8 { Off = 0, Retransmit = 1, Keepalive = 2, TimeWait = 3, Persist = 4 };
QString diagTimerName(DiagTimer timer); // "off", "retransmit", "keepalive", "timewait", "persist"

// One socket as sock_diag reports it, fd or not: TIME_WAIT and orphaned FIN_WAIT_2
// sockets (closed by their process, still held by the kernel) and SYN_RECEIVED request
// sockets (a listener's half-open connections) are in the table too.
struct SocketEntry
{
    DiagProtocol protocol = DiagProtocol::Tcp;
    int family = AF_UNSPEC;
    int type = 0;                    // SOCK_STREAM, SOCK_DGRAM, SOCK_SEQPACKET
    int kernelState = 0;             // idiag_state / udiag_state as sent
    std::optional<TcpState> tcpState; // TCP only
    Address local;
    Address peer;                    // unspecified address and port 0 when not connected
    quint32 recvQ = 0;               // unread bytes; a listener's accept-queue length
    quint32 sendQ = 0;               // unacknowledged bytes; a listener's backlog
    DiagTimer timer = DiagTimer::Off;
    quint32 expiresMs = 0;           // until the timer fires
    quint32 timerRetransmits = 0;    // retransmissions (or probes) so far under that timer
    quint32 uid = 0;
    quint64 inode = 0;               // 0 for sockets no process holds (TIME_WAIT, orphans, requests)
    quint64 cookie = 0;              // the kernel's socket id, stable while it lives
    quint64 peerInode = 0;           // Unix: the other end's inode
    std::optional<TcpInfo> tcpInfo;  // TCP sockets with a full struct sock, when asked for

    // TCP: the RFC 9293 name. UDP: CONNECTED or UNCONNECTED. Unix: LISTEN, CONNECTED,
    // CONNECTING or UNCONNECTED.
    QString stateName() const;
};

struct DiagQuery
{
    int protocols = int(DiagProtocol::Tcp) | int(DiagProtocol::Udp) | int(DiagProtocol::Unix);
    // Either end equal to this port (the kernel filters, like ss "sport = :P or dport = :P").
    // Unix sockets have no port and are left out when it is set.
    std::optional<quint16> port;
    bool tcpInfo = false; // ask for struct tcp_info too: ~4x the bytes per socket

    bool wants(DiagProtocol p) const { return (protocols & int(p)) != 0; }
};

// A NETLINK_SOCK_DIAG socket and the dumps it makes. Not thread-safe: one per thread.
// Keeping the netlink socket open between dumps saves two syscalls and the bind per dump.
class SockDiag
{
public:
    static std::expected<SockDiag, SysError> open();

    SockDiag() = default;
    ~SockDiag();
    SockDiag(SockDiag &&other) noexcept;
    SockDiag &operator=(SockDiag &&other) noexcept;
    SockDiag(const SockDiag &) = delete;
    SockDiag &operator=(const SockDiag &) = delete;

    bool isValid() const { return m_nl != nullptr; }
    // TCP then UDP, IPv4 then IPv6 each, then Unix; within a table in the kernel's order.
    std::expected<QList<SocketEntry>, SysError> dump(const DiagQuery &query);

private:
    std::expected<void, SysError> dumpInet(int family, int protocol, const DiagQuery &query, QList<SocketEntry> &out);
    std::expected<void, SysError> dumpUnix(QList<SocketEntry> &out);
    using Parser = int (*)(const ::nlmsghdr *message, void *out);
    // Sends one request and appends what `parse` makes of each reply to `out`, until
    // NLMSG_DONE. A dump the kernel flags as interrupted (the table changed under it) is
    // run again from the start.
    std::expected<void, SysError> run(const QByteArray &request, Parser parse, QList<SocketEntry> &out);
    std::expected<void, SysError> runOnce(const QByteArray &request, Parser parse, QList<SocketEntry> &out);
    std::expected<void, SysError> reopen();

    mnl_socket *m_nl = nullptr;
    quint32 m_portId = 0;
    quint32 m_seq = 0;
    QByteArray m_buffer;
};

} // namespace sockscope::core
