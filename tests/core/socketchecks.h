#pragma once

// Checks shared by the core::Socket tests (tst_socket, tst_socketunix).

#include "net/socket.h"

#include <QTest>

#include <sys/time.h>

// Verifies an expected<> and shows the SysError when it holds one.
#define CHECK_OK(expr)                                                                             \
    do {                                                                                           \
        const auto &check_ = (expr);                                                               \
        QVERIFY2(check_.has_value(), qPrintable(check_ ? QString() : check_.error().toString())); \
    } while (false)

#define CHECK_ERRNO(expr, code)                                                                       \
    do {                                                                                              \
        const auto &check_ = (expr);                                                                  \
        QVERIFY2(!check_.has_value(), "the call succeeded; expected " #code);                        \
        QVERIFY2(check_.error().is(code),                                                             \
                 qPrintable(check_.error().toString() + QLatin1String(" != " #code)));                \
    } while (false)

namespace sockscope::tests {

// A guard so that a broken blocking call fails the test instead of hanging it.
inline void guardRecv(core::Socket &s, int ms = 3000)
{
    const timeval tv{ms / 1000, (ms % 1000) * 1000};
    s.setRawOption(SOL_SOCKET, SO_RCVTIMEO, QByteArrayView(reinterpret_cast<const char *>(&tv), sizeof tv));
}

} // namespace sockscope::tests
