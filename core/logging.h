#pragma once

#include <QLoggingCategory>

namespace sockscope::core {
Q_DECLARE_LOGGING_CATEGORY(lcCore)
}
