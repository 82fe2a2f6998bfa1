#include "settingsrecovery.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>

namespace sockscope::core {

int clearInterruptedSettingsSave(const QString &settingsFile)
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const QFileInfo settings(settingsFile);
    int removed = 0;
    const QFileInfo lock(settingsFile + QStringLiteral(".lock"));
    if (lock.exists() && lock.size() == 0 && lock.lastModified().secsTo(now) >= 2)
        removed += QFile::remove(lock.filePath());
    // QSaveFile's temporary: the file name, a dot and six random characters.
    const QRegularExpression temporary(QRegularExpression::anchoredPattern(QRegularExpression::escape(settings.fileName())
                                                                           + QStringLiteral("\\.[A-Za-z0-9]{6}")));
    const QDir folder = settings.dir();
    for (const QFileInfo &entry : folder.entryInfoList({settings.fileName() + QStringLiteral(".*")}, QDir::Files | QDir::Hidden)) {
        if (temporary.match(entry.fileName()).hasMatch() && entry.lastModified().secsTo(now) >= 60)
            removed += QFile::remove(entry.filePath());
    }
    return removed;
}

} // namespace sockscope::core
