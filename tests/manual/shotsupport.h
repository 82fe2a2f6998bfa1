#pragma once

// What the screenshot tools share (tests/manual/shoot_*, shot_*): letting the event loop and
// the workers run for a while, grabbing a widget into a PNG, and the application set up
// as the real one is (names, version, English plurals).

#include "appservices.h"
#include "englishplurals.h"
#include "mainwindow.h"
#include "../common/samplepalettes.h"

#include "engine/lookupservice.h"
#include "engine/sessionmanager.h"
#include "net/socket.h"

#include <QApplication>
#include <QDeadlineTimer>
#include <QDir>
#include <QThread>
#include <QTimer>
#include <QWidget>

#include <cstdio>

namespace sockscope::tests {

// Runs the event loop for `ms` (timers, queued results from the workers, repaints).
inline void settle(int ms)
{
    QDeadlineTimer t(ms);
    while (!t.hasExpired()) {
        QApplication::processEvents(QEventLoop::AllEvents, 10);
        QThread::msleep(5);
    }
}

// Runs the event loop until `sender` emits `signal`, or 5 s have passed.
template<typename Sender, typename Signal>
void waitForSignal(Sender *sender, Signal signal)
{
    QEventLoop loop;
    QObject::connect(sender, signal, &loop, &QEventLoop::quit);
    QTimer::singleShot(5000, &loop, &QEventLoop::quit);
    loop.exec();
}

// After `settleMs`, grabs `w` into DIR/NAME (".png" added when NAME has no suffix) and
// prints the path (the folder is made if missing); false, with a line on stderr, when it
// cannot be written.
inline bool saveShot(QWidget &w, const QDir &dir, QString name, int settleMs = 150)
{
    settle(settleMs);
    if (!name.contains(u'.'))
        name += QStringLiteral(".png");
    dir.mkpath(QStringLiteral("."));
    const QString path = dir.filePath(name);
    if (!w.grab().save(path)) {
        std::fprintf(stderr, "could not write %s\n", qPrintable(path));
        return false;
    }
    std::printf("%s\n", qPrintable(path));
    std::fflush(stdout);
    return true;
}

// The names the window title shows and the translator app/main.cpp installs; a dark
// palette when SOCKSCOPE_SHOT_DARK=1 (Xvfb has no desktop to ask for one).
inline void prepareShotApp()
{
    static ui::EnglishPlurals plurals;
    QApplication::setApplicationDisplayName(QStringLiteral("sockscope"));
    QApplication::setApplicationVersion(QStringLiteral("0.1.0"));
    QCoreApplication::installTranslator(&plurals);
    if (qEnvironmentVariableIntValue("SOCKSCOPE_SHOT_DARK")) {
        QApplication::setStyle(QStringLiteral("Fusion"));
        QApplication::setPalette(samplePalette("fusion-dark"));
    }
}

// The output folder from argv[1] (default "."), created if missing.
inline QDir shotDir(int argc, char *argv[])
{
    const QDir dir(argc > 1 ? QString::fromLocal8Bit(argv[1]) : QStringLiteral("."));
    dir.mkpath(QStringLiteral("."));
    return dir;
}

// A screenshot tool's application, set up as app/main.cpp sets up the real one (SIGPIPE
// ignored, names, plurals), and its output folder from argv[1].
struct ShotApp
{
    struct SigpipeIgnored
    {
        SigpipeIgnored() { core::ignoreSigpipe(); }
    } sigpipe; // first: before anything can write to a socket
    QApplication app;
    QDir dir;

    ShotApp(int &argc, char **argv)
        : app(argc, argv)
        , dir(shotDir(argc, argv))
    {
        prepareShotApp();
    }
};

// The main window as the user sees it at 1280x800, with its own sessions.
struct ShotWorkbench
{
    core::AppServices services;
    core::SessionManager &sessions = services.sessions;
    ui::MainWindow window{services};

    ShotWorkbench()
    {
        window.resize(1280, 800);
        window.show();
    }
};

} // namespace sockscope::tests
