#pragma once

#include "../net/address.h"
#include "../net/payloadcodec.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <expected>
#include <optional>
#include <vector>

namespace sockscope::core {

// What a template's macros read when it is rendered.
struct MacroContext
{
    quint64 counter = 0;         // {{COUNTER}}: the caller's counter, advanced by the caller
    std::optional<Address> peer; // {{PEER}}: who the bytes go to
    qsizetype length = -1;       // {{LEN}}: of the message being answered (-1: none)
    QList<QByteArray> captures;  // \1 .. \9: a regex rule's captures, [0] being \1
};

// A payload the user typed with the composer's escapes (\n \r \t \\ \0 \xHH), macros in
// double braces and, in a reply, \1 .. \9 for a regex rule's captures:
//   {{COUNTER}} {{DATE}} {{TIME}} {{UNIXTIME}} {{UNIXTIME_MS}} {{RANDOM:a-b}}
//   {{RANDOMHEX:n}} (n hex digits) {{PEER}} {{LEN}}
// Parsed once, when typed: an unknown macro or a bad argument is an error naming the
// field and the place, never sent literally. Rendered for every message sent.
class ReplyTemplate
{
public:
    enum class Captures { Allowed, Refused }; // \N means a capture in a reply only

    static std::expected<ReplyTemplate, PayloadError> parse(QStringView text, const QString &field,
                                                            Captures captures = Captures::Refused);

    QByteArray render(const MacroContext &context) const;
    bool usesCounter() const;
    bool isPlain() const { return m_pieces.size() <= 1 && (m_pieces.empty() || m_pieces.front().kind == Kind::Bytes); }
    QString text() const { return m_text; }

    static QStringList macroNames(); // for completion and help

private:
    enum class Kind { Bytes, Capture, Counter, Date, Time, UnixTime, UnixTimeMs, Random, RandomHex, Peer, Length };
    struct Piece
    {
        Kind kind = Kind::Bytes;
        QByteArray bytes; // Bytes
        qint64 a = 0;     // Capture: index (1-9); Random: low; RandomHex: digits
        qint64 b = 0;     // Random: high
    };

    QString m_text;
    std::vector<Piece> m_pieces;
};

} // namespace sockscope::core
