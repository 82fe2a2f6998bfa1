#pragma once

#include <QByteArrayView>
#include <QString>
#include <QStringList>

#include <optional>

namespace sockscope::core::pycode {

// How sockscope writes calls and values: as Python's socket module would show them. The
// call trace, the resolver's "as Python" line and the lessons all render through here.

inline QString none() { return QStringLiteral("None"); } // a call that returns nothing
QString bytes(QByteArrayView data, qsizetype maxShown = 48); // b'hi\n' (+ "… (N bytes)")
QString str(const std::optional<QString> &text);            // 'it''s' quoted; None
QString family(int family);       // socket.AF_INET; a number where Python has no name
QString type(int type);           // socket.SOCK_STREAM; likewise
QString shutdownHow(int how);     // socket.SHUT_WR
// socket.AI_PASSIVE | socket.AI_CANONNAME from a table of {value, name, inPython} rows
// (inPython false: a GNU-only flag Python has no constant for, written as a number);
// unknown bits as hex; `empty` for no flag.
template<typename FlagTable>
QString flags(int flags, const FlagTable &table, const QString &empty)
{
    QStringList parts;
    int rest = flags;
    for (const auto &f : table) {
        if (!(flags & f.value))
            continue;
        parts.append(f.inPython ? QStringLiteral("socket.") + QLatin1String(f.name)
                                : QStringLiteral("0x%1").arg(f.value, 0, 16));
        rest &= ~f.value;
    }
    if (rest != 0)
        parts.append(QStringLiteral("0x%1").arg(uint(rest), 0, 16));
    return parts.isEmpty() ? empty : parts.join(QLatin1String(" | "));
}
QString msgFlags(int flags);      // socket.MSG_PEEK | socket.MSG_WAITALL, or ""

} // namespace sockscope::core::pycode
