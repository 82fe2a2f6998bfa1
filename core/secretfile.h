#pragma once

#include "net/syserror.h"

#include <QByteArray>
#include <QString>

#include <expected>

namespace sockscope::core {

// The secret a file holds (an HMAC key): its first line, without the line end (\n or
// \r\n). A secret typed on a command line is in every user's `ps` and in the shell's
// history; in a file it is not, so long as the file is the owner's alone: as ssh does for
// a private key, a file that group or others have any access to is refused (chmod 600).
// An empty first line is refused too. Errors are Input errors naming `field` (the option
// or form field), and say what is accepted.
std::expected<QByteArray, SysError> readSecretFile(const QString &path, const QString &field);

} // namespace sockscope::core
