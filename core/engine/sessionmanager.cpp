#include "sessionmanager.h"

#include "queueddelivery.h"
#include "session.h"

#include <future>
#include <malloc.h>
#include <mutex>

namespace sockscope::core {

namespace {

// Traffic records are 64 KiB - 1 MiB buffers, allocated per read and freed in FIFO order as
// the log trims. With glibc's dynamic thresholds the freed heap top went back to the kernel
// and came back on the next read, page-faulting (zeroing) every byte a second time: perf
// showed unmap_page_range and page-fault clearing beside the copy itself, and the engine
// received at 0.42x iperf3. Fixed thresholds keep the buffers' memory in the heap for
// reuse (measured 4.65 -> 8.3 Gbit/s; serve --mode discard 3.3 -> 10.9). The retained top
// is bounded by the trim threshold.
void keepTrafficBuffersWarm()
{
    static std::once_flag once;
    std::call_once(once, [] {
        mallopt(M_MMAP_THRESHOLD, 4 * 1024 * 1024);
        mallopt(M_TRIM_THRESHOLD, 32 * 1024 * 1024);
    });
}

} // namespace

SessionManager::SessionManager()
    : m_reactor((keepTrafficBuffersWarm(), std::make_unique<Reactor>("sockscope-io", [this] { m_doorbells.ringAll(); })))
{
}

SessionManager::~SessionManager()
{
    // Sessions must die on the reactor thread (they unwatch their fds there).
    std::promise<void> done;
    m_reactor->post([this, &done] {
        std::map<SessionId, std::shared_ptr<Session>> all;
        {
            std::lock_guard lock(m_mutex);
            all.swap(m_sessions);
        }
        all.clear();
        done.set_value();
    });
    done.get_future().wait();
    m_reactor.reset();
}

std::shared_ptr<Session> SessionManager::makeSession(SessionId parent, SessionRole role)
{
    const SessionId id = m_nextId.fetch_add(1);
    auto session = std::make_shared<Session>(id, parent, role, *m_reactor, [this] { bump(); });
    {
        std::lock_guard lock(m_mutex);
        m_sessions.emplace(id, session);
    }
    bump();
    return session;
}

void SessionManager::bump()
{
    {
        std::lock_guard lock(m_waitMutex);
        m_generation.fetch_add(1, std::memory_order_release);
    }
    m_changed.notify_all();
    m_doorbells.ringAll();
}

std::optional<SessionInfo> SessionManager::waitFor(SessionId id, const std::function<bool(const SessionInfo &)> &done,
                                                   std::chrono::milliseconds timeout)
{
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        const quint64 seen = generation();
        auto current = info(id);
        if (!current || done(*current))
            return current;
        std::unique_lock lock(m_waitMutex);
        if (!m_changed.wait_until(lock, deadline, [&] { return generation() != seen; }))
            return info(id);
    }
}

std::shared_ptr<Session> SessionManager::find(SessionId id) const
{
    std::lock_guard lock(m_mutex);
    auto it = m_sessions.find(id);
    return it == m_sessions.end() ? nullptr : it->second;
}

template<typename F>
void SessionManager::onSession(SessionId id, F &&f)
{
    if (auto session = find(id))
        m_reactor->post([session, f = std::forward<F>(f)]() mutable { f(*session); });
}

SessionId SessionManager::connect(ConnectSpec spec)
{
    auto session = makeSession(0, SessionRole::Client);
    if (spec.timeoutMs == ConnectSpec::kUseDefaultTimeout) {
        std::lock_guard lock(m_mutex);
        spec.timeoutMs = m_defaultTimeoutMs.value_or(0);
        if (m_defaultTimeoutSet)
            session->trace()->add(QStringLiteral("socket.setdefaulttimeout(%1)")
                                      .arg(m_defaultTimeoutMs ? QString::number(*m_defaultTimeoutMs / 1000.0) : QStringLiteral("None")),
                                  QStringLiteral("None  # create_connection() without timeout= uses it"));
    }
    m_reactor->post([session, spec = std::move(spec)]() mutable { session->startConnect(std::move(spec)); });
    return session->id();
}

SessionId SessionManager::listen(ListenSpec spec)
{
    auto session = makeSession(0, SessionRole::Listener);
    m_reactor->post([this, session, spec = std::move(spec)]() mutable {
        session->startListen(std::move(spec), [this](const std::shared_ptr<Session> &listener, Accepted accepted) {
            onAccepted(listener, std::move(accepted));
        });
    });
    return session->id();
}

