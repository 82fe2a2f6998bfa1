// shot_trafficwidgets: saves PNGs of a Composer and a TrafficView showing real loopback
// traffic, for review by eye. Not a test (ctest does not run it):
//   xvfb-run -a -s "-screen 0 1280x800x24" ./build/tests/manual/shot_trafficwidgets OUTDIR

#include "shotsupport.h"

#include "../common/sessionwaits.h"

#include "widgets/composer.h"
#include "widgets/trafficview.h"

#include "engine/sessionmanager.h"
#include "net/socket.h"

#include <QApplication>
#include <QDeadlineTimer>
#include <QDir>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

#include <cstdio>

using namespace sockscope;
using namespace sockscope::core;

namespace {

using tests::settle;

bool waitForIn(SessionManager &sessions, SessionId id, quint64 bytes)
{
    QDeadlineTimer t(5000);
    while (!t.hasExpired()) {
        if (sessions.traffic(id)->totals().bytesIn >= bytes)
            return true;
        settle(10);
    }
    return false;
}

struct Window
{
    QWidget widget;
    ui::TrafficView *view = new ui::TrafficView;
    ui::Composer *composer = new ui::Composer;

    explicit Window(const QString &title)
    {
        widget.setWindowTitle(title);
        auto *split = new QSplitter(Qt::Vertical);
        split->addWidget(view);
        split->addWidget(composer);
        split->setStretchFactor(0, 3);
        split->setStretchFactor(1, 1);
        split->setChildrenCollapsible(false);
        auto *layout = new QVBoxLayout(&widget);
        layout->addWidget(split);
        widget.resize(1000, 700);
    }
};

bool save(QWidget &w, const QString &dir, const QString &name)
{
    return tests::saveShot(w, dir, name);
}

} // namespace

int main(int argc, char *argv[])
{
    ignoreSigpipe();
    QApplication app(argc, argv);
    tests::prepareShotApp();
    const QString dir = argc > 1 ? QString::fromLocal8Bit(argv[1]) : QDir::currentPath();

    SessionManager sessions;
    ListenSpec spec;
    spec.bind = Address::loopback(AF_INET, 0);
    spec.service = ServiceMode::Upper;
    const SessionId listener = sessions.listen(spec);
    const auto listening = tests::waitForState(sessions, listener, SessionState::Listening);
    if (!listening || listening->state != SessionState::Listening)
        return 2;
    ConnectSpec connect;
    connect.candidates = {listening->local};
    const SessionId client = sessions.connect(connect);
    if (tests::waitForState(sessions, client, SessionState::Connected)->state != SessionState::Connected)
        return 2;

    Window main(QStringLiteral("sockscope: client → %1").arg(listening->local.toString()));
    main.view->setLog(sessions.traffic(client));
    main.widget.show();

    // Real traffic through the composer, as a user sends it; the upper server answers.
    QObject::connect(main.composer, &ui::Composer::sendRequested, [&](const QByteArray &b) { sessions.send(client, b); });
    quint64 expectIn = 0;
    auto typeAndSend = [&](PayloadMode mode, LineEnding ending, const QString &text) {
        main.composer->setMode(mode);
        main.composer->setLineEnding(ending);
        main.composer->setText(text);
        expectIn += quint64(main.composer->payload().value_or(QByteArray()).size());
        main.composer->send();
        waitForIn(sessions, client, expectIn);
    };
    typeAndSend(PayloadMode::Text, LineEnding::Lf, QStringLiteral("hello, server"));
    typeAndSend(PayloadMode::Text, LineEnding::None, QStringLiteral("GET / HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n"));
    typeAndSend(PayloadMode::Hex, LineEnding::None, QStringLiteral("00 01 02 1b 5b 33 31 6d 52 45 44 ff fe"));
    typeAndSend(PayloadMode::Text, LineEnding::Lf, QStringLiteral(u"caf\u00e9 \u20ac5 \u2014 UTF-8 is shown as text"));
    typeAndSend(PayloadMode::Text, LineEnding::Lf, QStringLiteral("a long line: ") + QString(40, u'x') + QStringLiteral(" the quick brown fox ").repeated(120));
    // Two sends back to back: the server may get them in one recv(), and the rows show it.
    sessions.send(client, "one\n");
    sessions.send(client, "two\n");
    expectIn += 8;
    waitForIn(sessions, client, expectIn);
    main.composer->setMode(PayloadMode::Text);
    main.composer->setLineEnding(LineEnding::Lf);
    main.composer->setText(QStringLiteral("ping\\x00"));
    settle(200);

    main.view->table()->selectRow(5);
    bool ok = save(main.widget, dir, QStringLiteral("widgets-traffic-text.png"));

    main.view->setDataDisplay(ui::TrafficView::DataDisplay::Both);
    main.view->setTimeMode(ui::TrafficModel::TimeMode::Absolute);
    main.view->table()->selectRow(4);
    ok = save(main.widget, dir, QStringLiteral("widgets-traffic-both.png")) && ok;

    main.view->setDataDisplay(ui::TrafficView::DataDisplay::Text);
    main.view->setTimeMode(ui::TrafficModel::TimeMode::Relative);
    main.composer->setMode(PayloadMode::Hex);
    main.composer->setLineEnding(LineEnding::None);
    main.composer->setText(QStringLiteral("48 65 6c 6c 6g 0a"));
    main.composer->send(); // refused: the error points at the 'g'
    ok = save(main.widget, dir, QStringLiteral("widgets-composer-error.png")) && ok;

    // A flood into a view with a small row cap: the banner counts the rows that left,
    // the totals keep counting, and scrolling up pauses autoscroll.
    Window flood(QStringLiteral("sockscope: a flood, autoscroll paused"));
    flood.view->setRowLimits(200, 1 << 30);
    flood.view->setLog(sessions.traffic(client));
    flood.widget.show();
    for (int i = 0; i < 600; ++i)
        sessions.send(client, QStringLiteral("line %1: status=ok\n").arg(i).toUtf8());
    settle(800);
    flood.view->table()->verticalScrollBar()->setValue(flood.view->table()->verticalScrollBar()->maximum() - 40);
    flood.composer->setRepeat(0, 250);
    flood.composer->setText(QStringLiteral("keepalive\\n"));
    QObject::connect(flood.composer, &ui::Composer::sendRequested, [&](const QByteArray &b) { sessions.send(client, b); });
    flood.composer->send();
    settle(600);
    ok = save(flood.widget, dir, QStringLiteral("widgets-traffic-dropped.png")) && ok;
    flood.composer->stopRepeat();
    return ok ? 0 : 1;
}
