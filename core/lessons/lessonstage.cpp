#include "lessonstage.h"

#include "../engine/monotonic.h"
#include "../net/pycode.h"
#include "../engine/sessionmanager.h"
#include "../engine/sessionoptions.h"
#include "../net/tcpinfo.h"

#include <QJsonArray>
#include <QRegularExpression>

#include <thread>

namespace sockscope::core {

namespace {

// A session's trace calls its socket "s" (or "conn" once accepted); the lesson's Python
// calls it by the actor's name, and so do the calls it shows.
QString renamed(QString code, const QString &actor, bool accepted)
{
    static const QRegularExpression s(QStringLiteral("(^|[\\s(=,])s(\\.| = )"));
    static const QRegularExpression conn(QStringLiteral("(^|[\\s(=,])conn(\\.| = )"));
    return code.replace(accepted ? conn : s, QStringLiteral("\\1") + actor + QStringLiteral("\\2"));
}

template<typename T>
std::optional<SysError> errorOf(const std::expected<T, SysError> &r)
{
    return r ? std::nullopt : std::optional(r.error());
}

SysError scriptError(const QString &message)
{
    return SysError::input(QStringLiteral("lesson"), message);
}

QString okText()
{
    return QStringLiteral("None");
}

} // namespace

LessonStage::LessonStage(SessionManager &sessions, int family) : m_sessions(sessions), m_family(family)
{
    m_vars.set(QStringLiteral("host"), host());
    m_vars.set(QStringLiteral("family"), pycode::family(family));
    m_vars.set(QStringLiteral("AF"), familyName(family));
}

LessonStage::~LessonStage()
{
    for (auto &[name, actor] : m_actors) {
        if (!actor->raw)
            m_sessions.forget(actor->session);
    }
}

QString LessonStage::host() const
{
    return Address::loopback(m_family).host();
}

const LessonStage::Actor *LessonStage::actor(const QString &name) const
{
    const auto it = m_actors.find(name);
    return it == m_actors.end() ? nullptr : it->second.get();
}

LessonStage::Actor *LessonStage::need(const QString &name, QString *error)
{
    const auto it = m_actors.find(name);
    if (it == m_actors.end()) {
        *error = QStringLiteral("no actor \"%1\"").arg(name);
        return nullptr;
    }
    return it->second.get();
}

LessonStage::Actor &LessonStage::create(const QString &name, bool raw, int type)
{
    auto &slot = m_actors[name];
    if (slot && !slot->raw)
        m_sessions.forget(slot->session);
    slot = std::make_unique<Actor>();
    slot->name = name;
    slot->raw = raw;
    slot->type = type;
    return *slot;
}

std::expected<void, SysError> LessonStage::rawSocket(Actor &actor, int type)
{
    auto sock = Socket::create(m_family, type);
    record(actor.name, QStringLiteral("%1 = socket.socket(%2, %3)").arg(actor.name, pycode::family(m_family), pycode::type(type)),
           sock ? QStringLiteral("<socket fd=%1>").arg(sock->fileno()) : QString(), errorOf(sock));
    if (!sock)
        return std::unexpected(sock.error());
    actor.socket = std::move(*sock);
    return {};
}

void LessonStage::recordDone(const QString &actor, QString code, const std::expected<void, SysError> &done)
{
    record(actor, std::move(code), done ? okText() : QString(), errorOf(done));
}

void LessonStage::record(const QString &actor, QString code, QString result, std::optional<SysError> error)
{
    m_calls.append(LessonCall{actor, std::move(code), std::move(result), std::move(error)});
}

QList<LessonCall> LessonStage::takeCalls()
{
    return std::exchange(m_calls, {});
}

std::expected<Address, SysError> LessonStage::target(const QJsonObject &args) const
{
    const QJsonValue to = args.value(QLatin1String("to"));
    if (const Actor *a = actor(m_vars.substitute(to.toString())))
        return Address::loopback(m_family, a->local.port());
    const auto port = m_vars.port(to);
    if (!port)
        return std::unexpected(scriptError(QStringLiteral("\"to\": no actor or port \"%1\"").arg(to.toString())));
    return Address::loopback(m_family, *port);
}

std::expected<void, SysError> LessonStage::perform(const LessonAction &a)
{
    std::expected<void, SysError> done;
    switch (a.kind) {
    case LessonOp::Listen: done = opListen(a); break;
    case LessonOp::Connect: done = opConnect(a, false); break;
    case LessonOp::ConnectEx: done = opConnect(a, true); break;
    case LessonOp::Accept: done = opAccept(a); break;
    case LessonOp::Send: done = opSend(a, 1); break;
    case LessonOp::Burst: done = opSend(a, std::max(1, a.args.value(QLatin1String("times")).toInt())); break;
    case LessonOp::Recv: done = opRecv(a, false); break;
    case LessonOp::RecvFrom: done = opRecv(a, true); break;
    case LessonOp::Udp: done = opUdp(a); break;
    case LessonOp::SendTo: done = opSendTo(a); break;
    case LessonOp::Shutdown:
    case LessonOp::Close:
    case LessonOp::Abort: done = opEnd(a); break;
    case LessonOp::Sleep:
        std::this_thread::sleep_for(std::chrono::milliseconds(a.args.value(QLatin1String("ms")).toInt()));
        break;
    }
    syncSessions();
    return done;
}

std::expected<void, SysError> LessonStage::waitSession(Actor &actor, const std::function<bool(const SessionInfo &)> &done,
                                                       int ms)
{
    const auto info = m_sessions.waitFor(actor.session, done, std::chrono::milliseconds(ms));
    if (!info)
        return std::unexpected(scriptError(QStringLiteral("session of \"%1\" is gone").arg(actor.name)));
    if (info->local.isValid())
        actor.local = info->local;
    if (info->peer.isValid())
        actor.peer = info->peer;
    if (!done(*info))
        return std::unexpected(scriptError(QStringLiteral("\"%1\" did not get there in time").arg(actor.name)));
    return {};
}

std::expected<void, SysError> LessonStage::opListen(const LessonAction &a)
{
    const QJsonObject &args = a.args;
    const auto port = m_vars.port(args.value(QLatin1String("port")).isUndefined() ? QJsonValue(0) : args.value(QLatin1String("port")));
    if (!port)
        return std::unexpected(port.error());
    const int backlog = args.value(QLatin1String("backlog")).toInt(5);
    const bool reuse = args.value(QLatin1String("reuseAddr")).toBool(true);
    const Address bind = Address::loopback(m_family, *port);
    Actor &actor = create(a.actor, args.value(QLatin1String("raw")).toBool(), SOCK_STREAM);
    actor.listener = true;
    if (!actor.raw) {
        ListenSpec spec;
        spec.bind = bind;
        spec.backlog = backlog;
        spec.reuseAddr = reuse;
        spec.autoAccept = args.value(QLatin1String("autoAccept")).toBool(false);
        actor.session = m_sessions.listen(spec);
        auto ready = waitSession(actor, [](const SessionInfo &i) {
            return i.state == SessionState::Listening || i.state == SessionState::Closed;
        });
        if (!ready)
            return ready;
    } else {
        const QString n = a.actor;
        if (auto made = rawSocket(actor, SOCK_STREAM); !made)
            return made;
        if (reuse) {
            auto set = actor.socket.setIntOption(SOL_SOCKET, SO_REUSEADDR, 1);
            record(n, QStringLiteral("%1.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)").arg(n), okText(),
                   errorOf(set));
        }
        auto bound = actor.socket.bind(bind);
        recordDone(n, QStringLiteral("%1.bind(%2)").arg(n, bind.toPython()), bound);
        if (bound) {
            auto listening = actor.socket.listen(backlog);
            recordDone(n, QStringLiteral("%1.listen(%2)").arg(n).arg(backlog), listening);
            actor.local = actor.socket.localAddress().value_or(Address());
        }
    }
    if (actor.local.isValid())
        m_vars.set(a.actor + QStringLiteral(".port"), QString::number(actor.local.port()));
    return {};
}

std::expected<void, SysError> LessonStage::opConnect(const LessonAction &a, bool ex)
{
    const QJsonObject &args = a.args;
    auto to = target(args);
    if (!to)
        return std::unexpected(to.error());
    QList<OptionSetting> options;
    const QJsonObject opts = args.value(QLatin1String("options")).toObject();
    for (auto it = opts.begin(); it != opts.end(); ++it)
        options.append(OptionSetting{it.key(), it.value().isString() ? it.value().toString() : QString::number(it.value().toInt())});
    const bool wait = args.value(QLatin1String("wait")).toBool(true);
    const int timeoutMs = args.value(QLatin1String("timeoutMs")).toInt(3000);
    Actor &actor = create(a.actor, ex || !wait || args.value(QLatin1String("raw")).toBool(), SOCK_STREAM);
    actor.peer = *to;
    if (!actor.raw) {
        ConnectSpec spec;
        spec.candidates = {*to};
        spec.timeoutMs = timeoutMs;
        spec.options = options;
        actor.session = m_sessions.connect(spec);
        auto done = waitSession(
            actor, [](const SessionInfo &i) { return i.state == SessionState::Connected || i.state == SessionState::Closed; },
            timeoutMs + 1000);
        if (actor.local.isValid())
            m_vars.set(a.actor + QStringLiteral(".port"), QString::number(actor.local.port()));
        return done;
    }
    const QString n = a.actor;
    if (auto made = rawSocket(actor, SOCK_STREAM); !made)
        return made;
    if (!options.isEmpty()) {
        CallTrace trace;
        auto applied = sessionoptions::applyPresets(actor.socket, m_family, SOCK_STREAM, options, trace, n);
        for (const CallRecord &r : trace.since(0))
            record(n, r.code, r.result, r.error);
        if (!applied)
            return std::unexpected(applied.error());
    }
    const QString code = QStringLiteral("%1.connect%2(%3)").arg(n, ex || !wait ? QStringLiteral("_ex") : QString(), to->toPython());
    if (ex || !wait) {
        if (!wait) {
            (void)actor.socket.setTimeout(0);
            record(n, QStringLiteral("%1.setblocking(False)").arg(n), okText());
        }
        const int err = actor.socket.connectEx(*to);
        const std::optional<SysError> error = err ? std::optional(SysError::fromErrno(err)) : std::nullopt;
        record(n, code, error ? QStringLiteral("%1  # %2").arg(err).arg(error->name()) : QStringLiteral("0"), error);
    } else {
        (void)actor.socket.setTimeout(timeoutMs);
        auto connected = actor.socket.connect(*to);
        recordDone(n, code, connected);
    }
    if (auto local = actor.socket.localAddress(); local && local->port() != 0) {
        actor.local = *local;
        m_vars.set(a.actor + QStringLiteral(".port"), QString::number(actor.local.port()));
    }
    return {};
}

std::expected<void, SysError> LessonStage::opAccept(const LessonAction &a)
{
    QString error;
    Actor *listener = need(a.actor, &error);
    if (!listener)
        return std::unexpected(scriptError(error));
    const QString as = a.args.value(QLatin1String("as")).toString();
    if (!listener->raw) {
        const SessionId lid = listener->session;
        const qsizetype before = m_sessions.children(lid).size();
        m_sessions.acceptOne(lid);
        // The listener counts the accept before the manager lists the child: wait for the list.
        QList<SessionId> children;
        for (int waited = 0; waited < 3000; waited += 5) {
            children = m_sessions.children(lid);
            if (children.size() > before)
                break;
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
        if (children.size() <= before)
            return std::unexpected(scriptError(QStringLiteral("\"%1\" accepted nothing").arg(a.actor)));
        Actor &conn = create(as, false, SOCK_STREAM);
        conn.accepted = true;
        conn.session = children.last();
        return waitSession(conn, [](const SessionInfo &i) { return i.state != SessionState::Opening; });
    }
    (void)listener->socket.setTimeout(3000);
    auto accepted = listener->socket.accept();
    const QString code = QStringLiteral("%1, addr = %2.accept()").arg(as, a.actor);
    record(as, code, accepted ? accepted->peer.toPython() : QString(),
           errorOf(accepted));
    if (!accepted)
        return {};
    Actor &conn = create(as, true, SOCK_STREAM);
    conn.socket = std::move(accepted->socket);
    conn.peer = accepted->peer;
    conn.local = conn.socket.localAddress().value_or(Address());
    return {};
}

std::expected<void, SysError> LessonStage::opSend(const LessonAction &a, int times)
{
    QString error;
    Actor *actor = need(a.actor, &error);
    if (!actor)
        return std::unexpected(scriptError(error));
    const QByteArray data = m_vars.substitute(a.args.value(QLatin1String("data")).toString()).toUtf8();
    if (!actor->raw) {
        for (int i = 0; i < times; ++i)
            m_sessions.send(actor->session, data);
        return waitSession(*actor, [](const SessionInfo &i) { return i.pendingOut == 0 || i.state == SessionState::Closed; });
    }
    const QString n = a.actor;
    if (times == 1) {
        auto sent = actor->socket.send(data);
        record(n, QStringLiteral("%1.send(%2)").arg(n, pycode::bytes(data)), sent ? QString::number(*sent) : QString(),
               errorOf(sent));
        return {};
    }
    // A burst of small writes: how many segments carried them is the lesson (Nagle).
    const auto before = TcpInfo::sample(actor->socket);
    std::optional<SysError> failed;
    for (int i = 0; i < times && !failed; ++i) {
        if (auto sent = actor->socket.send(data); !sent)
            failed = sent.error();
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100)); // let the last segment leave
    const auto after = TcpInfo::sample(actor->socket);
    QString result;
    if (before && after) {
        const quint32 segments = after->segsOut - before->segsOut;
        m_vars.set(n + QStringLiteral(".segments"), QString::number(segments));
        result = QStringLiteral("# %1 calls, %2 bytes: %3 segments (TCP_INFO tcpi_segs_out)")
                     .arg(times)
                     .arg(times * data.size())
                     .arg(segments);
    }
    record(n, QStringLiteral("for _ in range(%1): %2.send(%3)").arg(times).arg(n, pycode::bytes(data)), result, failed);
    return {};
}

std::expected<void, SysError> LessonStage::opRecv(const LessonAction &a, bool from)
{
    QString error;
    Actor *actor = need(a.actor, &error);
    if (!actor)
        return std::unexpected(scriptError(error));
    if (!actor->raw)
        return std::unexpected(scriptError(QStringLiteral("\"%1\" is a session: it reads by itself").arg(a.actor)));
    const int bufsize = a.args.value(QLatin1String("bufsize")).toInt(1024);
    (void)actor->socket.setTimeout(a.args.value(QLatin1String("timeoutMs")).toInt(1000));
    const QString n = a.actor;
    auto got = from ? actor->socket.recvFrom(bufsize) : actor->socket.recv(bufsize);
    QString code = from ? QStringLiteral("data, addr = %1.recvfrom(%2)").arg(n).arg(bufsize)
                        : QStringLiteral("data = %1.recv(%2)").arg(n).arg(bufsize);
    if (!got) {
        record(n, code, QString(), got.error());
        return {};
    }
    actor->received += got->data;
    actor->datagrams.append(got->data);
    const QString data = pycode::bytes(got->data);
    record(n, code, from ? QStringLiteral("(%1, %2)").arg(data, got->from.toPython()) : data);
    return {};
}

std::expected<void, SysError> LessonStage::opUdp(const LessonAction &a)
{
    Actor &actor = create(a.actor, true, SOCK_DGRAM);
    const QString n = a.actor;
    if (auto made = rawSocket(actor, SOCK_DGRAM); !made)
        return made;
    const Address bind = Address::loopback(m_family);
    auto bound = actor.socket.bind(bind);
    recordDone(n, QStringLiteral("%1.bind(%2)").arg(n, bind.toPython()), bound);
    if (!bound)
        return std::unexpected(bound.error());
    actor.local = actor.socket.localAddress().value_or(Address());
    m_vars.set(n + QStringLiteral(".port"), QString::number(actor.local.port()));
    return {};
}

std::expected<void, SysError> LessonStage::opSendTo(const LessonAction &a)
{
    QString error;
    Actor *actor = need(a.actor, &error);
    if (!actor || !actor->raw)
        return std::unexpected(scriptError(actor ? QStringLiteral("sendto needs a raw socket") : error));
    auto to = target(a.args);
    if (!to)
        return std::unexpected(to.error());
    const QByteArray data = a.args.value(QLatin1String("data")).toString().toUtf8();
    auto sent = actor->socket.sendTo(data, *to);
    record(a.actor, QStringLiteral("%1.sendto(%2, %3)").arg(a.actor, pycode::bytes(data), to->toPython()),
           sent ? QString::number(*sent) : QString(), errorOf(sent));
    return {};
}

std::expected<void, SysError> LessonStage::opEnd(const LessonAction &a)
{
    QString error;
    Actor *actor = need(a.actor, &error);
    if (!actor)
        return std::unexpected(scriptError(error));
    const QString n = a.actor;
    if (a.kind == LessonOp::Shutdown) {
        const QString howName = a.args.value(QLatin1String("how")).toString();
        const int how = howName == QLatin1String("SHUT_RD") ? SHUT_RD : howName == QLatin1String("SHUT_RDWR") ? SHUT_RDWR : SHUT_WR;
        if (!actor->raw) {
            m_sessions.shutdown(actor->session, how);
            return waitSession(*actor, [how](const SessionInfo &i) {
                return i.state == SessionState::Closed || (how == SHUT_RD ? i.readShut : i.writeShut);
            });
        }
        auto done = actor->socket.shutdown(how);
        recordDone(n, QStringLiteral("%1.shutdown(%2)").arg(n, pycode::shutdownHow(how)), done);
        return {};
    }
    const bool abort = a.kind == LessonOp::Abort;
    if (!actor->raw) {
        abort ? m_sessions.abort(actor->session) : m_sessions.close(actor->session);
        return waitSession(*actor, [](const SessionInfo &i) { return i.state == SessionState::Closed; });
    }
    if (abort)
        record(n, QStringLiteral("%1.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack(\"ii\", 1, 0))").arg(n), okText());
    auto done = abort ? actor->socket.abort() : actor->socket.close();
    recordDone(n, QStringLiteral("%1.close()").arg(n), done);
    return {};
}

void LessonStage::syncSessions()
{
    for (auto &[name, actor] : m_actors) {
        if (actor->raw)
            continue;
        if (const auto trace = m_sessions.trace(actor->session)) {
            for (const CallRecord &r : trace->since(actor->traceSeq)) {
                record(name, renamed(r.code, name, actor->accepted), r.result, r.error);
                actor->traceSeq = r.seq;
            }
        }
        if (const auto traffic = m_sessions.traffic(actor->session)) {
            const TrafficSnapshot snap = traffic->since(actor->trafficSeq);
            for (const TrafficRecord &r : snap.records) {
                if (r.direction != Direction::In)
                    continue;
                actor->received += r.bytes;
                record(name, QStringLiteral("%1.recv(…)  # the app reads what arrives").arg(name), pycode::bytes(r.bytes));
            }
            actor->trafficSeq = snap.lastSeq;
        }
        if (const auto info = m_sessions.info(actor->session)) {
            if (info->local.isValid())
                actor->local = info->local;
            if (info->peer.isValid())
                actor->peer = info->peer;
        }
    }
}

} // namespace sockscope::core
