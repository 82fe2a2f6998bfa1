#pragma once

#include "net/payloadcodec.h"

#include <QList>
#include <QString>

#include <optional>

namespace sockscope::ui {

// The composer's saved inputs, in QSettings, shared by every composer of the app: each
// call reads or writes the settings, so a snippet saved in one pane shows in all.
class SnippetStore
{
public:
    struct Snippet
    {
        QString name;
        QString text;
        core::PayloadMode mode = core::PayloadMode::Text;
        core::LineEnding ending = core::LineEnding::None;
    };

    static inline const QString kSettingsKey = QStringLiteral("composer/snippets");

    static QList<Snippet> all();                       // in the order saved
    static std::optional<Snippet> find(const QString &name);
    static void save(const Snippet &snippet);          // replaces one of the same name
    static bool remove(const QString &name);
};

} // namespace sockscope::ui
