#include "atomicfile.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QSaveFile>

#include <cerrno>
#include <unistd.h>

namespace sockscope::core {

namespace {

// write(2) until every byte is out: 0 or the errno that stopped it. QSaveFile's own write
// path turns ENOSPC into "Unknown error" (Qt 6.4), so the bytes go through its descriptor.
int writeAll(int fd, QByteArrayView bytes)
{
    qsizetype done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.data() + done, size_t(bytes.size() - done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return errno;
        done += n;
    }
    return 0;
}

} // namespace

std::expected<void, SysError> writeFileAtomically(const QString &path, QByteArrayView bytes)
{
    const bool existed = QFileInfo::exists(path);
    QSaveFile file(path);
    QString cause;
    if (!file.open(QIODevice::WriteOnly | QIODevice::Unbuffered)) {
        cause = file.errorString();
    } else if (const int err = writeAll(file.handle(), bytes); err != 0) {
        cause = SysError::fromErrno(err).toString();
        file.cancelWriting(); // commit() then drops the temporary file, the old one stays
        file.commit();
    } else if (!file.commit()) {
        cause = file.errorString();
    } else {
        return {};
    }
    const QString kept = existed ? QCoreApplication::translate("AtomicFile", "the existing file was left unchanged")
                                 : QCoreApplication::translate("AtomicFile", "no file was written");
    return std::unexpected(SysError::input(QStringLiteral("file"), QStringLiteral("%1: %2; %3").arg(path, cause, kept)));
}

} // namespace sockscope::core
