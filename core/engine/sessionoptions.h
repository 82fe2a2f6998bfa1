#pragma once

#include "../net/optioncodec.h"
#include "calltrace.h"

#include <QList>
#include <QStringList>

#include <expected>
#include <optional>

namespace sockscope::core {

// getsockopt's answer for one row.
struct OptionReading
{
    const SocketOption *option = nullptr;
    std::optional<OptionValue> value; // nullopt for set-only rows and on error
    std::optional<SysError> error;    // ENOTCONN (IP_MTU before connect), ENOPROTOOPT (kernel lacks it)
};

// One setsockopt and what the kernel kept.
struct OptionApplyResult
{
    const SocketOption *option = nullptr;
    QString asked;                             // the value as understood, formatted ("65536")
    std::optional<OptionValue> askedValue;
    const SocketOption *keptOption = nullptr;  // the row read back: the option, or SO_RCVBUF for SO_RCVBUFFORCE
    std::optional<OptionValue> kept;           // what getsockopt returned afterwards
    std::optional<SysError> error;             // bad value (no call made) or setsockopt's errno
    std::optional<SysError> readError;         // setsockopt worked, reading back did not
    bool ok() const { return !error; }
};

// The option calls a session makes, each traced as Python would write it. Reactor thread
// (or any thread that owns the socket, as in the CLI's `options` and the tests).
namespace sessionoptions {

// The rows that apply to the socket (or, when `names` is not empty, only those), each with
// getsockopt's answer now.
QList<OptionReading> read(const Socket &socket, int family, int type, const QStringList &names = {});

// Parse, setsockopt, then getsockopt to show what the kernel kept. A value that does not
// parse makes no call at all.
OptionApplyResult apply(Socket &socket, int family, int type, const OptionSetting &setting, CallTrace &trace,
                        const QString &var);

// Before bind()/connect()/listen(): each setting in order, stopping at the first failure.
// Rows that do not apply to this family and type are skipped (and the trace says so), so
// one list can serve every candidate address of a connect.
std::expected<void, SysError> applyPresets(Socket &socket, int family, int type, const QList<OptionSetting> &settings,
                                           CallTrace &trace, const QString &var);

} // namespace sessionoptions

} // namespace sockscope::core
