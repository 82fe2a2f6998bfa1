#include "mainwindow.h"

#include "engine/sessionmanager.h"
#include "net/socket.h"

#include <QApplication>

int main(int argc, char *argv[])
{
    sockscope::core::ignoreSigpipe();
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("sockscope"));
    QApplication::setApplicationDisplayName(QStringLiteral("sockscope"));
    QApplication::setApplicationVersion(QStringLiteral(SOCKSCOPE_VERSION));
    QApplication::setOrganizationName(QStringLiteral("sockscope"));

    sockscope::core::SessionManager sessions;
    sockscope::ui::MainWindow window(sessions);
    window.show();
    return app.exec();
}
