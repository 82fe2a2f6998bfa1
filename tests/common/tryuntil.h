#pragma once

// A QTRY_ condition for helpers that return a value: QTRY_VERIFY itself returns void when
// it fails, so it can only be used in a test function or a void helper.

#include <QTest>

namespace sockscope::tests {

// Waits, processing events, until done() holds or timeoutMs has passed (QTRY_VERIFY:
// never a fixed sleep). A timeout fails the running test at this line, and the caller
// gets false.
template<typename Done>
bool tryUntil(Done done, int timeoutMs = 5000)
{
    bool held = false;
    [&] { QTRY_VERIFY_WITH_TIMEOUT((held = bool(done())), timeoutMs); }();
    return held;
}

} // namespace sockscope::tests
