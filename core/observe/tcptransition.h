#pragma once

#include "../net/tcpstate.h"

#include <QList>
#include <QString>

#include <optional>
#include <span>

namespace sockscope::core {

// One arrow of the TCP state machine of RFC 9293 (section 3.3.2), as the table in the
// teaching material lists it. The texts are untranslated source strings (context
// "sockscope::core::TcpTransition"); label() translates them.
struct TcpTransition
{
    std::optional<TcpState> from; // nullopt: "any synchronized state"
    TcpState to = TcpState::Closed;
    const char *event = nullptr;  // "rcv SYN"
    const char *action = nullptr; // "snd SYN,ACK", or nullptr when nothing is sent
    const char *note = nullptr;   // "simultaneous open", or nullptr

    bool fromAnySynchronized() const { return !from.has_value(); }
    QString eventText() const;
    QString actionText() const;   // empty when nothing is sent
    QString noteText() const;     // empty when there is none
    QString label() const;        // "rcv SYN / snd SYN,ACK"
};

// Every transition, in the order of the table (the RFC's reading order).
std::span<const TcpTransition> tcpTransitions();
// The eleven RFC 9293 states, CLOSED first (never NewSynReceived).
QList<TcpState> rfcStates();
// ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, CLOSE_WAIT, CLOSING, LAST_ACK, TIME_WAIT: the
// states in which a RST or an abort leads straight to CLOSED.
bool isSynchronized(TcpState state);

// The index of the arrow from -> to, if one exists; the "any synchronized state" arrow
// counts for a synchronized `from` only when no specific arrow to `to` exists.
std::optional<int> tcpTransitionIndex(TcpState from, TcpState to);

// The arrows a socket most likely took between two states that were seen one after the
// other, when the states between were too quick for a sampler (a loopback handshake takes
// microseconds). Short routes through ordinary arrows win over the RST arrow: a socket
// seen in CLOSE_WAIT and then gone went through LAST_ACK, not through a reset; a socket
// seen in ESTABLISHED and then gone was reset. Empty when from == to or no route of at
// most four arrows exists.
QList<int> tcpLikelyRoute(TcpState from, TcpState to);

} // namespace sockscope::core
