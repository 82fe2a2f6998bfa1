#pragma once

#include "../net/datagrambatch.h"
#include "../net/socket.h"
#include "calltrace.h"
#include "reactor.h"
#include "services.h"
#include "sessiontypes.h"
#include "trafficlog.h"

#include <QFile>

#include <deque>
#include <functional>
#include <memory>
#include <mutex>

namespace sockscope::core {

// One socket's life on the I/O thread: the calls it makes (into its CallTrace), the bytes
// it moves (into its TrafficLog), and a SessionInfo snapshot that other threads read.
// Every method but the thread-safe getters runs on the reactor thread.
class Session : public std::enable_shared_from_this<Session>
{
public:
    // Called for each connection a listener accepts; returns the new session.
    using AcceptSink = std::function<void(const std::shared_ptr<Session> &listener, Accepted accepted)>;
    // Called whenever the SessionInfo snapshot changes.
    using ChangeSink = std::function<void()>;

    Session(SessionId id, SessionId parent, SessionRole role, Reactor &reactor, ChangeSink onChange);
    ~Session();

    // Reactor thread.
    void startConnect(ConnectSpec spec);
    void startListen(ListenSpec spec, AcceptSink onAccept);
    void startDatagram(DatagramSpec spec);
    // An accepted socket or a socketpair() end; knownType saves asking the kernel (SO_TYPE).
    void adopt(Socket socket, const Address &peer, const ServiceConfig &service, std::optional<int> knownType = std::nullopt);
    void send(QByteArray data);                  // sendall semantics: nothing is dropped
    void sendTo(QByteArray data, const Address &to);
    void sendFile(const QString &path);          // sendfile(2) on streams
    void shutdown(int how);
    void close();                                // flushes what is queued first
    void abort();                                // SO_LINGER {1,0} + close: RST
    void acceptOne();
    void setAutoAccept(bool on);
    void setService(ServiceMode mode, std::shared_ptr<ResponderRules> responder = {});
    // Reads TCP_INFO now; the info changes (and version bumps) only if it progressed.
    void sampleKernel();
    const ServiceConfig &childService() const { return m_childService; }
    // For option reads and writes (sessionoptions), and the name the trace calls it by.
    Socket &socket() { return m_socket; }
    QString traceVar() const { return var(); }
    // A row from whoever drives the session (a send script's step and its outcome): in the
    // trace beside the calls it caused, and the snapshot's generation moves.
    void note(QString code, QString result, std::optional<SysError> error = std::nullopt);

    // Any thread.
    SessionId id() const { return m_id; }
    SessionInfo info() const;
    bool isClosed() const;
    const std::shared_ptr<TrafficLog> &traffic() const { return m_traffic; }
    const std::shared_ptr<CallTrace> &trace() const { return m_trace; }

private:
    enum : uint32_t { kNone = 0 };
    static constexpr int kAcceptsPerWake = 64; // per wake-up: other sessions get their turn

    void tryNextCandidate();
    void onConnectEvent();
    void finishConnect(const std::expected<void, SysError> &result);
    void onEvents(uint32_t events);
    void readStream();
    void readDatagrams();
    void noteKernelDrops();     // datagrams: SO_RXQ_OVFL's counter into the info
    void traceTruncated(const Received &r); // datagrams: a MSG_TRUNC row with the real length
    bool pauseForDigest();      // after reads: true when the hasher is too far behind
    void resumeAfterDigest();   // reads again once the hasher caught up (it calls back; 1 ms poll besides)
    void armDigestWake();
    bool canRead() const { return m_reading && !m_pausedForBackpressure && !m_pausedForDigest; }
    void acceptPending(int max);
    void stallAccepting(const SysError &error); // out of descriptors: retry later, say so once
    void retryAccepting();
    void flush();
    void traceSendStall(const SysError &error); // datagrams: EAGAIN on send, once per spell
    void queueOrSend(QByteArray data);
    void applyReply(Service::Reply reply, const Address &to);
    void refillFromService();
    void endWithError(const QString &code, const SysError &error); // traces the failed call, then endOn()
    void endOn(const SysError &error);                              // the session ends on this error
    // socket() as the trace shows it, non-blocking on success; the failure is traced too.
    std::expected<void, SysError> openSocket(int family, int type);
    void closeNow(bool traceIt);
    void updateInterest();
    uint32_t wantedEvents() const;
    void watchSocket();
    void bumpInfo(const std::function<void(SessionInfo &)> &change);
    std::optional<TcpInfo> kernelSample() const; // needs m_info's family and type
    QString var() const; // "s" or "conn" in the trace's code

    const SessionId m_id;
    Reactor &m_reactor;
    ChangeSink m_onChange;
    std::shared_ptr<TrafficLog> m_traffic = std::make_shared<TrafficLog>();
    std::shared_ptr<CallTrace> m_trace = std::make_shared<CallTrace>();

    mutable std::mutex m_infoMutex;
    SessionInfo m_info;

    // Reactor-thread state.
    Socket m_socket;
    bool m_watched = false;
    uint32_t m_interest = kNone;
    bool m_connecting = false;
    bool m_reading = false;
    bool m_pausedForBackpressure = false;
    bool m_pausedForDigest = false;
    qsizetype m_readChunk = 64 * 1024; // streams: recv() size, grows while reads come back full
    std::unique_ptr<DatagramBatch> m_batch; // datagrams: recvmmsg() buffers, made at the first read
    qsizetype m_datagramSize = 64 * 1024;   // datagrams: recvfrom()'s bufsize (DatagramSpec::receiveSize)
    Reactor::TimerId m_digestTimer = 0;
    // Lets the hasher's thread post "caught up" to this session's reactor while the
    // session lives (the hasher is shared and may outlive both); reactor is nulled by ~Session.
    struct DigestWaker
    {
        std::mutex mutex;
        Reactor *reactor = nullptr;
    };
    std::shared_ptr<DigestWaker> m_digestWaker;
    bool m_closeWhenFlushed = false;
    std::optional<int> m_shutdownWhenFlushed;
    bool m_autoAccept = true;
    bool m_acceptPaused = false;   // out of descriptors: not watching until the retry timer
    // One stall, one resume in the trace per spell of running out, however often the
    // accepts in between free and fill the table again; the spell ends with an empty queue.
    bool m_stallTraced = false;
    bool m_resumeTraced = false;
    Reactor::TimerId m_acceptTimer = 0;
    AcceptSink m_onAccept;
    std::unique_ptr<Service> m_service;
    ServiceConfig m_childService; // listeners: what each accepted connection runs
    ConnectSpec m_connectSpec;
    qsizetype m_nextCandidate = 0;
    Reactor::TimerId m_connectTimer = 0;
    std::optional<SysError> m_lastConnectError;

    struct Outgoing
    {
        QByteArray bytes;
        qsizetype offset = 0;
        Address to; // datagrams only
        std::shared_ptr<QFile> file; // sendfile: bytes come from here, offset counts
    };
    bool flushFile(Outgoing &front);
    std::deque<Outgoing> m_out;
    qint64 m_pendingOut = 0;
    bool m_sendStallTraced = false; // the EAGAIN row of this spell of a full send buffer is out
};

} // namespace sockscope::core
