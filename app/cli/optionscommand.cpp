#include "optionscommand.h"

#include "cliarguments.h"
#include "clijson.h"

#include "net/kernelsettings.h"
#include "net/optioncodec.h"

#include <QCommandLineParser>
#include <QEventLoop>
#include <QJsonArray>
#include <QTimer>

namespace sockscope::cli {

using namespace sockscope::core;

namespace {

struct Kind
{
    int family;
    int type;
};

// The kinds the workbench creates, in the order a row's first applicable one is chosen.
constexpr Kind kKinds[] = {
    {AF_INET, SOCK_STREAM}, {AF_INET, SOCK_DGRAM}, {AF_INET6, SOCK_STREAM}, {AF_INET6, SOCK_DGRAM},
    {AF_UNIX, SOCK_STREAM}, {AF_UNIX, SOCK_DGRAM}, {AF_UNIX, SOCK_SEQPACKET},
};

std::optional<int> familyFromName(const QString &name)
{
    if (name == u"inet")
        return AF_INET;
    if (name == u"inet6")
        return AF_INET6;
    if (name == u"unix")
        return AF_UNIX;
    return std::nullopt;
}

std::optional<int> typeFromName(const QString &name)
{
    if (name == u"stream")
        return SOCK_STREAM;
    if (name == u"dgram")
        return SOCK_DGRAM;
    if (name == u"seqpacket")
        return SOCK_SEQPACKET;
    return std::nullopt;
}

QJsonValue valueJson(const SocketOption &row, const OptionValue &value)
{
    switch (row.type) {
    case OptionType::Bool:
    case OptionType::Int:
    case OptionType::Enum:
    case OptionType::Errno: return value.number;
    case OptionType::Linger: return QJsonObject{{QStringLiteral("l_onoff"), value.on ? 1 : 0}, {QStringLiteral("l_linger"), value.number}};
    case OptionType::Timeval: return double(value.number) / 1e6;
    case OptionType::Ucred:
    case OptionType::TcpInfo: {
        QJsonObject fields;
        for (const OptionField &f : value.fields)
            fields.insert(f.name, f.text.isEmpty() ? QJsonValue(f.value) : QJsonValue(f.text));
        return fields;
    }
    default: return formatOptionValue(row, value);
    }
}

QString privilegeName(OptionPrivilege p)
{
    switch (p) {
    case OptionPrivilege::None: return QStringLiteral("no");
    case OptionPrivilege::Required: return QStringLiteral("yes");
    case OptionPrivilege::Partly: return QStringLiteral("partly");
    }
    return {};
}

QJsonObject rowJson(const SocketOption &row, const Kind &kind, const Socket &socket)
{
    QJsonObject o{
        {QStringLiteral("level"), row.levelText()},
        {QStringLiteral("name"), row.nameText()},
        {QStringLiteral("type"), optionTypeName(row.type)},
        {QStringLiteral("c_type"), row.cTypeName()},
        {QStringLiteral("range"), row.rangeText()},
        {QStringLiteral("gettable"), row.gettable()},
        {QStringLiteral("settable"), row.settable()},
        {QStringLiteral("privileged"), privilegeName(row.privilege)},
        {QStringLiteral("when"), row.timingText()},
        {QStringLiteral("families"), QJsonArray::fromStringList(optionFamilyNames(row.families))},
        {QStringLiteral("types"), QJsonArray::fromStringList(optionSockTypeNames(row.types))},
        {QStringLiteral("socket"), familyName(kind.family) + u' ' + socketTypeName(kind.type)},
        {QStringLiteral("man"), QString::fromLatin1(row.manPage)},
        {QStringLiteral("summary"), QString::fromLatin1(row.summary)},
        {QStringLiteral("explanation"), QString::fromLatin1(row.explanation)},
    };
    if (row.type == OptionType::Int) {
        o.insert(QStringLiteral("min"), row.min);
        o.insert(QStringLiteral("max"), row.max);
    }
    if (row.unit)
        o.insert(QStringLiteral("unit"), QString::fromLatin1(row.unit));
    if (row.capability)
        o.insert(QStringLiteral("capability"), QString::fromLatin1(row.capability));
    if (row.readBack)
        o.insert(QStringLiteral("read_back"), QString::fromLatin1(row.readBack));
    if (!row.gettable()) {
        o.insert(QStringLiteral("value"), QJsonValue());
        o.insert(QStringLiteral("known"), QJsonValue()); // set-only: the kernel cannot be asked
        return o;
    }
    const auto value = optioncodec::get(socket, row);
    if (value) {
        o.insert(QStringLiteral("value"), valueJson(row, *value));
        o.insert(QStringLiteral("text"), describeOptionValue(row, *value));
        o.insert(QStringLiteral("known"), true);
    } else {
        o.insert(QStringLiteral("value"), QJsonValue());
        o.insert(QStringLiteral("error"), errorJson(value.error()));
        o.insert(QStringLiteral("known"), !value.error().is(ENOPROTOOPT));
    }
    return o;
}

QString flagsText(const SocketOption &row)
{
    QStringList flags;
    if (!row.settable())
        flags << QStringLiteral("read-only");
    if (!row.gettable())
        flags << QStringLiteral("set-only");
    if (row.privilege == OptionPrivilege::Required)
        flags << QString::fromLatin1(row.capability);
    else if (row.privilege == OptionPrivilege::Partly)
        flags << QStringLiteral("partly %1").arg(QLatin1String(row.capability));
    if (row.timing != OptionTiming::AnyTime)
        flags << row.timingText();
    return flags.join(QLatin1String(", "));
}

// "inet6 stream": the kind of fresh socket a value was read on.
QString kindLabel(const Kind &kind)
{
    return familyName(kind.family).mid(3).toLower() + u' ' + socketTypeName(kind.type).mid(5).toLower();
}

void printText(const QString &text)
{
    const QByteArray bytes = text.toUtf8();
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stdout);
}

} // namespace

