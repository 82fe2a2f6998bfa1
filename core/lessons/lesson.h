#pragma once

#include "../net/syserror.h"

#include <QJsonObject>
#include <QList>
#include <QString>

#include <expected>
#include <optional>

namespace sockscope::core {

// The ops a lesson step can perform; their names and required arguments are listed once,
// in lesson.cpp, and LessonStage performs them by this value.
enum class LessonOp { Listen, Connect, ConnectEx, Accept, Send, Burst, Recv, Udp, SendTo, RecvFrom, Shutdown, Close, Abort, Sleep };

// One thing a lesson step does, e.g. {"op": "connect", "actor": "client", "to": "server"}.
// The ops and their arguments are documented with LessonStage, which performs them.
struct LessonAction
{
    LessonOp kind = LessonOp::Sleep;
    QString op;       // its name, as written
    QString actor;
    QJsonObject args; // the whole object, op and actor included
};

// What a step should produce, checked against the kernel and the calls' outcomes, e.g.
// {"actor": "client", "state": "TIME_WAIT"} or {"actor": "client", "error": "ECONNREFUSED"}.
// The kinds and their meaning are documented with LessonCheck.
struct LessonExpectation
{
    QString kind; // "state", "error", "ok", "result", "received", "acceptQueue", "count", "less"
    QJsonObject spec;
    int withinMs = 2000; // how long the kernel may take to get there
    QString text;        // what to call it on screen; empty: LessonCheck::describe() words it
};

// Which sockets the state diagram follows: the client end is `client`'s connection, the
// server end is `server`'s (or, before it is accepted, the other end of the client's
// connection, or else the `listener` while it waits).
struct LessonFocus
{
    QString client;
    QString server;
    QString listener;
    bool operator==(const LessonFocus &) const = default;
};

struct LessonStep
{
    QString title;
    QString narration; // plain text; {placeholders} as in Lesson::substitute
    QString python;    // the same calls in Python's socket module
    QList<LessonAction> actions;
    QList<LessonExpectation> expectations;
    std::optional<LessonFocus> focus; // from this step on, the diagram follows these
};

// A guided lesson: a scripted sequence of steps run on loopback, each with narration,
// the equivalent Python code and the expectations the real kernel must meet. Lessons are
// data (resources/lessons/<language>/<id>.json), so a translation is a copy of the file.
class Lesson
{
public:
    // Parses and validates (known ops and expectation kinds, required fields); the error
    // names the step and the field.
    static std::expected<Lesson, SysError> fromJson(QByteArrayView json);

    // Replaces {name} by vars' value for every name in `vars` ({server.port} -> 41234).
    static QString substitute(QString text, const QList<std::pair<QString, QString>> &vars);
    static QStringList knownOps();

    QString id;
    QString title;
    QString summary;
    LessonFocus focus;
    bool showBacklog = false; // the listener's accept queue is the point: show it
    QList<LessonStep> steps;
};

} // namespace sockscope::core
