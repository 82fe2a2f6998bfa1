#include "englishplurals.h"

#include <QRegularExpression>

#include <cstring>

namespace sockscope::ui {

QString EnglishPlurals::translate(const char *, const char *sourceText, const char *, int n) const
{
    if (n < 0 || !sourceText || !std::strstr(sourceText, "%n"))
        return {}; // not ours to answer: the source text is used as is
    return apply(QString::fromUtf8(sourceText), n);
}

QString EnglishPlurals::apply(const QString &text, int n)
{
    static const QRegularExpression suffix(QStringLiteral("\\((e?s)\\)"));
    QString out = text;
    out.replace(suffix, n == 1 ? QString() : QStringLiteral("\\1"));
    return out;
}

} // namespace sockscope::ui
