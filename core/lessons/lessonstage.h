#pragma once

#include "../engine/sessiontypes.h"
#include "../net/socket.h"
#include "lesson.h"
#include "lessontypes.h"
#include "lessonvars.h"

#include <QList>
#include <QString>

#include <functional>
#include <map>
#include <memory>

namespace sockscope::core {

class SessionManager;

// The sockets of one lesson and the calls on them, on the lesson's own thread (it blocks:
// never on the GUI thread). An actor is either a session of the SessionManager (the app
// drives it, reads what arrives and traces its calls) or a raw core::Socket that this
// thread drives call by call: a blocking demo needs one (a single recv() after three
// sends, a peer that never reads what it was sent).
//
// Ops (LessonAction::op; every actor-creating op takes "raw": true for a raw socket):
//   listen {actor, port?: int | "{var}", backlog?: 5, autoAccept?: false, reuseAddr?: true}
//   connect {actor, to: actor | port, wait?: true, options?: {NAME: value}, timeoutMs?,
//            implies?: [states]}   wait false: a non-blocking connect (raw only)
//   connect_ex {actor, to, implies?}   raw; the errno as a number
//   accept {actor: listener, as: new actor}
//   send {actor, data}   burst {actor, data, times}: `times` sends of `data` in a row;
//                        sets the variable {actor}.segments to the segments TCP_INFO counted
//   recv {actor, bufsize?: 1024, timeoutMs?: 1000}        raw
//   udp {actor}: a datagram socket bound to the loopback address (port 0)
//   sendto {actor, to, data}   recvfrom {actor, bufsize?, timeoutMs?}   raw
//   shutdown {actor, how: "SHUT_WR" | "SHUT_RD" | "SHUT_RDWR"}   close {actor}
//   abort {actor}: SO_LINGER {1, 0} and close: RST   sleep {ms}
// A call the kernel refuses is part of the lesson (recorded with its errno); an op fails
// only when the script is wrong (an unknown actor) or the setup cannot be made.
class LessonStage
{
public:
    struct Actor
    {
        QString name;
        bool raw = false;
        SessionId session = 0;
        Socket socket;
        int type = SOCK_STREAM;
        bool listener = false;
        bool accepted = false;   // a session accept() made (its trace calls it "conn")
        Address local;
        Address peer;
        quint64 traceSeq = 0;    // session trace records already copied
        quint64 trafficSeq = 0;  // session traffic records already copied
        QByteArray received;     // every byte a call of ours (or the session) received
        QList<QByteArray> datagrams;
    };

    LessonStage(SessionManager &sessions, int family);
    ~LessonStage(); // closes and forgets every actor

    std::expected<void, SysError> perform(const LessonAction &action);

    // Copies the session actors' new trace records (and received bytes) into calls().
    void syncSessions();

    const Actor *actor(const QString &name) const;
    QList<LessonCall> takeCalls();
    const QList<LessonCall> &pendingCalls() const { return m_calls; }
    LessonVars::List vars() const { return m_vars.list(); }
    QString var(const QString &name) const { return m_vars.value(name); }
    int family() const { return m_family; }
    QString host() const;

private:
    Actor *need(const QString &name, QString *error);
    Actor &create(const QString &name, bool raw, int type);
    std::expected<Address, SysError> target(const QJsonObject &args) const;
    void record(const QString &actor, QString code, QString result, std::optional<SysError> error = {});
    void recordDone(const QString &actor, QString code, const std::expected<void, SysError> &done);
    // socket() for a raw actor, traced; the actor keeps the descriptor.
    std::expected<void, SysError> rawSocket(Actor &actor, int type);

    std::expected<void, SysError> opListen(const LessonAction &a);
    std::expected<void, SysError> opConnect(const LessonAction &a, bool ex);
    std::expected<void, SysError> opAccept(const LessonAction &a);
    std::expected<void, SysError> opSend(const LessonAction &a, int times);
    std::expected<void, SysError> opRecv(const LessonAction &a, bool from);
    std::expected<void, SysError> opUdp(const LessonAction &a);
    std::expected<void, SysError> opSendTo(const LessonAction &a);
    std::expected<void, SysError> opEnd(const LessonAction &a);
    std::expected<void, SysError> waitSession(Actor &actor, const std::function<bool(const SessionInfo &)> &done,
                                              int ms = 3000);

    SessionManager &m_sessions;
    int m_family;
    std::map<QString, std::unique_ptr<Actor>> m_actors;
    QList<LessonCall> m_calls;
    LessonVars m_vars;
};

} // namespace sockscope::core
