#pragma once

// Waiting on a session as most tests do after listen/connect/open: until it reached a
// state, left Opening, or a listener has accepted `count` children; 5 s at most.
// SessionManager::waitFor blocks on the session's generation (no polling, no sleep); it is
// for tests and the CLI, never for the GUI thread.

#include "engine/sessionmanager.h"

#include <chrono>
#include <optional>

namespace sockscope::tests {

inline constexpr std::chrono::seconds kSessionWait{5};

// The last snapshot either way (nullopt for an unknown session): compare its state.
inline std::optional<core::SessionInfo> waitForState(core::SessionManager &sessions, core::SessionId id,
                                                     core::SessionState state)
{
    return sessions.waitFor(id, [state](const core::SessionInfo &i) { return i.state == state; }, kSessionWait);
}

// True once the session is in `state` (within 5 s).
inline bool reachedState(core::SessionManager &sessions, core::SessionId id, core::SessionState state)
{
    const auto info = waitForState(sessions, id, state);
    return info && info->state == state;
}

// Until the open/listen/bind call ran, whatever its outcome (Listening, Bound, Failed...).
inline std::optional<core::SessionInfo> waitUntilOpened(core::SessionManager &sessions, core::SessionId id)
{
    return sessions.waitFor(id, [](const core::SessionInfo &i) { return i.state != core::SessionState::Opening; },
                            kSessionWait);
}

// True once the listener has exactly `count` accepted children.
inline bool waitForChildren(core::SessionManager &sessions, core::SessionId listener, qsizetype count)
{
    // A child is listed before its adopt() bumps the generation waitFor() wakes on.
    sessions.waitFor(listener, [&](const core::SessionInfo &) { return sessions.children(listener).size() >= count; },
                     kSessionWait);
    return sessions.children(listener).size() == count;
}

} // namespace sockscope::tests
