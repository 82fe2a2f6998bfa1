// shoot_watch: the "Watch TCP" dock beside a workbench connection, at each moment a
// student would stop to look: established after a send, the client's half-close
// (FIN_WAIT_2 / CLOSE_WAIT), and TIME_WAIT after both closed, then the timeline tab.
// Not a test (ctest does not run it); capturing needs root or the setcap'ed helper:
//   xvfb-run -a -s "-screen 0 1280x800x24" ./build/tests/manual/shoot_watch OUTDIR

#include "shotsupport.h"

#include "../common/widgetlookup.h"

#include "mainwindow.h"
#include "panes/tcpclientpane.h"
#include "panes/tcpserverpane.h"
#include "widgets/composer.h"
#include "widgets/connectionview.h"
#include "widgets/connectionwatch.h"

#include "engine/lookupservice.h"
#include "engine/sessionmanager.h"
#include "net/socket.h"

#include <QAction>
#include <QApplication>
#include <QDir>
#include <QDockWidget>
#include <QPushButton>
#include <QTabWidget>

#include <cstdio>

using namespace sockscope;
using namespace sockscope::core;

namespace {

using tests::settle;
using sockscope::tests::named;

// Every shot is of the whole 1280x800 window; one that had to grow is a finding.
void save(QWidget &window, const QDir &dir, const QString &name)
{
    if (window.width() != 1280)
        std::fprintf(stderr, "%s: the window is %d px wide\n", qPrintable(name), window.width());
    tests::saveShot(window, dir, name, 1200); // the diagram's animation ends
}

} // namespace

int main(int argc, char *argv[])
{
    tests::ShotApp shot(argc, argv);
    const QDir &dir = shot.dir;
    tests::ShotWorkbench bench;
    SessionManager &sessions = bench.sessions;
    ui::MainWindow &window = bench.window;
    // A plain server (it reads, never answers or closes by itself) and a client aimed at it.
    ui::TcpServerPane *server = window.newTcpServer();
    server->startWith(QStringLiteral("127.0.0.1"), 0, ServiceMode::None);
    settle(300);
    ui::TcpClientPane *client = window.newTcpClient();
    client->setTarget(QStringLiteral("127.0.0.1"), sessions.info(server->listener())->local.port());
    settle(200); // as a user would: the window has laid out the client pane
    window.watchDock()->toggleViewAction()->trigger();
    settle(1200); // the capture starts before the SYN
    save(window, dir, QStringLiteral("watch-waiting"));

    client->connectToTarget();
    settle(400);
    named<ui::Composer>(*client, u"composer")->setText(QStringLiteral("hello\\n"));
    named<ui::Composer>(*client, u"composer")->send();
    save(window, dir, QStringLiteral("watch-established"));

    named<QPushButton>(*client, u"shutWriteButton")->click();
    save(window, dir, QStringLiteral("watch-halfclose"));

    // The server's end closes too: LAST_ACK there, TIME_WAIT here; then the client closes
    // its descriptor, and the TIME_WAIT socket lives on without it.
    server->selectChild(server->childSessions().first());
    named<QPushButton>(*server, u"closeButton")->click();
    settle(300);
    window.selectPane(client);
    named<QPushButton>(*client, u"closeButton")->click();
    settle(300);
    save(window, dir, QStringLiteral("watch-timewait"));

    named<QTabWidget>(*named<ui::ConnectionWatch>(window, u"connectionWatch"), u"tabs")->setCurrentIndex(1);
    save(window, dir, QStringLiteral("watch-timeline"));

    // The server's end of the same connection, followed from the server pane.
    window.selectPane(server);
    settle(200);
    server->selectChild(server->childSessions().first());
    named<QTabWidget>(*named<ui::ConnectionWatch>(window, u"connectionWatch"), u"tabs")->setCurrentIndex(0);
    save(window, dir, QStringLiteral("watch-server"));
    return 0;
}
