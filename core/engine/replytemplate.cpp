#include "replytemplate.h"

#include <QDateTime>
#include <QRandomGenerator>

namespace sockscope::core {

namespace {

PayloadError errorAt(const QString &field, const QString &what, qsizetype position, qsizetype length)
{
    return PayloadError{SysError::input(field, what), position, length};
}

} // namespace

QStringList ReplyTemplate::macroNames()
{
    return {QStringLiteral("{{COUNTER}}"), QStringLiteral("{{DATE}}"), QStringLiteral("{{TIME}}"),
            QStringLiteral("{{UNIXTIME}}"), QStringLiteral("{{UNIXTIME_MS}}"), QStringLiteral("{{RANDOM:a-b}}"),
            QStringLiteral("{{RANDOMHEX:n}}"), QStringLiteral("{{PEER}}"), QStringLiteral("{{LEN}}")};
}

std::expected<ReplyTemplate, PayloadError> ReplyTemplate::parse(QStringView text, const QString &field, Captures captures)
{
    ReplyTemplate t;
    t.m_text = text.toString();
    qsizetype literalStart = 0;
    const auto flushLiteral = [&](qsizetype end) -> std::optional<PayloadError> {
        if (end <= literalStart)
            return std::nullopt;
        auto bytes = PayloadCodec::parseText(text.mid(literalStart, end - literalStart), field);
        if (!bytes) {
            PayloadError e = bytes.error();
            e.position += literalStart;
            return e;
        }
        if (!t.m_pieces.empty() && t.m_pieces.back().kind == Kind::Bytes)
            t.m_pieces.back().bytes += *bytes;
        else
            t.m_pieces.push_back(Piece{Kind::Bytes, *bytes});
        return std::nullopt;
    };
    qsizetype i = 0;
    while (i < text.size()) {
        if (text[i] == u'\\' && i + 1 < text.size()) {
            const QChar next = text[i + 1];
            if (next >= u'1' && next <= u'9') {
                if (captures == Captures::Refused)
                    return std::unexpected(errorAt(field, QStringLiteral("\\%1 stands for a regex capture, which only a reply has").arg(next), i, 2));
                if (auto e = flushLiteral(i))
                    return std::unexpected(*e);
                t.m_pieces.push_back(Piece{Kind::Capture, {}, next.digitValue()});
                i += 2;
                literalStart = i;
                continue;
            }
            i += 2; // an escape (parseText checks it), never the start of a macro
            continue;
        }
        if (text.mid(i).startsWith(u"{{")) {
            const qsizetype close = text.indexOf(u"}}", i + 2);
            if (close < 0)
                return std::unexpected(errorAt(field, QStringLiteral("'{{' starts a macro that is never closed with '}}'"), i, 2));
            const QStringView body = text.mid(i + 2, close - i - 2);
            const qsizetype colon = body.indexOf(u':');
            const QStringView name = colon < 0 ? body : body.left(colon);
            const QStringView arg = colon < 0 ? QStringView() : body.mid(colon + 1);
            Piece piece;
            const qsizetype length = close + 2 - i;
            const auto noArgument = [&](Kind kind) -> std::optional<PayloadError> {
                if (colon >= 0)
                    return errorAt(field, QStringLiteral("{{%1}} takes no argument").arg(name), i, length);
                piece.kind = kind;
                return std::nullopt;
            };
            std::optional<PayloadError> error;
            if (name == u"COUNTER")
                error = noArgument(Kind::Counter);
            else if (name == u"DATE")
                error = noArgument(Kind::Date);
            else if (name == u"TIME")
                error = noArgument(Kind::Time);
            else if (name == u"UNIXTIME")
                error = noArgument(Kind::UnixTime);
            else if (name == u"UNIXTIME_MS")
                error = noArgument(Kind::UnixTimeMs);
            else if (name == u"PEER")
                error = noArgument(Kind::Peer);
            else if (name == u"LEN")
                error = noArgument(Kind::Length);
            else if (name == u"RANDOM") {
                const qsizetype dash = arg.indexOf(u'-', 1); // a leading '-' is a sign
                bool okA = false, okB = false;
                piece.kind = Kind::Random;
                if (dash > 0) {
                    piece.a = arg.left(dash).toLongLong(&okA);
                    piece.b = arg.mid(dash + 1).toLongLong(&okB);
                }
                constexpr qint64 kLimit = qint64(1) << 53; // keeps b - a + 1 in range
                if (!okA || !okB || piece.a > piece.b || piece.a < -kLimit || piece.b > kLimit)
                    error = errorAt(field, QStringLiteral("{{RANDOM:a-b}} needs two whole numbers, a <= b (e.g. {{RANDOM:1-6}})"), i, length);
            } else if (name == u"RANDOMHEX") {
                bool ok = false;
                piece.kind = Kind::RandomHex;
                piece.a = arg.toLongLong(&ok);
                if (!ok || piece.a < 1 || piece.a > 4096)
                    error = errorAt(field, QStringLiteral("{{RANDOMHEX:n}} needs a number of hex digits, 1 to 4096"), i, length);
            } else {
                error = errorAt(field,
                                QStringLiteral("{{%1}} is not a macro; there are %2").arg(body, macroNames().join(QStringLiteral(", "))),
                                i, length);
            }
            if (error)
                return std::unexpected(*error);
            if (auto e = flushLiteral(i))
                return std::unexpected(*e);
            t.m_pieces.push_back(piece);
            i = close + 2;
            literalStart = i;
            continue;
        }
        ++i;
    }
    if (auto e = flushLiteral(text.size()))
        return std::unexpected(*e);
    return t;
}

bool ReplyTemplate::usesCounter() const
{
    return std::any_of(m_pieces.begin(), m_pieces.end(), [](const Piece &p) { return p.kind == Kind::Counter; });
}

QByteArray ReplyTemplate::render(const MacroContext &context) const
{
    QByteArray out;
    const auto now = [] { return QDateTime::currentDateTime(); };
    for (const Piece &p : m_pieces) {
        switch (p.kind) {
        case Kind::Bytes:
            out += p.bytes;
            break;
        case Kind::Capture:
            if (p.a - 1 < context.captures.size())
                out += context.captures[p.a - 1];
            break;
        case Kind::Counter:
            out += QByteArray::number(context.counter);
            break;
        case Kind::Date:
            out += now().toString(QStringLiteral("yyyy-MM-dd")).toLatin1();
            break;
        case Kind::Time:
            out += now().toString(QStringLiteral("HH:mm:ss")).toLatin1();
            break;
        case Kind::UnixTime:
            out += QByteArray::number(QDateTime::currentSecsSinceEpoch());
            break;
        case Kind::UnixTimeMs:
            out += QByteArray::number(QDateTime::currentMSecsSinceEpoch());
            break;
        case Kind::Random:
            out += QByteArray::number(p.a + qint64(QRandomGenerator::global()->bounded(quint64(p.b - p.a) + 1)));
            break;
        case Kind::RandomHex: {
            static constexpr char kDigits[] = "0123456789abcdef";
            for (qint64 n = 0; n < p.a; ++n)
                out += kDigits[QRandomGenerator::global()->bounded(16)];
            break;
        }
        case Kind::Peer:
            if (context.peer)
                out += context.peer->toString().toUtf8();
            break;
        case Kind::Length:
            if (context.length >= 0)
                out += QByteArray::number(context.length);
            break;
        }
    }
    return out;
}

} // namespace sockscope::core
