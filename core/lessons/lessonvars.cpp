#include "lessonvars.h"

#include "../net/address.h"
#include "lesson.h"

namespace sockscope::core {

void LessonVars::set(const QString &name, const QString &value)
{
    for (auto &[n, v] : m_vars) {
        if (n == name) {
            v = value;
            return;
        }
    }
    m_vars.append({name, value});
}

QString LessonVars::value(const QString &name) const
{
    for (const auto &[n, v] : m_vars) {
        if (n == name)
            return v;
    }
    return {};
}

QString LessonVars::substitute(const QString &text) const
{
    return Lesson::substitute(text, m_vars);
}

std::expected<quint16, SysError> LessonVars::port(const QJsonValue &value) const
{
    if (value.isDouble()) {
        const int n = value.toInt(-1);
        if (n < 0 || n > 65535)
            return std::unexpected(SysError::input(QStringLiteral("port"), QStringLiteral("%1 is not a port").arg(n)));
        return quint16(n);
    }
    return Address::parsePort(substitute(value.toString()));
}

} // namespace sockscope::core
