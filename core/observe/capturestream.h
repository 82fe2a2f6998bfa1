#pragma once

#include "../net/syserror.h"
#include "segment.h"

#include <QByteArray>
#include <QList>

namespace sockscope::core {

// One line of sockscope-capture's output (the format is specified in
// app/capture/main.cpp), decoded.
struct CaptureEvent
{
    enum class Kind { Hello, Ready, Packet, Stats, Error, End, Malformed };

    Kind kind = Kind::Malformed;
    int version = 0;          // Hello
    QString interfaceName;    // Ready
    int linkType = -1;        // Ready: LINKTYPE_* (packetdecoder.h)
    int snaplen = 0;          // Ready
    bool nanoseconds = false; // Ready: false when the device only gives microseconds
    QString filter;           // Ready: the BPF program text
    CapturedPacket packet;    // Packet
    quint64 received = 0;     // Stats: pcap_stats
    quint64 dropped = 0;
    quint64 ifDropped = 0;
    SysError error;           // Error: the pcap code; Malformed: what was wrong
};

// Splits the helper's byte stream into lines and decodes each. Bytes arrive in arbitrary
// pieces from a pipe, so a partial line waits for the rest. The stream is the helper's
// (trusted code, but it forwards wire bytes): every field is checked, a bad line becomes
// a Malformed event and never stops the stream.
class CaptureStream
{
public:
    // Longer lines are dropped: a pkt line holds at most 2 * 262144 hex digits.
    static constexpr qsizetype kMaxLine = 600 * 1024;
    static constexpr int kVersion = 1;

    QList<CaptureEvent> feed(QByteArrayView bytes);
    // The event for one complete line (without its newline).
    static CaptureEvent parseLine(QByteArrayView line);
    bool hasPartialLine() const { return !m_pending.isEmpty(); }

private:
    QByteArray m_pending;
    bool m_skipping = false; // inside an over-long line, until its newline
};

} // namespace sockscope::core
