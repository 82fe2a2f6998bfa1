#pragma once

// Running sockscope-capture as the unprivileged user `nobody` (setpriv, as root), to see
// what a user without CAP_NET_RAW sees: the tests of Capture and of the ladder panel.

#include "observe/capture.h"

#include <QFile>
#include <QStringList>
#include <QTemporaryDir>

namespace sockscope::tests {

// setpriv's arguments before the program: nobody, no groups, no inheritable capabilities.
inline const QStringList kAsNobody = {QStringLiteral("--reuid=65534"), QStringLiteral("--regid=65534"),
                                      QStringLiteral("--clear-groups"), QStringLiteral("--inh-caps=-all")};

// A copy of the helper in `dir`, both world-readable and executable: nobody may not reach
// the build tree (or /root) to run the original. Empty on failure.
inline QString publicHelperCopy(QTemporaryDir &dir)
{
    const auto everyone = QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner
                          | QFileDevice::ReadGroup | QFileDevice::ExeGroup | QFileDevice::ReadOther
                          | QFileDevice::ExeOther;
    QFile::setPermissions(dir.path(), everyone);
    const QString copy = dir.filePath(QStringLiteral("sockscope-capture"));
    if (!QFile::copy(core::Capture::defaultHelperPath(), copy))
        return {};
    QFile::setPermissions(copy, everyone);
    return copy;
}

} // namespace sockscope::tests