int runOptions(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "List the socket options sockscope knows, each read with getsockopt() on a fresh socket: "
        "of the kind given, or else of the first kind the option applies to (TCP, UDP, IPv6, "
        "Unix). Set-only options show no value; an option the kernel does not know says "
        "ENOPROTOOPT. serve and connect set options with --opt NAME=VALUE."));
    parser.addHelpOption();
    parser.addOptions({
        {QStringLiteral("family"), QStringLiteral("inet, inet6 or unix: only the options of that family."), QStringLiteral("FAMILY")},
        {QStringLiteral("type"), QStringLiteral("stream, dgram or seqpacket: only the options of that type."), QStringLiteral("TYPE")},
        {QStringLiteral("explain"), QStringLiteral("Print each option's explanation under it.")},
        {QStringLiteral("kernel"), QStringLiteral("Also list the /proc/sys settings tutorials talk about, read-only.")},
        {QStringLiteral("json"), QStringLiteral("One JSON document: {\"options\":[...]} (and \"kernel\":[...]).")},
    });
    if (const auto exit = parseCommandLine(parser, arguments, QStringLiteral("options")))
        return *exit;
    if (const auto error = noArgumentsError(parser.positionalArguments()))
        return usageError(QStringLiteral("options: ") + *error);

    std::optional<int> family;
    std::optional<int> type;
    if (parser.isSet(QStringLiteral("family")) && !(family = familyFromName(parser.value(QStringLiteral("family")))))
        return usageError(QStringLiteral("options: --family: give inet, inet6 or unix"));
    if (parser.isSet(QStringLiteral("type")) && !(type = typeFromName(parser.value(QStringLiteral("type")))))
        return usageError(QStringLiteral("options: --type: give stream, dgram or seqpacket"));
    const bool json = parser.isSet(QStringLiteral("json"));

    // One fresh socket per kind, made on first use.
    std::map<std::pair<int, int>, Socket> sockets;
    const auto socketFor = [&](const Kind &kind) -> const Socket * {
        auto key = std::pair{kind.family, kind.type};
        if (!sockets.contains(key)) {
            auto s = Socket::create(kind.family, kind.type);
            sockets.emplace(key, s ? std::move(*s) : Socket());
        }
        const Socket &s = sockets.at(key);
        return s.isValid() ? &s : nullptr;
    };

    QJsonArray rows;
    QString text = QStringLiteral("%1 %2 %3 %4 %5 %6\n")
                       .arg(QStringLiteral("LEVEL"), -13)
                       .arg(QStringLiteral("NAME"), -20)
                       .arg(QStringLiteral("TYPE"), -9)
                       .arg(QStringLiteral("READ ON"), -17)
                       .arg(QStringLiteral("VALUE"), -28)
                       .arg(QStringLiteral("NOTES"));
    for (const SocketOption &row : socketOptions()) {
        std::optional<Kind> chosen;
        for (const Kind &kind : kKinds) {
            if ((!family || kind.family == *family) && (!type || kind.type == *type) && row.appliesTo(kind.family, kind.type)) {
                chosen = kind;
                break;
            }
        }
        if (!chosen)
            continue;
        const Socket *socket = socketFor(*chosen);
        if (!socket) {
            std::fprintf(stderr, "sockscope-cli: options: cannot create a %s %s socket\n", qPrintable(familyName(chosen->family)),
                         qPrintable(socketTypeName(chosen->type)));
            continue;
        }
        const QJsonObject o = rowJson(row, *chosen, *socket);
        if (json) {
            rows.append(o);
            continue;
        }
        QString value = o.value(QStringLiteral("text")).toString();
        if (o.contains(QStringLiteral("error")))
            value = o.value(QStringLiteral("error")).toObject().value(QStringLiteral("name")).toString();
        else if (!row.gettable())
            value = QStringLiteral("(set-only)");
        text += QStringLiteral("%1 %2 %3 %4 %5 %6\n")
                    .arg(row.levelText(), -13)
                    .arg(row.nameText(), -20)
                    .arg(optionTypeName(row.type), -9)
                    .arg(kindLabel(*chosen), -17)
                    .arg(value, -28)
                    .arg(flagsText(row));
        if (parser.isSet(QStringLiteral("explain")))
            text += QStringLiteral("    %1 [%2]\n\n").arg(QString::fromLatin1(row.explanation), QString::fromLatin1(row.manPage));
    }

    QJsonArray kernel;
    if (parser.isSet(QStringLiteral("kernel"))) {
        text += u'\n';
        for (const KernelSettingReading &r : KernelSettings::readAll()) {
            QJsonObject o{{QStringLiteral("key"), r.setting->keyText()},
                          {QStringLiteral("summary"), QString::fromLatin1(r.setting->summary)},
                          {QStringLiteral("explanation"), QString::fromLatin1(r.setting->explanation)}};
            o.insert(QStringLiteral("value"), r.value ? QJsonValue(*r.value) : QJsonValue());
            if (r.error)
                o.insert(QStringLiteral("error"), errorJson(*r.error));
            if (r.setting->obsoleteAdvice)
                o.insert(QStringLiteral("obsolete_advice"), QString::fromLatin1(r.setting->obsoleteAdvice));
            kernel.append(o);
            text += QStringLiteral("%1 %2\n").arg(r.setting->keyText(), -42).arg(r.value ? *r.value : r.error->name());
            if (parser.isSet(QStringLiteral("explain")) && r.setting->obsoleteAdvice)
                text += QStringLiteral("    note: %1\n").arg(QString::fromLatin1(r.setting->obsoleteAdvice));
        }
    }

    if (json) {
        QJsonObject doc{{QStringLiteral("options"), rows}};
        if (family)
            doc.insert(QStringLiteral("family"), familyName(*family));
        if (type)
            doc.insert(QStringLiteral("type"), socketTypeName(*type));
        if (parser.isSet(QStringLiteral("kernel")))
            doc.insert(QStringLiteral("kernel"), kernel);
        // The order of the documented example: {"options":[{"level","name","type","value",...}]}.
        printJsonLine(doc, {QStringLiteral("options"), QStringLiteral("level"), QStringLiteral("name"), QStringLiteral("type"),
                            QStringLiteral("key"), QStringLiteral("value"), QStringLiteral("text"),
                            QStringLiteral("settable"), QStringLiteral("gettable"), QStringLiteral("known"), QStringLiteral("error"),
                            QStringLiteral("c_type"), QStringLiteral("range"), QStringLiteral("min"), QStringLiteral("max"),
                            QStringLiteral("unit"), QStringLiteral("privileged"), QStringLiteral("capability"), QStringLiteral("when"),
                            QStringLiteral("families"), QStringLiteral("types"), QStringLiteral("socket"), QStringLiteral("man"),
                            QStringLiteral("summary"), QStringLiteral("explanation")});
    } else {
        printText(text);
    }
    return ExitOk;
}

