#pragma once

#include <QList>
#include <QString>
#include <QStringList>
#include <QAnyStringView>
#include <QStringView>

#include <optional>

#include <span>

namespace sockscope::core {

// The C type behind optval, as the kernel reads and writes it.
enum class OptionType {
    Bool,      // int, 0 or 1
    Int,       // int within [min, max]
    Enum,      // int, one of the row's named values
    Errno,     // int holding an errno (SO_ERROR)
    Linger,    // struct linger
    Timeval,   // struct timeval
    String,    // char[] (TCP_CONGESTION)
    Interface, // char[IFNAMSIZ], an interface name (SO_BINDTODEVICE)
    InAddr,    // struct in_addr
    IpMreq,    // struct ip_mreq
    Ipv6Mreq,  // struct ipv6_mreq
    Ucred,     // struct ucred, read-only
    TcpInfo,   // struct tcp_info, read-only
};

enum class OptionAccess { ReadWrite, ReadOnly, WriteOnly };

// When a setting still has an effect: SO_REUSEADDR after bind() changes nothing.
enum class OptionTiming { AnyTime, BeforeBind, BeforeConnect, BeforeListen, BeforeConnectOrListen };

enum class OptionPrivilege {
    None,
    Required, // setting it needs the capability
    Partly,   // some values (or changing an existing value) need the capability
};

// Bit masks of the families and socket types a row applies to.
namespace OptionFamily {
enum : quint8 { Inet = 1, Inet6 = 2, Unix = 4, Ip = Inet | Inet6, All = Inet | Inet6 | Unix };
}
namespace OptionSockType {
enum : quint8 { Stream = 1, Dgram = 2, Seqpacket = 4, Connected = Stream | Seqpacket, All = Stream | Dgram | Seqpacket };
}

struct OptionEnumName
{
    int value;
    const char *name;
};

// One row of THE table: everything sockscope knows about one socket option. The editor,
// the CLI, the docs and the tests are all driven by these rows.
struct SocketOption
{
    const char *levelName = nullptr; // "SOL_SOCKET"
    int level = 0;
    const char *name = nullptr;      // "SO_RCVBUF"
    int optname = 0;
    OptionType type = OptionType::Int;
    qint64 min = 0;                  // Int rows: the valid range, both ends included
    qint64 max = 0;
    const char *unit = nullptr;      // "bytes", "seconds", ...
    std::span<const OptionEnumName> enumNames{};
    quint8 families = OptionFamily::All;
    quint8 types = OptionSockType::All;
    OptionAccess access = OptionAccess::ReadWrite;
    OptionPrivilege privilege = OptionPrivilege::None;
    const char *capability = nullptr; // "CAP_NET_ADMIN", when privilege != None
    OptionTiming timing = OptionTiming::AnyTime;
    bool needsConnection = false;     // getsockopt answers ENOTCONN until connected (IP_MTU)
    const char *readBack = nullptr;   // set-only rows: the row that shows the effect
    const char *example = nullptr;    // a value a user could type, valid without privileges
    const char *manPage = nullptr;    // "socket(7)"
    const char *summary = nullptr;    // one line
    const char *explanation = nullptr; // one paragraph

    QString levelText() const { return QString::fromLatin1(levelName); }
    QString nameText() const { return QString::fromLatin1(name); }
    bool gettable() const { return access != OptionAccess::WriteOnly; }
    bool settable() const { return access != OptionAccess::ReadOnly; }
    bool appliesTo(int family, int type) const;
    QString cTypeName() const;  // "int", "struct linger", "char[16]"
    QString rangeText() const;  // "0 … 2147483647 bytes", "on/off", "IP_PMTUDISC_DONT, ..."
    QString timingText() const; // "any time", "before bind()"
    QString privilegeText() const; // "", "needs CAP_NET_ADMIN", "some values need CAP_NET_ADMIN"
    QString enumName(int value) const; // "" when the row has no name for it
};

// A setting asked for by name, still as text: "SO_RCVBUF" = "65536". The same text a user
// types into the editor or on the command line (--opt SO_RCVBUF=65536).
struct OptionSetting
{
    QString name;
    QString value;
    bool operator==(const OptionSetting &) const = default;
};

// The whole table, in level order (SOL_SOCKET, IPPROTO_TCP, IPPROTO_IP, IPPROTO_IPV6).
std::span<const SocketOption> socketOptions();
// By name, case-insensitive ("so_rcvbuf" works); nullptr when unknown.
const SocketOption *findSocketOption(QAnyStringView name);
const SocketOption *findSocketOption(int level, int optname);
// The rows that apply to a socket of this family and type.
QList<const SocketOption *> socketOptionsFor(int family, int type);

QString optionTypeName(OptionType type); // "bool", "int", "linger", ...
QStringList optionFamilyNames(quint8 families); // {"AF_INET", "AF_INET6"}
QStringList optionSockTypeNames(quint8 types);  // {"SOCK_STREAM"}
// "NAME=VALUE" -> setting; the error names what is wrong.
std::optional<OptionSetting> parseOptionAssignment(QStringView text, QString *error);

} // namespace sockscope::core
