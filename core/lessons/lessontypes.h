#pragma once

#include "../net/syserror.h"
#include "../net/tcpstate.h"

#include <QList>
#include <QString>

#include <optional>

namespace sockscope::core {

// One call a lesson made, as Python's socket module would write it.
struct LessonCall
{
    QString actor;   // "client", "server", "conn"
    QString code;    // client.connect(("127.0.0.1", 41234))
    QString result;  // "None", "b'onetwothree'"
    std::optional<SysError> error;
    bool ok() const { return !error.has_value(); }
};

// A state one end of the followed connection was in.
struct LessonPathPoint
{
    TcpState state = TcpState::Closed;
    bool observed = true; // false: implied by a call's outcome, never seen in the kernel
    qint64 timeNs = 0;    // CLOCK_MONOTONIC
};

struct ExpectationOutcome
{
    QString text;     // "client is in TIME_WAIT"
    bool passed = false;
    QString observed; // what the kernel or the call said
};

struct StepOutcome
{
    int step = 0;
    bool finished = false;
    QList<LessonCall> calls;
    QList<ExpectationOutcome> checks;
    std::optional<SysError> failure; // the script itself could not run (not a kernel answer)
    // The followed connection as the step left it.
    QList<LessonPathPoint> clientPath;
    QList<LessonPathPoint> serverPath;
    QString clientTitle;   // "client 127.0.0.1:41234"
    QString serverTitle;
    QList<std::pair<QString, QString>> vars; // for the placeholders of the texts
    bool passed() const
    {
        return finished && !failure && std::ranges::all_of(checks, [](const ExpectationOutcome &c) { return c.passed; });
    }
};

} // namespace sockscope::core