QCommandLineOption optOption()
{
    return {QStringLiteral("opt"),
            QStringLiteral("setsockopt() before bind/connect/listen, in order; repeatable. NAME=VALUE, e.g. "
                           "SO_RCVBUF=65536 or SO_LINGER=on,5 (`sockscope-cli options` lists them). The value "
                           "the kernel kept is printed once the socket is open."),
            QStringLiteral("NAME=VALUE")};
}

std::expected<QList<OptionSetting>, QString> optSettings(const QCommandLineParser &parser, int type)
{
    QList<OptionSetting> settings;
    const QStringList given = parser.values(QStringLiteral("opt"));
    if (given.isEmpty())
        return settings;
    const OptionContext context = KernelSettings::optionContext();
    for (const QString &text : given) {
        QString error;
        const auto setting = parseOptionAssignment(text, &error);
        if (!setting)
            return std::unexpected(QStringLiteral("--opt: ") + error);
        const SocketOption *row = findSocketOption(setting->name);
        if (!row->settable())
            return std::unexpected(QStringLiteral("--opt: %1 is read-only").arg(row->nameText()));
        if (!(row->types & (type == SOCK_STREAM ? OptionSockType::Stream : OptionSockType::Dgram)))
            return std::unexpected(QStringLiteral("--opt: %1 applies to %2 sockets only")
                                       .arg(row->nameText(), optionSockTypeNames(row->types).join(u'/')));
        if (auto value = parseOptionValue(*row, setting->value, context); !value)
            return std::unexpected(QStringLiteral("--opt: ") + value.error().toString());
        settings.append(*setting);
    }
    return settings;
}

