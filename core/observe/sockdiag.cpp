#include "sockdiag.h"

#include <libmnl/libmnl.h>
#include <linux/inet_diag.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/un.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace sockscope::core {

namespace {

constexpr int kDumpAttempts = 3;
// The kernel sizes each dump batch after the reader's buffer, up to 32 KiB; a larger
// buffer would only sit unused.
constexpr qsizetype kReceiveBuffer = 32 * 1024;
// Every state bit, TCP_NEW_SYN_RECV (12) included, so request sockets come too.
constexpr quint32 kAllStates = 0x1ffe;

constexpr int kTcpEstablished = 1;
constexpr int kTcpListen = 10;

// libmnl's mnl_attr_for_each relies on C's implicit void* conversions; this is the same
// walk with the casts C++ wants.
template<typename F>
void forEachAttribute(const nlmsghdr *nlh, size_t headerSize, F &&f)
{
    auto *attr = static_cast<const nlattr *>(mnl_nlmsg_get_payload_offset(nlh, headerSize));
    const char *tail = static_cast<const char *>(mnl_nlmsg_get_payload_tail(nlh));
    while (mnl_attr_ok(attr, int(tail - reinterpret_cast<const char *>(attr)))) {
        f(attr);
        attr = mnl_attr_next(attr);
    }
}

SysError lastError()
{
    return SysError::fromErrno(errno ? errno : EIO);
}

Address inetAddress(int family, const __be32 addr[4], __be16 port, quint32 ifindex)
{
    if (family == AF_INET) {
        sockaddr_in sin{};
        sin.sin_family = AF_INET;
        sin.sin_port = port;
        std::memcpy(&sin.sin_addr, addr, sizeof sin.sin_addr);
        return Address::fromSockaddr(reinterpret_cast<const sockaddr *>(&sin), sizeof sin);
    }
    sockaddr_in6 sin6{};
    sin6.sin6_family = AF_INET6;
    sin6.sin6_port = port;
    std::memcpy(&sin6.sin6_addr, addr, sizeof sin6.sin6_addr);
    // Only a link-local address needs its interface to mean anything.
    if (IN6_IS_ADDR_LINKLOCAL(&sin6.sin6_addr))
        sin6.sin6_scope_id = ifindex;
    return Address::fromSockaddr(reinterpret_cast<const sockaddr *>(&sin6), sizeof sin6);
}

// inet_diag bytecode for "sport == P || dport == P". The kernel runs it per socket: each
// op jumps `yes` bytes forward when its test holds and `no` bytes when not; landing
// exactly on the end accepts, landing 4 past it rejects. Its checker only allows `no`
// targets that lie on the chain of `yes` jumps, hence the JMP between the two tests
// (a JMP always takes `no`), the layout ss builds for an "or".
QByteArray portFilter(quint16 port)
{
    const inet_diag_bc_op program[] = {
        {INET_DIAG_BC_S_EQ, 8, 12}, {0, 0, port},  // 0: sport == P, else go to 12
        {INET_DIAG_BC_JMP, 4, 12},                  // 8: matched: jump to the end (20)
        {INET_DIAG_BC_D_EQ, 8, 12}, {0, 0, port},  // 12: dport == P, else reject (24)
    };
    return QByteArray(reinterpret_cast<const char *>(program), sizeof program);
}

QByteArray inetRequest(int family, int protocol, const DiagQuery &query, quint32 seq)
{
    QByteArray buffer(512, '\0');
    nlmsghdr *nlh = mnl_nlmsg_put_header(buffer.data());
    nlh->nlmsg_type = SOCK_DIAG_BY_FAMILY;
    nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
    nlh->nlmsg_seq = seq;
    auto *req = static_cast<inet_diag_req_v2 *>(mnl_nlmsg_put_extra_header(nlh, sizeof(inet_diag_req_v2)));
    req->sdiag_family = quint8(family);
    req->sdiag_protocol = quint8(protocol);
    req->idiag_states = kAllStates;
    if (protocol == IPPROTO_TCP && query.tcpInfo)
        req->idiag_ext = 1 << (INET_DIAG_INFO - 1);
    if (query.port) {
        const QByteArray bc = portFilter(*query.port);
        mnl_attr_put(nlh, INET_DIAG_REQ_BYTECODE, size_t(bc.size()), bc.constData());
    }
    buffer.truncate(qsizetype(nlh->nlmsg_len));
    return buffer;
}

QByteArray unixRequest(quint32 seq)
{
    QByteArray buffer(256, '\0');
    nlmsghdr *nlh = mnl_nlmsg_put_header(buffer.data());
    nlh->nlmsg_type = SOCK_DIAG_BY_FAMILY;
    nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
    nlh->nlmsg_seq = seq;
    auto *req = static_cast<unix_diag_req *>(mnl_nlmsg_put_extra_header(nlh, sizeof(unix_diag_req)));
    req->sdiag_family = AF_UNIX;
    req->udiag_states = kAllStates;
    req->udiag_show = UDIAG_SHOW_NAME | UDIAG_SHOW_PEER | UDIAG_SHOW_RQLEN | UDIAG_SHOW_UID;
    buffer.truncate(qsizetype(nlh->nlmsg_len));
    return buffer;
}

int parseInet(const nlmsghdr *nlh, void *data, DiagProtocol protocol)
{
    if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(inet_diag_msg)))
        return MNL_CB_ERROR;
    const auto *msg = static_cast<const inet_diag_msg *>(mnl_nlmsg_get_payload(nlh));
    SocketEntry e;
    e.protocol = protocol;
    e.family = msg->idiag_family;
    e.type = protocol == DiagProtocol::Tcp ? SOCK_STREAM : SOCK_DGRAM;
    e.kernelState = msg->idiag_state;
    if (protocol == DiagProtocol::Tcp)
        e.tcpState = tcpStateFromKernel(msg->idiag_state);
    e.local = inetAddress(e.family, msg->id.idiag_src, msg->id.idiag_sport, msg->id.idiag_if);
    e.peer = inetAddress(e.family, msg->id.idiag_dst, msg->id.idiag_dport, msg->id.idiag_if);
    e.recvQ = msg->idiag_rqueue;
    e.sendQ = msg->idiag_wqueue;
    e.timer = msg->idiag_timer <= quint8(DiagTimer::Persist) ? DiagTimer(msg->idiag_timer) : DiagTimer::Off;
    e.expiresMs = e.timer == DiagTimer::Off ? 0 : msg->idiag_expires;
    e.timerRetransmits = msg->idiag_retrans;
    e.uid = msg->idiag_uid;
    e.inode = msg->idiag_inode;
    e.cookie = quint64(msg->id.idiag_cookie[0]) | (quint64(msg->id.idiag_cookie[1]) << 32);

    forEachAttribute(nlh, sizeof(inet_diag_msg), [&](const nlattr *attr) {
        if (mnl_attr_get_type(attr) == INET_DIAG_INFO && protocol == DiagProtocol::Tcp) {
            e.tcpInfo = TcpInfo::decode(QByteArrayView(static_cast<const char *>(mnl_attr_get_payload(attr)),
                                                       qsizetype(mnl_attr_get_payload_len(attr))));
        }
    });
    static_cast<QList<SocketEntry> *>(data)->append(std::move(e));
    return MNL_CB_OK;
}

