#include "framing.h"

#include "../net/payloadcodec.h"

#include <QtEndian>

namespace sockscope::core {

namespace {

SysError bad(const QString &field, const QString &what)
{
    return SysError::input(field, what);
}

} // namespace

std::expected<Framing, SysError> Framing::parse(QStringView spec, const QString &field)
{
    Framing f;
    const qsizetype colon = spec.indexOf(u':');
    const QStringView name = colon < 0 ? spec : spec.left(colon);
    const QStringView arg = colon < 0 ? QStringView() : spec.mid(colon + 1);
    if (name == u"recv" && colon < 0) {
        f.kind = Kind::PerRecv;
    } else if (name == u"line" && colon < 0) {
        f.kind = Kind::Line;
    } else if (name == u"delim") {
        auto bytes = PayloadCodec::parseText(arg, field);
        if (!bytes)
            return std::unexpected(bytes.error().error);
        if (bytes->isEmpty())
            return std::unexpected(bad(field, QStringLiteral("delim: give the bytes that end a message, e.g. delim:\\r\\n")));
        f.kind = Kind::Delimiter;
        f.delimiter = *bytes;
    } else if (name == u"length") {
        f.kind = Kind::LengthPrefix;
        QStringView width = arg;
        if (width.endsWith(u"le")) {
            f.bigEndian = false;
            width.chop(2);
        } else if (width.endsWith(u"be")) {
            width.chop(2);
        }
        if (!width.isEmpty()) {
            bool ok = false;
            f.prefixBytes = width.toInt(&ok);
            if (!ok || (f.prefixBytes != 1 && f.prefixBytes != 2 && f.prefixBytes != 4))
                return std::unexpected(bad(field, QStringLiteral("length: the prefix is 1, 2 or 4 bytes, then be or le (e.g. length:4le)")));
        }
    } else if (name == u"fixed") {
        bool ok = false;
        f.kind = Kind::Fixed;
        f.size = arg.toInt(&ok);
        if (!ok || f.size < 1 || f.size > Framer::kMaxMessage)
            return std::unexpected(bad(field, QStringLiteral("fixed: give the message size in bytes, 1 or more (e.g. fixed:16)")));
    } else {
        return std::unexpected(bad(field, QStringLiteral("'%1' is not a framing: give recv, line, delim:TEXT, length:1|2|4[be|le] or fixed:N")
                                              .arg(spec.toString())));
    }
    return f;
}

QString Framing::toString() const
{
    switch (kind) {
    case Kind::PerRecv:
        return QStringLiteral("recv");
    case Kind::Line:
        return QStringLiteral("line");
    case Kind::Delimiter:
        return QStringLiteral("delim:") + PayloadCodec::escape(delimiter, EscapeStyle::Ascii);
    case Kind::LengthPrefix:
        return QStringLiteral("length:%1%2").arg(prefixBytes).arg(bigEndian ? QStringLiteral("be") : QStringLiteral("le"));
    case Kind::Fixed:
        return QStringLiteral("fixed:%1").arg(size);
    }
    return {};
}

Framer::Framer(Framing framing) : m_framing(std::move(framing)) {}

std::expected<QList<QByteArray>, SysError> Framer::feed(QByteArrayView bytes)
{
    QList<QByteArray> out;
    if (m_spent)
        return std::unexpected(bad(QStringLiteral("framing"), QStringLiteral("the stream was already out of step")));
    if (m_framing.kind == Framing::Kind::PerRecv) {
        if (!bytes.isEmpty())
            out.append(bytes.toByteArray());
        return out;
    }
    m_buffer.append(bytes);
    if (auto done = cut(out); !done) {
        m_spent = true;
        m_buffer.clear();
        return std::unexpected(done.error());
    }
    return out;
}

std::expected<void, SysError> Framer::cut(QList<QByteArray> &out)
{
    qsizetype start = 0;
    const auto tooLong = [](qsizetype n) {
        return bad(QStringLiteral("framing"),
                   QStringLiteral("a message of %1 bytes is longer than the %2 MiB allowed").arg(n).arg(Framer::kMaxMessage >> 20));
    };
    for (;;) {
        const QByteArrayView rest = QByteArrayView(m_buffer).sliced(start);
        qsizetype take = -1, skip = 0, begin = 0; // message = rest[begin, begin + take), then skip more
        switch (m_framing.kind) {
        case Framing::Kind::PerRecv:
            return {};
        case Framing::Kind::Line: {
            const qsizetype lf = rest.indexOf('\n');
            if (lf >= 0) {
                take = lf > 0 && rest[lf - 1] == '\r' ? lf - 1 : lf;
                skip = lf + 1 - take;
            }
            break;
        }
        case Framing::Kind::Delimiter: {
            const qsizetype at = rest.indexOf(m_framing.delimiter);
            if (at >= 0) {
                take = at;
                skip = m_framing.delimiter.size();
            }
            break;
        }
        case Framing::Kind::LengthPrefix: {
            const int w = m_framing.prefixBytes;
            if (rest.size() >= w) {
                const auto *p = reinterpret_cast<const uchar *>(rest.data());
                const quint64 n = w == 1 ? p[0]
                                  : w == 2 ? (m_framing.bigEndian ? qFromBigEndian<quint16>(p) : qFromLittleEndian<quint16>(p))
                                           : (m_framing.bigEndian ? qFromBigEndian<quint32>(p) : qFromLittleEndian<quint32>(p));
                if (n > quint64(Framer::kMaxMessage))
                    return std::unexpected(tooLong(qsizetype(n)));
                if (rest.size() >= w + qsizetype(n)) {
                    begin = w;
                    take = qsizetype(n);
                }
            }
            break;
        }
        case Framing::Kind::Fixed:
            if (rest.size() >= m_framing.size)
                take = m_framing.size;
            break;
        }
        if (take < 0) {
            if (rest.size() > Framer::kMaxMessage)
                return std::unexpected(tooLong(rest.size()));
            break;
        }
        out.append(rest.sliced(begin, take).toByteArray());
        start += begin + take + skip;
    }
    m_buffer.remove(0, start);
    return {};
}

} // namespace sockscope::core
