#pragma once

#include "socketoption.h"

// The table's rows live in two data files (SOL_SOCKET; TCP, IP and IPv6) so that neither
// grows past what one can read; socketoption.cpp joins them.
namespace sockscope::core::detail {

std::span<const SocketOption> solSocketRows();
std::span<const SocketOption> protocolRows();

} // namespace sockscope::core::detail
