#include "logging.h"

namespace sockscope::core {
Q_LOGGING_CATEGORY(lcNet, "sockscope.net")
Q_LOGGING_CATEGORY(lcEngine, "sockscope.engine")
Q_LOGGING_CATEGORY(lcObserve, "sockscope.observe")
Q_LOGGING_CATEGORY(lcLessons, "sockscope.lessons")
} // namespace sockscope::core
