// Not a test: PNGs of the observation widgets as a student sees them. Run under Xvfb, as
// root so that the lessons' packet ladders fill (the capture needs CAP_NET_RAW):
//   xvfb-run -a -s "-screen 0 1280x800x24" ./shoot_observe OUTDIR [what...]
// what: diagram, sockets, backlog, lessons, lesson:ID (default: everything). Lesson steps
// are shot in the 1280x800 main window, call trace and all, as the lesson is used.

#include "appservices.h"
#include "shotsupport.h"

#include "../common/widgetlookup.h"
#include "../common/sessionwaits.h"

#include "mainwindow.h"
#include "panes/lessonpane.h"
#include "panes/socketspane.h"
#include "widgets/backlogview.h"
#include "widgets/ladderdiagram.h"
#include "widgets/ladderpanel.h"
#include "widgets/statediagram.h"

#include "engine/lookupservice.h"
#include "engine/sessionmanager.h"
#include "net/socket.h"

#include <QTabWidget>
#include <QTableView>

#include <QApplication>
#include <QDeadlineTimer>
#include <QDir>

#include <cstdio>

using namespace sockscope;
using core::TcpState;

namespace {

using tests::settle;
using sockscope::tests::named;

bool save(QWidget &w, const QString &dir, const QString &name)
{
    return tests::saveShot(w, dir, name);
}

bool shootDiagram(const QString &dir)
{
    ui::StateDiagram d;
    d.setWindowTitle(QStringLiteral("sockscope — TCP state diagram"));
    d.resize(900, 650);
    d.show();
    bool ok = save(d, dir, QStringLiteral("diagram-empty.png"));
    using End = ui::StateDiagram::End;
    d.setStepDuration(0);
    d.setEndTitle(End::Client, QStringLiteral("client 127.0.0.1:41234"));
    d.setEndTitle(End::Server, QStringLiteral("server 127.0.0.1:8888"));
    d.setStates(End::Client, {TcpState::Closed, TcpState::Established, TcpState::FinWait2, TcpState::TimeWait});
    d.setStates(End::Server, {TcpState::Listen, TcpState::Established, TcpState::CloseWait});
    ok = save(d, dir, QStringLiteral("diagram-teardown.png")) && ok;
    d.setStepDuration(1000);
    d.setStates(End::Server, {TcpState::Listen, TcpState::Established, TcpState::CloseWait, TcpState::Closed});
    settle(500);
    ok = save(d, dir, QStringLiteral("diagram-animating.png")) && ok;
    d.resize(1200, 880);
    d.finishAnimations();
    ok = save(d, dir, QStringLiteral("diagram-large.png")) && ok;
    return ok;
}

bool shootSockets(const QString &dir)
{
    core::SessionManager sessions;
    core::KernelWatch kernel;
    core::ListenSpec spec;
    spec.bind = core::Address::loopback(AF_INET, 0);
    spec.service = core::ServiceMode::Upper;
    const core::SessionId server = sessions.listen(spec);
    const auto info = sessions.waitFor(server, [](const core::SessionInfo &i) { return i.local.port() != 0; },
                                       std::chrono::seconds(5));
    if (!info)
        return false;
    core::ConnectSpec connect;
    connect.candidates = {info->local};
    const core::SessionId client = sessions.connect(connect);
    tests::waitForState(sessions, client, core::SessionState::Connected);
    // A closed connection, so that a TIME_WAIT timer counts down in the picture.
    core::ConnectSpec second = connect;
    const core::SessionId gone = sessions.connect(second);
    tests::waitForState(sessions, gone, core::SessionState::Connected);
    sessions.close(gone);
    settle(300);

    ui::SocketsPane pane(sessions, kernel);
    pane.setWindowTitle(QStringLiteral("sockscope — System sockets"));
    pane.resize(1000, 700);
    pane.show();
    settle(1200);
    bool ok = save(pane, dir, QStringLiteral("sockets-all.png"));
    ui::SocketFilter f;
    f.protocols = int(core::DiagProtocol::Tcp);
    f.port = info->local.port();
    pane.setFilter(f);
    settle(600);
    ok = save(pane, dir, QStringLiteral("sockets-port.png")) && ok;
    return ok;
}

bool shootBacklog(const QString &dir)
{
    core::SessionManager sessions;
    core::KernelWatch kernel;
    core::ListenSpec spec;
    spec.bind = core::Address::loopback(AF_INET, 0);
    spec.backlog = 2;
    spec.autoAccept = false;
    const core::SessionId server = sessions.listen(spec);
    const auto info = sessions.waitFor(server, [](const core::SessionInfo &i) { return i.local.port() != 0; },
                                       std::chrono::seconds(5));
    if (!info)
        return false;
    ui::BacklogView view(sessions, kernel);
    view.setWindowTitle(QStringLiteral("sockscope — accept queue"));
    view.resize(520, 300);
    view.show();
    view.setListener(server);
    std::vector<core::Socket> clients;
    for (int i = 0; i < 5; ++i) {
        settle(400);
        auto c = core::Socket::create(AF_INET, SOCK_STREAM);
        if (!c || !c->setTimeout(0))
            return false;
        c->connectEx(info->local);
        clients.push_back(std::move(*c));
    }
    settle(1500);
    return save(view, dir, QStringLiteral("backlog-full.png"));
}

bool shootLessons(const QString &dir, const QStringList &only)
{
    core::AppServices services;
    ui::MainWindow window(services);
    window.resize(1280, 800);
    window.show();
    window.showLessons();
    auto *lessons = qobject_cast<ui::LessonPane *>(window.currentPane());
    if (!lessons)
        return false;
    ui::LessonPane &pane = *lessons;
    bool ok = true;
    for (const core::Lesson &lesson : pane.lessons()) {
        if (!only.isEmpty() && !only.contains(lesson.id))
            continue;
        pane.selectLesson(lesson.id);
        settle(50);
        ok = save(window, dir, QStringLiteral("lesson-%1-0.png").arg(lesson.id)) && ok;
        for (int i = 0; i < lesson.steps.size(); ++i) {
            pane.next();
            QDeadlineTimer deadline(20000);
            while ((pane.isBusy() || pane.viewedStep() != i) && !deadline.hasExpired())
                settle(30);
            // The ladder's last segments (redrawn every LadderPanel::kRedrawMs) and the
            // diagram's transition.
            settle(pane.diagram()->isAnimating() ? 1500 : 300);
            pane.diagram()->finishAnimations();
            if (!pane.progress().steps.value(i).passed())
                std::fprintf(stderr, "%s step %d: not every expectation held\n", qPrintable(lesson.id), i + 1);
            const ui::LadderPanel *ladder = named<ui::LadderPanel>(pane, u"ladderPanel");
            std::fprintf(stderr, "%s step %d: ladder %s (%d segments drawn)\n", qPrintable(lesson.id), i + 1,
                         qPrintable(ladder->statusText()), int(ladder->diagram()->shownSegments().size()));
            ok = save(window, dir, QStringLiteral("lesson-%1-%2.png").arg(lesson.id).arg(i + 1)) && ok;
            // The same step with the ladder's tab in front, as a student clicks on it.
            named<QTabWidget>(pane, u"viewTabs")->setCurrentWidget(named<ui::LadderPanel>(pane, u"ladderPanel"));
            settle(50);
            ok = save(window, dir, QStringLiteral("lesson-%1-%2-ladder.png").arg(lesson.id).arg(i + 1)) && ok;
            named<QTabWidget>(pane, u"viewTabs")->setCurrentIndex(0);
            if (lesson.id == QLatin1String("abort") && i == 1) { // the calls really made, once
                named<QTabWidget>(pane, u"detailTabs")->setCurrentIndex(1);
                ok = save(window, dir, QStringLiteral("lesson-%1-%2-calls.png").arg(lesson.id).arg(i + 1)) && ok;
                named<QTabWidget>(pane, u"detailTabs")->setCurrentIndex(0);
            }
        }
    }
    return ok;
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    tests::prepareShotApp();
    if (argc < 2) {
        std::fprintf(stderr, "usage: shoot_observe OUTDIR [diagram|sockets|backlog|lessons]...\n");
        return 1;
    }
    const QString dir = QString::fromLocal8Bit(argv[1]);
    QStringList what;
    for (int i = 2; i < argc; ++i)
        what.append(QString::fromLocal8Bit(argv[i]));
    const auto wants = [&](const char *name) { return what.isEmpty() || what.contains(QLatin1String(name)); };
    bool ok = true;
    if (wants("diagram"))
        ok = shootDiagram(dir) && ok;
    if (wants("sockets"))
        ok = shootSockets(dir) && ok;
    if (wants("backlog"))
        ok = shootBacklog(dir) && ok;
    QStringList lessons;
    for (const QString &w : what) {
        if (w.startsWith(QLatin1String("lesson:")))
            lessons.append(w.mid(7));
    }
    if (wants("lessons") || !lessons.isEmpty())
        ok = shootLessons(dir, lessons) && ok;
    return ok ? 0 : 1;
}