void printOptionReadback(SessionManager &sessions, SessionId id, const QList<OptionSetting> &settings, bool json, std::FILE *text)
{
    if (settings.isEmpty())
        return;
    QStringList names;
    for (const OptionSetting &s : settings) {
        const SocketOption *row = findSocketOption(s.name);
        names << QString::fromLatin1(row && row->readBack ? row->readBack : row->name);
    }
    QEventLoop loop;
    SessionManager::OptionReadings readings = std::unexpected(SysError::fromErrno(ETIMEDOUT));
    sessions.readOptions(id, &loop, [&](SessionManager::OptionReadings r) {
        readings = std::move(r);
        loop.quit();
    }, names);
    QTimer::singleShot(5000, &loop, &QEventLoop::quit);
    loop.exec();

    const auto family = sessions.info(id).value_or(SessionInfo()).family;
    for (const OptionSetting &s : settings) {
        const SocketOption *row = findSocketOption(s.name);
        const QString readName = QString::fromLatin1(row->readBack ? row->readBack : row->name);
        const OptionReading *reading = nullptr;
        if (readings) {
            for (const OptionReading &r : *readings) {
                if (r.option->nameText() == readName)
                    reading = &r;
            }
        }
        QJsonObject o{{QStringLiteral("event"), QStringLiteral("option")},
                      {QStringLiteral("session"), qint64(id)},
                      {QStringLiteral("level"), row->levelText()},
                      {QStringLiteral("name"), row->nameText()},
                      {QStringLiteral("asked"), s.value}};
        QString line;
        // The session skipped it (the trace says so) when the address family did not fit.
        if (!optionFamilyNames(row->families).contains(familyName(family))) {
            o.insert(QStringLiteral("skipped"), true);
            line = QStringLiteral("option %1: skipped, it applies to %2 sockets")
                       .arg(row->nameText(), optionFamilyNames(row->families).join(u'/'));
        }
        if (line.isEmpty()) {
            if (!row->gettable() && !row->readBack) {
                o.insert(QStringLiteral("value"), QJsonValue());
                line = QStringLiteral("option %1=%2: set (the kernel cannot report it)").arg(row->nameText(), s.value);
            } else if (reading && reading->value) {
                o.insert(QStringLiteral("read"), readName);
                o.insert(QStringLiteral("value"), valueJson(*reading->option, *reading->value));
                o.insert(QStringLiteral("text"), describeOptionValue(*reading->option, *reading->value));
                line = QStringLiteral("option %1: asked %2, the kernel kept %3%4")
                           .arg(row->nameText(), s.value, formatOptionValue(*reading->option, *reading->value),
                                row->readBack ? QStringLiteral(" (read as %1)").arg(readName) : QString());
            } else {
                const SysError err = reading && reading->error ? *reading->error
                                                                : (readings ? SysError::fromErrno(ENOPROTOOPT) : readings.error());
                o.insert(QStringLiteral("error"), errorJson(err));
                line = QStringLiteral("option %1: asked %2, reading it back failed: %3").arg(row->nameText(), s.value, err.toString());
            }
        }
        if (json) {
            printJsonLine(o);
        } else {
            const QByteArray bytes = (line + u'\n').toUtf8();
            std::fwrite(bytes.constData(), 1, size_t(bytes.size()), text);
            std::fflush(text);
        }
    }
}

} // namespace sockscope::cli
