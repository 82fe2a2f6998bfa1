#include "kernelwatch.h"

#include "../engine/monotonic.h"

#include <QSet>

namespace sockscope::core {

using Clock = std::chrono::steady_clock;

KernelWatch::Interest::Interest(Interest &&other) noexcept
    : m_watch(std::exchange(other.m_watch, nullptr)), m_id(other.m_id)
{
}

KernelWatch::Interest &KernelWatch::Interest::operator=(Interest &&other) noexcept
{
    if (this != &other) {
        reset();
        m_watch = std::exchange(other.m_watch, nullptr);
        m_id = other.m_id;
    }
    return *this;
}

KernelWatch::Interest::~Interest()
{
    reset();
}

void KernelWatch::Interest::reset()
{
    if (KernelWatch *watch = std::exchange(m_watch, nullptr))
        watch->drop(m_id);
}

KernelWatch::KernelWatch()
{
    m_thread.startLoop([this] { return step(); });
}

KernelWatch::~KernelWatch()
{
    m_thread.stop();
}

KernelWatch::Interest KernelWatch::watchStates(std::optional<quint16> port)
{
    return add(port, false);
}

KernelWatch::Interest KernelWatch::watchTable()
{
    return add(std::nullopt, true);
}

KernelWatch::Interest KernelWatch::add(std::optional<quint16> port, bool table)
{
    quint64 id = 0;
    {
        std::lock_guard lock(m_mutex);
        id = m_nextInterest++;
        m_interests.emplace(id, Want{port, table});
        if (!table)
            m_interval = kFastest; // a new view: look closely until things settle
    }
    wake();
    return Interest(this, id);
}

void KernelWatch::drop(quint64 id)
{
    // The thread notices at its next step and sleeps when nothing is left; the sockets
    // of a port nobody watches stay as last seen (StateTracker::Coverage).
    std::lock_guard lock(m_mutex);
    m_interests.erase(id);
}

KernelWatch::Wanted KernelWatch::wanted() const
{
    Wanted w;
    for (const auto &[id, want] : m_interests) {
        if (want.table)
            w.table = true;
        else if (!want.port)
            w.everyTcp = true;
        else if (!w.ports.contains(*want.port))
            w.ports.append(*want.port);
    }
    return w;
}

bool KernelWatch::isIdle() const
{
    std::lock_guard lock(m_mutex);
    return m_interests.empty();
}

void KernelWatch::wake()
{
    m_statesWanted.store(true, std::memory_order_relaxed);
    m_tableWanted.store(true, std::memory_order_relaxed);
    m_thread.wake();
}

std::chrono::milliseconds KernelWatch::step()
{
    Wanted w;
    {
        std::lock_guard lock(m_mutex);
        w = wanted();
    }
    if (!w.states() && !w.table)
        return WorkerThread::kUntilWoken; // nobody looks
    auto now = Clock::now();
    auto next = Clock::time_point::max();
    // A wake ends the pause early, but never brings two dumps closer than kFastest.
    if (w.states()) {
        auto due = m_lastStates + (m_statesWanted.load(std::memory_order_relaxed) ? kFastest : interval());
        if (now >= due) {
            m_statesWanted.store(false, std::memory_order_relaxed);
            m_lastStates = now;
            std::lock_guard sampling(m_sampleMutex);
            (void)sampleStates(w); // a failure is kept in error() and slows the pace
            due = now + interval();
        }
        next = std::min(next, due);
    }
    if (w.table) {
        auto due = m_lastTable + (m_tableWanted.load(std::memory_order_relaxed) ? kFastest : kTableInterval);
        if (now >= due) {
            m_tableWanted.store(false, std::memory_order_relaxed);
            m_lastTable = now;
            std::lock_guard sampling(m_sampleMutex);
            sampleTable();
            due = now + kTableInterval;
        }
        next = std::min(next, due);
    }
    now = Clock::now();
    return next <= now ? std::chrono::milliseconds(1) : std::chrono::ceil<std::chrono::milliseconds>(next - now);
}

std::expected<void, SysError> KernelWatch::sampleNow()
{
    Wanted w;
    {
        std::lock_guard lock(m_mutex);
        w = wanted();
    }
    std::lock_guard sampling(m_sampleMutex);
    return sampleStates(w);
}

bool KernelWatch::openDiag(std::optional<SysError> *error)
{
    if (m_diag.isValid())
        return true;
    auto diag = SockDiag::open();
    if (!diag) {
        *error = diag.error();
        return false;
    }
    m_diag = std::move(*diag);
    return true;
}

std::expected<void, SysError> KernelWatch::sampleStates(const Wanted &w)
{
    if (!w.states())
        return {};
    std::optional<SysError> error;
    QList<SocketEntry> dump;
    if (openDiag(&error)) {
        DiagQuery query;
        query.protocols = int(DiagProtocol::Tcp);
        const QList<std::optional<quint16>> ports = w.everyTcp ? QList<std::optional<quint16>>{std::nullopt}
                                                               : QList<std::optional<quint16>>(w.ports.begin(), w.ports.end());
        QSet<QString> pairs; // a connection between two watched ports shows in both dumps
        for (const std::optional<quint16> &port : ports) {
            query.port = port;
            auto part = m_diag.dump(query);
            if (!part) {
                error = part.error();
                break;
            }
            for (SocketEntry &e : *part) {
                if (ports.size() > 1) {
                    QString key = StateTracker::connectionKey(e.local, e.peer);
                    if (pairs.contains(key))
                        continue;
                    pairs.insert(std::move(key));
                }
                dump.append(std::move(e));
            }
        }
    }
    const qint64 now = monotonicNs();
    bool changed = false;
    {
        std::lock_guard lock(m_mutex);
        if (error) {
            m_error = error;
            m_interval = kSlowest;
            return std::unexpected(*error);
        }
        const auto covered = [&w](const SocketEntry &e) {
            return w.everyTcp || w.ports.contains(e.local.port()) || w.ports.contains(e.peer.port());
        };
        ++m_samples;
        m_error.reset();
        const StateTracker::Outcome outcome = m_tracker.apply(dump, now, covered);
        m_snapshot = std::move(dump);
        changed = outcome.changed;
        if (changed)
            ++m_generation;
        m_interval = (outcome.changed || outcome.transient) ? kFastest : std::min(kSlowest, m_interval * 2);
    }
    if (changed)
        m_doorbells.ringAll();
    return {};
}

void KernelWatch::sampleTable()
{
    SocketTable fresh;
    std::optional<SysError> error;
    if (openDiag(&error)) {
        auto dump = m_diag.dump(DiagQuery{});
        if (dump)
            fresh.entries = std::move(*dump);
        else
            error = dump.error();
    }
    fresh.error = error;
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
        ++m_tableGeneration;
    }
    m_doorbells.ringAll();
}

