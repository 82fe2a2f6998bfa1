#include "syserror.h"

#include <QCoreApplication>

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
#define SOCKSCOPE_CODE(c) {c, #c}
constexpr CodeName kGaiNames[] = {
    SOCKSCOPE_CODE(EAI_BADFLAGS),   SOCKSCOPE_CODE(EAI_NONAME),      SOCKSCOPE_CODE(EAI_AGAIN),
    SOCKSCOPE_CODE(EAI_FAIL),       SOCKSCOPE_CODE(EAI_NODATA),      SOCKSCOPE_CODE(EAI_FAMILY),
    SOCKSCOPE_CODE(EAI_SOCKTYPE),   SOCKSCOPE_CODE(EAI_SERVICE),     SOCKSCOPE_CODE(EAI_ADDRFAMILY),
    SOCKSCOPE_CODE(EAI_MEMORY),     SOCKSCOPE_CODE(EAI_SYSTEM),      SOCKSCOPE_CODE(EAI_OVERFLOW),
    SOCKSCOPE_CODE(EAI_INPROGRESS), SOCKSCOPE_CODE(EAI_CANCELED),    SOCKSCOPE_CODE(EAI_NOTCANCELED),
    SOCKSCOPE_CODE(EAI_ALLDONE),    SOCKSCOPE_CODE(EAI_INTR),        SOCKSCOPE_CODE(EAI_IDN_ENCODE),
};

// h_errno values of the legacy gethostbyname/gethostbyaddr calls (netdb.h).
constexpr CodeName kHerrnoNames[] = {
    SOCKSCOPE_CODE(HOST_NOT_FOUND), SOCKSCOPE_CODE(TRY_AGAIN), SOCKSCOPE_CODE(NO_RECOVERY), SOCKSCOPE_CODE(NO_DATA),
};
#undef SOCKSCOPE_CODE

// libpcap status codes (pcap/pcap.h); kept here so the core needs no libpcap headers.
struct PcapCode
{
    int code;
    const char *name;
    const char *message;
};
constexpr PcapCode kPcapCodes[] = {
    {-1, "PCAP_ERROR", QT_TRANSLATE_NOOP("SysError", "generic capture error")},
    {-2, "PCAP_ERROR_BREAK", QT_TRANSLATE_NOOP("SysError", "loop terminated by pcap_breakloop")},
    {-3, "PCAP_ERROR_NOT_ACTIVATED", QT_TRANSLATE_NOOP("SysError", "the capture needs to be activated")},
    {-4, "PCAP_ERROR_ACTIVATED", QT_TRANSLATE_NOOP("SysError", "the operation can't be performed on an activated capture")},
    {-5, "PCAP_ERROR_NO_SUCH_DEVICE", QT_TRANSLATE_NOOP("SysError", "no such capture device")},
    {-6, "PCAP_ERROR_RFMON_NOTSUP", QT_TRANSLATE_NOOP("SysError", "this device doesn't support monitor mode")},
    {-7, "PCAP_ERROR_NOT_RFMON", QT_TRANSLATE_NOOP("SysError", "operation supported only in monitor mode")},
    {-8, "PCAP_ERROR_PERM_DENIED", QT_TRANSLATE_NOOP("SysError", "no permission to open the device")},
    {-9, "PCAP_ERROR_IFACE_NOT_UP", QT_TRANSLATE_NOOP("SysError", "interface isn't up")},
    {-10, "PCAP_ERROR_CANTSET_TSTAMP_TYPE", QT_TRANSLATE_NOOP("SysError", "this device doesn't support setting the time stamp type")},
    {-11, "PCAP_ERROR_PROMISC_PERM_DENIED", QT_TRANSLATE_NOOP("SysError", "no permission to put the device in promiscuous mode")},
    {-12, "PCAP_ERROR_TSTAMP_PRECISION_NOTSUP", QT_TRANSLATE_NOOP("SysError", "this device doesn't support the requested time stamp precision")},
};

struct Hint
{
    int code;
    const char *text;
};

