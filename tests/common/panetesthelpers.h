#pragma once

// Small helpers shared by the pane tests: waiting on pulled state the way the main
// window's timer would, and running a python3 peer.

#include "tryuntil.h"

#include "engine/sessionmanager.h"
#include "panes/pane.h"

#include <QProcess>
#include <QStandardPaths>
#include <QTest>

namespace sockscope::tests {

// Refreshes `pane` (a ui::Pane or any view with refresh(), as the window's tick does)
// until `done()` holds or 5 s pass.
template<typename Refreshable, typename Done>
bool refreshUntil(Refreshable &pane, Done done, int timeoutMs = 5000)
{
    return tryUntil([&] {
        pane.refresh();
        return done();
    }, timeoutMs);
}

inline QByteArray receivedBytes(core::SessionManager &sessions, core::SessionId id)
{
    QByteArray all;
    if (auto traffic = sessions.traffic(id)) {
        for (const core::TrafficRecord &r : traffic->since(0).records) {
            if (r.direction == core::Direction::In)
                all += r.bytes;
        }
    }
    return all;
}

// Runs a python3 script with arguments; returns its stdout (stderr on failure is printed).
inline QByteArray runPython(const QString &script, const QStringList &args, int timeoutMs = 10000)
{
    const QString python = QStandardPaths::findExecutable(QStringLiteral("python3"));
    if (python.isEmpty())
        return "no python3";
    QProcess p;
    p.start(python, QStringList{QStringLiteral("-c"), script} + args);
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        return "timeout";
    }
    const QByteArray err = p.readAllStandardError();
    if (!err.isEmpty())
        qWarning("python3: %s", err.constData());
    return p.readAllStandardOutput().trimmed();
}

} // namespace sockscope::tests
