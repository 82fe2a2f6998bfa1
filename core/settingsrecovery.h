#pragma once

#include <QString>

namespace sockscope::core {

// What a crash in the middle of a settings save leaves beside the settings file, cleared
// at start before anything is saved. QSettings writes through QLockFile ("<file>.lock",
// holding pid, app and host) and QSaveFile (a "<file>.XXXXXX" temporary renamed over the
// file). A process killed between creating the lock and writing into it leaves it empty;
// QLockFile cannot tell whose it is and waits its stale time (30 s) before taking it over,
// so the next save froze the window for 30 s (measured: 1 kill in 16 during saves). An
// empty lock older than 2 s is abandoned (a live writer fills it within microseconds), and
// so is a temporary older than a minute. The settings file itself is never touched.
// Returns how many leftovers were removed.
int clearInterruptedSettingsSave(const QString &settingsFile);

} // namespace sockscope::core