void SessionManager::onAccepted(const std::shared_ptr<Session> &listener, Accepted accepted)
{
    auto child = makeSession(listener->id(), SessionRole::Accepted);
    child->traffic()->setDigest(listener->traffic()->digest());
    {
        std::lock_guard lock(m_mutex);
        m_children[listener->id()].append(child->id());
    }
    child->adopt(std::move(accepted.socket), accepted.peer, listener->childService(), listener->info().type);
}

SessionId SessionManager::openDatagram(DatagramSpec spec)
{
    auto session = makeSession(0, SessionRole::Datagram);
    m_reactor->post([session, spec = std::move(spec)]() mutable { session->startDatagram(std::move(spec)); });
    return session->id();
}

std::pair<SessionId, SessionId> SessionManager::openPair(int type)
{
    auto a = makeSession(0, SessionRole::PairEnd);
    auto b = makeSession(a->id(), SessionRole::PairEnd);
    m_reactor->post([a, b, type] {
        const QString code = QStringLiteral("a, b = socket.socketpair(socket.AF_UNIX, %1)")
                                 .arg(QStringLiteral("socket.") + socketTypeName(type));
        auto pair = Socket::pair(AF_UNIX, type);
        if (!pair) {
            a->trace()->add(code, QString(), pair.error());
            return;
        }
        a->trace()->add(code, QStringLiteral("(a, b)"));
        a->adopt(std::move(pair->first), Address(), {});
        b->adopt(std::move(pair->second), Address(), {});
    });
    return {a->id(), b->id()};
}

void SessionManager::send(SessionId id, QByteArray data)
{
    onSession(id, [data = std::move(data)](Session &s) mutable { s.send(std::move(data)); });
}

void SessionManager::sendTo(SessionId id, QByteArray data, const Address &to)
{
    onSession(id, [data = std::move(data), to](Session &s) mutable { s.sendTo(std::move(data), to); });
}

void SessionManager::sendFile(SessionId id, const QString &path)
{
    onSession(id, [path](Session &s) { s.sendFile(path); });
}

void SessionManager::sendToChildren(SessionId listener, QByteArray data)
{
    for (SessionId child : children(listener))
        send(child, data);
}

void SessionManager::shutdown(SessionId id, int how)
{
    onSession(id, [how](Session &s) { s.shutdown(how); });
}

void SessionManager::note(SessionId id, QString code, QString result, std::optional<SysError> error)
{
    onSession(id, [code = std::move(code), result = std::move(result), error = std::move(error)](Session &s) mutable {
        s.note(std::move(code), std::move(result), std::move(error));
    });
}

void SessionManager::close(SessionId id)
{
    onSession(id, [](Session &s) { s.close(); });
}

void SessionManager::abort(SessionId id)
{
    onSession(id, [](Session &s) { s.abort(); });
}

void SessionManager::closeChildren(SessionId listener, bool abortive)
{
    for (SessionId child : children(listener)) {
        if (abortive)
            abort(child);
        else
            close(child);
    }
}

void SessionManager::acceptOne(SessionId listener)
{
    onSession(listener, [](Session &s) { s.acceptOne(); });
}

void SessionManager::setAutoAccept(SessionId listener, bool on)
{
    onSession(listener, [on](Session &s) { s.setAutoAccept(on); });
}

void SessionManager::setService(SessionId id, ServiceMode mode, std::shared_ptr<ResponderRules> responder)
{
    onSession(id, [mode, responder = std::move(responder)](Session &s) { s.setService(mode, responder); });
}

void SessionManager::sampleKernel(SessionId id)
{
    onSession(id, [](Session &s) { s.sampleKernel(); });
}

void SessionManager::forget(SessionId id)
{
    auto session = find(id);
    if (!session)
        return;
    {
        std::lock_guard lock(m_mutex);
        m_sessions.erase(id);
        m_children.erase(id);
        const SessionId parent = session->info().parent;
        if (auto it = m_children.find(parent); it != m_children.end())
            it->second.removeOne(id);
    }
    bump();
    // The last reference dies on the reactor thread, after the close.
    m_reactor->post([session]() mutable {
        session->close();
        session.reset();
    });
}

QList<SessionInfo> SessionManager::sessions() const
{
    std::vector<std::shared_ptr<Session>> all;
    {
        std::lock_guard lock(m_mutex);
        all.reserve(m_sessions.size());
        for (const auto &[id, s] : m_sessions)
            all.push_back(s);
    }
    QList<SessionInfo> infos;
    infos.reserve(qsizetype(all.size()));
    for (const auto &s : all)
        infos.append(s->info());
    return infos;
}

