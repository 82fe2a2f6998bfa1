#include "cliarguments.h"

#include "clijson.h"

#include "net/address.h"
#include "net/resolver.h"

#include <QCommandLineParser>
#include <QRegularExpression>

#include <cmath>

namespace sockscope::cli {

using namespace sockscope::core;

namespace {

struct ListedOption
{
    QString name;  // "--port"
    QString value; // "<P>", empty for a flag
};

// The options as the help lists them ("  -h, --help", "  --port <P>"): the parser does not
// hand out its option list, and the help is what the user reads anyway.
QList<ListedOption> listedOptions(const QCommandLineParser &parser)
{
    static const QRegularExpression line(QStringLiteral("^  (?:-\\w, )?(--[\\w-]+)(?: (<[^>]+>))?"),
                                         QRegularExpression::MultilineOption);
    QList<ListedOption> options;
    for (const auto &m : line.globalMatch(parser.helpText())) {
        if (m.captured(1) != u"--help" && m.captured(1) != u"--help-all")
            options.append({m.captured(1), m.captured(2)});
    }
    return options;
}

QString spelled(const QString &name)
{
    return (name.size() == 1 ? QStringLiteral("-") : QStringLiteral("--")) + name;
}

QString parseErrorText(const QCommandLineParser &parser, const QString &command)
{
    const QList<ListedOption> options = listedOptions(parser);
    const QString help = QStringLiteral("(%1 --help explains them)").arg(command);
    if (!parser.unknownOptionNames().isEmpty()) {
        QStringList names;
        for (const ListedOption &o : options)
            names << o.name;
        return QStringLiteral("%1: no such option; %2 takes %3 %4")
            .arg(spelled(parser.unknownOptionNames().first()), command, names.join(QStringLiteral(", ")), help);
    }
    // Qt says "Missing value after '--port'." or "Unexpected value after '--json'.".
    static const QRegularExpression quoted(QStringLiteral("'([^']+)'"));
    const QString name = quoted.match(parser.errorText()).captured(1);
    for (const ListedOption &o : options) {
        if (o.name != name)
            continue;
        if (o.value.isEmpty())
            return QStringLiteral("%1: takes no value %2").arg(name, help);
        return QStringLiteral("%1: needs a value %2 %3").arg(name, o.value, help);
    }
    return parser.errorText() + u' ' + help;
}

} // namespace

std::optional<int> parseCommandLine(QCommandLineParser &parser, const QStringList &arguments, const QString &command)
{
    if (!parser.parse(arguments))
        return usageError(command + QStringLiteral(": ") + parseErrorText(parser, command));
    parser.process(arguments); // parses as above; prints the help and exits when asked
    return std::nullopt;
}

std::optional<double> numberIn(const QCommandLineParser &parser, const QString &name, double min, double max)
{
    bool ok = false;
    const double value = parser.value(name).toDouble(&ok);
    if (!ok || !std::isfinite(value) || value < min || value > max)
        return std::nullopt;
    return value;
}

std::optional<QString> protocolError(const QString &word)
{
    if (word == u"tcp" || word == u"udp")
        return std::nullopt;
    return QStringLiteral("protocol: \"%1\" is not one: give tcp or udp").arg(escapedText(word.toUtf8()));
}

std::optional<QString> hostError(const QString &host)
{
    const QString accepted = QStringLiteral("give a name or a numeric address");
    if (host.isEmpty())
        return QStringLiteral("HOST: the host is empty: ") + accepted;
    // No host name holds a space or a control character: such text is never looked up.
    for (const QChar c : host) {
        if (c.isSpace() || c.category() == QChar::Other_Control)
            return QStringLiteral("HOST: \"%1\" is not a host: %2").arg(escapedText(host.toUtf8()), accepted);
    }
    return std::nullopt;
}

std::optional<QString> portError(const QString &field, const QString &port, const QString &protocol)
{
    if (!port.isEmpty() && (port[0].isDigit() || port[0] == u'-' || port[0] == u'+')) {
        if (auto number = Address::parsePort(port); !number)
            return field + QStringLiteral(": ") + number.error().message();
        return std::nullopt;
    }
    if (Resolver::getservbyname(port, protocol))
        return std::nullopt;
    return QStringLiteral("%1: \"%2\" is not a %3 service name in /etc/services: give a number from 0 to 65535 or a "
                          "service name such as http")
        .arg(field, escapedText(port.toUtf8()), protocol);
}

std::optional<QString> noArgumentsError(const QStringList &positional)
{
    if (positional.isEmpty())
        return std::nullopt;
    return QStringLiteral("\"%1\": takes no arguments, only options").arg(escapedText(positional.first().toUtf8()));
}

} // namespace sockscope::cli
