#pragma once

#include "optionvalue.h"
#include "socket.h"

#include <QByteArray>

#include <expected>

namespace sockscope::core {

// Typed getsockopt/setsockopt on a Socket, driven by a table row: the value goes to and
// comes from the C structure the kernel expects (int, linger, timeval, ip_mreq, ...).
namespace optioncodec {

// The optval bytes for setsockopt(). Ipv6Mreq names are resolved to their index here
// (if_nametoindex), so this runs where syscalls are allowed.
std::expected<QByteArray, SysError> encode(const SocketOption &row, const OptionValue &value);
// The optval bytes getsockopt() returned, decoded.
std::expected<OptionValue, SysError> decode(const SocketOption &row, QByteArrayView bytes);
// The buffer getsockopt() gets for the row.
socklen_t bufferSize(const SocketOption &row);

std::expected<OptionValue, SysError> get(const Socket &socket, const SocketOption &row);
std::expected<void, SysError> set(Socket &socket, const SocketOption &row, const OptionValue &value);

} // namespace optioncodec

} // namespace sockscope::core
