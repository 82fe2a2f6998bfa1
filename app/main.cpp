#include "englishplurals.h"
#include "mainwindow.h"
#include "panes/tcpserverpane.h"

#include "appservices.h"
#include "settingsrecovery.h"
#include "net/socket.h"

#include <QAction>
#include <QApplication>
#include <QCommandLineParser>
#include <QDockWidget>
#include <QSettings>
#include <QTimer>

#include <cstdio>
#include <ctime>

namespace {

// SOCKSCOPE_BENCH_FIRST_PAINT=report|quit (sockscope-bench): prints "first-paint <ns>"
// (CLOCK_MONOTONIC, the clock the bench read before it started us) once the window's first
// paint event has been handled, and with "quit" exits right after.
class FirstPaintProbe : public QObject
{
public:
    explicit FirstPaintProbe(bool quit) : m_quit(quit) {}
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::Paint && !m_seen) {
            m_seen = true;
            // After the paint handler: the next turn of the event loop.
            QTimer::singleShot(0, this, [this] {
                timespec ts{};
                clock_gettime(CLOCK_MONOTONIC, &ts);
                std::printf("first-paint %lld\n", (long long)ts.tv_sec * 1'000'000'000LL + ts.tv_nsec);
                std::fflush(stdout);
                if (m_quit)
                    QCoreApplication::exit(0);
            });
        }
        return QObject::eventFilter(watched, event);
    }

private:
    bool m_quit;
    bool m_seen = false;
};

} // namespace

int main(int argc, char *argv[])
{
    sockscope::core::ignoreSigpipe();
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("sockscope"));
    QApplication::setApplicationDisplayName(QStringLiteral("sockscope"));
    QApplication::setApplicationVersion(QStringLiteral(SOCKSCOPE_VERSION));
    QApplication::setOrganizationName(QStringLiteral("sockscope"));
    sockscope::core::clearInterruptedSettingsSave(QSettings().fileName()); // before the first save
    sockscope::ui::EnglishPlurals plurals;
    QCoreApplication::installTranslator(&plurals);

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("A workbench for the BSD socket API"));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addOption({QStringLiteral("no-starter"), QStringLiteral("Do not open the local server and client on start.")});
    parser.addOption({QStringLiteral("show"),
                      QStringLiteral("Open a tool on start: watch (Watch TCP), sockets, lookup, lessons, or server (a "
                                     "new upper-case server listening on 127.0.0.1). Repeatable."),
                      QStringLiteral("tool")});
    parser.process(app);

    // Created once, before the window so that they outlive it, and handed to it: every
    // background thread of the app is one of theirs.
    sockscope::core::AppServices services;
    sockscope::ui::MainWindow window(services);
    if (!parser.isSet(QStringLiteral("no-starter")))
        window.openStarterSessions();
    const QByteArray probeMode = qgetenv("SOCKSCOPE_BENCH_FIRST_PAINT");
    FirstPaintProbe probe(probeMode == "quit");
    if (!probeMode.isEmpty())
        window.installEventFilter(&probe);
    window.show();
    // After show(): the Watch TCP dock sizes itself against the shown window.
    for (const QString &tool : parser.values(QStringLiteral("show"))) {
        if (tool == QLatin1String("watch")) {
            if (QAction *toggle = window.watchDock()->toggleViewAction(); !toggle->isChecked())
                toggle->trigger();
        } else if (tool == QLatin1String("sockets")) {
            window.showSystemSockets();
        } else if (tool == QLatin1String("lookup")) {
            window.showLookup();
        } else if (tool == QLatin1String("lessons")) {
            window.showLessons();
        } else if (tool == QLatin1String("server")) {
            window.newTcpServer()->startWith(QStringLiteral("127.0.0.1"), 0, sockscope::core::ServiceMode::Upper);
        } else {
            qWarning("sockscope: unknown tool for --show: %s", qPrintable(tool));
        }
    }
    return app.exec();
}
