#include "scriptoptions.h"

#include "responderoptions.h"

#include <QCommandLineParser>

namespace sockscope::cli {

using namespace sockscope::core;

QList<QCommandLineOption> scriptOptions()
{
    return {
        {QStringLiteral("step"),
         QStringLiteral("Run a send script, one step per --step, in order, instead of --send: send:TEXT (escapes such as \\n "
                        "and macros such as {{COUNTER}}, {{TIME}}), sendhex:HEX, expect:KIND:PATTERN[@SECONDS] (wait for a "
                        "framed message that matches; KIND: equals, prefix, contains, regex or hex; default 5 s; earlier "
                        "messages are skipped), sleep:MS, shutdown (SHUT_WR), close, repeat:N ... end. Exit 0 when every "
                        "step passed, 3 when one failed (an expect timed out or the peer closed first): the line names "
                        "the step and what did arrive."),
         QStringLiteral("STEP")},
        {QStringLiteral("framing"),
         QStringLiteral("tcp: how what arrives is cut into messages for expect steps: line (LF or CRLF, the default), recv "
                        "(what each recv() returned), delim:TEXT, length:1|2|4[be|le], fixed:N. udp: each datagram is one."),
         QStringLiteral("SPEC")},
    };
}

std::expected<std::optional<ScriptSettings>, QString> scriptFrom(const QCommandLineParser &parser, const QString &command,
                                                                 bool stream)
{
    const QStringList specs = parser.values(QStringLiteral("step"));
    const bool framed = parser.isSet(QStringLiteral("framing"));
    if (specs.isEmpty()) {
        if (framed)
            return std::unexpected(command + QStringLiteral(": --framing: cuts messages for --step expect:...; give the steps"));
        return std::nullopt;
    }
    ScriptSettings settings;
    settings.framing.kind = stream ? Framing::Kind::Line : Framing::Kind::PerRecv;
    const auto given = framingFrom(parser, command, stream);
    if (!given)
        return std::unexpected(given.error());
    if (*given)
        settings.framing = **given;
    auto script = SendScript::parse(specs, QStringLiteral("--step"));
    if (!script)
        return std::unexpected(command + QStringLiteral(": ") + script.error().toString());
    settings.script = *std::move(script);
    return settings;
}

} // namespace sockscope::cli
