#pragma once

#include "../net/syserror.h"

#include <QJsonValue>
#include <QList>
#include <QString>

#include <expected>
#include <utility>

namespace sockscope::core {

// The values a lesson's texts and arguments refer to as {name}: {host}, {family},
// {server.port}, {client.segments}. Set as the steps run, in order of first setting.
class LessonVars
{
public:
    using List = QList<std::pair<QString, QString>>;

    void set(const QString &name, const QString &value);
    QString value(const QString &name) const; // empty when unset
    const List &list() const { return m_vars; }
    QString substitute(const QString &text) const;
    // A port given as a number or as text naming variables ("{server.port}").
    std::expected<quint16, SysError> port(const QJsonValue &value) const;

private:
    List m_vars;
};

} // namespace sockscope::core
