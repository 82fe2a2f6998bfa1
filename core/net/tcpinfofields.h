#pragma once

#include "optionvalue.h"

#include <QByteArrayView>

#include <sys/socket.h>

#include <expected>

namespace sockscope::core {

struct TcpInfo;

// TCP_INFO for the option table: the struct decoded by TcpInfo (net/tcpinfo), laid
// out as named fields with units so the editor, the CLI and the trace can list them.
QList<OptionField> tcpInfoFields(const TcpInfo &info);
std::expected<QList<OptionField>, SysError> decodeTcpInfoFields(QByteArrayView raw);
socklen_t tcpInfoBufferSize();

} // namespace sockscope::core
