#include "secretfile.h"

#include <QFile>

#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace sockscope::core {

namespace {

constexpr qsizetype kMaxSecretBytes = 64 * 1024;

class Fd
{
public:
    explicit Fd(int fd) : m_fd(fd) {}
    ~Fd()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    Fd(const Fd &) = delete;
    Fd &operator=(const Fd &) = delete;
    int get() const { return m_fd; }

private:
    int m_fd;
};

} // namespace

std::expected<QByteArray, SysError> readSecretFile(const QString &path, const QString &field)
{
    const QString accepted = QStringLiteral("give a file only you can read (chmod 600 FILE) with the key on its first line");
    const auto failed = [&](const QString &what) {
        return std::unexpected(SysError::input(field, QStringLiteral("\"%1\" %2: %3").arg(path, what, accepted)));
    };
    // The mode is read from the descriptor that is read: no window for a swap in between.
    const Fd fd(::open(QFile::encodeName(path).constData(), O_RDONLY | O_CLOEXEC | O_NOCTTY));
    if (fd.get() < 0)
        return failed(QStringLiteral("cannot be opened (%1)").arg(SysError::lastErrno().toString()));
    struct stat st{};
    if (::fstat(fd.get(), &st) != 0)
        return failed(QStringLiteral("cannot be examined (%1)").arg(SysError::lastErrno().toString()));
    if (S_ISDIR(st.st_mode))
        return failed(QStringLiteral("is a directory"));
    if (st.st_mode & (S_IRWXG | S_IRWXO))
        return failed(QStringLiteral("is open to other users (mode %1)").arg(st.st_mode & 07777, 4, 8, QChar(u'0')));

    QByteArray bytes;
    char buffer[4096];
    while (!bytes.contains('\n') && bytes.size() <= kMaxSecretBytes) {
        const ssize_t n = ::read(fd.get(), buffer, sizeof buffer);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return failed(QStringLiteral("cannot be read (%1)").arg(SysError::lastErrno().toString()));
        if (n == 0)
            break;
        bytes.append(buffer, n);
    }
    const qsizetype end = bytes.indexOf('\n');
    if (end < 0 && bytes.size() > kMaxSecretBytes)
        return failed(QStringLiteral("has a first line longer than %1 bytes").arg(kMaxSecretBytes));
    QByteArray secret = end < 0 ? bytes : bytes.left(end);
    if (secret.endsWith('\r'))
        secret.chop(1);
    if (secret.isEmpty())
        return failed(QStringLiteral("has an empty first line"));
    return secret;
}

} // namespace sockscope::core
