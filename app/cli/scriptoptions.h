#pragma once

#include "engine/framing.h"
#include "engine/sendscript.h"

#include <QCommandLineOption>
#include <QList>

#include <expected>
#include <optional>

class QCommandLineParser;

namespace sockscope::cli {

// connect's --step (repeatable, run in order) and the --framing its expects read by.
QList<QCommandLineOption> scriptOptions();

struct ScriptSettings
{
    core::SendScript script;
    core::Framing framing;
};
// nullopt when no --step was given; an error text for usageError() naming the option.
std::expected<std::optional<ScriptSettings>, QString> scriptFrom(const QCommandLineParser &parser, const QString &command,
                                                                 bool stream);

} // namespace sockscope::cli
