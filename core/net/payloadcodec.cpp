#include "payloadcodec.h"

#include <QChar>

namespace sockscope::core {

namespace {

int hexValue(QChar c)
{
    const char16_t u = c.unicode();
    if (u >= '0' && u <= '9')
        return u - '0';
    if (u >= 'a' && u <= 'f')
        return u - 'a' + 10;
    if (u >= 'A' && u <= 'F')
        return u - 'A' + 10;
    return -1;
}

bool isHexSeparator(QChar c)
{
    return c == u':' || c == u' ' || c == u'\t' || c == u'\n' || c == u'\r';
}

// How the offending character reads in a message: printable as itself, others by code.
QString describe(QChar c)
{
    if (c.isPrint() && !c.isSpace())
        return QStringLiteral("'%1'").arg(c);
    return QStringLiteral("U+%1").arg(int(c.unicode()), 4, 16, QLatin1Char('0')).toUpper();
}

PayloadError makeError(const QString &field, const QString &message, qsizetype position, qsizetype length = 1)
{
    return PayloadError{SysError::input(field, message), position, length};
}

// Length of the well-formed UTF-8 sequence at `i` whose code point is worth showing as a
// character; 0 when the bytes there must be escaped instead.
qsizetype printableUtf8At(QByteArrayView bytes, qsizetype i, char32_t &cp)
{
    const auto b0 = static_cast<unsigned char>(bytes[i]);
    qsizetype len = 0;
    char32_t min = 0;
    if (b0 >= 0xC2 && b0 <= 0xDF) {
        len = 2;
        cp = b0 & 0x1F;
        min = 0x80;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
        len = 3;
        cp = b0 & 0x0F;
        min = 0x800;
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
        len = 4;
        cp = b0 & 0x07;
        min = 0x10000;
    } else {
        return 0;
    }
    if (i + len > bytes.size())
        return 0;
    for (qsizetype k = 1; k < len; ++k) {
        const auto b = static_cast<unsigned char>(bytes[i + k]);
        if ((b & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (b & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    // Control, format (bidi overrides, zero-width), separators that break lines,
    // private and unassigned code points: invisible or misleading, so escaped.
    switch (QChar::category(cp)) {
    case QChar::Other_Control:
    case QChar::Other_Format:
    case QChar::Other_Surrogate:
    case QChar::Other_PrivateUse:
    case QChar::Other_NotAssigned:
    case QChar::Separator_Line:
    case QChar::Separator_Paragraph:
        return 0;
    default:
        return len;
    }
}

void appendByteEscape(QString &out, unsigned char c)
{
    static constexpr char kDigits[] = "0123456789abcdef";
    out += QLatin1String("\\x");
    out += QLatin1Char(kDigits[c >> 4]);
    out += QLatin1Char(kDigits[c & 0xF]);
}

} // namespace

QString PayloadError::toString() const
{
    return QStringLiteral("%1 (at character %2)").arg(error.toString()).arg(position + 1);
}

PayloadResult PayloadCodec::parseText(QStringView text, const QString &field)
{
    QByteArray out;
    out.reserve(text.size());
    qsizetype runStart = 0;
    auto flushRun = [&](qsizetype end) {
        if (end > runStart)
            out += text.sliced(runStart, end - runStart).toUtf8();
    };
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (text[i] != u'\\')
            continue;
        flushRun(i);
        if (i + 1 >= text.size())
            return std::unexpected(makeError(field, QStringLiteral("a lone \\ at the end; write \\\\ for a backslash"), i));
        const QChar e = text[i + 1];
        switch (e.unicode()) {
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case '0': out += '\0'; break;
        case '\\': out += '\\'; break;
        case 'x': {
            int value = 0;
            for (qsizetype k = i + 2; k < i + 4; ++k) {
                if (k >= text.size())
                    return std::unexpected(makeError(field, QStringLiteral("\\x needs two hex digits, as in \\x0a"), i, text.size() - i));
                const int v = hexValue(text[k]);
                if (v < 0)
                    return std::unexpected(makeError(field, QStringLiteral("%1 is not a hex digit (0-9, a-f); \\x needs two, as in \\x0a").arg(describe(text[k])), k));
                value = value * 16 + v;
            }
            out += char(value);
            i += 2;
            break;
        }
        default:
            return std::unexpected(makeError(field, QStringLiteral("unknown escape \\%1; use \\n \\r \\t \\0 \\xHH, or \\\\ for a backslash").arg(e), i, 2));
        }
        ++i;
        runStart = i + 1;
    }
    flushRun(text.size());
    return out;
}

PayloadResult PayloadCodec::parseHex(QStringView hex, const QString &field)
{
    QByteArray out;
    out.reserve(hex.size() / 2);
    for (qsizetype i = 0; i < hex.size(); ++i) {
        if (isHexSeparator(hex[i]))
            continue;
        const int hi = hexValue(hex[i]);
        if (hi < 0)
            return std::unexpected(makeError(field, QStringLiteral("%1 is not a hex digit (0-9, a-f)").arg(describe(hex[i])), i));
        if (i + 1 >= hex.size() || isHexSeparator(hex[i + 1]))
            return std::unexpected(makeError(field, QStringLiteral("odd number of hex digits: '%1' stands alone; a byte needs two digits").arg(hex[i]), i));
        const int lo = hexValue(hex[i + 1]);
        if (lo < 0)
            return std::unexpected(makeError(field, QStringLiteral("%1 is not a hex digit (0-9, a-f)").arg(describe(hex[i + 1])), i + 1));
        out += char(hi * 16 + lo);
        ++i;
    }
    return out;
}

PayloadResult PayloadCodec::parse(QStringView input, PayloadMode mode, LineEnding ending)
{
    PayloadResult r = mode == PayloadMode::Hex ? parseHex(input) : parseText(input);
    if (r)
        r->append(lineEndingBytes(ending));
    return r;
}

QString PayloadCodec::escape(QByteArrayView bytes, EscapeStyle style, qsizetype maxChars, qsizetype *consumed)
{
    QString out;
    out.reserve(maxChars >= 0 ? std::min(maxChars + 4, bytes.size() * 4) : bytes.size());
    qsizetype i = 0;
    bool afterChar = false; // the last thing written was a character, not an escape
    for (; i < bytes.size(); ++i) {
        if (maxChars >= 0 && out.size() >= maxChars)
            break;
        const auto c = static_cast<unsigned char>(bytes[i]);
        const bool followsChar = afterChar;
        afterChar = false;
        switch (c) {
        case '\n': out += QLatin1String("\\n"); continue;
        case '\r': out += QLatin1String("\\r"); continue;
        case '\t': out += QLatin1String("\\t"); continue;
        case '\0': out += QLatin1String("\\0"); continue;
        case '\\': out += QLatin1String("\\\\"); continue;
        default: break;
        }
        if (c >= 0x20 && c < 0x7f) {
            out += QLatin1Char(char(c));
            afterChar = true;
            continue;
        }
        if (c >= 0x80 && style == EscapeStyle::Utf8) {
            char32_t cp = 0;
            const qsizetype len = printableUtf8At(bytes, i, cp);
            // A combining mark draws on the character before it: after an escape it would
            // alter how the escape reads ("\x14" + U+0303 shows as "\x14̃"), so it is escaped.
            const QChar::Category category = len ? QChar::category(cp) : QChar::Other_NotAssigned;
            const bool mark = category == QChar::Mark_NonSpacing || category == QChar::Mark_SpacingCombining
                || category == QChar::Mark_Enclosing;
            if (len && (followsChar || !mark)) {
                out += QStringView(QChar::fromUcs4(cp));
                i += len - 1;
                afterChar = true;
                continue;
            }
        }
        appendByteEscape(out, c);
    }
    if (consumed)
        *consumed = i;
    return out;
}

QString PayloadCodec::toHex(QByteArrayView bytes, char separator)
{
    return QString::fromLatin1(bytes.toByteArray().toHex(separator));
}

QString PayloadCodec::hexDump(QByteArrayView bytes, int bytesPerLine)
{
    if (bytesPerLine < 1)
        bytesPerLine = 16;
    static constexpr char kDigits[] = "0123456789abcdef";
    QString out;
    const qsizetype lines = (bytes.size() + bytesPerLine - 1) / bytesPerLine;
    out.reserve(lines * (12 + bytesPerLine * 4 + 4));
    for (qsizetype off = 0; off < bytes.size(); off += bytesPerLine) {
        const qsizetype n = std::min<qsizetype>(bytesPerLine, bytes.size() - off);
        out += QStringLiteral("%1  ").arg(off, 8, 16, QLatin1Char('0'));
        for (int k = 0; k < bytesPerLine; ++k) {
            if (k < n) {
                const auto c = static_cast<unsigned char>(bytes[off + k]);
                out += QLatin1Char(kDigits[c >> 4]);
                out += QLatin1Char(kDigits[c & 0xF]);
                out += QLatin1Char(' ');
            } else {
                out += QLatin1String("   ");
            }
            if (k % 8 == 7 && k + 1 < bytesPerLine)
                out += QLatin1Char(' ');
        }
        out += QLatin1String(" |");
        for (qsizetype k = 0; k < n; ++k) {
            const auto c = static_cast<unsigned char>(bytes[off + k]);
            out += QLatin1Char(c >= 0x20 && c < 0x7f ? char(c) : '.');
        }
        out += QLatin1String("|\n");
    }
    return out;
}

QByteArray PayloadCodec::lineEndingBytes(LineEnding ending)
{
    switch (ending) {
    case LineEnding::None: return {};
    case LineEnding::Lf: return QByteArrayLiteral("\n");
    case LineEnding::CrLf: return QByteArrayLiteral("\r\n");
    case LineEnding::Cr: return QByteArrayLiteral("\r");
    }
    return {};
}

QString PayloadCodec::lineEndingLabel(LineEnding ending)
{
    switch (ending) {
    case LineEnding::None: return QStringLiteral("No line ending");
    case LineEnding::Lf: return QStringLiteral("LF (\\n)");
    case LineEnding::CrLf: return QStringLiteral("CR LF (\\r\\n)");
    case LineEnding::Cr: return QStringLiteral("CR (\\r)");
    }
    return {};
}

} // namespace sockscope::core
