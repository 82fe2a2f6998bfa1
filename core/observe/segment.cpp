#include "segment.h"

#include <QStringList>

#include <utility>

namespace sockscope::core {

namespace {

struct FlagLetter
{
    quint8 bit;
    char letter;
};

// tcpdump's print-tcp.c order, so "F." and never ".F".
constexpr FlagLetter kLetters[] = {
    {TcpFlag::Fin, 'F'}, {TcpFlag::Syn, 'S'}, {TcpFlag::Rst, 'R'}, {TcpFlag::Psh, 'P'},
    {TcpFlag::Ack, '.'}, {TcpFlag::Urg, 'U'}, {TcpFlag::Ece, 'E'}, {TcpFlag::Cwr, 'W'},
};

} // namespace

QString tcpFlagsText(quint8 flags)
{
    if (flags == 0)
        return QStringLiteral("none");
    QString text;
    for (const FlagLetter &f : kLetters) {
        if (flags & f.bit)
            text += QLatin1Char(f.letter);
    }
    return text;
}

std::optional<quint8> tcpFlagsFromText(QStringView text)
{
    if (text == u"none")
        return quint8(0);
    if (text.isEmpty())
        return std::nullopt;
    quint8 flags = 0;
    for (const QChar c : text) {
        bool known = false;
        for (const FlagLetter &f : kLetters) {
            if (c == QLatin1Char(f.letter)) {
                flags |= f.bit;
                known = true;
            }
        }
        if (!known)
            return std::nullopt;
    }
    return flags;
}

QString tcpFlagsName(quint8 flags)
{
    QStringList parts;
    // The order a textbook reads a segment in: what it opens or closes first, ACK last.
    constexpr std::pair<quint8, const char *> kNames[] = {
        {TcpFlag::Syn, "SYN"}, {TcpFlag::Fin, "FIN"}, {TcpFlag::Rst, "RST"}, {TcpFlag::Psh, "PSH"},
        {TcpFlag::Urg, "URG"}, {TcpFlag::Ece, "ECE"}, {TcpFlag::Cwr, "CWR"}, {TcpFlag::Ack, "ACK"},
    };
    for (const auto &[bit, name] : kNames) {
        if (flags & bit)
            parts << QLatin1String(name);
    }
    return parts.isEmpty() ? QStringLiteral("none") : parts.join(u'-');
}

} // namespace sockscope::core
