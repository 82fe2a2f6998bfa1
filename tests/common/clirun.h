#pragma once

// Runs sockscope-cli (SOCKSCOPE_CLI, set by sockscope_add_test) to completion or to a
// deadline, for tests that judge what one command line printed and how it ended.

#include <QElapsedTimer>
#include <QProcess>
#include <QRegularExpression>
#include <QStringList>

namespace sockscope::tests {

inline QString cliPath()
{
    return qEnvironmentVariable("SOCKSCOPE_CLI");
}

struct CliRun
{
    bool finished = false; // false: still running at the deadline (then killed)
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
    qint64 ms = 0;
};

inline CliRun runCli(const QStringList &arguments, int deadlineMs)
{
    CliRun run;
    QProcess p;
    p.setProcessChannelMode(QProcess::SeparateChannels);
    p.setStandardInputFile(QProcess::nullDevice());
    QElapsedTimer clock;
    clock.start();
    p.start(cliPath(), arguments);
    run.finished = p.waitForStarted(deadlineMs) && p.waitForFinished(deadlineMs);
    run.ms = clock.elapsed();
    if (!run.finished) {
        p.kill();
        p.waitForFinished(5000);
    } else {
        run.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    }
    run.out = p.readAllStandardOutput();
    run.err = p.readAllStandardError();
    return run;
}

// Starts `sockscope-cli serve ARGS` and returns its port, from its first line
// "listening on ADDR:PORT"; 0 when it did not get that far.
inline quint16 startServe(QProcess &server, const QStringList &arguments)
{
    server.setProcessChannelMode(QProcess::SeparateChannels);
    server.start(cliPath(), QStringList{QStringLiteral("serve")} + arguments);
    if (!server.waitForStarted(5000))
        return 0;
    while (!server.canReadLine()) {
        if (!server.waitForReadyRead(5000))
            return 0;
    }
    static const QRegularExpression listening(QStringLiteral("^listening on .*:(\\d+)$"));
    const auto m = listening.match(QString::fromUtf8(server.readLine()).trimmed());
    return m.hasMatch() ? quint16(m.captured(1).toUInt()) : 0;
}

} // namespace sockscope::tests
