#pragma once

#include "address.h"
#include "syserror.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <expected>
#include <netdb.h>
#include <optional>
#include <span>

namespace sockscope::core {

struct AddrInfoHints
{
    int family = AF_UNSPEC;
    int socktype = 0;
    int protocol = 0;
    int flags = 0;
};

// One row of getaddrinfo's answer, in the order the system returned it. The port,
// flowinfo and scope id travel inside `address`, exactly as in the sockaddr.
struct AddrInfo
{
    int family = AF_UNSPEC;
    int socktype = 0;
    int protocol = 0;
    QString canonname;
    Address address;
};

struct NameInfo
{
    QString host;
    QString service;
};

// struct hostent of the legacy calls, addresses already formatted.
struct HostEnt
{
    QString name;
    QStringList aliases;
    int family = AF_UNSPEC;
    QStringList addresses;
};

struct ServEnt
{
    QString name;
    QStringList aliases;
    quint16 port = 0; // host byte order
    QString protocol;
};

struct ProtoEnt
{
    QString name;
    QStringList aliases;
    int number = 0;
};

// One AI_* or NI_* flag: the table drives the CLI's --flags, the pane's checkboxes and
// their tooltips, and how a flag set is written back.
struct ResolverFlag
{
    int value;
    const char *name;
    const char *help;
    bool inPython = true; // Python's socket module has a constant for it (not the GNU ones)
};

// Blocking resolver calls. Never call these on the GUI or the I/O thread: go through
// LookupService, which runs them on its worker pool.
class Resolver
{
public:
    // A null host or service (std::nullopt) is passed to getaddrinfo as NULL.
    static std::expected<QList<AddrInfo>, SysError> getaddrinfo(const std::optional<QString> &host,
                                                                const std::optional<QString> &service,
                                                                const AddrInfoHints &hints = {});
    static std::expected<NameInfo, SysError> getnameinfo(const Address &address, int flags = 0);
    // Python's socket.getnameinfo((host, port), flags): the host must be numeric (it is
    // parsed with getaddrinfo(AI_NUMERICHOST) first, so a name gives EAI_NONAME).
    static std::expected<NameInfo, SysError> getnameinfo(const QString &numericHost, quint16 port, int flags = 0);

    static std::expected<QString, SysError> gethostname();
    // Python's socket.getfqdn: reverse-resolve the name's first address and return the
    // first of its canonical name and aliases that contains a dot; else the name itself
    // (an empty name or 0.0.0.0 means this host).
    static QString getfqdn(const QString &name = {});
    // Legacy and IPv4-only: the answer of gethostbyname(3) as Python's gethostbyname_ex.
    static std::expected<HostEnt, SysError> gethostbyname_ex(const QString &name);
    // Legacy: gethostbyaddr(3) of the host's first address (a name is resolved first).
    static std::expected<HostEnt, SysError> gethostbyaddr(const QString &host);
    // /etc/services; `protocol` empty means any ("tcp" or "udp" otherwise).
    static std::expected<ServEnt, SysError> getservbyname(const QString &name, const QString &protocol = {});
    static std::expected<ServEnt, SysError> getservbyport(int port, const QString &protocol = {});
    // /etc/protocols
    static std::expected<ProtoEnt, SysError> getprotobyname(const QString &name);
    static std::expected<ProtoEnt, SysError> getprotobynumber(int number);

    static std::span<const ResolverFlag> addrInfoFlags(); // every glibc AI_* flag
    static std::span<const ResolverFlag> nameInfoFlags(); // every glibc NI_* flag
    // "AI_PASSIVE|AI_CANONNAME"; unknown bits as hex; "0" for none.
    static QString flagNames(int flags, std::span<const ResolverFlag> table);
    // "AI_PASSIVE,AI_CANONNAME" or "|"-separated, names or numbers (0x10); an unknown
    // name is an input error. Unknown numeric bits pass through, so that libc's own
    // EAI_BADFLAGS can be seen.
    static std::expected<int, SysError> parseFlags(QStringView text, std::span<const ResolverFlag> table);

    // The same call as Python's socket module spells it, to copy into a script:
    // socket.getaddrinfo('localhost', 'http', socket.AF_INET, socket.SOCK_STREAM, 0, socket.AI_CANONNAME)
    static QString pythonGetaddrinfo(const std::optional<QString> &host, const std::optional<QString> &service,
                                     const AddrInfoHints &hints);
    // socket.getnameinfo(('127.0.0.1', 80), socket.NI_NUMERICHOST)
    static QString pythonGetnameinfo(const Address &address, int flags);
};

} // namespace sockscope::core
