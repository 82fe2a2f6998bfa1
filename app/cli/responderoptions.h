#pragma once

#include "engine/responder.h"

#include <QCommandLineOption>
#include <QList>

#include <expected>
#include <memory>
#include <optional>

class QCommandLineParser;

namespace sockscope::cli {

// --framing, --rule (repeatable, in order) and --counter-start, shared by serve and
// connect: the command's own responder rules, like a pane's.
QList<QCommandLineOption> responderOptions();
// nullptr when no --rule was given (and no --framing: framing alone answers nothing, so
// it is refused); an error text for usageError() naming the option.
// The --framing given (nullopt: none), checked: only a byte stream (tcp) is cut into
// messages; errors start with `command` and name --framing.
std::expected<std::optional<core::Framing>, QString> framingFrom(const QCommandLineParser &parser, const QString &command,
                                                                 bool stream);
std::expected<std::shared_ptr<core::ResponderRules>, QString> responderFrom(const QCommandLineParser &parser,
                                                                           const QString &command, bool stream);

} // namespace sockscope::cli
