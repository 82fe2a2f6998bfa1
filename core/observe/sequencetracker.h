#pragma once

#include "segment.h"

#include <QHash>
#include <QString>

namespace sockscope::core {

// Numbers segments relative to each side's first sequence number, as Wireshark shows
// them: the SYN is seq 0 and the SYN-ACK acks 1. Each direction of each flow has its own
// base: the SYN's sequence number, or one less than the first sequence number seen when
// the capture began mid-flow (so the first data byte is 1), or one less than the first
// ack that names a side not yet seen (so that side's next byte is 1). A SYN with a new
// sequence number on a known flow is a new connection on the same ports: both bases start
// over.
class SequenceTracker
{
public:
    void number(Segment &segment); // fills seq and ack from rawSeq and rawAck
    void clear() { m_bases.clear(); }

private:
    QHash<QString, quint32> m_bases; // "src>dst" -> base of src's sequence numbers
};

} // namespace sockscope::core
