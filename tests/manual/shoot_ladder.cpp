// Not a test: captures a real loopback handshake, exchange and teardown with
// sockscope-capture (needs CAP_NET_RAW or root), shows it in the LadderDiagram and saves
// the window as a PNG. Run under Xvfb:
//   xvfb-run -a -s "-screen 0 1280x800x24" ./shoot_ladder ladder.png

#include "widgets/ladderdiagram.h"

#include "net/socket.h"
#include "observe/capture.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QScrollArea>
#include <QThread>

#include <cstdio>

using namespace sockscope::core;

namespace {

bool waitFor(Capture &capture, qsizetype n)
{
    QElapsedTimer t;
    t.start();
    while (capture.segmentCount() < n && t.elapsed() < 5000) {
        QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
        QThread::msleep(2);
    }
    return capture.segmentCount() >= n;
}

int fail(const char *what)
{
    std::fprintf(stderr, "shoot_ladder: %s\n", what);
    return 1;
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    const QString out = argc > 1 ? QString::fromLocal8Bit(argv[1]) : QStringLiteral("ladder.png");

    auto listener = Socket::create(AF_INET, SOCK_STREAM);
    if (!listener || !listener->bind(Address::loopback(AF_INET)) || !listener->listen(4))
        return fail("listen");
    const quint16 port = listener->localAddress()->port();
    Capture capture;
    if (!capture.start(*CaptureFilter::forPort(port)))
        return fail("start the helper");
    QElapsedTimer t;
    t.start();
    while (!capture.isReady() && capture.status() != Capture::Status::Failed && t.elapsed() < 5000)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 10);
    if (!capture.isReady())
        return fail(capture.error() ? qPrintable(capture.error()->toString()) : "no ready line");

    // The classic: connect, one request, one reply, the client closes first.
    auto client = Socket::create(AF_INET, SOCK_STREAM);
    if (!client || !client->connect(Address::loopback(AF_INET, port)))
        return fail("connect");
    auto server = listener->accept();
    if (!server || !waitFor(capture, 3))
        return fail("handshake");
    client->sendAll("GET / HTTP/1.0\r\n\r\n");
    waitFor(capture, 5);
    server->socket.recv(100);
    server->socket.sendAll("HTTP/1.0 200 OK\r\n\r\nhello");
    waitFor(capture, 7);
    client->recv(100);
    client->close();
    waitFor(capture, 9);
    server->socket.recv(100);
    server->socket.close();
    if (!waitFor(capture, 11))
        return fail("teardown");

    QScrollArea window;
    auto *ladder = new sockscope::ui::LadderDiagram;
    ladder->setCapture(capture.snapshot());
    window.setWidget(ladder);
    window.setWidgetResizable(true);
    window.setWindowTitle(QStringLiteral("Packet ladder"));
    window.resize(ladder->sizeHint() + QSize(4, 4));
    window.show();
    for (int i = 0; i < 20; ++i)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 10);
    if (!window.grab().save(out))
        return fail("save");
    std::printf("%s\n", qPrintable(out));
    return 0;
}
