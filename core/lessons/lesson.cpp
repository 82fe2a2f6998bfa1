#include "lesson.h"

#include "../net/tcpstate.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace sockscope::core {

namespace {

struct OpRule
{
    LessonOp kind;
    const char *op;
    QList<const char *> required;
};

const QList<OpRule> &opRules()
{
    using enum LessonOp;
    static const QList<OpRule> rules{
        {Listen, "listen", {"actor"}},
        {Connect, "connect", {"actor", "to"}},
        {ConnectEx, "connect_ex", {"actor", "to"}},
        {Accept, "accept", {"actor", "as"}},
        {Send, "send", {"actor", "data"}},
        {Burst, "burst", {"actor", "data", "times"}},
        {Recv, "recv", {"actor"}},
        {Udp, "udp", {"actor"}},
        {SendTo, "sendto", {"actor", "to", "data"}},
        {RecvFrom, "recvfrom", {"actor"}},
        {Shutdown, "shutdown", {"actor", "how"}},
        {Close, "close", {"actor"}},
        {Abort, "abort", {"actor"}},
        {Sleep, "sleep", {"ms"}},
    };
    return rules;
}

// The expectation kinds, by the key that names them; "count" before "state" because a
// count names a state too.
const QList<std::pair<const char *, QList<const char *>>> &expectationRules()
{
    static const QList<std::pair<const char *, QList<const char *>>> rules{
        {"count", {"state", "toPort"}}, {"state", {}},        {"error", {"actor"}},    {"ok", {"actor"}},
        {"result", {"actor"}},          {"received", {"actor"}}, {"acceptQueue", {"actor"}}, {"less", {"than"}},
    };
    return rules;
}

SysError invalid(const QString &where, const QString &message)
{
    return SysError::input(QStringLiteral("lesson"), where.isEmpty() ? message : where + QStringLiteral(": ") + message);
}

std::expected<LessonFocus, SysError> parseFocus(const QJsonObject &o, const QString &where)
{
    LessonFocus f{o.value(QLatin1String("client")).toString(), o.value(QLatin1String("server")).toString(),
                  o.value(QLatin1String("listener")).toString()};
    if (f.client.isEmpty())
        return std::unexpected(invalid(where, QStringLiteral("focus needs a client")));
    return f;
}

std::expected<LessonAction, SysError> parseAction(const QJsonObject &o, const QString &where)
{
    LessonAction a{LessonOp::Sleep, o.value(QLatin1String("op")).toString(), o.value(QLatin1String("actor")).toString(), o};
    const auto rule = std::ranges::find_if(opRules(), [&](const OpRule &r) { return a.op == QLatin1String(r.op); });
    if (rule == opRules().end())
        return std::unexpected(invalid(where, QStringLiteral("unknown op \"%1\"").arg(a.op)));
    a.kind = rule->kind;
    for (const char *key : rule->required) {
        if (!o.contains(QLatin1String(key)))
            return std::unexpected(invalid(where, QStringLiteral("op %1 needs \"%2\"").arg(a.op, QLatin1String(key))));
    }
    return a;
}

std::expected<LessonExpectation, SysError> parseExpectation(const QJsonObject &o, const QString &where)
{
    for (const auto &[kind, required] : expectationRules()) {
        if (!o.contains(QLatin1String(kind)))
            continue;
        LessonExpectation e{QString::fromLatin1(kind), o, o.value(QLatin1String("within")).toInt(2000),
                            o.value(QLatin1String("text")).toString()};
        for (const char *key : required) {
            if (!o.contains(QLatin1String(key)))
                return std::unexpected(invalid(where, QStringLiteral("%1 needs \"%2\"").arg(e.kind, QLatin1String(key))));
        }
        if (e.kind == QLatin1String("state") && !o.contains(QLatin1String("actor")) && !o.contains(QLatin1String("end")))
            return std::unexpected(invalid(where, QStringLiteral("state needs \"actor\" or \"end\"")));
        if (o.contains(QLatin1String("state")) && !tcpStateFromName(o.value(QLatin1String("state")).toString()))
            return std::unexpected(invalid(where, QStringLiteral("unknown state \"%1\"").arg(o.value(QLatin1String("state")).toString())));
        return e;
    }
    return std::unexpected(invalid(where, QStringLiteral("unknown expectation")));
}

} // namespace

QStringList Lesson::knownOps()
{
    QStringList out;
    for (const OpRule &r : opRules())
        out.append(QString::fromLatin1(r.op));
    return out;
}

std::expected<Lesson, SysError> Lesson::fromJson(QByteArrayView json)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(json.toByteArray(), &error);
    if (!doc.isObject())
        return std::unexpected(invalid(QString(), error.errorString()));
    const QJsonObject root = doc.object();
    Lesson lesson;
    lesson.id = root.value(QLatin1String("id")).toString();
    lesson.title = root.value(QLatin1String("title")).toString();
    lesson.summary = root.value(QLatin1String("summary")).toString();
    lesson.showBacklog = root.value(QLatin1String("showBacklog")).toBool();
    if (lesson.id.isEmpty() || lesson.title.isEmpty())
        return std::unexpected(invalid(QString(), QStringLiteral("a lesson needs an id and a title")));
    auto focus = parseFocus(root.value(QLatin1String("focus")).toObject(), lesson.id);
    if (!focus)
        return std::unexpected(focus.error());
    lesson.focus = *focus;

    const QJsonArray steps = root.value(QLatin1String("steps")).toArray();
    if (steps.isEmpty())
        return std::unexpected(invalid(lesson.id, QStringLiteral("no steps")));
    for (qsizetype i = 0; i < steps.size(); ++i) {
        const QJsonObject s = steps[i].toObject();
        const QString where = QStringLiteral("%1 step %2").arg(lesson.id).arg(i + 1);
        LessonStep step;
        step.title = s.value(QLatin1String("title")).toString();
        step.narration = s.value(QLatin1String("narration")).toString();
        // Code is kept as an array of lines in the files: JSON has no multi-line strings.
        QStringList code;
        for (const QJsonValue &line : s.value(QLatin1String("python")).toArray())
            code.append(line.toString());
        step.python = code.join(QLatin1Char('\n'));
        if (step.title.isEmpty() || step.narration.isEmpty())
            return std::unexpected(invalid(where, QStringLiteral("a step needs a title and a narration")));
        for (const QJsonValue &v : s.value(QLatin1String("actions")).toArray()) {
            auto action = parseAction(v.toObject(), where);
            if (!action)
                return std::unexpected(action.error());
            step.actions.append(std::move(*action));
        }
        for (const QJsonValue &v : s.value(QLatin1String("expect")).toArray()) {
            auto expectation = parseExpectation(v.toObject(), where);
            if (!expectation)
                return std::unexpected(expectation.error());
            step.expectations.append(std::move(*expectation));
        }
        if (s.contains(QLatin1String("focus"))) {
            auto f = parseFocus(s.value(QLatin1String("focus")).toObject(), where);
            if (!f)
                return std::unexpected(f.error());
            step.focus = *f;
        }
        lesson.steps.append(std::move(step));
    }
    return lesson;
}

QString Lesson::substitute(QString text, const QList<std::pair<QString, QString>> &vars)
{
    for (const auto &[name, value] : vars)
        text.replace(QLatin1Char('{') + name + QLatin1Char('}'), value);
    return text;
}

} // namespace sockscope::core
