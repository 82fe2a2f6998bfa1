#pragma once

#include <QTranslator>

namespace sockscope::ui {

// The app's own strings are English with "%n thing(s)" for counts. Qt picks plural forms
// only through a translator, and without one the "(s)" shows. This one, installed first
// (so any real translation installed later wins), answers every "%n" string: "(s)" and
// "(es)" become the suffix for any count but 1 and vanish for 1.
class EnglishPlurals : public QTranslator
{
public:
    using QTranslator::QTranslator;

    bool isEmpty() const override { return false; }
    QString translate(const char *context, const char *sourceText, const char *disambiguation = nullptr,
                      int n = -1) const override;

    static QString apply(const QString &text, int n); // the rule, for tests
};

} // namespace sockscope::ui
