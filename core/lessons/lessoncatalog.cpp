#include "lessoncatalog.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace sockscope::core {

namespace {

const QString kRoot = QStringLiteral(":/lessons");

std::optional<QByteArray> readResource(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return std::nullopt;
    return file.readAll();
}

} // namespace

QStringList LessonCatalog::candidates(const QString &language)
{
    QStringList out;
    if (!language.isEmpty())
        out.append(language);
    if (const qsizetype cut = language.indexOf(QLatin1Char('_')); cut > 0)
        out.append(language.left(cut));
    out.append(QString::fromLatin1(kFallbackLanguage));
    out.removeDuplicates();
    return out;
}

QStringList LessonCatalog::languages()
{
    return QDir(kRoot).entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
}

QStringList LessonCatalog::ids()
{
    QStringList out;
    const auto index = readResource(kRoot + QStringLiteral("/%1/index.json").arg(QLatin1String(kFallbackLanguage)));
    if (!index)
        return out;
    for (const QJsonValue &v : QJsonDocument::fromJson(*index).object().value(QLatin1String("lessons")).toArray())
        out.append(v.toString());
    return out;
}

std::expected<Lesson, SysError> LessonCatalog::loadOne(const QString &id, const QString &language)
{
    for (const QString &lang : candidates(language)) {
        if (const auto bytes = readResource(kRoot + QStringLiteral("/%1/%2.json").arg(lang, id))) {
            auto lesson = Lesson::fromJson(*bytes);
            if (lesson && lesson->id != id)
                return std::unexpected(SysError::input(QStringLiteral("lesson"),
                                                       QStringLiteral("%1.json holds lesson \"%2\"").arg(id, lesson->id)));
            return lesson;
        }
    }
    return std::unexpected(SysError::input(QStringLiteral("lesson"), QStringLiteral("no lesson \"%1\"").arg(id)));
}

std::expected<QList<Lesson>, SysError> LessonCatalog::load(const QString &language)
{
    const QStringList all = ids();
    if (all.isEmpty())
        return std::unexpected(SysError::input(QStringLiteral("lesson"), QStringLiteral("no lessons in the resources")));
    QList<Lesson> out;
    for (const QString &id : all) {
        auto lesson = loadOne(id, language);
        if (!lesson)
            return std::unexpected(lesson.error());
        out.append(std::move(*lesson));
    }
    return out;
}

} // namespace sockscope::core
