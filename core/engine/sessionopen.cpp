#include "session.h"

#include "../net/pycode.h"
#include "sessionoptions.h"

#include <algorithm>
#include <cerrno>

// How a session's socket comes to be: connect() over each candidate address, listen()
// and accept(), adopting an accepted or socketpair() socket, and the datagram setup. The
// data path and the ending are in session.cpp.

namespace sockscope::core {

std::expected<void, SysError> Session::openSocket(int family, int type)
{
    const QString call = QStringLiteral("s = socket.socket(%1, %2)").arg(pycode::family(family), pycode::type(type));
    auto sock = Socket::create(family, type);
    if (!sock) {
        m_trace->add(call, QString(), sock.error());
        return std::unexpected(sock.error());
    }
    m_trace->add(call, QStringLiteral("<socket fd=%1>").arg(sock->fileno()));
    m_socket = std::move(*sock);
    m_socket.setBlocking(false); // the reactor waits, never the call
    return {};
}

// ---- connecting -------------------------------------------------------------------

void Session::startConnect(ConnectSpec spec)
{
    m_connectSpec = std::move(spec);
    m_traffic->setDigest(m_connectSpec.digest);
    const ServiceConfig config{m_connectSpec.service, std::nullopt, m_connectSpec.responder};
    m_service = Service::create(config);
    bumpInfo([&](SessionInfo &i) {
        i.type = m_connectSpec.type;
        i.service = config.shownMode();
        i.state = SessionState::Connecting;
    });
    if (m_connectSpec.candidates.isEmpty()) {
        endWithError(QStringLiteral("socket.create_connection(...)"),
                     SysError::input(QStringLiteral("host"), QStringLiteral("no address to connect to")));
        return;
    }
    tryNextCandidate();
}

void Session::tryNextCandidate()
{
    if (m_nextCandidate >= m_connectSpec.candidates.size()) {
        const SysError err = m_lastConnectError.value_or(SysError::fromErrno(ECONNREFUSED));
        bumpInfo([&](SessionInfo &i) {
            i.state = SessionState::Closed;
            i.error = err;
        });
        return;
    }
    const Address target = m_connectSpec.candidates[m_nextCandidate++];
    const int type = m_connectSpec.type;
    if (auto opened = openSocket(target.family(), type); !opened) {
        m_lastConnectError = opened.error();
        tryNextCandidate();
        return;
    }
    bumpInfo([&](SessionInfo &i) {
        i.family = target.family();
        i.peer = target;
        i.error.reset();
    });

    if (auto preset = sessionoptions::applyPresets(m_socket, target.family(), type, m_connectSpec.options, *m_trace, var());
        !preset) {
        m_lastConnectError = preset.error();
        m_socket.close();
        tryNextCandidate();
        return;
    }
    if (m_connectSpec.source) {
        const QString code = QStringLiteral("s.bind(%1)").arg(m_connectSpec.source->toPython());
        if (auto bound = m_socket.bind(*m_connectSpec.source); !bound) {
            m_trace->add(code, QString(), bound.error());
            m_lastConnectError = bound.error();
            m_socket.close();
            tryNextCandidate();
            return;
        }
        m_trace->add(code, pycode::none());
    }

    auto started = m_socket.connect(target);
    if (started) {
        finishConnect(started);
        return;
    }
    if (!started.error().is(EINPROGRESS)) {
        finishConnect(started);
        return;
    }
    m_connecting = true;
    watchSocket();
    if (m_connectSpec.timeoutMs > 0) {
        m_connectTimer = m_reactor.addTimer(std::chrono::milliseconds(m_connectSpec.timeoutMs), [this] {
            m_connectTimer = 0;
            finishConnect(std::unexpected(SysError::fromErrno(ETIMEDOUT)));
        });
    }
}

void Session::onConnectEvent()
{
    finishConnect(m_socket.connectResult());
}

void Session::finishConnect(const std::expected<void, SysError> &result)
{
    m_connecting = false;
    if (m_connectTimer) {
        m_reactor.cancelTimer(m_connectTimer);
        m_connectTimer = 0;
    }
    const Address target = m_connectSpec.candidates[m_nextCandidate - 1];
    const QString code = QStringLiteral("s.connect(%1)").arg(target.toPython());
    if (!result) {
        m_trace->add(code, QString(), result.error());
        m_lastConnectError = result.error();
        if (m_watched) {
            m_reactor.unwatch(m_socket.fileno());
            m_watched = false;
        }
        m_socket.close();
        tryNextCandidate();
        return;
    }
    m_trace->add(code, pycode::none());
    const Address local = m_socket.localAddress().value_or(Address());
    bumpInfo([&](SessionInfo &i) {
        i.state = SessionState::Connected;
        i.local = local;
    });
    m_reading = true;
    if (!m_watched)
        watchSocket();
    if (m_service)
        applyReply(m_service->onOpen(), {});
    updateInterest();
}

// ---- listening and accepting ------------------------------------------------------

void Session::startListen(ListenSpec spec, AcceptSink onAccept)
{
    m_onAccept = std::move(onAccept);
    m_autoAccept = spec.autoAccept;
    m_traffic->setDigest(spec.digest); // accepted connections take it from here
    bumpInfo([&](SessionInfo &i) {
        i.family = spec.bind.family();
        i.type = spec.type;
        i.backlog = spec.backlog;
        i.autoAccept = spec.autoAccept;
        i.service = spec.responder ? ServiceMode::Rules : spec.service;
        i.gated = spec.gate.has_value();
    });
    if (auto opened = openSocket(spec.bind.family(), spec.type); !opened) {
        endOn(opened.error());
        return;
    }

    if (spec.reuseAddr && spec.bind.family() != AF_UNIX) {
        const QString code = QStringLiteral("s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)");
        if (auto set = m_socket.setIntOption(SOL_SOCKET, SO_REUSEADDR, 1); !set) {
            endWithError(code, set.error());
            return;
        }
        m_trace->add(code, pycode::none());
    }
    if (auto preset = sessionoptions::applyPresets(m_socket, spec.bind.family(), spec.type, spec.options, *m_trace, var());
        !preset) {
        bumpInfo([&](SessionInfo &i) { i.error = preset.error(); });
        closeNow(false);
        return;
    }
    const QString bindCall = QStringLiteral("s.bind(%1)").arg(spec.bind.toPython());
    if (auto bound = m_socket.bind(spec.bind); !bound) {
        endWithError(bindCall, bound.error());
        return;
    }
    m_trace->add(bindCall, pycode::none());
    const QString listenCall = QStringLiteral("s.listen(%1)").arg(spec.backlog);
    if (auto listening = m_socket.listen(spec.backlog); !listening) {
        endWithError(listenCall, listening.error());
        return;
    }
    m_trace->add(listenCall, pycode::none());
    m_childService = ServiceConfig{spec.service, spec.gate, spec.responder};
    const Address local = m_socket.localAddress().value_or(spec.bind);
    bumpInfo([&](SessionInfo &i) {
        i.state = SessionState::Listening;
        i.local = local;
    });
    watchSocket();
}

namespace {

// accept() fails this way while the connection stays queued: nothing a retry at once can fix.
bool outOfResources(const SysError &error)
{
    return error.is(EMFILE) || error.is(ENFILE) || error.is(ENOBUFS) || error.is(ENOMEM);
}

constexpr std::chrono::milliseconds kAcceptRetry{100};

} // namespace

void Session::acceptPending(int max)
{
    for (int n = 0; n < max; ++n) {
        auto accepted = m_socket.accept(true); // non-blocking from accept4: no fcntl in adopt()
        if (!accepted) {
            if (outOfResources(accepted.error())) {
                stallAccepting(accepted.error());
            } else if (accepted.error().is(EAGAIN)) {
                m_stallTraced = m_resumeTraced = false;
            } else {
                m_trace->add(QStringLiteral("conn, addr = s.accept()"), QString(), accepted.error());
            }
            return;
        }
        QString code = QStringLiteral("conn, addr = s.accept()");
        if (m_stallTraced && !m_resumeTraced) {
            m_resumeTraced = true;
            code += QStringLiteral("  # a descriptor is free again: accepting resumed");
        }
        m_trace->add(code, accepted->peer.toPython());
        bumpInfo([](SessionInfo &i) {
            ++i.accepted;
            i.acceptStalled.reset();
        });
        if (m_onAccept)
            m_onAccept(shared_from_this(), std::move(*accepted));
    }
}

// At the descriptor limit accept() fails at once and the connection stays queued, so the
// level-triggered listener would wake again at once, forever: a core spinning and a trace
// row per try. Instead the listener stops watching, says so once, and tries again every
// kAcceptRetry (one syscall) until a descriptor is free; the clients wait in the queue.
void Session::stallAccepting(const SysError &error)
{
    if (!m_stallTraced) {
        m_stallTraced = true;
        m_trace->add(QStringLiteral("conn, addr = s.accept()  # paused: the clients wait in the queue, retried every %1 ms")
                         .arg(kAcceptRetry.count()),
                     QString(), error);
    }
    if (!m_info.acceptStalled)
        bumpInfo([&](SessionInfo &i) { i.acceptStalled = error; });
    m_acceptPaused = true;
    updateInterest();
    if (m_acceptTimer)
        m_reactor.cancelTimer(m_acceptTimer);
    std::weak_ptr<Session> weak = weak_from_this();
    m_acceptTimer = m_reactor.addTimer(kAcceptRetry, [weak] {
        if (auto self = weak.lock())
            self->retryAccepting();
    });
}

void Session::retryAccepting()
{
    m_acceptTimer = 0;
    m_acceptPaused = false;
    if (m_info.state != SessionState::Listening || !m_socket.isValid())
        return;
    // Watching again: a queued client wakes the loop, whose accept() either succeeds or
    // pauses again quietly; an empty queue costs nothing until the next client.
    updateInterest();
}

void Session::acceptOne()
{
    if (m_info.state != SessionState::Listening)
        return;
    auto accepted = m_socket.accept(true); // non-blocking from accept4: no fcntl in adopt()
    if (!accepted) {
        m_trace->add(QStringLiteral("conn, addr = s.accept()"), QString(), accepted.error());
        return;
    }
    m_trace->add(QStringLiteral("conn, addr = s.accept()"), accepted->peer.toPython());
    bumpInfo([](SessionInfo &i) { ++i.accepted; });
    if (m_onAccept)
        m_onAccept(shared_from_this(), std::move(*accepted));
}

void Session::setAutoAccept(bool on)
{
    m_autoAccept = on;
    bumpInfo([&](SessionInfo &i) { i.autoAccept = on; });
    updateInterest();
}

void Session::adopt(Socket socket, const Address &peer, const ServiceConfig &service, std::optional<int> knownType)
{
    m_socket = std::move(socket);
    // Per accepted connection every syscall counts (accept/close cycles against a plain
    // epoll loop): the listener's accept4 already made it non-blocking, getsockname's
    // address names an IP socket's family, and the listener knows the type.
    if (m_socket.timeout() != std::optional<int>(0))
        m_socket.setBlocking(false);
    m_service = Service::create(service);
    const Address local = m_socket.localAddress().value_or(Address());
    const int family = local.family() == AF_INET || local.family() == AF_INET6 ? local.family()
                                                                                : m_socket.family().value_or(local.family());
    const int type = knownType ? *knownType : m_socket.type().value_or(SOCK_STREAM);
    bumpInfo([&](SessionInfo &i) {
        i.family = family;
        i.type = type;
        i.local = local;
        i.peer = peer;
        i.service = service.shownMode();
        i.gated = service.gate.has_value();
        i.state = SessionState::Connected;
    });
    if (m_info.role == SessionRole::Accepted)
        m_trace->add(QStringLiteral("conn, addr = s.accept()"), peer.toPython()); // where this socket came from
    m_reading = true;
    watchSocket();
    if (m_service)
        applyReply(m_service->onOpen(), {});
}

// ---- datagrams --------------------------------------------------------------------

void Session::startDatagram(DatagramSpec spec)
{
    m_traffic->setDigest(spec.digest);
    m_datagramSize = std::clamp<qsizetype>(spec.receiveSize, 0, 64 * 1024);
    const ServiceConfig config{spec.service, std::nullopt, spec.responder};
    m_service = Service::create(config);
    bumpInfo([&](SessionInfo &i) {
        i.family = spec.family;
        i.type = SOCK_DGRAM;
        i.service = config.shownMode();
    });
    if (auto opened = openSocket(spec.family, SOCK_DGRAM); !opened) {
        endOn(opened.error());
        return;
    }
    {
        // Our instrument, not the user's program: the kernel then tells how many datagrams
        // it dropped on a full receive queue (Python has no name for SO_RXQ_OVFL).
        const QString code = QStringLiteral("s.setsockopt(socket.SOL_SOCKET, %1, 1)  # SO_RXQ_OVFL: count kernel drops").arg(SO_RXQ_OVFL);
        if (auto set = DatagramBatch::enableDropCount(m_socket); !set)
            m_trace->add(code, QString(), set.error()); // not fatal: the drops just stay unknown
        else
            m_trace->add(code, pycode::none());
    }
    if (spec.broadcast) {
        const QString code = QStringLiteral("s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)");
        if (auto set = m_socket.setIntOption(SOL_SOCKET, SO_BROADCAST, 1); !set) {
            endWithError(code, set.error());
            return;
        }
        m_trace->add(code, pycode::none());
    }
    if (auto preset = sessionoptions::applyPresets(m_socket, spec.family, SOCK_DGRAM, spec.options, *m_trace, var()); !preset) {
        bumpInfo([&](SessionInfo &i) { i.error = preset.error(); });
        closeNow(false);
        return;
    }
    if (spec.bind) {
        const QString code = QStringLiteral("s.bind(%1)").arg(spec.bind->toPython());
        if (auto bound = m_socket.bind(*spec.bind); !bound) {
            endWithError(code, bound.error());
            return;
        }
        m_trace->add(code, pycode::none());
    }
    Address peer;
    if (spec.connectTo) {
        const QString code = QStringLiteral("s.connect(%1)").arg(spec.connectTo->toPython());
        if (auto connected = m_socket.connect(*spec.connectTo); !connected) {
            endWithError(code, connected.error());
            return;
        }
        m_trace->add(code, pycode::none());
        peer = *spec.connectTo;
    }
    const Address local = m_socket.localAddress().value_or(Address());
    bumpInfo([&](SessionInfo &i) {
        i.state = SessionState::Bound;
        i.local = local;
        i.peer = peer;
    });
    m_reading = true;
    watchSocket();
}

} // namespace sockscope::core
