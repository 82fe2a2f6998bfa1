#include "socketoptiontable_p.h"

#include <climits>
#include <netinet/in.h>
#include <netinet/tcp.h>

// IPPROTO_TCP (tcp(7)), IPPROTO_IP (ip(7)) and IPPROTO_IPV6 (ipv6(7)) rows.
namespace sockscope::core::detail {

namespace {

constexpr quint8 kIp = OptionFamily::Ip;
constexpr quint8 kInet = OptionFamily::Inet;
constexpr quint8 kInet6 = OptionFamily::Inet6;
constexpr quint8 kAnyType = OptionSockType::All;
constexpr quint8 kStream = OptionSockType::Stream;
constexpr quint8 kDgram = OptionSockType::Dgram;
constexpr quint8 kStreamDgram = OptionSockType::Stream | OptionSockType::Dgram;

constexpr OptionEnumName kPmtuModes[] = {
    {IP_PMTUDISC_DONT, "IP_PMTUDISC_DONT"}, {IP_PMTUDISC_WANT, "IP_PMTUDISC_WANT"},
    {IP_PMTUDISC_DO, "IP_PMTUDISC_DO"},     {IP_PMTUDISC_PROBE, "IP_PMTUDISC_PROBE"},
    {IP_PMTUDISC_INTERFACE, "IP_PMTUDISC_INTERFACE"}, {IP_PMTUDISC_OMIT, "IP_PMTUDISC_OMIT"},
};

#define TCP_ROW(NAME) .levelName = "IPPROTO_TCP", .level = IPPROTO_TCP, .name = #NAME, .optname = NAME
#define IP_ROW(NAME) .levelName = "IPPROTO_IP", .level = IPPROTO_IP, .name = #NAME, .optname = NAME
#define IPV6_ROW(NAME) .levelName = "IPPROTO_IPV6", .level = IPPROTO_IPV6, .name = #NAME, .optname = NAME

const SocketOption kRows[] = {
    // ---- IPPROTO_TCP ------------------------------------------------------------------
    {TCP_ROW(TCP_NODELAY), .type = OptionType::Bool, .min = 0, .max = 1, .families = kIp, .types = kStream,
     .example = "1", .manPage = "tcp(7)",
     .summary = "send small segments at once (turn off Nagle's algorithm)",
     .explanation = "By default TCP holds back a small segment while an earlier one is still "
                    "unacknowledged, to gather more bytes into it (Nagle's algorithm). Together with "
                    "the peer's delayed ACK this adds up to 40 ms (or 200 ms elsewhere) to request/"
                    "response exchanges made of several small writes. Setting it sends every write "
                    "immediately; interactive protocols and RPC usually want it, bulk transfers do not "
                    "care."},
    {TCP_ROW(TCP_CORK), .type = OptionType::Bool, .min = 0, .max = 1, .families = kIp, .types = kStream,
     .example = "1", .manPage = "tcp(7)",
     .summary = "hold partial segments until uncorked (or 200 ms)",
     .explanation = "While set, TCP sends only full-sized segments and keeps the remainder queued; "
                    "clearing it sends what is left at once. A server can cork, write a header and then "
                    "sendfile() the body, and uncork, so that header and body share packets. Queued data "
                    "goes out after 200 ms even if the socket stays corked."},
    {TCP_ROW(TCP_QUICKACK), .type = OptionType::Bool, .min = 0, .max = 1, .families = kIp, .types = kStream,
     .example = "1", .manPage = "tcp(7)",
     .summary = "acknowledge at once instead of delaying ACKs (not permanent)",
     .explanation = "1 puts the connection in quick-ACK mode: every segment is acknowledged at once "
                    "rather than after the delayed-ACK timer. It is not sticky: TCP returns to delayed "
                    "ACKs by itself, so programs set it again after each recv(). Reading it tells "
                    "whether the connection is in quick-ACK mode now (a fresh socket is)."},
    {TCP_ROW(TCP_MAXSEG), .type = OptionType::Int, .min = 88, .max = 32767, .unit = "bytes", .families = kIp,
     .types = kStream, .timing = OptionTiming::BeforeConnect, .example = "1200", .manPage = "tcp(7)",
     .summary = "maximum segment size for outgoing TCP packets",
     .explanation = "The largest payload TCP will put in one segment. Before the connection is made it "
                    "is the value advertised in the SYN and reads back as set (536 on a fresh socket); "
                    "once connected it reads the MSS actually in use, which the kernel clamps to what "
                    "the path and the peer allow, so asking for more than the interface MTU permits has "
                    "no effect. Values below 88 are refused with EINVAL."},
    {TCP_ROW(TCP_KEEPIDLE), .type = OptionType::Int, .min = 1, .max = 32767, .unit = "seconds", .families = kIp,
     .types = kStream, .example = "60", .manPage = "tcp(7)",
     .summary = "idle time before the first keepalive probe",
     .explanation = "How long the connection must be idle before TCP sends its first keepalive probe, "
                    "when SO_KEEPALIVE is on. The default comes from net.ipv4.tcp_keepalive_time (7200 "
                    "s). Setting it here affects only this socket, which is better than changing the "
                    "system setting."},
    {TCP_ROW(TCP_KEEPINTVL), .type = OptionType::Int, .min = 1, .max = 32767, .unit = "seconds", .families = kIp,
     .types = kStream, .example = "10", .manPage = "tcp(7)",
     .summary = "time between keepalive probes",
     .explanation = "Seconds between two keepalive probes that got no answer. The default comes from "
                    "net.ipv4.tcp_keepalive_intvl (75 s)."},
    {TCP_ROW(TCP_KEEPCNT), .type = OptionType::Int, .min = 1, .max = 127, .unit = "probes", .families = kIp,
     .types = kStream, .example = "5", .manPage = "tcp(7)",
     .summary = "unanswered keepalive probes before the connection is dropped",
     .explanation = "After this many probes without an answer, TCP gives up on the connection and the "
                    "next call fails with ETIMEDOUT. The default comes from net.ipv4.tcp_keepalive_probes "
                    "(9). With the defaults a dead peer is noticed after 2 h + 9 × 75 s."},
    {TCP_ROW(TCP_USER_TIMEOUT), .type = OptionType::Int, .min = 0, .max = INT_MAX, .unit = "milliseconds",
     .families = kIp, .types = kStream, .example = "30000", .manPage = "tcp(7)",
     .summary = "how long sent data may stay unacknowledged before the connection is dropped",
     .explanation = "If data stays unacknowledged (or the peer's window stays zero) for this many "
                    "milliseconds, TCP closes the connection with ETIMEDOUT instead of retrying for "
                    "the ~15 minutes that net.ipv4.tcp_retries2 allows. 0 means use the system default. "
                    "When keepalive is on it also bounds how long keepalive probing lasts (RFC 5482)."},
    {TCP_ROW(TCP_SYNCNT), .type = OptionType::Int, .min = 1, .max = 127, .unit = "retransmissions",
     .families = kIp, .types = kStream, .timing = OptionTiming::BeforeConnect, .example = "2",
     .manPage = "tcp(7)",
     .summary = "SYN retransmissions before connect() gives up",
     .explanation = "How many times connect() resends its SYN before failing with ETIMEDOUT; the waits "
                    "double each time from 1 s, so the default of 6 (net.ipv4.tcp_syn_retries) gives up "
                    "after about 127 s, and 2 after about 7 s. It only matters before connect()."},
    {TCP_ROW(TCP_LINGER2), .type = OptionType::Int, .min = -1, .max = INT_MAX, .unit = "seconds", .families = kIp,
     .types = kStream, .example = "30", .manPage = "tcp(7)",
     .summary = "how long an orphaned connection may stay in FIN_WAIT2",
     .explanation = "After this side has closed and its FIN is acknowledged, the connection waits in "
                    "FIN_WAIT2 for the peer's FIN; once the application has closed the socket, the "
                    "kernel gives up after this long (default net.ipv4.tcp_fin_timeout, 60 s). -1 "
                    "removes the state at once. The kernel caps it at 120 s. It does not shorten "
                    "TIME_WAIT, whatever some tuning guides say."},
    {TCP_ROW(TCP_DEFER_ACCEPT), .type = OptionType::Int, .min = 0, .max = INT_MAX, .unit = "seconds",
     .families = kIp, .types = kStream, .timing = OptionTiming::BeforeListen, .example = "5",
     .manPage = "tcp(7)",
     .summary = "wake accept() only when the client has sent data",
     .explanation = "On a listening socket: a connection is handed to accept() only once its first data "
                    "has arrived (or the time runs out), so a server does not wake up for clients that "
                    "connect and say nothing. The kernel converts the seconds into a number of SYN-ACK "
                    "retransmissions and back, so the value read back is rounded up (5 reads back as "
                    "7)."},
    {TCP_ROW(TCP_WINDOW_CLAMP), .type = OptionType::Int, .min = 0, .max = INT_MAX, .unit = "bytes",
     .families = kIp, .types = kStream, .example = "32768", .manPage = "tcp(7)",
     .summary = "upper bound on the advertised receive window",
     .explanation = "The receive window this side advertises never exceeds this many bytes, which "
                    "limits how much the peer may have in flight. The kernel raises small values to "
                    "half the minimum receive buffer (about 1152 bytes); 0 is only allowed before the "
                    "connection is made and removes the clamp."},
    {TCP_ROW(TCP_CONGESTION), .type = OptionType::String, .families = kIp, .types = kStream,
     .privilege = OptionPrivilege::Partly, .capability = "CAP_NET_ADMIN", .example = "reno",
     .manPage = "tcp(7)",
     .summary = "congestion control algorithm (cubic, reno, bbr...)",
     .explanation = "The algorithm that decides how fast this connection may send. The names the kernel "
                    "has loaded are in net.ipv4.tcp_available_congestion_control; an unknown name fails "
                    "with ENOENT. Without CAP_NET_ADMIN only those listed in "
                    "net.ipv4.tcp_allowed_congestion_control may be chosen (EPERM for the others). The "
                    "default for new sockets is net.ipv4.tcp_congestion_control."},
    {TCP_ROW(TCP_FASTOPEN), .type = OptionType::Int, .min = 0, .max = INT_MAX, .unit = "pending connections",
     .families = kIp, .types = kStream, .timing = OptionTiming::BeforeListen, .example = "16",
     .manPage = "tcp(7)",
     .summary = "accept data in the SYN (TCP Fast Open) on this listener",
     .explanation = "On a server socket, before listen(): the length of the queue of Fast Open "
                    "connections not yet accepted. A client that has a Fast Open cookie from an earlier "
                    "visit can then put its request in the SYN (sendto() with MSG_FASTOPEN) and save a "
                    "round trip. Bit 2 of net.ipv4.tcp_fastopen must allow the server side; 0 turns it "
                    "off."},
    {TCP_ROW(TCP_NOTSENT_LOWAT), .type = OptionType::Int, .min = 0, .max = INT_MAX, .unit = "bytes",
     .families = kIp, .types = kStream, .example = "16384", .manPage = "tcp(7)",
     .summary = "unsent bytes allowed before the socket stops being writable",
     .explanation = "poll() and epoll report the socket writable only while fewer than this many bytes "
                    "are queued and not yet sent, which keeps the send buffer from holding seconds of "
                    "stale data for latency-sensitive senders. 0 means the system default "
                    "(net.ipv4.tcp_notsent_lowat, unlimited)."},
    {TCP_ROW(TCP_INFO), .type = OptionType::TcpInfo, .families = kIp, .types = kStream,
     .access = OptionAccess::ReadOnly, .manPage = "tcp(7)",
     .summary = "the kernel's live statistics of the connection",
     .explanation = "Read-only: a struct tcp_info with the connection's state, round-trip time and its "
                    "variance, retransmission timeout, congestion window, slow-start threshold, MSS, "
                    "bytes acknowledged and received, retransmissions and more, decoded here field by "
                    "field. ss -ti prints the same numbers."},

    // ---- IPPROTO_IP --------------------------------------------------------------------
    {IP_ROW(IP_TTL), .type = OptionType::Int, .min = 1, .max = 255, .unit = "hops", .families = kInet,
     .types = kAnyType, .example = "32", .manPage = "ip(7)",
     .summary = "time to live of outgoing unicast packets",
     .explanation = "Every router decrements the TTL and drops the packet when it reaches 0 (sending "
                    "back ICMP time exceeded, which traceroute relies on). The default comes from "
                    "net.ipv4.ip_default_ttl (64). Valid values are 1 to 255."},
    {IP_ROW(IP_TOS), .type = OptionType::Int, .min = 0, .max = 255, .families = kInet, .types = kAnyType,
     .example = "16", .manPage = "ip(7)",
     .summary = "type of service / DSCP byte of outgoing packets",
     .explanation = "The second byte of the IPv4 header. Its upper six bits are the DSCP code point "
                    "that networks may use for quality of service (46 << 2 = 184 for EF, voice); the "
                    "lower two are ECN bits, which TCP manages itself. Setting it also sets SO_PRIORITY. "
                    "The old RFC 1349 meanings (0x10 low delay, 0x08 throughput) are obsolete but still "
                    "seen in tutorials."},
    {IP_ROW(IP_MULTICAST_TTL), .type = OptionType::Int, .min = 0, .max = 255, .unit = "hops", .families = kInet,
     .types = kDgram, .example = "4", .manPage = "ip(7)",
     .summary = "time to live of outgoing multicast packets",
     .explanation = "Multicast packets default to a TTL of 1, so they never leave the local network. "
                    "Raise it to let them cross multicast routers; 0 keeps them on this host."},
    {IP_ROW(IP_MULTICAST_LOOP), .type = OptionType::Bool, .min = 0, .max = 1, .families = kInet, .types = kDgram,
     .example = "0", .manPage = "ip(7)",
     .summary = "deliver our own multicast packets back to local listeners",
     .explanation = "On by default: a multicast datagram this socket sends is also delivered to sockets "
                    "on this host that joined the group, including the sender's own. Turn it off when a "
                    "program should not hear itself."},
    {IP_ROW(IP_MULTICAST_IF), .type = OptionType::InAddr, .families = kInet, .types = kDgram,
     .example = "127.0.0.1", .manPage = "ip(7)",
     .summary = "the local interface (by address) multicast packets leave through",
     .explanation = "Outgoing multicast is sent through the interface that has this local IPv4 address "
                    "instead of the one the routing table picks for the group. 0.0.0.0 goes back to the "
                    "routing table's choice."},
    {IP_ROW(IP_ADD_MEMBERSHIP), .type = OptionType::IpMreq, .families = kInet, .types = kDgram,
     .access = OptionAccess::WriteOnly, .example = "239.1.2.3,127.0.0.1", .manPage = "ip(7)",
     .summary = "join a multicast group",
     .explanation = "Takes an ip_mreq: the group address (224.0.0.0/4) and the local address of the "
                    "interface to join it on (0.0.0.0 lets the routing table choose). The kernel sends "
                    "an IGMP report, and datagrams to the group then reach the socket if it is bound to "
                    "the group's port. Typed here as \"GROUP,INTERFACE\": an interface address makes an "
                    "ip_mreq, a name or index an ip_mreqn (imr_ifindex). Joining twice fails with "
                    "EADDRINUSE; it cannot be read back."},
    {IP_ROW(IP_DROP_MEMBERSHIP), .type = OptionType::IpMreq, .families = kInet, .types = kDgram,
     .access = OptionAccess::WriteOnly, .example = "239.1.2.3,127.0.0.1", .manPage = "ip(7)",
     .summary = "leave a multicast group",
     .explanation = "The reverse of IP_ADD_MEMBERSHIP, with the same ip_mreq. Leaving a group that was "
                    "not joined fails with EADDRNOTAVAIL. Closing the socket leaves all its groups."},
    {IP_ROW(IP_RECVERR), .type = OptionType::Bool, .min = 0, .max = 1, .families = kInet, .types = kAnyType,
     .example = "1", .manPage = "ip(7)",
     .summary = "queue ICMP errors for reading with MSG_ERRQUEUE",
     .explanation = "Errors such as ICMP port unreachable or fragmentation needed are queued on the "
                    "socket with all their details (who sent them, the original destination) and read "
                    "with recvmsg(MSG_ERRQUEUE). Without it a UDP socket only sees the bare errno on "
                    "its next call, and only if it is connected. traceroute uses it. A UDP send that a "
                    "full queue of the interface (a qdisc) drops then fails with ENOBUFS instead of "
                    "vanishing without a word."},
    {IP_ROW(IP_MTU_DISCOVER), .type = OptionType::Enum, .enumNames = kPmtuModes, .families = kInet,
     .types = kAnyType, .example = "IP_PMTUDISC_DO", .manPage = "ip(7)",
     .summary = "path MTU discovery mode (the Don't Fragment bit)",
     .explanation = "IP_PMTUDISC_DO sets Don't Fragment on every packet and makes a too-large datagram "
                    "fail with EMSGSIZE; IP_PMTUDISC_DONT never sets it, so routers fragment; "
                    "IP_PMTUDISC_WANT (the default for TCP, per net.ipv4.ip_no_pmtu_disc) discovers the "
                    "path MTU but fragments locally when needed; IP_PMTUDISC_PROBE sets DF but ignores "
                    "the learnt path MTU; INTERFACE and OMIT use the interface MTU only."},
    {IP_ROW(IP_MTU), .type = OptionType::Int, .min = 0, .max = INT_MAX, .unit = "bytes", .families = kInet,
     .types = kStreamDgram, .access = OptionAccess::ReadOnly, .needsConnection = true, .manPage = "ip(7)",
     .summary = "the path MTU the kernel knows for the connected peer",
     .explanation = "Read-only, and only on a connected socket (ENOTCONN before): the MTU of the route "
                    "to the peer as currently known, learnt from ICMP fragmentation-needed messages when "
                    "IP_MTU_DISCOVER allows. 65536 on loopback."},
    {IP_ROW(IP_FREEBIND), .type = OptionType::Bool, .min = 0, .max = 1, .families = kInet, .types = kAnyType,
     .timing = OptionTiming::BeforeBind, .example = "1", .manPage = "ip(7)",
     .summary = "allow bind() to an address this host does not have (yet)",
     .explanation = "bind() to a non-local address normally fails with EADDRNOTAVAIL; with this set "
                    "before bind() it succeeds, so a service can start before its address is configured "
                    "(at boot, or a floating address that moves between hosts). "
                    "net.ipv4.ip_nonlocal_bind does the same system-wide."},
    {IP_ROW(IP_TRANSPARENT), .type = OptionType::Bool, .min = 0, .max = 1, .families = kInet, .types = kAnyType,
     .privilege = OptionPrivilege::Required, .capability = "CAP_NET_ADMIN", .timing = OptionTiming::BeforeBind,
     .manPage = "ip(7)",
     .summary = "transparent proxying: bind to and accept for foreign addresses",
     .explanation = "Lets the socket bind to any address and, with TPROXY firewall rules, receive "
                    "connections addressed to other hosts, so a transparent proxy can answer as the "
                    "real server. Needs CAP_NET_ADMIN or CAP_NET_RAW; EPERM without."},

    // ---- IPPROTO_IPV6 ------------------------------------------------------------------
    {IPV6_ROW(IPV6_V6ONLY), .type = OptionType::Bool, .min = 0, .max = 1, .families = kInet6, .types = kAnyType,
     .timing = OptionTiming::BeforeBind, .example = "1", .manPage = "ipv6(7)",
     .summary = "accept IPv6 only, not IPv4-mapped addresses",
     .explanation = "An AF_INET6 socket bound to :: also receives IPv4 connections, which then show up "
                    "as ::ffff:a.b.c.d addresses, unless this is set before bind(). The default is "
                    "net.ipv6.bindv6only (0). Set it when IPv4 is served by a separate AF_INET socket on "
                    "the same port, or bind() fails with EADDRINUSE."},
    {IPV6_ROW(IPV6_UNICAST_HOPS), .type = OptionType::Int, .min = -1, .max = 255, .unit = "hops",
     .families = kInet6, .types = kAnyType, .example = "32", .manPage = "ipv6(7)",
     .summary = "hop limit of outgoing unicast packets",
     .explanation = "The IPv6 version of IP_TTL: routers decrement it and drop the packet at 0. -1 "
                    "means the route's default (net.ipv6.conf.*.hop_limit, 64), which is what reads "
                    "back afterwards."},
    {IPV6_ROW(IPV6_MULTICAST_HOPS), .type = OptionType::Int, .min = -1, .max = 255, .unit = "hops",
     .families = kInet6, .types = kDgram, .example = "4", .manPage = "ipv6(7)",
     .summary = "hop limit of outgoing multicast packets",
     .explanation = "Like IP_MULTICAST_TTL: multicast leaves with a hop limit of 1 by default, so it "
                    "stays on the link; -1 restores that default."},
    {IPV6_ROW(IPV6_MULTICAST_LOOP), .type = OptionType::Bool, .min = 0, .max = 1, .families = kInet6,
     .types = kDgram, .example = "0", .manPage = "ipv6(7)",
     .summary = "deliver our own multicast packets back to local listeners",
     .explanation = "As IP_MULTICAST_LOOP, for IPv6: on by default. Only 0 and 1 are accepted (EINVAL "
                    "otherwise)."},
    {IPV6_ROW(IPV6_MULTICAST_IF), .type = OptionType::Int, .min = 0, .max = INT_MAX, .unit = "interface index",
     .families = kInet6, .types = kDgram, .example = "1", .manPage = "ipv6(7)",
     .summary = "the interface (by index) multicast packets leave through",
     .explanation = "Outgoing IPv6 multicast goes through the interface with this index (1 is usually "
                    "lo; `ip link` lists them). 0 lets the routing table choose. IPv6 link-local "
                    "multicast such as ff02::1 is ambiguous on a host with several links, so senders set "
                    "it."},
    {IPV6_ROW(IPV6_JOIN_GROUP), .type = OptionType::Ipv6Mreq, .families = kInet6, .types = kDgram,
     .access = OptionAccess::WriteOnly, .example = "ff02::1:3,lo", .manPage = "ipv6(7)",
     .summary = "join an IPv6 multicast group",
     .explanation = "Takes an ipv6_mreq: the group (ff00::/8) and the index of the interface to join it "
                    "on (0: the routing table chooses). Typed here as \"GROUP,INTERFACE\" where the "
                    "interface is a name or an index. The kernel sends an MLD report. Also known as "
                    "IPV6_ADD_MEMBERSHIP; it cannot be read back."},
    {IPV6_ROW(IPV6_LEAVE_GROUP), .type = OptionType::Ipv6Mreq, .families = kInet6, .types = kDgram,
     .access = OptionAccess::WriteOnly, .example = "ff02::1:3,lo", .manPage = "ipv6(7)",
     .summary = "leave an IPv6 multicast group",
     .explanation = "The reverse of IPV6_JOIN_GROUP, with the same ipv6_mreq. Leaving a group that was "
                    "not joined fails with EADDRNOTAVAIL."},
    {IPV6_ROW(IPV6_TCLASS), .type = OptionType::Int, .min = -1, .max = 255, .families = kInet6,
     .types = kAnyType, .example = "16", .manPage = "ipv6(7)",
     .summary = "traffic class (DSCP and ECN) of outgoing packets",
     .explanation = "The IPv6 counterpart of IP_TOS: six DSCP bits and two ECN bits in the header's "
                    "traffic class field. -1 restores the default, 0."},
    {IPV6_ROW(IPV6_RECVERR), .type = OptionType::Bool, .min = 0, .max = 1, .families = kInet6, .types = kAnyType,
     .example = "1", .manPage = "ipv6(7)",
     .summary = "queue ICMPv6 errors for reading with MSG_ERRQUEUE",
     .explanation = "The IPv6 counterpart of IP_RECVERR: ICMPv6 errors are queued with their details for "
                    "recvmsg(MSG_ERRQUEUE), and a UDP send that a full queue of the interface drops fails "
                    "with ENOBUFS instead of vanishing without a word."},
};

#undef TCP_ROW
#undef IP_ROW
#undef IPV6_ROW

} // namespace

std::span<const SocketOption> protocolRows()
{
    return kRows;
}

} // namespace sockscope::core::detail