constexpr Hint kErrnoHints[] = {
    {EADDRINUSE, QT_TRANSLATE_NOOP("SysError", "another socket holds the port, perhaps one in TIME_WAIT; SO_REUSEADDR lets you rebind")},
    {ECONNREFUSED, QT_TRANSLATE_NOOP("SysError", "nothing listens there: the peer answered the SYN with RST")},
    {ETIMEDOUT, QT_TRANSLATE_NOOP("SysError", "no answer in time: the peer or a firewall drops the packets, or the timeout is too short")},
    {ECONNRESET, QT_TRANSLATE_NOOP("SysError", "the peer sent RST: it aborted, crashed, or closed with unread data")},
    {EPIPE, QT_TRANSLATE_NOOP("SysError", "the connection is closed for writing: the peer is gone or you shut down SHUT_WR")},
    {EACCES, QT_TRANSLATE_NOOP("SysError", "ports below 1024 need privileges (CAP_NET_BIND_SERVICE); pick a higher port or 0")},
    {EADDRNOTAVAIL, QT_TRANSLATE_NOOP("SysError", "that address is not one of this host's interfaces")},
    {ENETUNREACH, QT_TRANSLATE_NOOP("SysError", "no route to that network")},
    {EHOSTUNREACH, QT_TRANSLATE_NOOP("SysError", "no route to that host")},
    {EAGAIN, QT_TRANSLATE_NOOP("SysError", "the call would block: nothing to read yet, or the send buffer is full")},
    {EINPROGRESS, QT_TRANSLATE_NOOP("SysError", "a non-blocking connect started; wait until the socket is writable, then read SO_ERROR")},
    {EALREADY, QT_TRANSLATE_NOOP("SysError", "a connect is already in progress on this socket")},
    {ENOTCONN, QT_TRANSLATE_NOOP("SysError", "the socket is not connected: connect() first, or use sendto()")},
    {EISCONN, QT_TRANSLATE_NOOP("SysError", "the socket is already connected")},
    {EMSGSIZE, QT_TRANSLATE_NOOP("SysError", "the datagram is larger than the protocol allows")},
    {ENOENT, QT_TRANSLATE_NOOP("SysError", "no such file: nothing is bound at that Unix socket path")},
    {EPERM, QT_TRANSLATE_NOOP("SysError", "the operation needs a privilege (a capability) this process does not hold")},
    {ENOPROTOOPT, QT_TRANSLATE_NOOP("SysError", "the protocol does not know that option")},
    {EAFNOSUPPORT, QT_TRANSLATE_NOOP("SysError", "that address family is not supported here")},
    {EMFILE, QT_TRANSLATE_NOOP("SysError", "this process has too many open files; raise the limit (ulimit -n) or close some")},
    {EINVAL, QT_TRANSLATE_NOOP("SysError", "an argument is not valid for this socket in its current state")},
    {EBADF, QT_TRANSLATE_NOOP("SysError", "the socket is closed")},
    {ENOTSOCK, QT_TRANSLATE_NOOP("SysError", "that descriptor is not a socket")},
    {EOPNOTSUPP, QT_TRANSLATE_NOOP("SysError", "this socket type does not support the operation")},
};

constexpr Hint kGaiHints[] = {
    {EAI_NONAME, QT_TRANSLATE_NOOP("SysError", "the name does not resolve, or a numeric-only flag was given a name")},
    {EAI_AGAIN, QT_TRANSLATE_NOOP("SysError", "temporary resolver failure; try again")},
    {EAI_SERVICE, QT_TRANSLATE_NOOP("SysError", "the service is unknown for this socket type (see /etc/services)")},
    {EAI_FAMILY, QT_TRANSLATE_NOOP("SysError", "the address family is not supported")},
    {EAI_BADFLAGS, QT_TRANSLATE_NOOP("SysError", "the flag combination is not valid")},
    {EAI_ADDRFAMILY, QT_TRANSLATE_NOOP("SysError", "the host has no address in the requested family")},
    {EAI_NODATA, QT_TRANSLATE_NOOP("SysError", "the host exists but has no address")},
    {EAI_SOCKTYPE, QT_TRANSLATE_NOOP("SysError", "the socket type is not supported")},
};

constexpr Hint kPcapHints[] = {
    {-8, QT_TRANSLATE_NOOP("SysError", "capturing needs CAP_NET_RAW: run `setcap cap_net_raw+ep` on sockscope-capture")},
    {-5, QT_TRANSLATE_NOOP("SysError", "no such interface; loopback is `lo`")},
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
        QString text = p ? QCoreApplication::translate("SysError", p->message) : QStringLiteral("capture error");
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
    // Translated where shown: the tables hold the English source texts (QT_TRANSLATE_NOOP).
    return h ? QCoreApplication::translate("SysError", h) : QString();
}

QString SysError::toString() const
{
    if (m_domain == Domain::Input)
        return QStringLiteral("%1: %2").arg(m_field, m_detail);
    return QStringLiteral("%1 (%2): %3").arg(name()).arg(m_code).arg(message());
}

bool SysError::blamesService() const
{
    return m_domain == Domain::Gai && m_code == EAI_SERVICE;
}

} // namespace sockscope::core