quint64 KernelWatch::generation() const
{
    std::lock_guard lock(m_mutex);
    return m_generation;
}

quint64 KernelWatch::samples() const
{
    std::lock_guard lock(m_mutex);
    return m_samples;
}

std::chrono::milliseconds KernelWatch::interval() const
{
    std::lock_guard lock(m_mutex);
    return m_interval;
}

std::optional<SysError> KernelWatch::error() const
{
    std::lock_guard lock(m_mutex);
    return m_error;
}

QList<SocketEntry> KernelWatch::snapshot() const
{
    std::lock_guard lock(m_mutex);
    return m_snapshot;
}

std::vector<StateChange> KernelWatch::changesSince(quint64 after, quint64 *missed) const
{
    std::lock_guard lock(m_mutex);
    return m_tracker.changesSince(after, missed);
}

std::shared_ptr<const StateTimeline> KernelWatch::timeline(const Address &local, const Address &peer) const
{
    std::lock_guard lock(m_mutex);
    return m_tracker.timeline(local, peer);
}

quint64 KernelWatch::tableGeneration() const
{
    std::lock_guard lock(m_mutex);
    return m_tableGeneration;
}

SocketTable KernelWatch::table() const
{
    std::lock_guard lock(m_mutex);
    return m_table;
}

} // namespace sockscope::core
