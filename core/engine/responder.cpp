#include "responder.h"

#include <QStringDecoder>

namespace sockscope::core {

namespace {

struct MatchName
{
    ResponderRule::Match match;
    const char16_t *name;
};
constexpr MatchName kMatchNames[] = {
    {ResponderRule::Match::Equals, u"equals"}, {ResponderRule::Match::Prefix, u"prefix"},
    {ResponderRule::Match::Contains, u"contains"}, {ResponderRule::Match::Regex, u"regex"},
    {ResponderRule::Match::Hex, u"hex"},
};

QString messageText(QByteArrayView message, bool *utf8)
{
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    QString text = decoder(message);
    *utf8 = !decoder.hasError();
    return *utf8 ? text : QString::fromLatin1(message);
}

std::expected<void, SysError> parseHexPattern(QStringView hex, ResponderRule &rule, const QString &field)
{
    QString digits;
    for (QChar c : hex) {
        if (!c.isSpace() && c != u':')
            digits.append(c);
    }
    if (digits.isEmpty() || digits.size() % 2)
        return std::unexpected(SysError::input(field, QStringLiteral("hex: give pairs of hex digits, ?" "? for any byte")));
    for (qsizetype i = 0; i < digits.size(); i += 2) {
        const QStringView pair = QStringView(digits).mid(i, 2);
        if (pair == u"?\?") {
            rule.bytes.append('\0');
            rule.hexMask.append('\0');
            continue;
        }
        bool ok = false;
        const uint value = pair.toUInt(&ok, 16);
        if (!ok)
            return std::unexpected(SysError::input(field, QStringLiteral("hex: '%1' is not a byte (two hex digits or ?" "?)").arg(pair)));
        rule.bytes.append(char(value));
        rule.hexMask.append(char(0xff));
    }
    return {};
}

} // namespace

QString responderMatchName(ResponderRule::Match match)
{
    for (const auto &m : kMatchNames) {
        if (m.match == match)
            return QString::fromUtf16(m.name);
    }
    return {};
}

std::optional<ResponderRule::Match> responderMatchFromName(QStringView name)
{
    for (const auto &m : kMatchNames) {
        if (name == QStringView(m.name))
            return m.match;
    }
    return std::nullopt;
}

std::expected<ResponderRule, SysError> ResponderRule::make(Match match, QStringView pattern, QStringView reply, const QString &field)
{
    ResponderRule rule;
    rule.match = match;
    rule.pattern = pattern.toString();
    switch (match) {
    case Match::Regex:
        rule.regex = QRegularExpression(rule.pattern);
        if (!rule.regex.isValid())
            return std::unexpected(SysError::input(field, QStringLiteral("regex: %1 at character %2")
                                                              .arg(rule.regex.errorString())
                                                              .arg(rule.regex.patternErrorOffset())));
        break;
    case Match::Hex:
        if (auto parsed = parseHexPattern(pattern, rule, field); !parsed)
            return std::unexpected(parsed.error());
        break;
    default: {
        auto bytes = PayloadCodec::parseText(pattern, field);
        if (!bytes)
            return std::unexpected(bytes.error().error);
        if (bytes->isEmpty() && match != Match::Equals)
            return std::unexpected(SysError::input(field, QStringLiteral("%1: give the bytes to look for").arg(responderMatchName(match))));
        rule.bytes = *bytes;
    }
    }
    auto rendered = ReplyTemplate::parse(reply, field, ReplyTemplate::Captures::Allowed);
    if (!rendered)
        return std::unexpected(SysError::input(field, QStringLiteral("reply: %1 (at character %2)")
                                                          .arg(rendered.error().error.message())
                                                          .arg(rendered.error().position + 1)));
    rule.reply = *rendered;
    return rule;
}

std::expected<ResponderRule, SysError> ResponderRule::parse(QStringView spec, const QString &field)
{
    QStringView rest = spec;
    QStringView options;
    if (rest.startsWith(u'[')) {
        const qsizetype close = rest.indexOf(u']');
        if (close < 0)
            return std::unexpected(SysError::input(field, QStringLiteral("'[' opens options that are never closed with ']'")));
        options = rest.mid(1, close - 1);
        rest = rest.mid(close + 1);
    }
    const qsizetype colon = rest.indexOf(u':');
    const qsizetype arrow = rest.indexOf(u"=>");
    if (colon < 0 || arrow < colon)
        return std::unexpected(SysError::input(field, QStringLiteral("give KIND:PATTERN=>REPLY (KIND: equals, prefix, contains, regex or hex)")));
    const QStringView kind = rest.left(colon);
    const auto match = responderMatchFromName(kind);
    if (!match)
        return std::unexpected(SysError::input(field, QStringLiteral("'%1' is not a kind of match: give equals, prefix, contains, regex or hex").arg(kind)));
    auto rule = make(*match, rest.mid(colon + 1, arrow - colon - 1), rest.mid(arrow + 2), field);
    if (!rule)
        return rule;
    if (auto applied = rule->applyOptions(options, field); !applied)
        return std::unexpected(applied.error());
    return rule;
}

QString ResponderRule::summary() const
{
    return responderMatchName(match) + u' ' + pattern;
}

std::expected<void, SysError> ResponderRule::applyOptions(QStringView options, const QString &field)
{
    for (const QStringView option : options.split(u',', Qt::SkipEmptyParts)) {
        const QStringView o = option.trimmed();
        bool ok = true;
        if (o == u"once") {
            times = 1;
        } else if (o.startsWith(u"times=")) {
            times = o.mid(6).toULongLong(&ok);
            ok = ok && times > 0;
        } else if (o.startsWith(u"delay=")) {
            const qint64 ms = o.mid(6).toLongLong(&ok);
            ok = ok && ms >= 0 && ms <= 3'600'000;
            delay = std::chrono::milliseconds(ms);
        } else if (o == u"then=close") {
            after = After::Close;
        } else if (o == u"then=shutdown") {
            after = After::ShutdownWrite;
        } else {
            ok = false;
        }
        if (!ok)
            return std::unexpected(SysError::input(field, QStringLiteral("option '%1': give once, times=N (1 or more), delay=MS (0-3600000) "
                                                                          "or then=close|shutdown").arg(o)));
    }
    return {};
}

QString ResponderRule::optionsText() const
{
    QStringList options;
    if (times)
        options.append(QStringLiteral("times=%1").arg(times));
    if (delay.count())
        options.append(QStringLiteral("delay=%1").arg(delay.count()));
    if (after != After::Nothing)
        options.append(after == After::Close ? QStringLiteral("then=close") : QStringLiteral("then=shutdown"));
    return options.join(u',');
}

QString ResponderRule::toString() const
{
    const QString options = optionsText();
    const QString head = options.isEmpty() ? QString() : u'[' + options + u']';
    return head + responderMatchName(match) + u':' + pattern + QStringLiteral("=>") + reply.text();
}

bool ResponderRule::matches(QByteArrayView message, QList<QByteArray> *captures) const
{
    switch (match) {
    case Match::Equals:
        return message == bytes;
    case Match::Prefix:
        return message.startsWith(bytes);
    case Match::Contains:
        return message.contains(bytes);
    case Match::Hex:
        if (message.size() < bytes.size())
            return false;
        for (qsizetype i = 0; i < bytes.size(); ++i) {
            if ((message[i] & hexMask[i]) != bytes[i])
                return false;
        }
        return true;
    case Match::Regex: {
        bool utf8 = true;
        const QRegularExpressionMatch m = regex.match(messageText(message, &utf8));
        if (!m.hasMatch())
            return false;
        if (captures) {
            captures->clear();
            for (int i = 1; i <= m.lastCapturedIndex(); ++i)
                captures->append(utf8 ? m.captured(i).toUtf8() : m.captured(i).toLatin1());
        }
        return true;
    }
    }
    return false;
}

ResponderRules::ResponderRules(Framing framing, QList<ResponderRule> rules, quint64 counterStart)
    : m_framing(std::move(framing))
    , m_rules(std::move(rules))
    , m_hits(std::make_unique<std::atomic<quint64>[]>(size_t(m_rules.size())))
    , m_counter(counterStart)
{
}

qsizetype ResponderRules::claim(QByteArrayView message, QList<QByteArray> *captures, QString *why)
{
    QStringList spent;
    for (qsizetype i = 0; i < m_rules.size(); ++i) {
        const ResponderRule &rule = m_rules[i];
        if (!rule.matches(message, captures))
            continue;
        std::atomic<quint64> &hits = m_hits[size_t(i)];
        quint64 seen = hits.load(std::memory_order_relaxed);
        do {
            if (rule.times && seen >= rule.times)
                break;
        } while (!hits.compare_exchange_weak(seen, seen + 1, std::memory_order_relaxed));
        if (rule.times && seen >= rule.times) {
            spent.append(QStringLiteral("rule %1 matched but has fired its %2 time(s)").arg(i + 1).arg(rule.times));
            continue;
        }
        *why = QStringLiteral("rule %1 (%2) answered the %3-byte message, hit %4").arg(i + 1).arg(rule.summary()).arg(message.size()).arg(seen + 1);
        return i;
    }
    *why = QStringLiteral("no rule answered the %1-byte message %2: %3")
               .arg(message.size())
               .arg(PayloadCodec::escape(message, EscapeStyle::Utf8, 60),
                    spent.isEmpty() ? QStringLiteral("none of the %1 rule(s) matched it").arg(m_rules.size())
                                    : spent.join(QStringLiteral("; ")));
    return -1;
}

Responder::Responder(std::shared_ptr<ResponderRules> rules) : m_rules(std::move(rules)), m_framer(m_rules->framing()) {}

Service::Reply Responder::onData(QByteArrayView data)
{
    Reply merged;
    for (Reply &r : replies(data, Address())) {
        if (r.bytes)
            merged.bytes = merged.bytes.value_or(QByteArray()) + *r.bytes;
        merged.close = merged.close || r.close;
        merged.note += (merged.note.isEmpty() ? QString() : QStringLiteral("; ")) + r.note;
    }
    return merged;
}

std::vector<Service::Reply> Responder::replies(QByteArrayView data, const Address &peer)
{
    std::vector<Reply> out;
    auto messages = m_framer.feed(data);
    if (!messages) {
        Reply r;
        r.close = true;
        r.note = QStringLiteral("framing %1: %2; closing").arg(m_rules->framing().toString(), messages.error().message());
        out.push_back(std::move(r));
        return out;
    }
    for (const QByteArray &message : *messages) {
        MacroContext context;
        Reply r;
        const qsizetype rule = m_rules->claim(message, &context.captures, &r.note);
        if (rule >= 0) {
            const ResponderRule &answer = m_rules->rules()[rule];
            context.length = message.size();
            if (peer.isValid())
                context.peer = peer;
            if (answer.reply.usesCounter())
                context.counter = m_rules->nextCounter();
            r.bytes = answer.reply.render(context);
            r.delay = answer.delay;
            r.close = answer.after == ResponderRule::After::Close;
            r.shutdownWrite = answer.after == ResponderRule::After::ShutdownWrite;
        }
        out.push_back(std::move(r));
    }
    return out;
}

} // namespace sockscope::core
