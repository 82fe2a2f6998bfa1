#include "responderoptions.h"

#include <QCommandLineParser>

namespace sockscope::cli {

using namespace sockscope::core;

QList<QCommandLineOption> responderOptions()
{
    return {
        {QStringLiteral("framing"),
         QStringLiteral("tcp: how the stream is cut into messages for --rule: recv (what each recv() returned, the "
                        "default), line (LF or CRLF), delim:TEXT, length:1|2|4[be|le], fixed:N."),
         QStringLiteral("SPEC")},
        {QStringLiteral("rule"),
         QStringLiteral("Answer a message by rule, first match wins (repeatable, in order): [OPTIONS]KIND:PATTERN=>REPLY. "
                        "KIND: equals, prefix, contains, regex or hex (?" "? any byte). REPLY takes escapes (\\n, \\xHH), "
                        "\\1..\\9 (regex captures) and macros such as {{COUNTER}}, {{PEER}}, {{LEN}}, {{TIME}}. "
                        "OPTIONS: once, times=N, delay=MS, then=close|shutdown. Replaces --mode."),
         QStringLiteral("RULE")},
        {QStringLiteral("counter-start"), QStringLiteral("The first value of {{COUNTER}} (default 1)."), QStringLiteral("N"),
         QStringLiteral("1")},
    };
}

std::expected<std::optional<Framing>, QString> framingFrom(const QCommandLineParser &parser, const QString &command, bool stream)
{
    if (!parser.isSet(QStringLiteral("framing")))
        return std::nullopt;
    if (!stream)
        return std::unexpected(command + QStringLiteral(": --framing: a datagram is already one message (tcp only)"));
    auto parsed = Framing::parse(parser.value(QStringLiteral("framing")), QStringLiteral("--framing"));
    if (!parsed)
        return std::unexpected(command + QStringLiteral(": ") + parsed.error().toString());
    return *parsed;
}

std::expected<std::shared_ptr<ResponderRules>, QString> responderFrom(const QCommandLineParser &parser, const QString &command,
                                                                     bool stream)
{
    const QStringList specs = parser.values(QStringLiteral("rule"));
    const bool framed = parser.isSet(QStringLiteral("framing"));
    bool ok = false;
    const quint64 start = parser.value(QStringLiteral("counter-start")).toULongLong(&ok);
    if (!ok)
        return std::unexpected(command + QStringLiteral(": --counter-start: give a whole number, 0 or more"));
    if (specs.isEmpty()) {
        if (framed)
            return std::unexpected(command + QStringLiteral(": --framing: cuts messages for --rule; give at least one --rule"));
        if (parser.isSet(QStringLiteral("counter-start")))
            return std::unexpected(command + QStringLiteral(": --counter-start: starts {{COUNTER}} of --rule; give at least one --rule"));
        return nullptr;
    }
    const auto given = framingFrom(parser, command, stream);
    if (!given)
        return std::unexpected(given.error());
    const Framing framing = given->value_or(Framing{});
    QList<ResponderRule> rules;
    for (qsizetype i = 0; i < specs.size(); ++i) {
        auto rule = ResponderRule::parse(specs[i], QStringLiteral("--rule %1").arg(i + 1));
        if (!rule)
            return std::unexpected(command + QStringLiteral(": ") + rule.error().toString());
        rules.append(*rule);
    }
    return std::make_shared<ResponderRules>(framing, rules, start);
}

} // namespace sockscope::cli
