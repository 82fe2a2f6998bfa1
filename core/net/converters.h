#pragma once

#include "syserror.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>
#include <QStringList>
#include <QStringView>

#include <expected>

namespace sockscope::core {

// inet_aton's answer with what it made of the text: besides a.b.c.d it takes the 1980s
// forms a.b.c, a.b and a (the last part fills the remaining bytes), and octal (010) or
// hex (0x7f) parts. inet_pton(AF_INET) takes none of these.
struct AtonResult
{
    QByteArray packed;  // 4 bytes, network order
    QString dotted;     // what it means: "127.0.0.1"
    QString form;       // "a.b.c.d", "a.b.c", "a.b" or "a"
    QStringList notes;  // one line per legacy feature used
    bool legacy = false; // true when inet_pton(AF_INET) rejects the same text
};

enum class ByteOrderCall { Htons, Htonl, Ntohs, Ntohl };

// One htons/htonl/ntohs/ntohl: the value before and after, and how each lies in memory.
struct ByteOrderResult
{
    ByteOrderCall call = ByteOrderCall::Htons;
    int width = 2;            // bytes: 2 (s) or 4 (l)
    quint32 input = 0;
    quint32 output = 0;
    QByteArray inputInMemory;  // the input's bytes as this host stores it (host order)
    QByteArray inputBigEndian; // the input's bytes in network order (big-endian)
    QByteArray outputInMemory; // the result's bytes as this host stores it
};

// The address and byte-order converters of the socket API, as Python's socket module
// exposes them. Pure functions: no lookups, safe on any thread.
class Converters
{
public:
    // Packed bytes in network order: 4 for AF_INET, 16 for AF_INET6.
    static std::expected<QByteArray, SysError> inetPton(int family, QStringView text);
    static std::expected<QString, SysError> inetNtop(int family, QByteArrayView packed);
    static std::expected<AtonResult, SysError> inetAton(QStringView text);
    static std::expected<QString, SysError> inetNtoa(QByteArrayView packed);

    // The value must fit the call's width (16 or 32 bits), as Python insists.
    static std::expected<ByteOrderResult, SysError> byteOrder(ByteOrderCall call, qint64 value);
    static QString callName(ByteOrderCall call); // "htons"
    static bool hostIsLittleEndian();
};

} // namespace sockscope::core
