#include "englishplurals.h"
#include "mainwindow.h"

#include "engine/lookupservice.h"
#include "engine/sessionmanager.h"
#include "net/socket.h"

#include <QApplication>
#include <QCommandLineParser>

int main(int argc, char *argv[])
{
    sockscope::core::ignoreSigpipe();
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("sockscope"));
    QApplication::setApplicationDisplayName(QStringLiteral("sockscope"));
    QApplication::setApplicationVersion(QStringLiteral(SOCKSCOPE_VERSION));
    QApplication::setOrganizationName(QStringLiteral("sockscope"));
    sockscope::ui::EnglishPlurals plurals;
    QCoreApplication::installTranslator(&plurals);

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("A workbench for the BSD socket API"));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addOption({QStringLiteral("no-starter"), QStringLiteral("Do not open the local server and client on start.")});
    parser.process(app);

    // Declared before the window so they outlive it; the lookup service never waits for
    // a hung getaddrinfo when it goes.
    sockscope::core::SessionManager sessions;
    sockscope::core::LookupService lookups;
    sockscope::ui::MainWindow window(sessions, lookups);
    if (!parser.isSet(QStringLiteral("no-starter")))
        window.openStarterSessions();
    window.show();
    return app.exec();
}
