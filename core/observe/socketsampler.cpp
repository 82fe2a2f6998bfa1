#include "socketsampler.h"

#include "../engine/monotonic.h"

namespace sockscope::core {

SocketSampler::SocketSampler(std::chrono::milliseconds interval) : m_interval(interval) {}

SocketSampler::~SocketSampler()
{
    stop();
}

bool SocketSampler::start()
{
    if (!m_thread.isRunning())
        m_thread.startLoop([this] { return step(); });
    return true;
}

void SocketSampler::stop()
{
    m_thread.stop();
}

void SocketSampler::setActive(bool active)
{
    {
        std::lock_guard lock(m_mutex);
        m_active = active;
    }
    if (active)
        m_thread.wake();
}

void SocketSampler::setInterval(std::chrono::milliseconds interval)
{
    std::lock_guard lock(m_mutex);
    m_interval = interval;
}

void SocketSampler::wake()
{
    m_thread.wake();
}

SocketTable SocketSampler::table() const
{
    std::lock_guard lock(m_mutex);
    return m_table;
}

std::chrono::milliseconds SocketSampler::step()
{
    {
        std::lock_guard lock(m_mutex);
        if (!m_active)
            return WorkerThread::kUntilWoken; // nobody looks: sleep until setActive(true)
    }
    sample();
    std::lock_guard lock(m_mutex);
    return m_interval;
}

void SocketSampler::sample()
{
    SocketTable fresh;
    if (!m_diag.isValid()) {
        auto opened = SockDiag::open();
        if (opened)
            m_diag = std::move(*opened);
        else
            fresh.error = opened.error();
    }
    if (m_diag.isValid()) {
        auto dump = m_diag.dump(DiagQuery{});
        if (dump)
            fresh.entries = std::move(*dump);
        else
            fresh.error = dump.error();
    }
    fresh.timeNs = monotonicNs();
    if (!fresh.error) {
        QList<quint64> inodes;
        inodes.reserve(fresh.entries.size());
        for (const SocketEntry &e : fresh.entries) {
            if (e.inode)
                inodes.append(e.inode);
        }
        fresh.owners = m_processes.owners(inodes);
        fresh.unreadableProcesses = m_processes.unreadableProcesses();
    }
    {
        std::lock_guard lock(m_mutex);
        if (fresh.error)
            fresh.entries = m_table.entries; // keep showing the last good table
        m_table = std::move(fresh);
    }
    m_generation.fetch_add(1, std::memory_order_acq_rel);
    m_doorbells.ringAll();
}

} // namespace sockscope::core
