#pragma once

#include "../observe/sockdiag.h"
#include "lesson.h"
#include "lessonstage.h"
#include "lessontypes.h"

#include <QSet>

namespace sockscope::core {

// What the kernel says about a lesson's sockets (sock_diag dumps of TCP, made on the
// lesson's thread), and the path of each end of the followed connection:
//   client end: the `client` actor's connection; CLOSED before it exists and after it
//               left the kernel's table;
//   server end: the `server` actor's connection, or before it is accepted the other end
//               of the client's connection (it waits in the accept queue), or else the
//               `listener` while it waits.
// A state is appended when it differs from the last one; states a call's outcome implies
// but no dump could see (the SYN_SENT of a refused connect) are appended as not observed.
class LessonObserver
{
public:
    LessonObserver();

    void setFocus(const LessonFocus &focus); // both paths start over
    const LessonFocus &focus() const { return m_focus; }

    // A dump now (TCP, every port); the paths follow it.
    std::expected<QList<SocketEntry>, SysError> observe(const LessonStage &stage);
    const QList<SocketEntry> &lastDump() const { return m_dump; }
    // States an op's "implies" list names, for the end `actor` is on.
    void imply(const QString &actor, const QList<TcpState> &states);

    // The entry of an actor's socket in a dump (its connection, or its listener), if any.
    static const SocketEntry *find(const LessonStage::Actor &actor, const QList<SocketEntry> &dump);
    // The state of an actor's socket: nullopt when it is not in the table.
    static std::optional<TcpState> stateOf(const LessonStage::Actor &actor, const QList<SocketEntry> &dump);

    const QList<LessonPathPoint> &clientPath() const { return m_client; }
    const QList<LessonPathPoint> &serverPath() const { return m_server; }
    QString clientTitle() const { return m_clientTitle; }
    QString serverTitle() const { return m_serverTitle; }

private:
    static void append(QList<LessonPathPoint> &path, TcpState state, bool observed);
    TcpState serverState(const LessonStage &stage);

    SockDiag m_diag;
    std::optional<SysError> m_openError;
    LessonFocus m_focus;
    QList<SocketEntry> m_dump;
    QList<LessonPathPoint> m_client;
    QList<LessonPathPoint> m_server;
    bool m_serverConnected = false; // the server end has been a connection, not the listener
    QString m_clientTitle;
    QString m_serverTitle;
};

} // namespace sockscope::core
