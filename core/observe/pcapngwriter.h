#pragma once

#include "../net/syserror.h"
#include "segment.h"

#include <QByteArray>
#include <QList>

#include <expected>

namespace sockscope::core {

// Writes captured packets as a pcapng file (draft-ietf-opsawg-pcapng) that Wireshark,
// tshark and tcpdump read. Only what is needed is written, little-endian:
//   Section Header Block   (0x0A0D0D0A): byte-order magic 0x1A2B3C4D, version 1.0,
//                          section length -1 (unknown), shb_userappl "sockscope"
//   Interface Description  (0x00000001): the link type, the snap length, if_name and
//                          if_tsresol = 9 (time stamps count nanoseconds)
//   Enhanced Packet Block  (0x00000006), one per packet: interface 0, the 64-bit time
//                          stamp in nanoseconds since 1970 split high/low, captured and
//                          original length, the bytes padded to 32 bits
// Every block ends with its total length repeated; options end with opt_endofopt.
class PcapngWriter
{
public:
    static QByteArray encode(int linkType, int snaplen, const QString &interfaceName,
                             const QList<CapturedPacket> &packets);
    static std::expected<void, SysError> writeFile(const QString &path, int linkType, int snaplen,
                                                   const QString &interfaceName,
                                                   const QList<CapturedPacket> &packets);
};

} // namespace sockscope::core
