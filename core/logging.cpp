#include "logging.h"

namespace sockscope::core {
Q_LOGGING_CATEGORY(lcCore, "sockscope.core")
}
