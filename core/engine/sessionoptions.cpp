#include "sessionoptions.h"

#include "../net/address.h"

namespace sockscope::core::sessionoptions {

namespace {

QString keptNote(const SocketOption &askedRow, const QString &asked, const SocketOption &keptRow, const OptionValue &kept)
{
    const QString keptText = formatOptionValue(keptRow, kept);
    if (&askedRow == &keptRow && keptText == asked)
        return {};
    return QStringLiteral("  # asked %1").arg(asked);
}

} // namespace

QList<OptionReading> read(const Socket &socket, int family, int type, const QStringList &names)
{
    QList<OptionReading> readings;
    for (const SocketOption *row : socketOptionsFor(family, type)) {
        if (!names.isEmpty() && !names.contains(row->nameText(), Qt::CaseInsensitive))
            continue;
        OptionReading r{row, std::nullopt, std::nullopt};
        if (row->gettable()) {
            if (auto value = optioncodec::get(socket, *row))
                r.value = std::move(*value);
            else
                r.error = value.error();
        }
        readings.append(std::move(r));
    }
    return readings;
}

OptionApplyResult apply(Socket &socket, int family, int type, const OptionSetting &setting, CallTrace &trace,
                        const QString &var)
{
    OptionApplyResult result;
    const SocketOption *row = findSocketOption(setting.name);
    if (!row) {
        result.error = SysError::input(QStringLiteral("option"), QStringLiteral("unknown socket option “%1”").arg(setting.name));
        return result;
    }
    result.option = row;
    result.asked = setting.value;
    if (!row->settable()) {
        result.error = SysError::input(row->nameText(), QStringLiteral("is read-only: it cannot be set"));
        return result;
    }
    if (!row->appliesTo(family, type)) {
        result.error = SysError::input(row->nameText(), QStringLiteral("applies to %1 %2 sockets, not %3 %4")
                                                            .arg(optionFamilyNames(row->families).join(u'/'),
                                                                 optionSockTypeNames(row->types).join(u'/'),
                                                                 familyName(family), socketTypeName(type)));
        return result;
    }
    auto value = parseOptionValue(*row, setting.value);
    if (!value) {
        result.error = value.error();
        return result;
    }
    result.askedValue = *value;
    result.asked = formatOptionValue(*row, *value);

    const QString setCall = pythonSetsockopt(var, *row, *value);
    if (auto set = optioncodec::set(socket, *row, *value); !set) {
        trace.add(setCall, QString(), set.error());
        result.error = set.error();
        return result;
    }
    trace.add(setCall, QStringLiteral("None"));

    const SocketOption *keptRow = row->readBack ? findSocketOption(QString::fromLatin1(row->readBack)) : row;
    if (!keptRow || !keptRow->gettable())
        return result; // IP_ADD_MEMBERSHIP and friends: nothing to read back
    result.keptOption = keptRow;
    const QString getCall = pythonGetsockopt(var, *keptRow);
    auto kept = optioncodec::get(socket, *keptRow);
    if (!kept) {
        trace.add(getCall, QString(), kept.error());
        result.readError = kept.error();
        return result;
    }
    trace.add(getCall, pythonOptionResult(*keptRow, *kept) + keptNote(*row, result.asked, *keptRow, *kept));
    result.kept = std::move(*kept);
    return result;
}

std::expected<void, SysError> applyPresets(Socket &socket, int family, int type, const QList<OptionSetting> &settings,
                                           CallTrace &trace, const QString &var)
{
    for (const OptionSetting &setting : settings) {
        const SocketOption *row = findSocketOption(setting.name);
        if (row && row->settable() && !row->appliesTo(family, type)) {
            trace.add(QStringLiteral("# %1.setsockopt(socket.%2, socket.%3, ...)").arg(var, row->levelText(), row->nameText()),
                      QStringLiteral("skipped: %1 applies to %2 %3 sockets, this one is %4 %5")
                          .arg(row->nameText(), optionFamilyNames(row->families).join(u'/'),
                               optionSockTypeNames(row->types).join(u'/'), familyName(family), socketTypeName(type)));
            continue;
        }
        const OptionApplyResult result = apply(socket, family, type, setting, trace, var);
        if (!result.ok()) {
            if (result.error->domain() == SysError::Domain::Input)
                trace.add(QStringLiteral("# %1.setsockopt(..., %2=%3)").arg(var, setting.name, setting.value), QString(), *result.error);
            return std::unexpected(*result.error);
        }
    }
    return {};
}

} // namespace sockscope::core::sessionoptions