int parseTcp(const nlmsghdr *nlh, void *data)
{
    return parseInet(nlh, data, DiagProtocol::Tcp);
}

int parseUdp(const nlmsghdr *nlh, void *data)
{
    return parseInet(nlh, data, DiagProtocol::Udp);
}

int parseUnix(const nlmsghdr *nlh, void *data)
{
    if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(unix_diag_msg)))
        return MNL_CB_ERROR;
    const auto *msg = static_cast<const unix_diag_msg *>(mnl_nlmsg_get_payload(nlh));
    SocketEntry e;
    e.protocol = DiagProtocol::Unix;
    e.family = AF_UNIX;
    e.type = msg->udiag_type;
    e.kernelState = msg->udiag_state;
    e.inode = msg->udiag_ino;
    e.cookie = quint64(msg->udiag_cookie[0]) | (quint64(msg->udiag_cookie[1]) << 32);
    sockaddr_un unnamed{};
    unnamed.sun_family = AF_UNIX;
    e.local = Address::fromSockaddr(reinterpret_cast<const sockaddr *>(&unnamed), offsetof(sockaddr_un, sun_path));
    e.peer = e.local;

    forEachAttribute(nlh, sizeof(unix_diag_msg), [&](const nlattr *attr) {
        const void *payload = mnl_attr_get_payload(attr);
        const size_t len = mnl_attr_get_payload_len(attr);
        switch (mnl_attr_get_type(attr)) {
        case UNIX_DIAG_NAME: {
            // The kernel sends sun_path as bound: a leading NUL for an abstract name, a
            // trailing NUL for a path.
            sockaddr_un sun{};
            sun.sun_family = AF_UNIX;
            const size_t n = std::min(len, sizeof sun.sun_path);
            std::memcpy(sun.sun_path, payload, n);
            e.local = Address::fromSockaddr(reinterpret_cast<const sockaddr *>(&sun), socklen_t(offsetof(sockaddr_un, sun_path) + n));
            break;
        }
        case UNIX_DIAG_PEER:
            if (len >= sizeof(quint32))
                e.peerInode = mnl_attr_get_u32(attr);
            break;
        case UNIX_DIAG_RQLEN:
            if (len >= sizeof(unix_diag_rqlen)) {
                unix_diag_rqlen rq;
                std::memcpy(&rq, payload, sizeof rq);
                e.recvQ = rq.udiag_rqueue;
                e.sendQ = rq.udiag_wqueue;
            }
            break;
        case UNIX_DIAG_UID:
            if (len >= sizeof(quint32))
                e.uid = mnl_attr_get_u32(attr);
            break;
        default:
            break;
        }
    });
    static_cast<QList<SocketEntry> *>(data)->append(std::move(e));
    return MNL_CB_OK;
}

} // namespace

