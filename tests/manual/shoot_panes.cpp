// shoot_panes: saves a PNG of the main window with each workbench pane selected and
// real loopback traffic in it, for review by eye. Not a test (ctest does not run it):
//   xvfb-run -a -s "-screen 0 1280x800x24" ./build/tests/manual/shoot_panes OUTDIR

#include "shotsupport.h"

#include "../common/widgetlookup.h"

#include "mainwindow.h"
#include "panes/tcpclientpane.h"
#include "panes/tcpserverpane.h"
#include "panes/udppane.h"
#include "panes/unixpane.h"
#include "widgets/composer.h"
#include "widgets/connectionview.h"
#include "widgets/ruleeditor.h"

#include "engine/lookupservice.h"
#include "engine/sessionmanager.h"
#include "net/socket.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QLineEdit>
#include <QSpinBox>
#include <QTreeView>

#include <cstdio>

using namespace sockscope;
using namespace sockscope::core;

namespace {

using tests::settle;
using sockscope::tests::named;

void save(ui::MainWindow &window, const QDir &dir, const QString &name)
{
    tests::saveShot(window, dir, name, 400);
}

void send(ui::ConnectionView *view, const QString &text)
{
    named<ui::Composer>(*view, u"composer")->setText(text);
    named<ui::Composer>(*view, u"composer")->send();
    settle(150);
}

} // namespace

int main(int argc, char *argv[])
{
    tests::ShotApp shot(argc, argv);
    const QDir &dir = shot.dir;
    tests::ShotWorkbench bench;
    SessionManager &sessions = bench.sessions;
    ui::MainWindow &window = bench.window;
    window.openStarterSessions();
    settle(500);
    // The starter client connects to the starter server and talks.
    auto *client = qobject_cast<ui::TcpClientPane *>(window.currentPane());
    client->connectToTarget();
    settle(300);
    send(named<ui::ConnectionView>(*client, u"connectionView"), QStringLiteral("hello from the workbench\\n"));
    send(named<ui::ConnectionView>(*client, u"connectionView"), QStringLiteral("two sends, maybe one recv\\n"));
    named<ui::Composer>(*client, u"composer")->setText(QStringLiteral("the next line"));
    save(window, dir, QStringLiteral("tcpclient"));

    // The same client answering the server's PINGs with its own rule.
    auto *rules = named<ui::RuleEditor>(*client, u"responderRules");
    rules->setFraming(QStringLiteral("line"));
    rules->addRule(QStringLiteral("regex:^PING (\\d+)$=>PONG \\1\\n"));
    named<QComboBox>(*client, u"modeBox")->setCurrentIndex(named<QComboBox>(*client, u"modeBox")->findData(int(ServiceMode::Rules)));
    save(window, dir, QStringLiteral("tcpclient-rules"));

    // The server with three clients, one selected.
    named<QTreeView>(window, u"sessionTree")->setCurrentIndex(named<QTreeView>(window, u"sessionTree")->model()->index(0, 0));
    auto *server = qobject_cast<ui::TcpServerPane *>(window.currentPane());
    std::vector<Socket> extra;
    for (int i = 0; i < 2; ++i) {
        auto s = Socket::create(AF_INET, SOCK_STREAM);
        // The listener's snapshot, not the port field: a pane not on screen refreshes
        // its fields only when it is shown.
        if (auto c = s->connect(sessions.info(server->listener())->local); !c)
            std::fprintf(stderr, "extra client: %s\n", qPrintable(c.error().toString()));
        s->sendAll(QByteArrayLiteral("plain client says hi\n"));
        extra.push_back(std::move(*s));
    }
    settle(300);
    server->selectChild(server->childSessions().first());
    named<ui::Composer>(*server, u"composer")->setText(QStringLiteral("a reply typed by hand"));
    save(window, dir, QStringLiteral("tcpserver"));

    // A second server with automatic accept off and listen(1): four clients, two fill the
    // accept queue, two are left in SYN_SENT retrying.
    ui::TcpServerPane *queued = window.newTcpServer();
    named<QCheckBox>(*queued, u"autoAcceptBox")->setChecked(false);
    named<QSpinBox>(*queued, u"backlogBox")->setValue(1);
    queued->startWith(QStringLiteral("127.0.0.1"), 0, ServiceMode::Echo);
    settle(300);
    std::vector<Socket> waiting;
    for (int i = 0; i < 4 && sessions.info(queued->listener()); ++i) {
        auto s = Socket::create(AF_INET, SOCK_STREAM);
        s->setTimeout(0);
        s->connectEx(sessions.info(queued->listener())->local);
        waiting.push_back(std::move(*s));
    }
    settle(300);
    save(window, dir, QStringLiteral("tcpserver-queue"));

    // A third server about to listen on every interface: the pane says what that exposes.
    ui::TcpServerPane *exposed = window.newTcpServer();
    named<QComboBox>(*exposed, u"bindAddressBox")->setEditText(QStringLiteral("0.0.0.0"));
    settle(200);
    save(window, dir, QStringLiteral("tcpserver-exposed"));

    // UDP: a bound socket that sent a datagram and an empty one to an echo peer.
    ui::UdpPane *echo = window.newUdp();
    named<QComboBox>(*echo, u"modeBox")->setCurrentIndex(1);
    echo->open();
    settle(200);
    ui::UdpPane *udp = window.newUdp();
    udp->open();
    settle(200);
    udp->setTarget(QStringLiteral("127.0.0.1"), quint16(named<QLineEdit>(*echo, u"bindPortEdit")->text().toUShort()));
    named<ui::Composer>(*udp, u"composer")->setText(QStringLiteral("datagram one"));
    named<ui::Composer>(*udp, u"composer")->send();
    udp->sendDatagram(QByteArray());
    settle(200);
    save(window, dir, QStringLiteral("udp"));

    // The same socket answering by rules: the editor unfolded under the socket form.
    named<ui::RuleEditor>(*udp, u"responderRules")->addRule(QStringLiteral("regex:^PING (\\d+)$=>PONG \\1"));
    named<QComboBox>(*udp, u"modeBox")->setCurrentIndex(named<QComboBox>(*udp, u"modeBox")->findData(int(ServiceMode::Rules)));
    save(window, dir, QStringLiteral("udp-rules"));

    // Unix: listen on an abstract name, connect, and a socketpair.
    ui::UnixPane *unixPane = window.newUnix();
    named<QLineEdit>(*unixPane, u"pathEdit")->setText(QStringLiteral("@sockscope-shot-%1").arg(QCoreApplication::applicationPid()));
    unixPane->listenOrBind();
    settle(100);
    unixPane->connectToPath();
    settle(200);
    send(named<ui::ConnectionView>(*unixPane, u"connectionView"), QStringLiteral("over AF_UNIX\\n"));
    save(window, dir, QStringLiteral("unix"));

    window.showLookup();
    save(window, dir, QStringLiteral("lookup"));
    window.showSystemSockets();
    settle(1200);
    save(window, dir, QStringLiteral("sockets"));
    window.showLessons();
    save(window, dir, QStringLiteral("lessons"));
    return 0;
}
