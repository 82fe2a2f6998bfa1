#include "packetdecoder.h"

#include <QtEndian>

#include <arpa/inet.h>
#include <cstring>
#include <netinet/in.h>

namespace sockscope::core {

namespace {

constexpr quint16 kEtherIpv4 = 0x0800;
constexpr quint16 kEtherIpv6 = 0x86dd;
constexpr quint16 kEtherVlan = 0x8100;
constexpr quint16 kEtherQinQ = 0x88a8;
constexpr int kProtoTcp = 6;

quint16 be16(QByteArrayView b, qsizetype at)
{
    return qFromBigEndian<quint16>(b.data() + at);
}

quint32 be32(QByteArrayView b, qsizetype at)
{
    return qFromBigEndian<quint32>(b.data() + at);
}

// The IP packet inside an Ethernet frame, skipping VLAN tags; empty if it is not IP.
QByteArrayView ethernetPayload(QByteArrayView frame)
{
    qsizetype at = 12;
    while (frame.size() >= at + 2) {
        const quint16 type = be16(frame, at);
        if (type == kEtherVlan || type == kEtherQinQ) {
            at += 4;
            continue;
        }
        if (type == kEtherIpv4 || type == kEtherIpv6)
            return frame.sliced(at + 2);
        return {};
    }
    return {};
}

// The address family word of BSD-style loopback headers: AF_INET is 2 everywhere, AF_INET6
// differs per OS (10 Linux, 24/28/30 BSDs and macOS); any of them means IPv6 here.
bool isIpFamilyWord(quint32 family)
{
    return family == 2 || family == 10 || family == 24 || family == 28 || family == 30;
}

Address ipAddress(int family, const char *bytes, quint16 port)
{
    if (family == AF_INET) {
        sockaddr_in sin{};
        sin.sin_family = AF_INET;
        sin.sin_port = htons(port);
        std::memcpy(&sin.sin_addr, bytes, 4);
        return Address::fromSockaddr(reinterpret_cast<const sockaddr *>(&sin), sizeof sin);
    }
    sockaddr_in6 sin6{};
    sin6.sin6_family = AF_INET6;
    sin6.sin6_port = htons(port);
    std::memcpy(&sin6.sin6_addr, bytes, 16);
    return Address::fromSockaddr(reinterpret_cast<const sockaddr *>(&sin6), sizeof sin6);
}

void readOptions(QByteArrayView options, Segment &s)
{
    qsizetype at = 0;
    while (at < options.size()) {
        const quint8 kind = quint8(options[at]);
        if (kind == 0)
            break;
        if (kind == 1) {
            ++at;
            continue;
        }
        if (at + 1 >= options.size())
            break;
        const quint8 len = quint8(options[at + 1]);
        if (len < 2 || at + len > options.size())
            break;
        if (kind == 2 && len == 4)
            s.mss = be16(options, at + 2);
        else if (kind == 3 && len == 3)
            s.windowScale = quint8(options[at + 2]);
        else if (kind == 4 && len == 2)
            s.sackPermitted = true;
        at += len;
    }
}

} // namespace

bool PacketDecoder::supports(int linkType)
{
    switch (linkType) {
    case LinkType::Null:
    case LinkType::Ethernet:
    case LinkType::Raw:
    case LinkType::Loop:
    case LinkType::LinuxSll:
    case LinkType::Ipv4:
    case LinkType::Ipv6:
    case LinkType::LinuxSll2:
        return true;
    default:
        return false;
    }
}

std::optional<Segment> PacketDecoder::decode(int linkType, const CapturedPacket &packet)
{
    const QByteArrayView frame(packet.data);
    QByteArrayView ip;
    switch (linkType) {
    case LinkType::Ethernet:
        ip = ethernetPayload(frame);
        break;
    case LinkType::Null:
        if (frame.size() >= 4) {
            quint32 family;
            std::memcpy(&family, frame.data(), 4);
            // Written in the capturing host's order, which may not be ours.
            if (isIpFamilyWord(family) || isIpFamilyWord(qbswap(family)))
                ip = frame.sliced(4);
        }
        break;
    case LinkType::Loop:
        if (frame.size() >= 4 && isIpFamilyWord(be32(frame, 0)))
            ip = frame.sliced(4);
        break;
    case LinkType::LinuxSll:
        if (frame.size() >= 16 && (be16(frame, 14) == kEtherIpv4 || be16(frame, 14) == kEtherIpv6))
            ip = frame.sliced(16);
        break;
    case LinkType::LinuxSll2:
        if (frame.size() >= 20 && (be16(frame, 0) == kEtherIpv4 || be16(frame, 0) == kEtherIpv6))
            ip = frame.sliced(20);
        break;
    case LinkType::Raw:
    case LinkType::Ipv4:
    case LinkType::Ipv6:
        ip = frame;
        break;
    default:
        return std::nullopt;
    }
    auto segment = decodeIp(ip);
    if (segment)
        segment->wallNs = packet.wallNs;
    return segment;
}

std::optional<Segment> PacketDecoder::decodeIp(QByteArrayView ip)
{
    if (ip.isEmpty())
        return std::nullopt;
    const int version = quint8(ip[0]) >> 4;
    int family = AF_UNSPEC;
    const char *srcBytes = nullptr;
    const char *dstBytes = nullptr;
    qsizetype tcpAt = 0;
    qint64 tcpTotal = 0; // TCP header + payload, as the IP header says

    if (version == 4) {
        if (ip.size() < 20)
            return std::nullopt;
        const qsizetype ihl = (quint8(ip[0]) & 0x0f) * 4;
        const quint16 fragment = be16(ip, 6);
        // A fragment other than a whole packet has no TCP header, or only part of the payload.
        if (ihl < 20 || ip.size() < ihl || quint8(ip[9]) != kProtoTcp || (fragment & 0x3fff) != 0)
            return std::nullopt;
        family = AF_INET;
        srcBytes = ip.data() + 12;
        dstBytes = ip.data() + 16;
        tcpAt = ihl;
        const quint16 total = be16(ip, 2);
        // Segmentation offload can hand pcap a super-packet with total length 0.
        tcpTotal = total >= ihl ? qint64(total) - ihl : ip.size() - ihl;
    } else if (version == 6) {
        if (ip.size() < 40)
            return std::nullopt;
        family = AF_INET6;
        srcBytes = ip.data() + 8;
        dstBytes = ip.data() + 24;
        quint8 next = quint8(ip[6]);
        qsizetype at = 40;
        qint64 remaining = be16(ip, 4); // payload length: extension headers + TCP
        if (remaining == 0)
            remaining = ip.size() - 40; // jumbogram or offload
        // Extension headers: hop-by-hop, routing, destination options, authentication.
        while (next == 0 || next == 43 || next == 60 || next == 51) {
            if (ip.size() < at + 2)
                return std::nullopt;
            const qsizetype len = next == 51 ? (quint8(ip[at + 1]) + 2) * 4 : (quint8(ip[at + 1]) + 1) * 8;
            next = quint8(ip[at]);
            at += len;
            remaining -= len;
        }
        if (next != kProtoTcp)
            return std::nullopt; // fragments (44) included: their TCP header may be elsewhere
        tcpAt = at;
        tcpTotal = remaining;
    } else {
        return std::nullopt;
    }

    const QByteArrayView tcp = ip.size() > tcpAt ? ip.sliced(tcpAt) : QByteArrayView();
    if (tcp.size() < 20)
        return std::nullopt;
    const qsizetype headerLen = (quint8(tcp[12]) >> 4) * 4;
    if (headerLen < 20 || tcp.size() < headerLen || tcpTotal < headerLen)
        return std::nullopt;

    Segment s;
    s.src = ipAddress(family, srcBytes, be16(tcp, 0));
    s.dst = ipAddress(family, dstBytes, be16(tcp, 2));
    s.rawSeq = be32(tcp, 4);
    s.rawAck = be32(tcp, 8);
    s.flags = quint8(tcp[13]);
    s.win = be16(tcp, 14);
    s.len = quint32(tcpTotal - headerLen);
    readOptions(tcp.sliced(20, headerLen - 20), s);
    return s;
}

} // namespace sockscope::core
