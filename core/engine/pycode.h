#pragma once

#include <QByteArrayView>
#include <QString>

namespace sockscope::core::pycode {

// How the call trace writes values: as Python's socket module would show them.
inline QString none() { return QStringLiteral("None"); } // a call that returns nothing
QString bytes(QByteArrayView data, qsizetype maxShown = 48); // b'hi\n' (+ "… (N bytes)")
QString family(int family);       // socket.AF_INET
QString type(int type);           // socket.SOCK_STREAM
QString shutdownHow(int how);     // socket.SHUT_WR
QString msgFlags(int flags);      // socket.MSG_PEEK | socket.MSG_WAITALL, or ""

} // namespace sockscope::core::pycode
