#include "pycode.h"

#include "address.h"

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

QString str(const std::optional<QString> &text)
{
    if (!text)
        return none();
    QString out = QStringLiteral("'");
    for (const QChar c : *text) {
        if (c == u'\\' || c == u'\'')
            out += u'\\';
        out += c;
    }
    return out + u'\'';
}

namespace {
// familyName() and socketTypeName() fall back to "AF_<n>": Python has no such constant.
QString constant(const QString &name, int value)
{
    bool numeric = false;
    (void)QStringView(name).mid(name.indexOf(u'_') + 1).toInt(&numeric);
    return numeric ? QString::number(value) : QStringLiteral("socket.") + name;
}
} // namespace

QString family(int f)
{
    return constant(familyName(f), f);
}

QString type(int t)
{
    return constant(socketTypeName(t), t);
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

QString msgFlags(int msgFlags)
{
    static constexpr struct { int value; const char *name; bool inPython = true; } kFlags[] = {
        {MSG_OOB, "MSG_OOB"}, {MSG_PEEK, "MSG_PEEK"}, {MSG_DONTROUTE, "MSG_DONTROUTE"},
        {MSG_TRUNC, "MSG_TRUNC"}, {MSG_DONTWAIT, "MSG_DONTWAIT"}, {MSG_EOR, "MSG_EOR"},
        {MSG_WAITALL, "MSG_WAITALL"}, {MSG_ERRQUEUE, "MSG_ERRQUEUE"},
        {MSG_CMSG_CLOEXEC, "MSG_CMSG_CLOEXEC"}, {MSG_MORE, "MSG_MORE"},
    };
    return flags(msgFlags, kFlags, QString());
}

} // namespace sockscope::core::pycode
