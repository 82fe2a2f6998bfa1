#pragma once

#include "socketoption.h"
#include "syserror.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <expected>

namespace sockscope::core {

// One decoded field of a read-only structure (tcp_info, ucred).
struct OptionField
{
    QString name;  // "rtt"
    qint64 value = 0;
    QString unit;  // "us", "bytes", ""
    QString text;  // set when the field has a symbolic form ("ESTABLISHED")
    bool operator==(const OptionField &) const = default;
};

// A typed option value. Which members count depends on the row's OptionType:
//   Bool, Int, Enum, Errno: number
//   Linger:   on (l_onoff), number (l_linger, seconds)
//   Timeval:  number (microseconds; 0 = no timeout)
//   String, Interface, InAddr: text
//   IpMreq:   text (group), interface (local IPv4 address, or name/index as typed), number
//             (0: by address, an ip_mreq; else the interface index, -1 a name: an ip_mreqn)
//   Ipv6Mreq: text (group), interface (name or index as typed), number (interface index)
//   Ucred, TcpInfo: fields
struct OptionValue
{
    qint64 number = 0;
    bool on = false;
    QString text;
    QString interface;
    QList<OptionField> fields;
    bool operator==(const OptionValue &) const = default;
};

// What the checks need to know about this host; empty lists are not checked (the kernel
// will say). KernelSettings::optionContext() fills it from /proc and /sys.
struct OptionContext
{
    QStringList congestionAlgorithms; // net.ipv4.tcp_available_congestion_control
    QStringList interfaces;           // /sys/class/net
};

// Text -> value, with the row's range and type checked: a bad value never reaches the
// kernel. The error is SysError::input with the option's name as the field.
std::expected<OptionValue, SysError> parseOptionValue(const SocketOption &row, QAnyStringView text,
                                                      const OptionContext &context = {});
// Value -> the text parseOptionValue accepts ("65536", "on,5", "IP_PMTUDISC_DO", "2.5").
QString formatOptionValue(const SocketOption &row, const OptionValue &value);
// For display: formatOptionValue plus a note ("131072", "on, 5 s", "111 ECONNREFUSED").
QString describeOptionValue(const SocketOption &row, const OptionValue &value);
// How Python writes the value passed to setsockopt(): 65536, struct.pack("ii", 1, 5), b"reno".
QString pythonOptionArgument(const SocketOption &row, const OptionValue &value);
// The whole call: s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 65536).
QString pythonSetsockopt(const QString &var, const SocketOption &row, const OptionValue &value);
// s.getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF) or, for structures, with the buffer length.
QString pythonGetsockopt(const QString &var, const SocketOption &row);
// What that getsockopt returns, Python-style: 131072, (1, 5), b'cubic'.
QString pythonOptionResult(const SocketOption &row, const OptionValue &value);
// What to type, for placeholders and --help: "a whole number, 0 … 2147483647 bytes".
QString optionInputHint(const SocketOption &row);

} // namespace sockscope::core
