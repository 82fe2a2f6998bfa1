#include "syserror.h"

#include <cerrno>
#include <cstring>
#include <netdb.h>

namespace sockscope::core {

namespace {

struct CodeName
{
    int code;
    const char *name;
};

// getaddrinfo/getnameinfo codes, the GNU extensions included (glibc netdb.h).
constexpr CodeName kGaiNames[] = {
    {-1, "EAI_BADFLAGS"},     {-2, "EAI_NONAME"},     {-3, "EAI_AGAIN"},
    {-4, "EAI_FAIL"},         {-5, "EAI_NODATA"},     {-6, "EAI_FAMILY"},
    {-7, "EAI_SOCKTYPE"},     {-8, "EAI_SERVICE"},    {-9, "EAI_ADDRFAMILY"},
    {-10, "EAI_MEMORY"},      {-11, "EAI_SYSTEM"},    {-12, "EAI_OVERFLOW"},
    {-100, "EAI_INPROGRESS"}, {-101, "EAI_CANCELED"}, {-102, "EAI_NOTCANCELED"},
    {-103, "EAI_ALLDONE"},    {-104, "EAI_INTR"},     {-105, "EAI_IDN_ENCODE"},
};

// h_errno values of the legacy gethostbyname/gethostbyaddr calls (netdb.h).
constexpr CodeName kHerrnoNames[] = {
    {1, "HOST_NOT_FOUND"}, {2, "TRY_AGAIN"}, {3, "NO_RECOVERY"}, {4, "NO_DATA"},
};

// libpcap status codes (pcap/pcap.h); kept here so the core needs no libpcap headers.
struct PcapCode
{
    int code;
    const char *name;
    const char *message;
};
constexpr PcapCode kPcapCodes[] = {
    {-1, "PCAP_ERROR", "generic capture error"},
    {-2, "PCAP_ERROR_BREAK", "loop terminated by pcap_breakloop"},
    {-3, "PCAP_ERROR_NOT_ACTIVATED", "the capture needs to be activated"},
    {-4, "PCAP_ERROR_ACTIVATED", "the operation can't be performed on an activated capture"},
    {-5, "PCAP_ERROR_NO_SUCH_DEVICE", "no such capture device"},
    {-6, "PCAP_ERROR_RFMON_NOTSUP", "this device doesn't support monitor mode"},
    {-7, "PCAP_ERROR_NOT_RFMON", "operation supported only in monitor mode"},
    {-8, "PCAP_ERROR_PERM_DENIED", "no permission to open the device"},
    {-9, "PCAP_ERROR_IFACE_NOT_UP", "interface isn't up"},
    {-10, "PCAP_ERROR_CANTSET_TSTAMP_TYPE", "this device doesn't support setting the time stamp type"},
    {-11, "PCAP_ERROR_PROMISC_PERM_DENIED", "no permission to put the device in promiscuous mode"},
    {-12, "PCAP_ERROR_TSTAMP_PRECISION_NOTSUP", "this device doesn't support the requested time stamp precision"},
};

struct Hint
{
    int code;
    const char *text;
};

constexpr Hint kErrnoHints[] = {
    {EADDRINUSE, "another socket holds the port, perhaps one in TIME_WAIT; SO_REUSEADDR lets you rebind"},
    {ECONNREFUSED, "nothing listens there: the peer answered the SYN with RST"},
    {ETIMEDOUT, "no answer in time: the peer or a firewall drops the packets, or the timeout is too short"},
    {ECONNRESET, "the peer sent RST: it aborted, crashed, or closed with unread data"},
    {EPIPE, "the connection is closed for writing: the peer is gone or you shut down SHUT_WR"},
    {EACCES, "ports below 1024 need privileges (CAP_NET_BIND_SERVICE); pick a higher port or 0"},
    {EADDRNOTAVAIL, "that address is not one of this host's interfaces"},
    {ENETUNREACH, "no route to that network"},
    {EHOSTUNREACH, "no route to that host"},
    {EAGAIN, "the call would block: nothing to read yet, or the send buffer is full"},
    {EINPROGRESS, "a non-blocking connect started; wait until the socket is writable, then read SO_ERROR"},
    {EALREADY, "a connect is already in progress on this socket"},
    {ENOTCONN, "the socket is not connected: connect() first, or use sendto()"},
    {EISCONN, "the socket is already connected"},
    {EMSGSIZE, "the datagram is larger than the protocol allows"},
    {ENOENT, "no such file: nothing is bound at that Unix socket path"},
    {EPERM, "the operation needs a privilege (a capability) this process does not hold"},
    {ENOPROTOOPT, "the protocol does not know that option"},
    {EAFNOSUPPORT, "that address family is not supported here"},
    {EMFILE, "this process has too many open files; raise the limit (ulimit -n) or close some"},
    {EINVAL, "an argument is not valid for this socket in its current state"},
    {EBADF, "the socket is closed"},
    {ENOTSOCK, "that descriptor is not a socket"},
    {EOPNOTSUPP, "this socket type does not support the operation"},
};

constexpr Hint kGaiHints[] = {
    {EAI_NONAME, "the name does not resolve, or a numeric-only flag was given a name"},
    {EAI_AGAIN, "temporary resolver failure; try again"},
    {EAI_SERVICE, "the service is unknown for this socket type (see /etc/services)"},
    {EAI_FAMILY, "the address family is not supported"},
    {EAI_BADFLAGS, "the flag combination is not valid"},
    {EAI_ADDRFAMILY, "the host has no address in the requested family"},
    {EAI_NODATA, "the host exists but has no address"},
    {EAI_SOCKTYPE, "the socket type is not supported"},
};

constexpr Hint kPcapHints[] = {
    {-8, "capturing needs CAP_NET_RAW: run `setcap cap_net_raw+ep` on sockscope-capture"},
    {-5, "no such interface; loopback is `lo`"},
};

template<typename Table>
const char *lookupHint(const Table &table, int code)
{
    for (const auto &h : table) {
        if (h.code == code)
            return h.text;
    }
    return nullptr;
}

const PcapCode *pcapCode(int code)
{
    for (const auto &p : kPcapCodes) {
        if (p.code == code)
            return &p;
    }
    return nullptr;
}

} // namespace

SysError SysError::fromErrno(int code)
{
    SysError e;
    e.m_domain = Domain::Errno;
    e.m_code = code;
    return e;
}

SysError SysError::lastErrno()
{
    return fromErrno(errno);
}

SysError SysError::fromGai(int code, int savedErrno)
{
    SysError e;
    e.m_domain = Domain::Gai;
    e.m_code = code;
    if (code == EAI_SYSTEM && savedErrno != 0)
        e.m_detail = fromErrno(savedErrno).toString();
    return e;
}

SysError SysError::fromHerrno(int code)
{
    SysError e;
    e.m_domain = Domain::Herrno;
    e.m_code = code;
    return e;
}

SysError SysError::fromPcap(int code, const QString &detail)
{
    SysError e;
    e.m_domain = Domain::Pcap;
    e.m_code = code;
    e.m_detail = detail;
    return e;
}

SysError SysError::input(const QString &field, const QString &message)
{
    SysError e;
    e.m_domain = Domain::Input;
    e.m_code = EINVAL;
    e.m_field = field;
    e.m_detail = message;
    return e;
}

QString SysError::name() const
{
    switch (m_domain) {
    case Domain::Errno:
        if (const char *n = strerrorname_np(m_code))
            return QString::fromLatin1(n);
        return QStringLiteral("E%1").arg(m_code);
    case Domain::Gai:
        for (const auto &g : kGaiNames) {
            if (g.code == m_code)
                return QString::fromLatin1(g.name);
        }
        return QStringLiteral("EAI_%1").arg(m_code);
    case Domain::Herrno:
        for (const auto &h : kHerrnoNames) {
            if (h.code == m_code)
                return QString::fromLatin1(h.name);
        }
        return QStringLiteral("h_errno %1").arg(m_code);
    case Domain::Pcap:
        if (const auto *p = pcapCode(m_code))
            return QString::fromLatin1(p->name);
        return QStringLiteral("PCAP_%1").arg(m_code);
    case Domain::Input:
        return QStringLiteral("invalid %1").arg(m_field);
    }
    return {};
}

QString SysError::message() const
{
    switch (m_domain) {
    case Domain::Errno:
        return QString::fromLocal8Bit(strerrordesc_np(m_code) ? strerrordesc_np(m_code)
                                                              : "Unknown error");
    case Domain::Gai: {
        QString text = QString::fromLocal8Bit(gai_strerror(m_code));
        return m_detail.isEmpty() ? text : text + QStringLiteral(": ") + m_detail;
    }
    case Domain::Herrno:
        return QString::fromLocal8Bit(hstrerror(m_code));
    case Domain::Pcap: {
        const auto *p = pcapCode(m_code);
        QString text = p ? QString::fromLatin1(p->message) : QStringLiteral("capture error");
        return m_detail.isEmpty() ? text : text + QStringLiteral(": ") + m_detail;
    }
    case Domain::Input:
        return m_detail;
    }
    return {};
}

QString SysError::hint() const
{
    const char *h = nullptr;
    switch (m_domain) {
    case Domain::Errno:
        h = lookupHint(kErrnoHints, m_code);
        break;
    case Domain::Gai:
        h = lookupHint(kGaiHints, m_code);
        break;
    case Domain::Herrno:
        break;
    case Domain::Pcap:
        h = lookupHint(kPcapHints, m_code);
        break;
    case Domain::Input:
        break;
    }
    return h ? QString::fromLatin1(h) : QString();
}

QString SysError::toString() const
{
    if (m_domain == Domain::Input)
        return QStringLiteral("%1: %2").arg(m_field, m_detail);
    return QStringLiteral("%1 (%2): %3").arg(name()).arg(m_code).arg(message());
}

} // namespace sockscope::core
