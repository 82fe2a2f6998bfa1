#pragma once

#include "optionvalue.h"
#include "syserror.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <expected>
#include <optional>
#include <span>

namespace sockscope::core {

// One system-wide setting under /proc/sys that socket tutorials tell people to edit.
struct KernelSetting
{
    const char *key = nullptr;            // "net.ipv4.tcp_fin_timeout" (sysctl's name)
    const char *unit = nullptr;           // "seconds", or nullptr
    const char *relatedOption = nullptr;  // the per-socket option that overrides it, if any
    const char *summary = nullptr;        // one line
    const char *explanation = nullptr;    // one paragraph
    const char *obsoleteAdvice = nullptr; // where common advice is wrong or out of date

    QString keyText() const { return QString::fromLatin1(key); }
    QString procPath(const QString &root = QStringLiteral("/proc/sys")) const; // root + /net/ipv4/...
};

struct KernelSettingReading
{
    const KernelSetting *setting = nullptr;
    std::optional<QString> value; // whitespace collapsed: "32768 60999"
    std::optional<SysError> error; // ENOENT when this kernel does not have it
};

// Read-only: sockscope explains these settings and shows their values, it never writes
// them (that needs root and changes every program on the host). The values are the ones
// of this process's network namespace.
class KernelSettings
{
public:
    static std::span<const KernelSetting> all();
    static const KernelSetting *find(QStringView key);

    // Blocking file reads: call them off the GUI thread. `root` is for tests.
    static std::expected<QString, SysError> read(const KernelSetting &setting, const QString &root = QStringLiteral("/proc/sys"));
    static QList<KernelSettingReading> readAll(const QString &root = QStringLiteral("/proc/sys"));

    // What the option checks need: the congestion algorithms and interface names.
    static QStringList availableCongestionControl(const QString &root = QStringLiteral("/proc/sys"));
    static QStringList interfaceNames(const QString &sysClassNet = QStringLiteral("/sys/class/net"));
    static OptionContext optionContext();
};

} // namespace sockscope::core
