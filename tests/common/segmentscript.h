#pragma once

// Segments of a made-up flow written as short lines, for tests of what is read off them:
// "c S 0 0 0" = from the client, flags S, seq 0, ack 0, len 0 (tcpdump letters, relative
// numbers); "s ..." from the server, "o ..." from another client of the same server.
// Segment i is stamped at kScriptStartNs + (i + 1) * kScriptStepNs.

#include "observe/segment.h"

#include <QStringList>

namespace sockscope::tests {

inline const core::Address kScriptClient = *core::Address::parse(u"127.0.0.1:41234");
inline const core::Address kScriptServer = *core::Address::parse(u"127.0.0.1:5000");
inline const core::Address kScriptOther = *core::Address::parse(u"127.0.0.1:41235");
inline constexpr qint64 kScriptStartNs = 1000;
inline constexpr qint64 kScriptStepNs = 1000;

inline QList<core::Segment> scriptedSegments(const QStringList &lines)
{
    QList<core::Segment> out;
    qint64 t = kScriptStartNs;
    for (const QString &line : lines) {
        const QStringList f = line.split(u' ');
        core::Segment s;
        s.tNs = t += kScriptStepNs;
        s.src = f[0] == u"c" ? kScriptClient : f[0] == u"s" ? kScriptServer : kScriptOther;
        s.dst = f[0] == u"s" ? kScriptClient : kScriptServer;
        s.flags = *core::tcpFlagsFromText(f[1]);
        s.seq = f[2].toUInt();
        s.ack = f[3].toUInt();
        s.len = f[4].toUInt();
        out << s;
    }
    return out;
}

// Each segment's flags as tcpdump prints them ("S", "S.", "F.", ...), to compare a capture
// or a ladder with what a handshake or teardown sends.
inline QStringList flagsOf(const QList<core::Segment> &segments)
{
    QStringList out;
    for (const core::Segment &s : segments)
        out << s.flagsText();
    return out;
}

} // namespace sockscope::tests
