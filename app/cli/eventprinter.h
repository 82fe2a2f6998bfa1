#pragma once

#include "engine/sessionmanager.h"

#include <map>

namespace sockscope::cli {

// Pulls what changed in the sessions it follows (calls from the trace, bytes from the
// traffic log), merges them by time and prints one line per event.
class EventPrinter
{
public:
    enum class Style {
        Lines,   // every event as a text line on stdout
        Json,    // every event as a JSON object on stdout
        RawData, // received bytes unchanged on stdout, everything else as text on stderr
    };

    EventPrinter(core::SessionManager &sessions, Style style);

    // Follow `id` from now on; `fromStart` also prints what it already did.
    void follow(core::SessionId id, bool fromStart = true);
    // Follow every connection `listener` accepts.
    void followChildren(core::SessionId listener) { m_listener = listener; }
    void poll();

private:
    struct Cursor
    {
        quint64 trace = 0;
        quint64 traffic = 0;
    };
    void printCall(core::SessionId id, const core::CallRecord &call);
    void printData(core::SessionId id, const core::TrafficRecord &record);

    core::SessionManager &m_sessions;
    Style m_style;
    core::SessionId m_listener = 0;
    quint64 m_generation = ~quint64(0);
    std::map<core::SessionId, Cursor> m_cursors;
};

} // namespace sockscope::cli
