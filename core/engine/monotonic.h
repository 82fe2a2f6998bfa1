#pragma once

#include <QtGlobal>
#include <time.h>

namespace sockscope::core {

// CLOCK_MONOTONIC in nanoseconds: the time base of every trace and traffic record.
inline qint64 monotonicNs()
{
    timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return qint64(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

} // namespace sockscope::core
