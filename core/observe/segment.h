#pragma once

#include "../net/address.h"

#include <QByteArray>
#include <QString>

#include <optional>

namespace sockscope::core {

// The TCP header's flag bits (RFC 9293 3.1, RFC 3168 for ECE/CWR).
namespace TcpFlag {
constexpr quint8 Fin = 0x01;
constexpr quint8 Syn = 0x02;
constexpr quint8 Rst = 0x04;
constexpr quint8 Psh = 0x08;
constexpr quint8 Ack = 0x10;
constexpr quint8 Urg = 0x20;
constexpr quint8 Ece = 0x40;
constexpr quint8 Cwr = 0x80;
} // namespace TcpFlag

// As tcpdump writes them, in tcpdump's order: F S R P . U E W ("S.", "P.", "FP.", "R.");
// "none" when no bit is set.
QString tcpFlagsText(quint8 flags);
// The inverse, for tests and tools that read tcpdump-style text; nullopt for other letters.
std::optional<quint8> tcpFlagsFromText(QStringView text);
// The names a textbook uses: "SYN", "SYN-ACK", "ACK", "PSH-ACK", "FIN-ACK", "RST-ACK".
QString tcpFlagsName(quint8 flags);

// One packet as the capture helper delivered it, kept byte for byte for the pcapng export.
struct CapturedPacket
{
    qint64 wallNs = 0;      // pcap's time stamp: CLOCK_REALTIME, nanoseconds
    quint32 origLen = 0;    // length on the wire (data may be shorter: the snap length)
    QByteArray data;
};

// One TCP segment of a captured flow. seq and ack are relative to each side's first
// sequence number (0 for the SYN, as Wireshark shows them); rawSeq/rawAck are as sent.
struct Segment
{
    qint64 tNs = 0;         // CLOCK_MONOTONIC, the time base of StateTimeline and traces
    qint64 wallNs = 0;      // CLOCK_REALTIME as pcap stamped it
    Address src;
    Address dst;
    quint8 flags = 0;
    quint32 seq = 0;
    quint32 ack = 0;        // 0 when the ACK bit is off (the field means nothing then)
    quint32 rawSeq = 0;
    quint32 rawAck = 0;
    quint16 win = 0;        // the header's window field, unscaled (as tcpdump prints it)
    quint32 len = 0;        // payload bytes, from the IP length (the snap length cannot cut it)
    std::optional<quint16> mss;        // SYN options
    std::optional<quint8> windowScale;
    bool sackPermitted = false;
    qsizetype packet = -1;  // index of the packet it came from in the capture, -1 if none

    bool has(quint8 flag) const { return (flags & flag) != 0; }
    QString flagsText() const { return tcpFlagsText(flags); }
};

} // namespace sockscope::core
