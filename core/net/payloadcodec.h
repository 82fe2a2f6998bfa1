#pragma once

#include "syserror.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>
#include <QStringView>

#include <expected>

namespace sockscope::core {

enum class PayloadMode { Text, Hex };            // how the user typed the bytes
enum class LineEnding { None, Lf, CrLf, Cr };     // appended after the parsed bytes
enum class EscapeStyle { Utf8, Ascii };          // Ascii escapes every byte >= 0x80

// A parse failure: the SysError (Domain::Input, naming the field) plus where in the input
// the problem sits, so an editor can put the cursor on it.
struct PayloadError
{
    SysError error;
    qsizetype position = 0; // index (in QChars) of the first offending character
    qsizetype length = 1;   // how many characters are wrong

    // "hex: 'g' is not a hex digit (0-9, a-f), at character 5"
    QString toString() const;
};

using PayloadResult = std::expected<QByteArray, PayloadError>;

// The one place that turns typed payloads into bytes and bytes into something safe to
// show. Pure functions: the composer, the traffic view and the CLI all go through here.
class PayloadCodec
{
public:
    // Text with escapes: \n \r \t \\ \0 \xHH; anything else is sent as UTF-8.
    static PayloadResult parseText(QStringView text, const QString &field = QStringLiteral("text"));
    // Pairs of hex digits; whitespace and ':' may separate bytes, never split one.
    static PayloadResult parseHex(QStringView hex, const QString &field = QStringLiteral("hex"));
    // parseText or parseHex, then the line ending.
    static PayloadResult parse(QStringView input, PayloadMode mode, LineEnding ending = LineEnding::None);

    // The inverse of parseText: parseText(escape(b)) == b for every b. Control characters
    // (and, for Utf8, invalid sequences and invisible format characters) come out as
    // escapes, so peer bytes cannot drive a terminal or reorder text.
    // maxChars >= 0 stops once the text reaches that length (never inside an escape) and
    // stores in *consumed how many bytes it covers: for displays that show a prefix.
    static QString escape(QByteArrayView bytes, EscapeStyle style = EscapeStyle::Utf8, qsizetype maxChars = -1,
                          qsizetype *consumed = nullptr);
    // "48 69 0a" (separator 0: "48690a").
    static QString toHex(QByteArrayView bytes, char separator = ' ');
    // "00000000  48 65 6c 6c 6f 0a                                 |Hello.|"
    static QString hexDump(QByteArrayView bytes, int bytesPerLine = 16);

    static QByteArray lineEndingBytes(LineEnding ending);
    static QString lineEndingLabel(LineEnding ending); // "None", "\\n (LF)", ...
};

} // namespace sockscope::core
