#include "snippetstore.h"

#include <QSettings>

namespace sockscope::ui {

using namespace sockscope::core;

namespace {

void writeAll(const QList<SnippetStore::Snippet> &list)
{
    QSettings settings;
    settings.remove(SnippetStore::kSettingsKey);
    settings.beginWriteArray(SnippetStore::kSettingsKey, int(list.size()));
    for (int i = 0; i < list.size(); ++i) {
        settings.setArrayIndex(i);
        settings.setValue(QStringLiteral("name"), list[i].name);
        settings.setValue(QStringLiteral("text"), list[i].text);
        settings.setValue(QStringLiteral("mode"), int(list[i].mode));
        settings.setValue(QStringLiteral("ending"), int(list[i].ending));
    }
    settings.endArray();
}

} // namespace

QList<SnippetStore::Snippet> SnippetStore::all()
{
    QSettings settings;
    QList<Snippet> list;
    const int n = settings.beginReadArray(kSettingsKey);
    for (int i = 0; i < n; ++i) {
        settings.setArrayIndex(i);
        // Settings files can be edited by hand: out-of-range numbers fall back to defaults.
        const int mode = settings.value(QStringLiteral("mode")).toInt();
        const int ending = settings.value(QStringLiteral("ending")).toInt();
        list.append({settings.value(QStringLiteral("name")).toString(), settings.value(QStringLiteral("text")).toString(),
                     mode == int(PayloadMode::Hex) ? PayloadMode::Hex : PayloadMode::Text,
                     ending >= 0 && ending <= int(LineEnding::Cr) ? LineEnding(ending) : LineEnding::None});
    }
    settings.endArray();
    return list;
}

std::optional<SnippetStore::Snippet> SnippetStore::find(const QString &name)
{
    for (const Snippet &s : all()) {
        if (s.name == name)
            return s;
    }
    return std::nullopt;
}

void SnippetStore::save(const Snippet &snippet)
{
    QList<Snippet> list = all();
    list.removeIf([&](const Snippet &s) { return s.name == snippet.name; });
    list.append(snippet);
    writeAll(list);
}

bool SnippetStore::remove(const QString &name)
{
    QList<Snippet> list = all();
    if (list.removeIf([&](const Snippet &s) { return s.name == name; }) == 0)
        return false;
    writeAll(list);
    return true;
}

} // namespace sockscope::ui
