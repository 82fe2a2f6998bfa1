#pragma once

#include "doorbell.h"

#include "../net/socket.h"
#include "../observe/kernelgroups.h"
#include "calltrace.h"
#include "reactor.h"
#include "sessionoptions.h"
#include "sessiontypes.h"
#include "trafficlog.h"

#include <QList>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>

class QObject;

namespace sockscope::core {

class Session;

// The thread-safe facade the UI and the CLI use. Commands return at once (a new session's
// id is known before its first syscall) and run on the reactor thread; their outcome, the
// call trace and the traffic are pulled, never pushed: callers poll `generation()` and read
// the snapshots that changed, at whatever rate suits them.
class SessionManager
{
public:
    SessionManager();
    ~SessionManager(); // closes every session on the I/O thread, then joins it

    SessionId connect(ConnectSpec spec);
    SessionId listen(ListenSpec spec);
    SessionId openDatagram(DatagramSpec spec);
    // socketpair(): two connected sessions, both ours (AF_UNIX stream/dgram/seqpacket).
    std::pair<SessionId, SessionId> openPair(int type);

    void send(SessionId id, QByteArray data);
    void sendTo(SessionId id, QByteArray data, const Address &to);
    void sendToChildren(SessionId listener, QByteArray data);
    void sendFile(SessionId id, const QString &path);
    void shutdown(SessionId id, int how);
    void close(SessionId id);
    void abort(SessionId id);
    void closeChildren(SessionId listener, bool abortive);
    void acceptOne(SessionId listener);
    void setAutoAccept(SessionId listener, bool on);
    // A built-in service, or (with `responder`) the pane's rules: a listener hands it to
    // the connections it accepts from now on, a connection or UDP socket switches at once.
    void setService(SessionId id, ServiceMode mode, std::shared_ptr<ResponderRules> responder = {});
    // Reads the session's TCP_INFO on the I/O thread (where its descriptor lives) into
    // SessionInfo::tcpInfo; the generation moves only when the kernel's view progressed
    // (state, queues, retransmissions, counts). For a UI timer or a watcher, at <= 10 Hz.
    void sampleKernel(SessionId id);
    void forget(SessionId id); // closes it if open, then drops it from the list
    // A row in the session's call trace, in order with the commands given before it (a
    // send script's steps and outcomes).
    void note(SessionId id, QString code, QString result, std::optional<SysError> error = std::nullopt);

    // Snapshots, from any thread.
    quint64 generation() const { return m_generation.load(std::memory_order_acquire); }
    // Rung on every change the generation counts (a puller's UI tick sleeps until then).
    Doorbell::List &doorbells() { return m_doorbells; }
    QList<SessionInfo> sessions() const;
    // Open sessions and bytes moved by all of them, without copying any snapshot (status bars).
    struct Totals
    {
        int open = 0;
        quint64 bytesIn = 0;
        quint64 bytesOut = 0;
    };
    Totals totals() const;
    std::optional<SessionInfo> info(SessionId id) const;
    QList<SessionId> children(SessionId listener) const;
    std::shared_ptr<const TrafficLog> traffic(SessionId id) const;
    std::shared_ptr<TrafficLog> mutableTraffic(SessionId id) const; // to clear or set its cap
    std::shared_ptr<const CallTrace> trace(SessionId id) const;

    // Blocks until `done(info)` holds or the time runs out; returns the last snapshot
    // either way (nullopt if the session does not exist). For the CLI and tests: never
    // call it on the GUI thread.
    std::optional<SessionInfo> waitFor(SessionId id, const std::function<bool(const SessionInfo &)> &done,
                                       std::chrono::milliseconds timeout);

    // Runs `task` on the I/O thread (for tests and extensions that need the reactor).
    void post(Reactor::Task task) { m_reactor->post(std::move(task)); }

    // Socket options of a live session: getsockopt/setsockopt run on the I/O thread, and the
    // result is queued to `context`'s thread (dropped if `context` died meanwhile). A session
    // that is unknown or has no socket (closed) reports EBADF. `names` empty = every row that
    // applies to the socket. applyOption traces the setsockopt and the read-back.
    using OptionReadings = std::expected<QList<OptionReading>, SysError>;
    void readOptions(SessionId id, QObject *context, std::function<void(OptionReadings)> done,
                     QStringList names = {});
    void applyOption(SessionId id, OptionSetting setting, QObject *context, std::function<void(OptionApplyResult)> done);
    // The multicast groups the kernel reports for the I/O thread's network namespace (where
    // the sessions' sockets are), read there and queued to `context`'s thread.
    void readKernelGroups(QObject *context, std::function<void(QList<KernelGroup>)> done);
    // Python's socket.setdefaulttimeout(): new client sessions whose ConnectSpec::timeoutMs is
    // kUseDefaultTimeout get it as their connect timeout (nullopt = None: no timeout), and
    // their trace shows it.
    void setDefaultTimeout(std::optional<int> ms);
    std::optional<int> defaultTimeout() const;

private:
    std::shared_ptr<Session> makeSession(SessionId parent, SessionRole role);
    std::shared_ptr<Session> find(SessionId id) const;
    void onAccepted(const std::shared_ptr<Session> &listener, Accepted accepted);
    template<typename F>
    void onSession(SessionId id, F &&f);

    void bump();

    std::atomic<quint64> m_generation{0};
    Doorbell::List m_doorbells;
    std::mutex m_waitMutex;
    std::condition_variable m_changed;
    std::atomic<SessionId> m_nextId{1};
    mutable std::mutex m_mutex;
    std::map<SessionId, std::shared_ptr<Session>> m_sessions;
    std::map<SessionId, QList<SessionId>> m_children; // listener -> accepted, oldest first
    std::optional<int> m_defaultTimeoutMs;            // guarded by m_mutex
    bool m_defaultTimeoutSet = false;
    std::unique_ptr<Reactor> m_reactor; // last member: joined first in the destructor
};

} // namespace sockscope::core
