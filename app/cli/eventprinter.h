#pragma once

#include "engine/sessionmanager.h"

#include <QCommandLineOption>
#include <QList>

#include <expected>
#include <map>
#include <set>

class QCommandLineParser;

namespace sockscope::cli {

// Pulls what changed in the sessions it follows (calls from the trace, bytes from the
// traffic log), merges them by time and prints one line per event. A data line carries a
// preview of at most `previewBytes` of the payload, so the output grows with the number of
// calls, not with the bytes: printing a 2 GiB transfer in full cost 20x the transfer.
// When a session ends its totals and digest are printed.
class EventPrinter
{
public:
    enum class Style {
        Lines,   // every event as a text line on stdout
        Json,    // every event as a JSON object on stdout
        RawData, // received bytes unchanged on stdout, everything else as text on stderr
    };

    // What serve and connect share: --digest, --preview, --quiet.
    struct Settings
    {
        core::TrafficDigest digest = core::TrafficDigest::Sha256;
        qsizetype previewBytes = 64; // 0: no payload in the lines at all
        bool quiet = false;          // no event lines: totals only (raw data still copied)
    };
    static QList<QCommandLineOption> options();
    static std::expected<Settings, QString> settingsFrom(const QCommandLineParser &parser); // error for usageError()

    EventPrinter(core::SessionManager &sessions, Style style, Settings settings);

    // Follow `id` from now on; `fromStart` also prints what it already did.
    void follow(core::SessionId id, bool fromStart = true);
    // Follow every connection `listener` accepts.
    void followChildren(core::SessionId listener) { m_listener = listener; }
    void poll();
    // Prints the totals of every followed session that has not had them yet (at exit).
    void finish();

private:
    struct Cursor
    {
        quint64 trace = 0;
        quint64 traffic = 0;
        bool totalsPrinted = false;
    };
    void printCall(core::SessionId id, const core::CallRecord &call);
    void printData(core::SessionId id, const core::TrafficRecord &record);
    void printMissed(core::SessionId id, quint64 missed);
    void printTotals(core::SessionId id, Cursor &cursor);
    void printText(const QString &line); // stdout, or stderr in RawData style

    core::SessionManager &m_sessions;
    Style m_style;
    Settings m_settings;
    core::SessionId m_listener = 0;
    quint64 m_generation = ~quint64(0);
    std::map<core::SessionId, Cursor> m_cursors;
};

} // namespace sockscope::cli
