#pragma once

#include "../net/address.h"
#include "../net/socketoption.h"
#include "../net/syserror.h"
#include "../net/tcpinfo.h"
#include "services.h"
#include "trafficlog.h"

#include <QList>

#include <optional>
#include <sys/socket.h>

namespace sockscope::core {

using SessionId = quint64;

enum class SessionRole { Client, Listener, Accepted, Datagram, PairEnd };
enum class SessionState { Opening, Connecting, Connected, Listening, Bound, Closed };

QString sessionRoleName(SessionRole role);
QString sessionStateName(SessionState state);

// create_connection(): every candidate is tried in order until one connects.
struct ConnectSpec
{
    // timeoutMs: take SessionManager::defaultTimeout(), as create_connection() without timeout=.
    static constexpr int kUseDefaultTimeout = -1;

    QList<Address> candidates;
    int type = SOCK_STREAM;
    std::optional<Address> source;  // bind() before connect()
    int timeoutMs = 10'000;         // per attempt; 0 = no timeout; or kUseDefaultTimeout
    ServiceMode service = ServiceMode::None;
    std::shared_ptr<ResponderRules> responder; // the pane's rules answer what arrives
    QList<OptionSetting> options;   // setsockopt() after socket(), before bind()/connect(), in order
    TrafficDigest digest = TrafficDigest::Sha256;
};

struct ListenSpec
{
    Address bind;                   // port 0 lets the kernel pick
    int type = SOCK_STREAM;         // SOCK_STREAM or SOCK_SEQPACKET
    int backlog = 5;
    bool reuseAddr = true;          // ignored for AF_UNIX
    bool autoAccept = true;         // off: connections wait in the kernel's accept queue
    ServiceMode service = ServiceMode::None;
    std::optional<HmacGateConfig> gate; // challenge-response before `service`
    std::shared_ptr<ResponderRules> responder; // shared by every accepted connection: hits, limits, counter
    QList<OptionSetting> options;   // setsockopt() after socket() (and SO_REUSEADDR), before bind()/listen()
    TrafficDigest digest = TrafficDigest::Sha256; // the listener's and every accepted connection's
};

struct DatagramSpec
{
    int family = AF_INET;
    std::optional<Address> bind;
    std::optional<Address> connectTo;
    bool broadcast = false;
    // recvfrom()'s bufsize: a longer datagram is cut to it (MSG_TRUNC), the rest discarded
    // by the kernel; the trace and the traffic record say how long it really was.
    qsizetype receiveSize = 64 * 1024;
    ServiceMode service = ServiceMode::None; // replies go to each datagram's sender
    std::shared_ptr<ResponderRules> responder; // each datagram is one message
    QList<OptionSetting> options;   // setsockopt() after socket(), before bind()/connect()
    TrafficDigest digest = TrafficDigest::Sha256;
};

// A value snapshot of one session, safe to hand to any thread.
struct SessionInfo
{
    SessionId id = 0;
    SessionId parent = 0;          // the listener of an accepted connection
    SessionRole role = SessionRole::Client;
    int family = AF_UNSPEC;
    int type = SOCK_STREAM;
    SessionState state = SessionState::Opening;
    Address local;
    Address peer;
    std::optional<SysError> error; // the last failure, if the session ended on one
    bool readShut = false;         // we called shutdown(SHUT_RD)
    bool writeShut = false;        // we called shutdown(SHUT_WR): our FIN is out
    bool peerClosed = false;       // recv() returned 0: the peer's FIN arrived
    bool autoAccept = true;
    ServiceMode service = ServiceMode::None;
    bool gated = false;            // an HMAC gate guards this listener / connection
    int backlog = 0;
    quint64 accepted = 0;          // listeners: connections accepted so far
    // Listeners: accept() failed for want of a descriptor or memory (EMFILE, ENFILE,
    // ENOBUFS, ENOMEM); the clients wait in the kernel's queue and accept() is retried
    // until one succeeds, which clears this.
    std::optional<SysError> acceptStalled;
    qint64 pendingOut = 0;         // bytes queued in user space, not yet taken by the kernel
    // Datagram sockets: datagrams the kernel dropped because our receive queue was full
    // (SO_RXQ_OVFL), apart from what we received; they never reach the traffic log.
    quint64 kernelDrops = 0;
    // TCP over IP: the kernel's TCP_INFO for our descriptor, read at every change above and
    // on SessionManager::sampleKernel(); nullopt for other sockets and once closed.
    std::optional<TcpInfo> tcpInfo;
    qint64 tcpInfoNs = 0;          // CLOCK_MONOTONIC: when tcpInfo was read
    quint64 version = 0;           // bumps on every change of the above
};

} // namespace sockscope::core
