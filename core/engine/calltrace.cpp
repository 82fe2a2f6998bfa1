#include "calltrace.h"

#include "monotonic.h"

namespace sockscope::core {

void CallTrace::add(QString code, QString result, std::optional<SysError> error)
{
    CallRecord r{0, monotonicNs(), std::move(code), std::move(result), std::move(error)};
    std::lock_guard lock(m_mutex);
    r.seq = m_nextSeq++;
    m_records.push_back(std::move(r));
    while (qsizetype(m_records.size()) > m_cap)
        m_records.pop_front();
}

QList<CallRecord> CallTrace::since(quint64 after) const
{
    std::lock_guard lock(m_mutex);
    QList<CallRecord> out;
    for (const auto &r : m_records) {
        if (r.seq > after)
            out.append(r);
    }
    return out;
}

quint64 CallTrace::lastSeq() const
{
    std::lock_guard lock(m_mutex);
    return m_nextSeq - 1;
}

} // namespace sockscope::core
