#include "converters.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <bit>
#include <cerrno>
#include <cstring>

namespace sockscope::core {

namespace {

SysError badLength(const char *call, qsizetype got, int want)
{
    return SysError::input(QStringLiteral("packed"),
                           QStringLiteral("%1 needs %2 bytes, got %3").arg(QLatin1String(call)).arg(want).arg(got));
}

// Describes how inet_aton reads one dot-separated part (strtoul with base 0).
QString describePart(QStringView part)
{
    bool ok = false;
    if (part.size() > 2 && (part.startsWith(u"0x") || part.startsWith(u"0X"))) {
        const qulonglong v = part.mid(2).toULongLong(&ok, 16);
        return ok ? QStringLiteral("%1 is hexadecimal: %2").arg(part).arg(v) : QString();
    }
    if (part.size() > 1 && part.startsWith(u'0')) {
        const qulonglong v = part.toULongLong(&ok, 8);
        return ok ? QStringLiteral("%1 is octal (leading 0): %2").arg(part).arg(v) : QString();
    }
    return {};
}

QByteArray bytesOf(quint32 value, int width, bool bigEndian)
{
    QByteArray out(width, '\0');
    for (int i = 0; i < width; ++i) {
        const int shift = bigEndian ? 8 * (width - 1 - i) : 8 * i;
        out[i] = char((value >> shift) & 0xff);
    }
    return out;
}

} // namespace

std::expected<QByteArray, SysError> Converters::inetPton(int family, QStringView text)
{
    if (family != AF_INET && family != AF_INET6)
        return std::unexpected(SysError::fromErrno(EAFNOSUPPORT));
    QByteArray packed(family == AF_INET ? 4 : 16, '\0');
    const QByteArray t = text.toLatin1();
    if (inet_pton(family, t.constData(), packed.data()) != 1) {
        return std::unexpected(SysError::input(QStringLiteral("address"),
                                               QStringLiteral("illegal IP address string passed to inet_pton")));
    }
    return packed;
}

std::expected<QString, SysError> Converters::inetNtop(int family, QByteArrayView packed)
{
    if (family != AF_INET && family != AF_INET6)
        return std::unexpected(SysError::fromErrno(EAFNOSUPPORT));
    const int want = family == AF_INET ? 4 : 16;
    if (packed.size() != want)
        return std::unexpected(badLength("inet_ntop", packed.size(), want));
    char text[INET6_ADDRSTRLEN] = {};
    if (!inet_ntop(family, packed.data(), text, sizeof text))
        return std::unexpected(SysError::lastErrno());
    return QString::fromLatin1(text);
}

std::expected<AtonResult, SysError> Converters::inetAton(QStringView text)
{
    const QByteArray t = text.toLatin1();
    in_addr addr{};
    if (inet_aton(t.constData(), &addr) == 0) {
        return std::unexpected(SysError::input(QStringLiteral("address"),
                                               QStringLiteral("illegal IP address string passed to inet_aton")));
    }
    AtonResult r;
    r.packed = QByteArray(reinterpret_cast<const char *>(&addr), sizeof addr);
    r.dotted = *inetNtop(AF_INET, r.packed);

    // inet_aton stops at the first white space and ignores what follows.
    QStringView used = text;
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (text[i].isSpace()) {
            used = text.left(i);
            r.notes.append(QStringLiteral("everything from the first space on is ignored"));
            break;
        }
    }
    const QList<QStringView> parts = used.split(u'.');
    static const char *const kForms[] = {"a", "a.b", "a.b.c", "a.b.c.d"};
    r.form = QLatin1String(kForms[std::clamp<qsizetype>(parts.size(), 1, 4) - 1]);
    switch (parts.size()) {
    case 1:
        r.notes.append(QStringLiteral("one number: it is the whole 32-bit address"));
        break;
    case 2:
        r.notes.append(QStringLiteral("a.b: %1 is the first byte, %2 fills the last 3 bytes (24 bits)")
                           .arg(parts[0], parts[1]));
        break;
    case 3:
        r.notes.append(QStringLiteral("a.b.c: %1 and %2 are the first bytes, %3 fills the last 2 bytes (16 bits)")
                           .arg(parts[0], parts[1], parts[2]));
        break;
    default:
        break;
    }
    for (QStringView part : parts) {
        if (const QString d = describePart(part); !d.isEmpty())
            r.notes.append(d);
    }
    r.legacy = !inetPton(AF_INET, text).has_value();
    return r;
}

std::expected<QString, SysError> Converters::inetNtoa(QByteArrayView packed)
{
    if (packed.size() != 4)
        return std::unexpected(badLength("inet_ntoa", packed.size(), 4));
    return inetNtop(AF_INET, packed);
}

std::expected<ByteOrderResult, SysError> Converters::byteOrder(ByteOrderCall call, qint64 value)
{
    ByteOrderResult r;
    r.call = call;
    r.width = (call == ByteOrderCall::Htons || call == ByteOrderCall::Ntohs) ? 2 : 4;
    const qint64 max = r.width == 2 ? 0xffff : 0xffffffffLL;
    if (value < 0 || value > max) {
        return std::unexpected(SysError::input(
            QStringLiteral("value"),
            QStringLiteral("%1 takes 0 to %2 (a %3-bit unsigned integer)").arg(callName(call)).arg(max).arg(r.width * 8)));
    }
    r.input = quint32(value);
    switch (call) {
    case ByteOrderCall::Htons: r.output = htons(quint16(value)); break;
    case ByteOrderCall::Ntohs: r.output = ntohs(quint16(value)); break;
    case ByteOrderCall::Htonl: r.output = htonl(quint32(value)); break;
    case ByteOrderCall::Ntohl: r.output = ntohl(quint32(value)); break;
    }
    const bool little = hostIsLittleEndian();
    r.inputInMemory = bytesOf(r.input, r.width, !little);
    r.inputBigEndian = bytesOf(r.input, r.width, true);
    r.outputInMemory = bytesOf(r.output, r.width, !little);
    return r;
}

QString Converters::callName(ByteOrderCall call)
{
    switch (call) {
    case ByteOrderCall::Htons: return QStringLiteral("htons");
    case ByteOrderCall::Htonl: return QStringLiteral("htonl");
    case ByteOrderCall::Ntohs: return QStringLiteral("ntohs");
    case ByteOrderCall::Ntohl: return QStringLiteral("ntohl");
    }
    return {};
}

bool Converters::hostIsLittleEndian()
{
    return std::endian::native == std::endian::little;
}

} // namespace sockscope::core
