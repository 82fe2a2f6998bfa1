#pragma once

#include <QLoggingCategory>

namespace sockscope::core {
// One category per area, so QT_LOGGING_RULES="sockscope.observe.debug=true" turns on one
// area's detail without the rest.
Q_DECLARE_LOGGING_CATEGORY(lcNet)     // sockscope.net: the BSD API layer
Q_DECLARE_LOGGING_CATEGORY(lcEngine)  // sockscope.engine: reactor, sessions, lookups, workers
Q_DECLARE_LOGGING_CATEGORY(lcObserve) // sockscope.observe: sock_diag, TCP_INFO, capture
Q_DECLARE_LOGGING_CATEGORY(lcLessons) // sockscope.lessons
} // namespace sockscope::core
