#pragma once

#include <QStringList>

#include <optional>

class QCommandLineParser;

namespace sockscope::cli {

// The longest wait a --timeout, --idle or --duration takes: in milliseconds it still fits an int.
inline constexpr double kMaxSeconds = 2'000'000;

// Parses a subcommand's command line. A bad one (an unknown option, an option missing its
// value) prints ONE line that names the option and what the command takes, and the exit
// code comes back; --help prints the help and exits, as QCommandLineParser::process() does.
std::optional<int> parseCommandLine(QCommandLineParser &parser, const QStringList &arguments, const QString &command);

// The option's value as a finite number from `min` to `max`; nullopt when it is not one
// ("inf", "nan", "1e400" and "5s" are not).
std::optional<double> numberIn(const QCommandLineParser &parser, const QString &name, double min, double max);

// The positional checks, each an error text naming the argument ("protocol", "HOST",
// "PORT") and what it takes, ready for usageError() after "COMMAND: ".
std::optional<QString> protocolError(const QString &word); // tcp or udp
// A name or numeric address: not empty, no spaces or control characters.
std::optional<QString> hostError(const QString &host);
// A number is a port 0-65535 (getaddrinfo() would wrap 70000 to 4464 silently); a name must
// be a service of /etc/services for `protocol` ("tcp", "udp").
std::optional<QString> portError(const QString &field, const QString &port, const QString &protocol);
// "COMMAND: "ARG": takes no arguments" for a command that takes none; nullopt when none came.
std::optional<QString> noArgumentsError(const QStringList &positional);

} // namespace sockscope::cli