SessionManager::Totals SessionManager::totals() const
{
    std::vector<std::shared_ptr<Session>> all;
    {
        std::lock_guard lock(m_mutex);
        all.reserve(m_sessions.size());
        for (const auto &[id, s] : m_sessions)
            all.push_back(s);
    }
    Totals t;
    for (const auto &s : all) {
        if (!s->isClosed())
            ++t.open;
        const TrafficTotals counts = s->traffic()->counts();
        t.bytesIn += counts.bytesIn;
        t.bytesOut += counts.bytesOut;
    }
    return t;
}

std::optional<SessionInfo> SessionManager::info(SessionId id) const
{
    if (auto s = find(id))
        return s->info();
    return std::nullopt;
}

QList<SessionId> SessionManager::children(SessionId listener) const
{
    std::lock_guard lock(m_mutex);
    auto it = m_children.find(listener);
    // A copy of its own, not a shared one: the I/O thread appends to this list, and a
    // shared copy dropped on the caller's thread races with that append's reallocation
    // (QList's detach check is a relaxed load; ThreadSanitizer reported it).
    return it == m_children.end() ? QList<SessionId>() : QList<SessionId>(it->second.cbegin(), it->second.cend());
}

std::shared_ptr<const TrafficLog> SessionManager::traffic(SessionId id) const
{
    return mutableTraffic(id);
}

std::shared_ptr<TrafficLog> SessionManager::mutableTraffic(SessionId id) const
{
    if (auto s = find(id))
        return s->traffic();
    return nullptr;
}

std::shared_ptr<const CallTrace> SessionManager::trace(SessionId id) const
{
    if (auto s = find(id))
        return s->trace();
    return nullptr;
}

QString sessionRoleName(SessionRole role)
{
    switch (role) {
    case SessionRole::Client: return QStringLiteral("client");
    case SessionRole::Listener: return QStringLiteral("listener");
    case SessionRole::Accepted: return QStringLiteral("accepted");
    case SessionRole::Datagram: return QStringLiteral("datagram");
    case SessionRole::PairEnd: return QStringLiteral("socketpair");
    }
    return {};
}

QString sessionStateName(SessionState state)
{
    switch (state) {
    case SessionState::Opening: return QStringLiteral("opening");
    case SessionState::Connecting: return QStringLiteral("connecting");
    case SessionState::Connected: return QStringLiteral("connected");
    case SessionState::Listening: return QStringLiteral("listening");
    case SessionState::Bound: return QStringLiteral("bound");
    case SessionState::Closed: return QStringLiteral("closed");
    }
    return {};
}

// ---- socket options (the logic is in sessionoptions.cpp) ---------------------------

void SessionManager::readOptions(SessionId id, QObject *context, std::function<void(OptionReadings)> done, QStringList names)
{
    const QueuedDelivery delivery(context);
    auto session = find(id);
    if (!session) {
        delivery.deliver([done] { done(std::unexpected(SysError::fromErrno(EBADF))); });
        return;
    }
    m_reactor->post([session, delivery, done = std::move(done), names = std::move(names)] {
        OptionReadings readings = std::unexpected(SysError::fromErrno(EBADF));
        if (session->socket().isValid()) {
            const SessionInfo info = session->info();
            readings = sessionoptions::read(session->socket(), info.family, info.type, names);
        }
        delivery.deliver([done, readings = std::move(readings)] { done(readings); });
    });
}

void SessionManager::applyOption(SessionId id, OptionSetting setting, QObject *context,
                                 std::function<void(OptionApplyResult)> done)
{
    const QueuedDelivery delivery(context);
    auto session = find(id);
    m_reactor->post([session, delivery, done = std::move(done), setting = std::move(setting)] {
        OptionApplyResult result;
        result.option = findSocketOption(setting.name);
        result.asked = setting.value;
        if (!session || !session->socket().isValid()) {
            result.error = SysError::fromErrno(EBADF);
        } else {
            const SessionInfo info = session->info();
            result = sessionoptions::apply(session->socket(), info.family, info.type, setting, *session->trace(),
                                           session->traceVar());
        }
        delivery.deliver([done, result = std::move(result)] { done(result); });
    });
}

void SessionManager::readKernelGroups(QObject *context, std::function<void(QList<KernelGroup>)> done)
{
    const QueuedDelivery delivery(context);
    m_reactor->post([delivery, done = std::move(done)] {
        delivery.deliver([done, groups = KernelGroups::read()] { done(groups); });
    });
}

void SessionManager::setDefaultTimeout(std::optional<int> ms)
{
    std::lock_guard lock(m_mutex);
    m_defaultTimeoutMs = ms;
    m_defaultTimeoutSet = true;
}

std::optional<int> SessionManager::defaultTimeout() const
{
    std::lock_guard lock(m_mutex);
    return m_defaultTimeoutMs;
}

} // namespace sockscope::core
