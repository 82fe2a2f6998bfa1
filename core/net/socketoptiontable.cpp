#include "socketoptiontable_p.h"

#include <climits>
#include <netinet/in.h>
#include <sys/socket.h>

// SOL_SOCKET: the options every socket has, whatever its protocol (socket(7)). The first
// sixteen are the classic table of the tutorials; the rest are the Linux additions.
namespace sockscope::core::detail {

namespace {

constexpr quint8 kAll = OptionFamily::All;
constexpr quint8 kIp = OptionFamily::Ip;
constexpr quint8 kUnix = OptionFamily::Unix;
constexpr quint8 kAnyType = OptionSockType::All;
constexpr quint8 kStream = OptionSockType::Stream;
constexpr quint8 kDgram = OptionSockType::Dgram;
constexpr quint8 kConnected = OptionSockType::Connected;

constexpr OptionEnumName kDomains[] = {
    {AF_UNIX, "AF_UNIX"}, {AF_INET, "AF_INET"}, {AF_INET6, "AF_INET6"}, {AF_NETLINK, "AF_NETLINK"}, {AF_PACKET, "AF_PACKET"},
};
constexpr OptionEnumName kTypes[] = {
    {SOCK_STREAM, "SOCK_STREAM"}, {SOCK_DGRAM, "SOCK_DGRAM"}, {SOCK_RAW, "SOCK_RAW"}, {SOCK_SEQPACKET, "SOCK_SEQPACKET"},
};
constexpr OptionEnumName kProtocols[] = {
    {0, "0"}, {IPPROTO_TCP, "IPPROTO_TCP"}, {IPPROTO_UDP, "IPPROTO_UDP"}, {IPPROTO_ICMP, "IPPROTO_ICMP"},
    {IPPROTO_ICMPV6, "IPPROTO_ICMPV6"}, {IPPROTO_SCTP, "IPPROTO_SCTP"}, {IPPROTO_RAW, "IPPROTO_RAW"},
};

const SocketOption kRows[] = {
    // ---- the classic table ------------------------------------------------------------
    {.levelName = "SOL_SOCKET", .level = SOL_SOCKET, .name = "SO_ACCEPTCONN", .optname = SO_ACCEPTCONN,
     .type = OptionType::Bool, .min = 0, .max = 1, .families = kAll, .types = kConnected,
     .access = OptionAccess::ReadOnly, .manPage = "socket(7)",
     .summary = "1 once listen() has been called on the socket",
     .explanation = "Read-only. The kernel answers 1 when the socket is listening (listen() has been "
                    "called) and 0 otherwise. A program handed a descriptor it did not create, such as a "
                    "service started by inetd or systemd socket activation, can ask this to find out "
                    "whether to call accept() or recv()."},
    {.levelName = "SOL_SOCKET", .level = SOL_SOCKET, .name = "SO_BROADCAST", .optname = SO_BROADCAST,
     .type = OptionType::Bool, .min = 0, .max = 1, .families = OptionFamily::Inet, .types = kDgram,
     .example = "1", .manPage = "socket(7)",
     .summary = "allow sending to a broadcast address",
     .explanation = "Without it, sendto() to a broadcast address such as 255.255.255.255 or 192.168.1.255 "
                    "fails with EACCES. The flag is a safety catch against flooding a network by "
                    "mistake: it only matters for datagram sockets, and receiving broadcasts needs no "
                    "option at all, only a socket bound to the port (and to INADDR_ANY)."},
    {.levelName = "SOL_SOCKET", .level = SOL_SOCKET, .name = "SO_DEBUG", .optname = SO_DEBUG,
     .type = OptionType::Bool, .min = 0, .max = 1, .families = kAll, .types = kAnyType,
     .privilege = OptionPrivilege::Required, .capability = "CAP_NET_ADMIN", .manPage = "socket(7)",
     .summary = "historic per-socket debugging flag",
     .explanation = "Turns on socket debugging. On BSD it made TCP keep a trace of its state changes "
                    "(read with trpt); Linux only stores the flag and a few protocols print extra kernel "
                    "log lines. Setting it to 1 needs CAP_NET_ADMIN and fails with EACCES (not EPERM) "
                    "without it; clearing it is always allowed."},
    {.levelName = "SOL_SOCKET", .level = SOL_SOCKET, .name = "SO_DONTROUTE", .optname = SO_DONTROUTE,
     .type = OptionType::Bool, .min = 0, .max = 1, .families = kIp, .types = kAnyType,
     .example = "1", .manPage = "socket(7)",
     .summary = "send only to directly connected hosts, bypassing the routing table",
     .explanation = "Packets go straight out of the interface whose network contains the destination; "
                    "a destination that is not on a directly attached network fails with ENETUNREACH "
                    "instead of going to the gateway. The same effect for a single call is the "
                    "MSG_DONTROUTE flag of send(). Routing daemons used it to reach their neighbours "
                    "whatever the routing table said."},
    {.levelName = "SOL_SOCKET", .level = SOL_SOCKET, .name = "SO_ERROR", .optname = SO_ERROR,
     .type = OptionType::Errno, .families = kAll, .types = kAnyType, .access = OptionAccess::ReadOnly,
     .manPage = "socket(7)",
     .summary = "the pending error, cleared by reading it",
     .explanation = "Read-only, and reading it clears it. After a non-blocking connect() returned "
                    "EINPROGRESS and the socket became writable, this is how you learn the outcome: 0 "
                    "for success or the errno the connect failed with (ECONNREFUSED, ETIMEDOUT...). It "
                    "also holds asynchronous errors such as an ICMP port unreachable on a connected UDP "
                    "socket, which the next call would otherwise report."},
    {.levelName = "SOL_SOCKET", .level = SOL_SOCKET, .name = "SO_KEEPALIVE", .optname = SO_KEEPALIVE,
     .type = OptionType::Bool, .min = 0, .max = 1, .families = kIp, .types = kStream,
     .example = "1", .manPage = "socket(7), tcp(7)",
     .summary = "probe an idle connection to find out whether the peer is still there",
     .explanation = "When the connection has been idle for TCP_KEEPIDLE seconds (default "
                    "net.ipv4.tcp_keepalive_time, 7200 s = two hours) TCP sends an empty probe every "
                    "TCP_KEEPINTVL seconds; after TCP_KEEPCNT unanswered probes the connection is "
                    "dropped and the next call fails with ETIMEDOUT. Without it, a connection whose "
                    "peer vanished (power cut, cable pulled, NAT entry expired) stays ESTABLISHED "
                    "forever on the side that only reads."},
    {.levelName = "SOL_SOCKET", .level = SOL_SOCKET, .name = "SO_LINGER", .optname = SO_LINGER,
     .type = OptionType::Linger, .min = 0, .max = INT_MAX, .unit = "seconds", .families = kAll,
     .types = kConnected, .example = "on,5", .manPage = "socket(7)",
     .summary = "what close() does with data not yet sent",
     .explanation = "Off (the default): close() returns at once and the kernel keeps sending what is "
                    "queued, then finishes with FIN. On with a time: a blocking close() waits up to "
                    "that many seconds for the data to be acknowledged. On with 0: close() throws the "
                    "queued data away and sends RST instead of FIN, so the peer sees ECONNRESET and "
                    "this side skips TIME_WAIT; sockscope's Abort does exactly that. Typed here as "
                    "\"off\", \"on,SECONDS\"."},
    {.levelName = "SOL_SOCKET", .level = SOL_SOCKET, .name = "SO_OOBINLINE", .optname = SO_OOBINLINE,
     .type = OptionType::Bool, .min = 0, .max = 1, .families = kIp, .types = kStream,
     .example = "1", .manPage = "socket(7), tcp(7)",
     .summary = "receive TCP urgent data inline with the normal data",
     .explanation = "TCP's urgent pointer marks one byte as \"out of band\". Normally that byte is taken "
                    "out of the stream and read with recv(MSG_OOB); with this option it stays in the "
                    "stream at its place and the application finds it with the SIOCATMARK ioctl. Telnet "
                    "and rlogin used urgent data for interrupt keys; RFC 6093 advises new protocols not "
                    "to use it."},
    {.levelName = "SOL_SOCKET", .level = SOL_SOCKET, .name = "SO_RCVBUF", .optname = SO_RCVBUF,
     .type = OptionType::Int, .min = 0, .max = INT_MAX, .unit = "bytes", .families = kAll,
     .types = kAnyType, .timing = OptionTiming::BeforeConnectOrListen, .example = "65536",
     .manPage = "socket(7), tcp(7)",
     .summary = "receive buffer size",
     .explanation = "How much the kernel may hold for this socket before the application reads it. "
                    "Linux doubles the value you ask for (the extra half pays for its bookkeeping) and "
                    "getsockopt returns the doubled figure; it also caps the request at "
                    "net.core.rmem_max and raises it to a minimum of about 2 KiB. Setting it turns off "
                    "TCP's receive buffer auto-tuning for the socket, and it must be set before connect() "
                    "or listen() for the TCP window scale to take it into account."},
    {.levelName = "SOL_SOCKET", .level = SOL_SOCKET, .name = "SO_RCVLOWAT", .optname = SO_RCVLOWAT,
     .type = OptionType::Int, .min = 0, .max = INT_MAX, .unit = "bytes", .families = kAll,
     .types = kAnyType, .example = "16", .manPage = "socket(7)",
     .summary = "bytes that must be queued before the socket counts as readable",
     .explanation = "select(), poll() and epoll report the socket readable only once at least this many "
                    "bytes are queued, and a blocking recv() waits for that many (or for the whole "
                    "request, if smaller) unless a signal, an error or end of file comes first. The "
                    "default is 1; 0 is taken as 1."},
    {.levelName = "SOL_SOCKET", .level = SOL_SOCKET, .name = "SO_RCVTIMEO", .optname = SO_RCVTIMEO,
     .type = OptionType::Timeval, .min = 0, .max = INT_MAX, .unit = "seconds", .families = kAll,
     .types = kAnyType, .example = "2.5", .manPage = "socket(7)",
     .summary = "how long a blocking receive waits before failing with EAGAIN",
     .explanation = "A blocking recv(), recvfrom() or accept() that waits longer than this fails with "
                    "EAGAIN (EWOULDBLOCK), or returns the bytes received so far. 0 means wait forever. "
                    "The kernel keeps the time in scheduler ticks, so the value read back is rounded up "
                    "to a multiple of the tick. Python's settimeout() does not use it: it makes the "
                    "socket non-blocking and waits with poll() instead. sockscope's sessions are "
                    "non-blocking, so this only matters to blocking code."},
    {.levelName = "SOL_SOCKET", .level = SOL_SOCKET, .name = "SO_REUSEADDR", .optname = SO_REUSEADDR,
     .type = OptionType::Bool, .min = 0, .max = 1, .families = kIp, .types = kAnyType,
     .timing = OptionTiming::BeforeBind, .example = "1", .manPage = "socket(7)",
     .summary = "let bind() take a port that still has connections in TIME_WAIT",
     .explanation = "A server that restarts finds its old connections in TIME_WAIT for a minute, and "
                    "bind() fails with EADDRINUSE. With SO_REUSEADDR set before bind(), the port can be "
                    "taken again as long as no socket is listening on it. On Linux it does not let two "
                    "live sockets share a port (that is SO_REUSEPORT); for UDP it does allow several "
                    "sockets on one port, which multicast receivers rely on."},
    {.levelName = "SOL_SOCKET", .level = SOL_SOCKET, .name = "SO_SNDBUF", .optname = SO_SNDBUF,
     .type = OptionType::Int, .min = 0, .max = INT_MAX, .unit = "bytes", .families = kAll,
     .types = kAnyType, .timing = OptionTiming::BeforeConnectOrListen, .example = "65536",
     .manPage = "socket(7), tcp(7)",
     .summary = "send buffer size",
     .explanation = "How much sent data the kernel may hold that the peer has not yet acknowledged "
                    "(TCP) or that has not yet left (UDP). As with SO_RCVBUF, Linux doubles the request, "
                    "caps it at net.core.wmem_max, applies a minimum of about 4.5 KiB, and turns off "
                    "auto-tuning for the socket. When it is full a blocking send() waits and a "
                    "non-blocking one fails with EAGAIN."},
    {.levelName = "SOL_SOCKET", .level = SOL_SOCKET, .name = "SO_SNDLOWAT", .optname = SO_SNDLOWAT,
     .type = OptionType::Int, .min = 0, .max = INT_MAX, .unit = "bytes", .families = kAll,
     .types = kAnyType, .access = OptionAccess::ReadOnly, .manPage = "socket(7)",
     .summary = "free send-buffer space needed before the socket counts as writable (fixed on Linux)",
     .explanation = "On BSD, the free space the send buffer must have before select() reports the socket "
                    "writable. Linux reads it as 1 and refuses to change it: setsockopt fails with "
                    "ENOPROTOOPT. Use TCP_NOTSENT_LOWAT to limit how much unsent data sits in the "
                    "kernel instead."},
    {.levelName = "SOL_SOCKET", .level = SOL_SOCKET, .name = "SO_SNDTIMEO", .optname = SO_SNDTIMEO,
     .type = OptionType::Timeval, .min = 0, .max = INT_MAX, .unit = "seconds", .families = kAll,
     .types = kAnyType, .example = "2.5", .manPage = "socket(7)",
     .summary = "how long a blocking send waits before failing with EAGAIN",
     .explanation = "A blocking send() that cannot queue its data in time fails with EAGAIN, or returns "
                    "the count sent so far. It also bounds a blocking connect(), which then fails with "
                    "EINPROGRESS. 0 means wait forever; the value read back is rounded to the kernel "
                    "tick."},
    {.levelName = "SOL_SOCKET", .level = SOL_SOCKET, .name = "SO_TYPE", .optname = SO_TYPE,
     .type = OptionType::Enum, .enumNames = kTypes, .families = kAll, .types = kAnyType,
     .access = OptionAccess::ReadOnly, .manPage = "socket(7)",
     .summary = "the socket type given to socket()",
     .explanation = "Read-only: SOCK_STREAM, SOCK_DGRAM, SOCK_SEQPACKET or SOCK_RAW, as passed to "
                    "socket() (without the SOCK_NONBLOCK and SOCK_CLOEXEC flags). Useful to a program "
                    "that inherits a descriptor."},

    // ---- Linux additions --------------------------------------------------------------
    {.levelName = "SOL_SOCKET", .level = SOL_SOCKET, .name = "SO_REUSEPORT", .optname = SO_REUSEPORT,
     .type = OptionType::Bool, .min = 0, .max = 1, .families = kIp, .types = kAnyType,
     .timing = OptionTiming::BeforeBind, .example = "1", .manPage = "socket(7)",
     .summary = "let several sockets bind the same address and port",
     .explanation = "Every socket that binds the address must set it before bind(), and all must belong "
                    "to the same user. The kernel then spreads incoming connections (TCP) or datagrams "
                    "(UDP) across them by a hash of the peer's address, so several processes or threads "
                    "can each accept on their own listening socket. Linux 3.9 and later; AF_UNIX sockets "
                    "refuse it with EOPNOTSUPP."},
    {.levelName = "SOL_SOCKET", .level = SOL_SOCKET, .name = "SO_DOMAIN", .optname = SO_DOMAIN,
     .type = OptionType::Enum, .enumNames = kDomains, .families = kAll, .types = kAnyType,
     .access = OptionAccess::ReadOnly, .manPage = "socket(7)",
     .summary = "the address family given to socket()",
     .explanation = "Read-only: the family the socket was created with, AF_INET, AF_INET6 or AF_UNIX. "
                    "With SO_TYPE and SO_PROTOCOL it tells an inherited descriptor's kind."},
    {.levelName = "SOL_SOCKET", .level = SOL_SOCKET, .name = "SO_PROTOCOL", .optname = SO_PROTOCOL,
     .type = OptionType::Enum, .enumNames = kProtocols, .families = kAll, .types = kAnyType,
     .access = OptionAccess::ReadOnly, .manPage = "socket(7)",
     .summary = "the protocol the kernel chose for the socket",
     .explanation = "Read-only. When socket() is given protocol 0 the kernel picks the family's default "
                    "for the type, and this says which: IPPROTO_TCP for an AF_INET SOCK_STREAM socket, "
                    "IPPROTO_UDP for SOCK_DGRAM, 0 for AF_UNIX."},
    {.levelName = "SOL_SOCKET", .level = SOL_SOCKET, .name = "SO_PRIORITY", .optname = SO_PRIORITY,
     .type = OptionType::Int, .min = 0, .max = INT_MAX, .families = kAll, .types = kAnyType,
     .privilege = OptionPrivilege::Partly, .capability = "CAP_NET_ADMIN", .example = "4",
     .manPage = "socket(7)",
     .summary = "queueing priority of the socket's packets (0-6 without privileges)",
     .explanation = "The priority given to every packet the socket sends; queueing disciplines such as "
                    "prio and mqprio put packets in bands by it, and VLAN interfaces can map it to the "
                    "802.1p field. Values 0 to 6 are open to everyone; higher values need CAP_NET_ADMIN "
                    "(EPERM otherwise). Setting IP_TOS also changes it."},
    {.levelName = "SOL_SOCKET", .level = SOL_SOCKET, .name = "SO_MARK", .optname = SO_MARK,
     .type = OptionType::Int, .min = 0, .max = 4294967295LL, .families = kAll, .types = kAnyType,
     .privilege = OptionPrivilege::Required, .capability = "CAP_NET_ADMIN", .manPage = "socket(7)",
     .summary = "firewall mark put on every packet the socket sends",
     .explanation = "A 32-bit number attached to each outgoing packet (the skb mark) that policy routing "
                    "(ip rule fwmark) and nftables/iptables rules can match, so one program's traffic "
                    "can take a different route or get different treatment. Setting it needs "
                    "CAP_NET_ADMIN (or CAP_NET_RAW on recent kernels): EPERM without."},
    {.levelName = "SOL_SOCKET", .level = SOL_SOCKET, .name = "SO_BINDTODEVICE", .optname = SO_BINDTODEVICE,
     .type = OptionType::Interface, .families = kIp, .types = kAnyType,
     .privilege = OptionPrivilege::Partly, .capability = "CAP_NET_RAW",
     .timing = OptionTiming::BeforeBind, .example = "lo", .manPage = "socket(7)",
     .summary = "send and receive only through one network interface",
     .explanation = "Ties the socket to an interface by name (\"eth0\", a VRF device): only packets that "
                    "arrived on it are received and everything sent leaves through it, whatever the "
                    "routing table says. An empty name removes the binding. Since Linux 5.7 an "
                    "unprivileged process may bind a socket that is not bound yet; changing an existing "
                    "binding needs CAP_NET_RAW. Set it before bind() or connect() to affect the route "
                    "lookup."},
    {.levelName = "SOL_SOCKET", .level = SOL_SOCKET, .name = "SO_RCVBUFFORCE", .optname = SO_RCVBUFFORCE,
     .type = OptionType::Int, .min = 0, .max = INT_MAX, .unit = "bytes", .families = kAll,
     .types = kAnyType, .access = OptionAccess::WriteOnly, .privilege = OptionPrivilege::Required,
     .capability = "CAP_NET_ADMIN", .timing = OptionTiming::BeforeConnectOrListen, .readBack = "SO_RCVBUF",
     .manPage = "socket(7)",
     .summary = "SO_RCVBUF past the net.core.rmem_max limit (privileged)",
     .explanation = "Like SO_RCVBUF, but ignores the net.core.rmem_max cap, so a privileged process can "
                    "get a large buffer without changing the system-wide limit. Needs CAP_NET_ADMIN "
                    "(EPERM otherwise). It cannot be read: read SO_RCVBUF to see the (doubled) result."},
    {.levelName = "SOL_SOCKET", .level = SOL_SOCKET, .name = "SO_SNDBUFFORCE", .optname = SO_SNDBUFFORCE,
     .type = OptionType::Int, .min = 0, .max = INT_MAX, .unit = "bytes", .families = kAll,
     .types = kAnyType, .access = OptionAccess::WriteOnly, .privilege = OptionPrivilege::Required,
     .capability = "CAP_NET_ADMIN", .timing = OptionTiming::BeforeConnectOrListen, .readBack = "SO_SNDBUF",
     .manPage = "socket(7)",
     .summary = "SO_SNDBUF past the net.core.wmem_max limit (privileged)",
     .explanation = "Like SO_SNDBUF, but ignores the net.core.wmem_max cap. Needs CAP_NET_ADMIN (EPERM "
                    "otherwise). It cannot be read: read SO_SNDBUF to see the result."},
    {.levelName = "SOL_SOCKET", .level = SOL_SOCKET, .name = "SO_TIMESTAMPNS", .optname = SO_TIMESTAMPNS,
     .type = OptionType::Bool, .min = 0, .max = 1, .families = kAll, .types = kAnyType,
     .example = "1", .manPage = "socket(7)",
     .summary = "attach the kernel's receive time (nanoseconds) to each message",
     .explanation = "Every message read with recvmsg() then carries an SCM_TIMESTAMPNS control message "
                    "with the time the kernel received the packet, as a struct timespec. That time "
                    "excludes the delay before the application got round to reading, which is what "
                    "latency measurements need. SO_TIMESTAMP gives the same in microseconds."},
    {.levelName = "SOL_SOCKET", .level = SOL_SOCKET, .name = "SO_BUSY_POLL", .optname = SO_BUSY_POLL,
     .type = OptionType::Int, .min = 0, .max = INT_MAX, .unit = "microseconds", .families = kIp,
     .types = kAnyType, .example = "50", .manPage = "socket(7)",
     .summary = "spin on the device queue this long when a receive finds nothing",
     .explanation = "A blocking receive that finds the queue empty polls the network device's receive "
                    "ring for up to this many microseconds before going to sleep, trading CPU time for "
                    "lower latency. The system default is net.core.busy_read (0: off). It only helps "
                    "with drivers that support busy polling; some older kernels required CAP_NET_ADMIN "
                    "to raise it."},
    {.levelName = "SOL_SOCKET", .level = SOL_SOCKET, .name = "SO_INCOMING_CPU", .optname = SO_INCOMING_CPU,
     .type = OptionType::Int, .min = -1, .max = INT_MAX, .unit = "CPU number", .families = kIp,
     .types = kAnyType, .example = "0", .manPage = "socket(7)",
     .summary = "the CPU that handled the socket's last received packet",
     .explanation = "Reading it gives the CPU on which the kernel processed the socket's most recent "
                    "packet (-1 until one arrives), so a server with one thread per CPU can hand the "
                    "connection to the thread on that CPU and keep its caches warm. Setting it on a "
                    "listening SO_REUSEPORT socket asks the kernel to prefer that socket for connections "
                    "arriving on that CPU."},
    {.levelName = "SOL_SOCKET", .level = SOL_SOCKET, .name = "SO_PEERCRED", .optname = SO_PEERCRED,
     .type = OptionType::Ucred, .families = kUnix, .types = kAnyType, .access = OptionAccess::ReadOnly,
     .manPage = "unix(7)",
     .summary = "process id, user id and group id of the peer of a Unix socket",
     .explanation = "Read-only. The credentials of the process that called connect() or listen() (or "
                    "socketpair()) at the other end, as the kernel recorded them then, so a server can "
                    "check who is talking to it without trusting anything the client says. An "
                    "unconnected socket reads pid 0 and uid/gid 4294967295 (-1)."},
};

} // namespace

std::span<const SocketOption> solSocketRows()
{
    return kRows;
}

} // namespace sockscope::core::detail
