#pragma once

// What the fuzz targets share: a failed invariant is a finding (abort, so libFuzzer keeps
// the input), and the input as the text a user would have typed.

#include <QByteArrayView>
#include <QString>

#include <cstdio>
#include <cstdlib>

namespace sockscope::fuzz {

inline void check(bool holds, const char *what)
{
    if (!holds) {
        std::fprintf(stderr, "fuzz invariant failed: %s\n", what);
        std::abort();
    }
}

inline QString typed(const uint8_t *data, size_t size)
{
    return QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));
}

inline QByteArrayView bytes(const uint8_t *data, size_t size)
{
    return QByteArrayView(reinterpret_cast<const char *>(data), qsizetype(size));
}

} // namespace sockscope::fuzz
