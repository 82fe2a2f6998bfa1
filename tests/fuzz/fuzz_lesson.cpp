// The lesson JSON loader (lessons may come from a translation folder on disk).

#include "fuzzcheck.h"
#include "lessons/lesson.h"

using namespace sockscope::core;
using namespace sockscope::fuzz;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    (void)Lesson::fromJson(bytes(data, size));
    return 0;
}
