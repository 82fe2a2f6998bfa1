#pragma once

#include "../net/syserror.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>

#include <expected>

namespace sockscope::core {

// How a byte stream is cut into messages. TCP hands over bytes, not messages: two sends
// can arrive in one recv() and one send in two ("sticky packets", 粘包/拆包). A rule or a
// view that wants messages needs one of these agreements between the two ends.
struct Framing
{
    enum class Kind { PerRecv, Line, Delimiter, LengthPrefix, Fixed };

    Kind kind = Kind::PerRecv;
    QByteArray delimiter;   // Delimiter: the bytes that end a message (not part of it)
    int prefixBytes = 2;    // LengthPrefix: 1, 2 or 4
    bool bigEndian = true;  // LengthPrefix: network byte order unless told
    int size = 0;           // Fixed: bytes per message

    // "recv" (what each recv() returned), "line" (LF or CRLF), "delim:TEXT" (TEXT takes the
    // composer's escapes: delim:\x00), "length:1|2|4[be|le]" (default 2be), "fixed:N".
    // An error names the field and says what is expected.
    static std::expected<Framing, SysError> parse(QStringView spec, const QString &field = QStringLiteral("framing"));
    QString toString() const; // what parse() takes back
    bool operator==(const Framing &) const = default;
};

// Cuts a stream into messages by a Framing: feed() whatever recv() returned, in order, and
// get the messages it completed (without their delimiters or length prefixes); the rest
// waits for more bytes. A message longer than kMaxMessage is an error (a peer that never
// sends the delimiter, or a length prefix of garbage), after which the framer is spent.
class Framer
{
public:
    static constexpr qsizetype kMaxMessage = 16 * 1024 * 1024;

    explicit Framer(Framing framing = {});

    std::expected<QList<QByteArray>, SysError> feed(QByteArrayView bytes);
    qsizetype pending() const { return m_buffer.size(); } // bytes of an unfinished message
    QByteArrayView unfinished() const { return m_buffer; } // those bytes (a length prefix included)
    const Framing &framing() const { return m_framing; }

private:
    std::expected<void, SysError> cut(QList<QByteArray> &out);

    Framing m_framing;
    QByteArray m_buffer;
    bool m_spent = false;
};

} // namespace sockscope::core