QString diagProtocolName(DiagProtocol protocol)
{
    switch (protocol) {
    case DiagProtocol::Tcp: return QStringLiteral("tcp");
    case DiagProtocol::Udp: return QStringLiteral("udp");
    case DiagProtocol::Unix: return QStringLiteral("unix");
    }
    return {};
}

QString diagTimerName(DiagTimer timer)
{
    switch (timer) {
    case DiagTimer::Off: return QStringLiteral("off");
    case DiagTimer::Retransmit: return QStringLiteral("retransmit");
    case DiagTimer::Keepalive: return QStringLiteral("keepalive");
    case DiagTimer::TimeWait: return QStringLiteral("timewait");
    case DiagTimer::Persist: return QStringLiteral("persist");
    }
    return {};
}

QString SocketEntry::stateName() const
{
    switch (protocol) {
    case DiagProtocol::Tcp:
        return tcpState ? tcpStateName(*tcpState) : QStringLiteral("UNKNOWN");
    case DiagProtocol::Udp:
        return kernelState == kTcpEstablished ? QStringLiteral("CONNECTED") : QStringLiteral("UNCONNECTED");
    case DiagProtocol::Unix:
        if (kernelState == kTcpListen)
            return QStringLiteral("LISTEN");
        if (kernelState == kTcpEstablished)
            return QStringLiteral("CONNECTED");
        if (kernelState == int(TcpState::SynSent))
            return QStringLiteral("CONNECTING");
        return QStringLiteral("UNCONNECTED");
    }
    return {};
}

std::expected<SockDiag, SysError> SockDiag::open()
{
    SockDiag diag;
    if (auto opened = diag.reopen(); !opened)
        return std::unexpected(opened.error());
    return diag;
}

SockDiag::~SockDiag()
{
    if (m_nl)
        mnl_socket_close(m_nl);
}

SockDiag::SockDiag(SockDiag &&other) noexcept
    : m_nl(std::exchange(other.m_nl, nullptr))
    , m_portId(other.m_portId)
    , m_seq(other.m_seq)
    , m_buffer(std::move(other.m_buffer))
{
}

