#include "engineruns.h"

#include "plainpeers.h"

#include "engine/sessionmanager.h"

#include <QFile>
#include <QProcess>
#include <QRegularExpression>

#include <future>
#include <thread>
#include <unistd.h>

namespace sockscope::bench {

using namespace sockscope::core;
using namespace std::chrono_literals;

namespace {

double gbps(long long bytes, Clock::time_point start, Clock::time_point end)
{
    const double s = std::chrono::duration<double>(end - start).count();
    return s > 0 ? double(bytes) * 8 / s / 1e9 : 0;
}

Measured failed(const QString &why)
{
    return Measured{0, why};
}

} // namespace

Measured engineTcpReceive(long long bytes, size_t writeSize, TrafficDigest digest)
{
    SessionManager manager;
    ListenSpec spec;
    spec.bind = Address::loopback(AF_INET, 0);
    spec.backlog = 1;
    spec.service = ServiceMode::None;
    spec.digest = digest;
    const SessionId listener = manager.listen(spec);
    const auto listening = manager.waitFor(listener, [](const SessionInfo &i) { return i.state != SessionState::Opening; }, 10s);
    if (!listening || listening->state != SessionState::Listening)
        return failed(QStringLiteral("listen failed"));
    std::promise<void> go;
    std::shared_future<void> goFuture = go.get_future().share();
    std::promise<void> connected;
    auto sender = std::async(std::launch::async, [&] {
        return plainSend(listening->local.port(), bytes, writeSize, [&] {
            connected.set_value();
            goFuture.wait();
        });
    });
    connected.get_future().wait();
    QList<SessionId> children;
    manager.waitFor(listener, [&](const SessionInfo &) { return !(children = manager.children(listener)).isEmpty(); }, 10s);
    go.set_value();
    if (children.isEmpty()) {
        manager.close(listener);
        sender.get();
        return failed(QStringLiteral("no connection accepted"));
    }
    const SessionId child = children.first();
    // No per-read wake-ups: the session bumps its info on state changes only, so this
    // thread sleeps until EOF.
    manager.waitFor(child, [](const SessionInfo &i) { return i.peerClosed || i.state == SessionState::Closed; }, 1h);
    const auto log = manager.traffic(child);
    log->waitForDigest(1h); // SHA-256: the figure counts until the hash is done too
    const Clock::time_point end = Clock::now();
    const PlainTransfer sent = sender.get();
    const TrafficTotals t = log->totals();
    if (sent.bytes != bytes || t.bytesIn != quint64(bytes))
        return failed(QStringLiteral("sent %1, the session counted %2").arg(sent.bytes).arg(t.bytesIn));
    if (digest == TrafficDigest::Sha256 && (t.hashedIn != t.bytesIn || t.sha256In.size() != 32))
        return failed(QStringLiteral("the digest covers %1 of %2 bytes").arg(t.hashedIn).arg(t.bytesIn));
    return Measured{gbps(bytes, sent.start, end), {}};
}

Measured plainTcpReceive(long long bytes, size_t writeSize, size_t readSize)
{
    uint16_t port = 0;
    const int listenFd = plainListen(SOCK_STREAM, &port, 1);
    if (listenFd < 0)
        return failed(QStringLiteral("listen failed"));
    auto sender = std::async(std::launch::async, [&] { return plainSend(port, bytes, writeSize); });
    const PlainTransfer got = plainDiscard(listenFd, readSize);
    ::close(listenFd);
    const PlainTransfer sent = sender.get();
    if (sent.bytes != bytes || got.bytes != bytes)
        return failed(QStringLiteral("sent %1, received %2").arg(sent.bytes).arg(got.bytes));
    return Measured{gbps(bytes, sent.start, got.end), {}};
}

Measured cliServeDiscard(const QString &cli, long long bytes, size_t writeSize)
{
    const QString outPath = QStringLiteral("/tmp/sockscope-bench-serve-%1.out").arg(::getpid());
    QFile::remove(outPath);
    QProcess serve;
    serve.setStandardOutputFile(outPath); // as a user would redirect it
    serve.start(cli, {QStringLiteral("serve"), QStringLiteral("tcp"), QStringLiteral("--mode"), QStringLiteral("discard"),
                      QStringLiteral("--digest"), QStringLiteral("none")});
    if (!serve.waitForStarted(5000))
        return failed(QStringLiteral("sockscope-cli did not start: ") + serve.errorString());
    QFile out(outPath);
    QByteArray text;
    auto readMore = [&] {
        if (!out.isOpen())
            out.open(QIODevice::ReadOnly);
        if (out.isOpen())
            text += out.readAll();
    };
    const auto stop = [&] {
        serve.terminate();
        if (!serve.waitForFinished(10000))
            serve.kill();
        QFile::remove(outPath);
    };
    const Clock::time_point deadline = Clock::now() + 10s;
    while (!text.contains('\n') && Clock::now() < deadline) {
        std::this_thread::sleep_for(2ms);
        readMore();
    }
    const auto m = QRegularExpression(QStringLiteral(R"(^listening on 127\.0\.0\.1:(\d+)\n)")).match(QString::fromUtf8(text));
    if (!m.hasMatch()) {
        stop();
        return failed(QStringLiteral("no `listening on` line"));
    }
    const PlainTransfer sent = plainSend(quint16(m.captured(1).toUInt()), bytes, writeSize);
    // The totals line comes when the discard server saw EOF and closed: it has read it all.
    const QByteArray want = "totals: received ";
    Clock::time_point end;
    for (;;) {
        readMore();
        if (text.contains(want) && text.indexOf('\n', text.indexOf(want)) > 0) {
            end = Clock::now();
            break;
        }
        if (serve.state() != QProcess::Running) {
            stop();
            return failed(QStringLiteral("sockscope-cli ended early"));
        }
        std::this_thread::sleep_for(1ms);
    }
    const QByteArray totals = text.mid(text.indexOf(want) + want.size());
    const long long counted = totals.left(totals.indexOf(' ')).toLongLong();
    stop();
    if (sent.bytes != bytes || counted != bytes)
        return failed(QStringLiteral("sent %1, sockscope-cli counted %2").arg(sent.bytes).arg(counted));
    return Measured{gbps(bytes, sent.start, end), {}};
}

Measured engineAcceptCycles(int count)
{
    SessionManager manager;
    ListenSpec spec;
    spec.bind = Address::loopback(AF_INET, 0);
    spec.backlog = 4096;
    spec.service = ServiceMode::Discard; // closes when the peer goes, as the plain loop does
    spec.digest = TrafficDigest::None;
    const SessionId listener = manager.listen(spec);
    const auto listening = manager.waitFor(listener, [](const SessionInfo &i) { return i.state != SessionState::Opening; }, 10s);
    if (!listening || listening->state != SessionState::Listening)
        return failed(QStringLiteral("listen failed"));
    const Clock::time_point start = Clock::now();
    auto client = std::async(std::launch::async, [&] { return connectCloseCycles(listening->local.port(), count); });
    // Done when every connection was accepted and closed again: only the listener is open.
    // The listener's counter is cheap; the open count walks every session, so it is asked
    // only once all were accepted (polling it each millisecond took half a core from the
    // engine being measured).
    const Clock::time_point deadline = start + 300s;
    Clock::time_point end;
    for (;;) {
        const quint64 accepted = manager.info(listener).value_or(SessionInfo{}).accepted;
        if (accepted >= quint64(count) && manager.totals().open == 1) {
            end = Clock::now();
            break;
        }
        if (Clock::now() > deadline) {
            client.get();
            return failed(QStringLiteral("%1 of %2 accepted").arg(accepted).arg(count));
        }
        std::this_thread::sleep_for(accepted >= quint64(count) ? 1ms : 5ms);
    }
    if (!client.get())
        return failed(QStringLiteral("a connect failed"));
    return Measured{count / std::chrono::duration<double>(end - start).count(), {}};
}

Measured plainAcceptCycles(int count)
{
    uint16_t port = 0;
    const int listenFd = plainListen(SOCK_STREAM, &port, 4096);
    if (listenFd < 0)
        return failed(QStringLiteral("listen failed"));
    const Clock::time_point start = Clock::now();
    auto client = std::async(std::launch::async, [&] { return connectCloseCycles(port, count); });
    const bool served = plainEpollAcceptLoop(listenFd, count);
    const Clock::time_point end = Clock::now();
    ::close(listenFd);
    if (!client.get() || !served)
        return failed(QStringLiteral("a call failed"));
    return Measured{count / std::chrono::duration<double>(end - start).count(), {}};
}

} // namespace sockscope::bench
