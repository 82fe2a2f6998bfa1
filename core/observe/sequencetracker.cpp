#include "sequencetracker.h"

namespace sockscope::core {

void SequenceTracker::number(Segment &s)
{
    const QString mine = s.src.toString() + u'>' + s.dst.toString();
    const QString theirs = s.dst.toString() + u'>' + s.src.toString();
    if (s.has(TcpFlag::Syn)) {
        const auto it = m_bases.constFind(mine);
        // A pure SYN with another ISN opens a new connection; a SYN-ACK's peer already
        // reset the pair with its own SYN.
        if (it != m_bases.cend() && *it != s.rawSeq && !s.has(TcpFlag::Ack))
            m_bases.remove(theirs);
        m_bases.insert(mine, s.rawSeq);
    } else if (!m_bases.contains(mine)) {
        m_bases.insert(mine, s.rawSeq - 1);
    }
    s.seq = s.rawSeq - m_bases.value(mine);

    if (!s.has(TcpFlag::Ack)) {
        s.ack = 0;
        return;
    }
    if (!m_bases.contains(theirs))
        m_bases.insert(theirs, s.rawAck - 1);
    s.ack = s.rawAck - m_bases.value(theirs);
}

} // namespace sockscope::core