SockDiag &SockDiag::operator=(SockDiag &&other) noexcept
{
    if (this != &other) {
        if (m_nl)
            mnl_socket_close(m_nl);
        m_nl = std::exchange(other.m_nl, nullptr);
        m_portId = other.m_portId;
        m_seq = other.m_seq;
        m_buffer = std::move(other.m_buffer);
    }
    return *this;
}

std::expected<void, SysError> SockDiag::reopen()
{
    if (m_nl) {
        mnl_socket_close(m_nl);
        m_nl = nullptr;
    }
    mnl_socket *nl = mnl_socket_open2(NETLINK_SOCK_DIAG, SOCK_CLOEXEC);
    if (!nl)
        return std::unexpected(lastError());
    if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
        const SysError error = lastError();
        mnl_socket_close(nl);
        return std::unexpected(error);
    }
    m_nl = nl;
    m_portId = mnl_socket_get_portid(nl);
    if (m_buffer.size() != kReceiveBuffer)
        m_buffer = QByteArray(kReceiveBuffer, Qt::Uninitialized);
    return {};
}

std::expected<QList<SocketEntry>, SysError> SockDiag::dump(const DiagQuery &query)
{
    if (!m_nl)
        return std::unexpected(SysError::fromErrno(EBADF));
    QList<SocketEntry> out;
    for (const auto &[protocol, ipproto] : {std::pair{DiagProtocol::Tcp, int(IPPROTO_TCP)}, std::pair{DiagProtocol::Udp, int(IPPROTO_UDP)}}) {
        if (!query.wants(protocol))
            continue;
        for (int family : {AF_INET, AF_INET6}) {
            if (auto done = dumpInet(family, ipproto, query, out); !done)
                return std::unexpected(done.error());
        }
    }
    if (query.wants(DiagProtocol::Unix) && !query.port) {
        if (auto done = dumpUnix(out); !done)
            return std::unexpected(done.error());
    }
    return out;
}

std::expected<void, SysError> SockDiag::dumpInet(int family, int protocol, const DiagQuery &query, QList<SocketEntry> &out)
{
    return run(inetRequest(family, protocol, query, 0), protocol == IPPROTO_TCP ? parseTcp : parseUdp, out);
}

std::expected<void, SysError> SockDiag::dumpUnix(QList<SocketEntry> &out)
{
    return run(unixRequest(0), parseUnix, out);
}

std::expected<void, SysError> SockDiag::run(const QByteArray &request, Parser parse, QList<SocketEntry> &out)
{
    const qsizetype mark = out.size();
    for (int attempt = 1;; ++attempt) {
        auto done = runOnce(request, parse, out);
        if (done)
            return done;
        // Whatever the failure, the rest of that dump may still be queued on the socket
        // and would be read as the answer to the next request: start on a fresh one.
        out.resize(mark);
        if (auto reopened = reopen(); !reopened)
            return reopened;
        if (!done.error().is(EINTR) || attempt == kDumpAttempts)
            return done;
    }
}

std::expected<void, SysError> SockDiag::runOnce(const QByteArray &request, Parser parse, QList<SocketEntry> &out)
{
    QByteArray message = request;
    auto *nlh = reinterpret_cast<nlmsghdr *>(message.data());
    nlh->nlmsg_seq = ++m_seq;
    if (mnl_socket_sendto(m_nl, message.constData(), size_t(message.size())) < 0)
        return std::unexpected(lastError());
    for (;;) {
        const ssize_t n = mnl_socket_recvfrom(m_nl, m_buffer.data(), size_t(m_buffer.size()));
        if (n < 0)
            return std::unexpected(lastError());
        errno = 0;
        const int ret = mnl_cb_run(m_buffer.constData(), size_t(n), m_seq, m_portId, parse, &out);
        if (ret == MNL_CB_STOP)
            return {};
        if (ret < 0)
            return std::unexpected(lastError());
    }
}

} // namespace sockscope::core
