#pragma once

#include "net/syserror.h"

#include <QByteArrayView>
#include <QString>

#include <expected>

namespace sockscope::core {

// Writes `bytes` to `path` all or nothing, as every export and saved file of the app is
// written: into a temporary file beside it (QSaveFile), renamed over the old file only once
// every byte was written and flushed. A full disk (ENOSPC), a missing folder or a refused
// write leaves the old file as it was and no temporary file behind; the error names the
// path, the cause, and says what became of the old file.
std::expected<void, SysError> writeFileAtomically(const QString &path, QByteArrayView bytes);

} // namespace sockscope::core
