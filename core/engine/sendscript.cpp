#include "sendscript.h"

#include "../net/payloadcodec.h"

namespace sockscope::core {

namespace {

constexpr qint64 kMaxSleepMs = 3'600'000;
constexpr int kMaxRepeat = 1'000'000;

SysError bad(const QString &field, const QString &what)
{
    return SysError::input(field, what + QStringLiteral("; accepted: ") + SendScript::syntaxHelp());
}

// "PATTERN@SECONDS": the last '@' starts a timeout only when a number follows it, so a
// pattern may hold '@' (write \x40 for a pattern that ends in '@' and a number).
std::pair<QStringView, std::optional<double>> splitTimeout(QStringView rest)
{
    const qsizetype at = rest.lastIndexOf(u'@');
    if (at < 0)
        return {rest, std::nullopt};
    bool ok = false;
    const double seconds = rest.mid(at + 1).toDouble(&ok);
    if (!ok)
        return {rest, std::nullopt};
    return {rest.left(at), seconds};
}

} // namespace

QString SendScript::syntaxHelp()
{
    return QStringLiteral("send:TEXT, sendhex:HEX, expect:KIND:PATTERN[@SECONDS] (KIND: equals, prefix, contains, regex, hex), "
                          "sleep:MS, shutdown, close, repeat:N ... end");
}

std::expected<ScriptStep, SysError> ScriptStep::parse(QStringView spec, const QString &field)
{
    ScriptStep step;
    step.text = spec.toString();
    const qsizetype colon = spec.indexOf(u':');
    const QStringView verb = colon < 0 ? spec : spec.left(colon);
    const QStringView arg = colon < 0 ? QStringView() : spec.mid(colon + 1);
    const bool hasArg = colon >= 0;
    bool ok = false;

    if (verb == u"send" && hasArg) {
        auto parsed = ReplyTemplate::parse(arg, field);
        if (!parsed)
            return std::unexpected(SysError::input(field, QStringLiteral("send: %1 (at character %2)")
                                                              .arg(parsed.error().error.message())
                                                              .arg(parsed.error().position + 1)));
        step.kind = Kind::Send;
        step.send = *std::move(parsed);
    } else if (verb == u"sendhex" && hasArg) {
        auto parsed = PayloadCodec::parseHex(arg, field);
        if (!parsed)
            return std::unexpected(SysError::input(field, QStringLiteral("sendhex: ") + parsed.error().toString()));
        step.kind = Kind::SendHex;
        step.bytes = *std::move(parsed);
    } else if (verb == u"expect" && hasArg) {
        const qsizetype kindEnd = arg.indexOf(u':');
        const auto match = kindEnd < 0 ? std::nullopt : responderMatchFromName(arg.left(kindEnd));
        if (!match)
            return std::unexpected(bad(field, QStringLiteral("expect: give expect:KIND:PATTERN[@SECONDS]")));
        const auto [pattern, seconds] = splitTimeout(arg.mid(kindEnd + 1));
        if (seconds && (*seconds <= 0 || *seconds > 3600))
            return std::unexpected(SysError::input(field, QStringLiteral("expect: @SECONDS: give more than 0, at most 3600")));
        auto rule = ResponderRule::make(*match, pattern, QStringView(), field);
        if (!rule)
            return std::unexpected(rule.error());
        step.kind = Kind::Expect;
        step.match = *std::move(rule);
        step.wait = seconds ? std::chrono::milliseconds(qint64(*seconds * 1000)) : kDefaultExpectTimeout;
    } else if (verb == u"sleep" && hasArg) {
        const qint64 ms = arg.toLongLong(&ok);
        if (!ok || ms < 0 || ms > kMaxSleepMs)
            return std::unexpected(SysError::input(field, QStringLiteral("sleep:MS: give milliseconds, 0-3600000")));
        step.kind = Kind::Sleep;
        step.wait = std::chrono::milliseconds(ms);
    } else if (verb == u"repeat" && hasArg) {
        const int n = arg.toInt(&ok);
        if (!ok || n < 1 || n > kMaxRepeat)
            return std::unexpected(SysError::input(field, QStringLiteral("repeat:N: give a count, 1-1000000, and close the block with end")));
        step.kind = Kind::Repeat;
        step.count = n;
    } else if (spec == u"shutdown") {
        step.kind = Kind::Shutdown;
    } else if (spec == u"close") {
        step.kind = Kind::Close;
    } else if (spec == u"end") {
        step.kind = Kind::End;
    } else {
        return std::unexpected(bad(field, QStringLiteral("'%1' is not a step").arg(spec)));
    }
    return step;
}

std::expected<SendScript, SysError> SendScript::parse(const QStringList &specs, const QString &fieldPrefix)
{
    SendScript script;
    QList<int> open; // indexes of repeats awaiting their end
    for (qsizetype i = 0; i < specs.size(); ++i) {
        const QString field = QStringLiteral("%1 %2").arg(fieldPrefix).arg(i + 1);
        auto step = ScriptStep::parse(specs[i], field);
        if (!step)
            return std::unexpected(step.error());
        if (step->kind == ScriptStep::Kind::Repeat) {
            open.append(int(i));
        } else if (step->kind == ScriptStep::Kind::End) {
            if (open.isEmpty())
                return std::unexpected(SysError::input(field, QStringLiteral("end without a repeat:N before it")));
            step->partner = open.takeLast();
            script.m_steps[step->partner].partner = int(i);
        }
        script.m_steps.append(*std::move(step));
    }
    if (!open.isEmpty())
        return std::unexpected(SysError::input(QStringLiteral("%1 %2").arg(fieldPrefix).arg(open.last() + 1),
                                               QStringLiteral("repeat:N is never closed with end")));
    return script;
}

} // namespace sockscope::core
