#include "socketsampler.h"

#include "../engine/monotonic.h"

#include <pthread.h>

namespace sockscope::core {

SocketSampler::SocketSampler(std::chrono::milliseconds interval) : m_interval(interval) {}

SocketSampler::~SocketSampler()
{
    stop();
}

bool SocketSampler::start(std::string threadName)
{
    if (m_thread.joinable())
        return true;
    {
        std::lock_guard lock(m_mutex);
        m_stopping = false;
    }
    m_thread = std::thread([this, name = std::move(threadName)] {
        pthread_setname_np(pthread_self(), name.substr(0, 15).c_str());
        run();
    });
    return true;
}

void SocketSampler::stop()
{
    if (!m_thread.joinable())
        return;
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wakeup.notify_all();
    m_thread.join();
}

void SocketSampler::setActive(bool active)
{
    {
        std::lock_guard lock(m_mutex);
        m_active = active;
        m_wakeRequested = m_wakeRequested || active;
    }
    m_wakeup.notify_all();
}

void SocketSampler::setInterval(std::chrono::milliseconds interval)
{
    std::lock_guard lock(m_mutex);
    m_interval = interval;
}

void SocketSampler::wake()
{
    {
        std::lock_guard lock(m_mutex);
        m_wakeRequested = true;
    }
    m_wakeup.notify_all();
}

SocketTable SocketSampler::table() const
{
    std::lock_guard lock(m_mutex);
    return m_table;
}

void SocketSampler::run()
{
    std::unique_lock lock(m_mutex);
    while (!m_stopping) {
        if (m_active) {
            lock.unlock();
            sample();
            lock.lock();
        }
        m_wakeRequested = false;
        m_wakeup.wait_for(lock, m_interval, [this] { return m_stopping || (m_wakeRequested && m_active); });
    }
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
}

} // namespace sockscope::core
