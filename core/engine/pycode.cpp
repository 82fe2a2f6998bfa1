#include "pycode.h"

#include "../net/address.h"

#include <QStringList>
#include <sys/socket.h>

namespace sockscope::core::pycode {

QString bytes(QByteArrayView data, qsizetype maxShown)
{
    QString out = QStringLiteral("b'");
    const qsizetype n = std::min(data.size(), maxShown);
    for (qsizetype i = 0; i < n; ++i) {
        const auto c = static_cast<unsigned char>(data[i]);
        switch (c) {
        case '\n': out += QLatin1String("\\n"); break;
        case '\r': out += QLatin1String("\\r"); break;
        case '\t': out += QLatin1String("\\t"); break;
        case '\\': out += QLatin1String("\\\\"); break;
        case '\'': out += QLatin1String("\\'"); break;
        default:
            if (c >= 0x20 && c < 0x7f)
                out += QLatin1Char(char(c));
            else
                out += QStringLiteral("\\x%1").arg(c, 2, 16, QLatin1Char('0'));
        }
    }
    out += u'\'';
    if (n < data.size())
        out += QStringLiteral("… (%1 bytes)").arg(data.size());
    return out;
}

QString family(int f)
{
    return QStringLiteral("socket.") + familyName(f);
}

QString type(int t)
{
    return QStringLiteral("socket.") + socketTypeName(t);
}

QString shutdownHow(int how)
{
    switch (how) {
    case SHUT_RD: return QStringLiteral("socket.SHUT_RD");
    case SHUT_WR: return QStringLiteral("socket.SHUT_WR");
    case SHUT_RDWR: return QStringLiteral("socket.SHUT_RDWR");
    default: return QString::number(how);
    }
}

QString msgFlags(int flags)
{
    static constexpr struct { int flag; const char *name; } kFlags[] = {
        {MSG_OOB, "MSG_OOB"}, {MSG_PEEK, "MSG_PEEK"}, {MSG_DONTROUTE, "MSG_DONTROUTE"},
        {MSG_TRUNC, "MSG_TRUNC"}, {MSG_DONTWAIT, "MSG_DONTWAIT"}, {MSG_EOR, "MSG_EOR"},
        {MSG_WAITALL, "MSG_WAITALL"}, {MSG_ERRQUEUE, "MSG_ERRQUEUE"},
        {MSG_CMSG_CLOEXEC, "MSG_CMSG_CLOEXEC"}, {MSG_MORE, "MSG_MORE"},
    };
    QStringList parts;
    for (const auto &f : kFlags) {
        if (flags & f.flag)
            parts << QStringLiteral("socket.") + QLatin1String(f.name);
    }
    return parts.join(QLatin1String(" | "));
}

} // namespace sockscope::core::pycode
