#include "capturestream.h"

#include <climits>

namespace sockscope::core {

namespace {

CaptureEvent malformed(const QString &why)
{
    CaptureEvent e;
    e.kind = CaptureEvent::Kind::Malformed;
    e.error = SysError::input(QStringLiteral("capture stream"), why);
    return e;
}

std::optional<qint64> number(QByteArrayView text)
{
    bool ok = false;
    const qint64 v = text.toLongLong(&ok);
    return ok ? std::optional(v) : std::nullopt;
}

bool isHex(QByteArrayView text)
{
    for (const char c : text) {
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
            return false;
    }
    return true;
}

// "word rest of the line" -> the words, the last one keeping its spaces.
QList<QByteArrayView> fields(QByteArrayView line, int count)
{
    QList<QByteArrayView> out;
    while (out.size() + 1 < count) {
        const qsizetype space = line.indexOf(' ');
        if (space < 0)
            break;
        out << line.first(space);
        line = line.sliced(space + 1);
    }
    out << line;
    return out;
}

} // namespace

CaptureEvent CaptureStream::parseLine(QByteArrayView line)
{
    if (line.endsWith('\r'))
        line.chop(1);
    const qsizetype space = line.indexOf(' ');
    const QByteArrayView word = space < 0 ? line : line.first(space);
    CaptureEvent e;

    if (word == "pkt") {
        const auto f = fields(line, 4);
        if (f.size() != 4)
            return malformed(QStringLiteral("pkt needs time, length and bytes"));
        const auto t = number(f[1]);
        const auto orig = number(f[2]);
        if (!t || !orig || *orig < 0 || *orig > 0xffffffffLL || f[3].size() % 2 != 0 || !isHex(f[3]))
            return malformed(QStringLiteral("bad pkt line"));
        e.kind = CaptureEvent::Kind::Packet;
        e.packet.wallNs = *t;
        e.packet.origLen = quint32(*orig);
        e.packet.data = QByteArray::fromHex(f[3].toByteArray());
        if (e.packet.origLen < quint32(e.packet.data.size()))
            return malformed(QStringLiteral("pkt: more bytes captured than were on the wire"));
        return e;
    }
    if (word == "ready") {
        const auto f = fields(line, 6);
        if (f.size() < 5)
            return malformed(QStringLiteral("ready needs interface, link type, snap length and precision"));
        const auto link = number(f[2]);
        const auto snap = number(f[3]);
        if (!link || !snap || *link < 0 || *snap <= 0 || (f[4] != "ns" && f[4] != "us"))
            return malformed(QStringLiteral("bad ready line"));
        e.kind = CaptureEvent::Kind::Ready;
        e.interfaceName = QString::fromUtf8(f[1]);
        e.linkType = int(*link);
        e.snaplen = int(qMin<qint64>(*snap, INT_MAX));
        e.nanoseconds = f[4] == "ns";
        e.filter = f.size() > 5 ? QString::fromUtf8(f[5]) : QString();
        return e;
    }
    if (word == "sockscope-capture") {
        const auto f = fields(line, 2);
        const auto v = f.size() == 2 ? number(f[1]) : std::nullopt;
        if (!v)
            return malformed(QStringLiteral("bad greeting"));
        if (*v != kVersion)
            return malformed(QStringLiteral("the helper speaks stream version %1, this build reads %2").arg(*v).arg(kVersion));
        e.kind = CaptureEvent::Kind::Hello;
        e.version = int(*v);
        return e;
    }
    if (word == "error") {
        const auto f = fields(line, 3);
        const auto code = f.size() >= 2 ? number(f[1]) : std::nullopt;
        if (!code || *code >= 0 || *code < -1000)
            return malformed(QStringLiteral("bad error line"));
        e.kind = CaptureEvent::Kind::Error;
        e.error = SysError::fromPcap(int(*code), f.size() == 3 ? QString::fromUtf8(f[2]) : QString());
        return e;
    }
    if (word == "stats") {
        const auto f = fields(line, 4);
        const auto r = f.size() == 4 ? number(f[1]) : std::nullopt;
        const auto d = f.size() == 4 ? number(f[2]) : std::nullopt;
        const auto i = f.size() == 4 ? number(f[3]) : std::nullopt;
        if (!r || !d || !i)
            return malformed(QStringLiteral("bad stats line"));
        e.kind = CaptureEvent::Kind::Stats;
        e.received = quint64(*r);
        e.dropped = quint64(*d);
        e.ifDropped = quint64(*i);
        return e;
    }
    if (line == "end") {
        e.kind = CaptureEvent::Kind::End;
        return e;
    }
    return malformed(QStringLiteral("unknown line \"%1\"").arg(QString::fromUtf8(word.first(qMin<qsizetype>(word.size(), 32)))));
}

QList<CaptureEvent> CaptureStream::feed(QByteArrayView bytes)
{
    QList<CaptureEvent> events;
    while (!bytes.isEmpty()) {
        const qsizetype newline = bytes.indexOf('\n');
        const QByteArrayView piece = newline < 0 ? bytes : bytes.first(newline);
        if (!m_skipping) {
            if (m_pending.size() + piece.size() > kMaxLine) {
                m_pending.clear();
                m_skipping = true;
                events << malformed(QStringLiteral("a line longer than %1 bytes").arg(kMaxLine));
            } else {
                m_pending.append(piece);
            }
        }
        if (newline < 0)
            break;
        if (!m_skipping && !m_pending.isEmpty())
            events << parseLine(m_pending);
        m_pending.clear();
        m_skipping = false;
        bytes = bytes.sliced(newline + 1);
    }
    return events;
}

} // namespace sockscope::core
