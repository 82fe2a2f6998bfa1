#pragma once

#include "segment.h"

#include <QByteArrayView>

#include <optional>

namespace sockscope::core {

// Link-layer header types as pcap and pcapng files number them (LINKTYPE_*, tcpdump.org
// linktypes.html). The capture helper reports these, never libpcap's DLT_ numbers where
// they differ (DLT_RAW is 12 or 14 depending on the OS; LINKTYPE_RAW is always 101).
namespace LinkType {
constexpr int Null = 0;       // BSD loopback: 4-byte address family, host byte order
constexpr int Ethernet = 1;   // Linux `lo` too, with zero MAC addresses
constexpr int Raw = 101;      // a bare IPv4 or IPv6 packet
constexpr int Loop = 108;     // OpenBSD loopback: 4-byte address family, network byte order
constexpr int LinuxSll = 113; // Linux "any" (cooked v1)
constexpr int Ipv4 = 228;
constexpr int Ipv6 = 229;
constexpr int LinuxSll2 = 276; // Linux "any" (cooked v2)
} // namespace LinkType

// Turns one captured packet (bytes from the wire, untrusted: every length is checked
// against what was captured) into a TCP segment with its raw sequence numbers. Relative
// numbering is SequenceTracker's job; times are copied from the packet, tNs left 0.
class PacketDecoder
{
public:
    static bool supports(int linkType);
    // nullopt for anything that is not a whole TCP header over IPv4/IPv6: ARP, UDP,
    // non-first fragments, a packet cut before the end of the TCP header.
    static std::optional<Segment> decode(int linkType, const CapturedPacket &packet);

private:
    static std::optional<Segment> decodeIp(QByteArrayView ip);
};

} // namespace sockscope::core
