#pragma once

#include "lesson.h"
#include "lessonobserver.h"
#include "lessonstage.h"
#include "lessontypes.h"

#include <QCoreApplication>

namespace sockscope::core {

// The expectations of a step, held against the real kernel and the calls' outcomes.
// Kinds (LessonExpectation::kind, from the key present):
//   {"actor": A, "state": S, "timer"?: "timewait"}  A's socket is in S (CLOSED: not in the
//                                                   table); with its timer running
//   {"end": "client" | "server", "state": S}        the followed end is in S
//   {"actor": A, "error": "ECONNREFUSED"}           a call of A failed with that errno
//   {"actor": A, "ok": true}                        no call of A failed
//   {"actor": A, "result": "b'onetwothree'"}        a call of A returned that (prefix)
//   {"actor": A, "received": "hello"}               all A received so far, exactly
//   {"actor": A, "acceptQueue": N}                  listener A has N connections waiting
//   {"count": N, "state": S, "toPort": A}           at least N sockets in S towards A's port
//   {"less": "{x.segments}", "than": "{y.segments}"} a number below another
// Texts may name variables: {server.port}. Each expectation may take "within": ms.
class LessonCheck
{
    Q_DECLARE_TR_FUNCTIONS(LessonCheck)

public:
    // Polls (new calls of the sessions, a sock_diag dump) until every expectation holds
    // or the longest "within" has passed; new calls are appended to `calls`.
    static QList<ExpectationOutcome> run(const QList<LessonExpectation> &expectations, LessonStage &stage,
                                         LessonObserver &observer, QList<LessonCall> &calls);
    static ExpectationOutcome evaluate(const LessonExpectation &expectation, const LessonStage &stage,
                                       const LessonObserver &observer, const QList<LessonCall> &calls);
    // "client is in TIME_WAIT", translated.
    static QString describe(const LessonExpectation &expectation, const QList<std::pair<QString, QString>> &vars);
};

} // namespace sockscope::core
