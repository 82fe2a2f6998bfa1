#pragma once

#include "lesson.h"

#include <QList>
#include <QStringList>

namespace sockscope::core {

// The lessons shipped as resources: :/lessons/<language>/index.json lists the ids in
// teaching order, :/lessons/<language>/<id>.json holds each. A translation is a folder of
// translated copies; a lesson missing from it falls back to English.
class LessonCatalog
{
public:
    static constexpr const char *kFallbackLanguage = "en";

    // `language` as QLocale::name() gives it ("de_DE"); "de_DE", then "de", then "en".
    static std::expected<QList<Lesson>, SysError> load(const QString &language);
    static std::expected<Lesson, SysError> loadOne(const QString &id, const QString &language);
    static QStringList ids(); // in teaching order
    static QStringList languages();

private:
    static QStringList candidates(const QString &language);
};

} // namespace sockscope::core
