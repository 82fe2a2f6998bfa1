#pragma once

#include "../net/syserror.h"

#include <QList>
#include <QString>

#include <deque>
#include <mutex>
#include <optional>

namespace sockscope::core {

// One call a session made, as it would read in Python's socket module.
struct CallRecord
{
    quint64 seq = 0;
    qint64 timeNs = 0;            // CLOCK_MONOTONIC
    QString code;                 // s.connect(("127.0.0.1", 8888))
    QString result;               // "None", "5", "b''", "(conn, ('127.0.0.1', 50312))"
    std::optional<SysError> error;
    bool ok() const { return !error.has_value(); }
    QString errorName() const { return error ? error->name() : QString(); }
};

// The bounded, thread-safe list of calls of one session: appended on the I/O thread,
// pulled by the UI and the CLI.
class CallTrace
{
public:
    static constexpr qsizetype kDefaultCap = 4096;
    explicit CallTrace(qsizetype cap = kDefaultCap) : m_cap(cap) {}

    void add(QString code, QString result, std::optional<SysError> error = std::nullopt);
    QList<CallRecord> since(quint64 after) const;
    quint64 lastSeq() const;
    qsizetype cap() const { return m_cap; } // the oldest records leave beyond it

private:
    mutable std::mutex m_mutex;
    std::deque<CallRecord> m_records;
    qsizetype m_cap;
    quint64 m_nextSeq = 1;
};

} // namespace sockscope::core
