#include "statewatcher.h"

#include "../engine/monotonic.h"

namespace sockscope::core {

namespace {

QString connectionKey(const Address &local, const Address &peer)
{
    return local.toString() + u'|' + peer.toString();
}

} // namespace

StateWatcher::StateWatcher(DiagQuery query)
{
    setQuery(std::move(query));
}

StateWatcher::~StateWatcher()
{
    stop();
}

bool StateWatcher::start()
{
    if (m_thread.isRunning())
        return true;
    {
        std::lock_guard sampling(m_sampleMutex);
        if (!m_diag.isValid()) {
            auto diag = SockDiag::open();
            if (!diag) {
                std::lock_guard lock(m_mutex);
                m_error = diag.error();
                return false;
            }
            m_diag = std::move(*diag);
        }
    }
    m_lastSample = {};
    return m_thread.startLoop([this] { return step(); });
}

void StateWatcher::stop()
{
    m_thread.stop();
}

void StateWatcher::wake()
{
    m_thread.wake();
}

void StateWatcher::setQuery(DiagQuery query)
{
    query.protocols = int(DiagProtocol::Tcp);
    std::lock_guard lock(m_mutex);
    m_query = query;
}

std::chrono::milliseconds StateWatcher::step()
{
    // A wake ends the pause early, but never brings two samples closer than kFastest.
    const auto now = std::chrono::steady_clock::now();
    if (const auto due = m_lastSample + kFastest; now < due)
        return std::chrono::ceil<std::chrono::milliseconds>(due - now);
    m_lastSample = now;
    (void)sampleNow(); // a failure is kept in error() and slows the pace
    return interval();
}

std::expected<void, SysError> StateWatcher::sampleNow()
{
    std::lock_guard sampling(m_sampleMutex);
    return sampleLocked();
}

std::expected<void, SysError> StateWatcher::sampleLocked()
{
    if (!m_diag.isValid()) {
        auto diag = SockDiag::open();
        if (!diag) {
            std::lock_guard lock(m_mutex);
            m_error = diag.error();
            m_interval = kSlowest;
            return std::unexpected(diag.error());
        }
        m_diag = std::move(*diag);
    }
    DiagQuery query;
    {
        std::lock_guard lock(m_mutex);
        query = m_query;
    }
    auto dump = m_diag.dump(query);
    const qint64 now = monotonicNs();
    if (!dump) {
        std::lock_guard lock(m_mutex);
        m_error = dump.error();
        m_interval = kSlowest;
        return std::unexpected(dump.error());
    }
    if (apply(std::move(*dump), now))
        m_doorbells.ringAll();
    return {};
}

bool StateWatcher::apply(QList<SocketEntry> dump, qint64 nowNs)
{
    std::lock_guard lock(m_mutex);
    ++m_samples;
    m_error.reset();
    const quint64 changesBefore = m_nextSeq;
    bool transient = false;

    std::map<QString, SocketEntry> seen;
    for (const SocketEntry &e : dump) {
        if (e.protocol != DiagProtocol::Tcp || !e.tcpState)
            continue;
        const TcpState state = rfcState(*e.tcpState);
        transient = transient || isTransient(state);
        QString key = connectionKey(e.local, e.peer);
        // SO_REUSEPORT listeners can share an address pair; the first one speaks for all.
        if (seen.contains(key))
            continue;
        const auto before = m_current.find(key);
        std::optional<TcpState> from;
        if (before != m_current.end())
            from = rfcState(*before->second.tcpState);
        if (!from || *from != state) {
            timelineFor(key)->record(state, nowNs, StateSource::SockDiag);
            pushChange(StateChange{0, nowNs, from, state, e});
        }
        seen.emplace(std::move(key), e);
    }
    for (const auto &[key, last] : m_current) {
        if (seen.contains(key))
            continue;
        timelineFor(key)->record(TcpState::Closed, nowNs, StateSource::SockDiag);
        pushChange(StateChange{0, nowNs, rfcState(*last.tcpState), TcpState::Closed, last});
        m_ended.push_back(key);
    }
    while (qsizetype(m_ended.size()) > kEndedTimelines) {
        // A pair that came back (a port reused) keeps its timeline while it lives.
        if (!seen.contains(m_ended.front()))
            m_timelines.erase(m_ended.front());
        m_ended.pop_front();
    }
    m_current = std::move(seen);
    m_snapshot = std::move(dump);

    const bool changed = m_nextSeq != changesBefore;
    if (changed)
        ++m_generation;
    m_interval = (changed || transient) ? kFastest : std::min(kSlowest, m_interval * 2);
    return changed;
}

std::shared_ptr<StateTimeline> StateWatcher::timelineFor(const QString &key)
{
    auto &slot = m_timelines[key];
    if (!slot)
        slot = std::make_shared<StateTimeline>();
    return slot;
}

void StateWatcher::pushChange(StateChange change)
{
    change.seq = m_nextSeq++;
    m_changes.push_back(std::move(change));
    while (qsizetype(m_changes.size()) > kChangeLogCapacity) {
        m_changes.pop_front();
        ++m_droppedChanges;
    }
}

quint64 StateWatcher::generation() const
{
    std::lock_guard lock(m_mutex);
    return m_generation;
}

quint64 StateWatcher::samples() const
{
    std::lock_guard lock(m_mutex);
    return m_samples;
}

std::chrono::milliseconds StateWatcher::interval() const
{
    std::lock_guard lock(m_mutex);
    return m_interval;
}

std::optional<SysError> StateWatcher::error() const
{
    std::lock_guard lock(m_mutex);
    return m_error;
}

QList<SocketEntry> StateWatcher::snapshot() const
{
    std::lock_guard lock(m_mutex);
    return m_snapshot;
}

std::vector<StateChange> StateWatcher::changesSince(quint64 after, quint64 *missed) const
{
    std::lock_guard lock(m_mutex);
    std::vector<StateChange> out;
    const quint64 oldest = m_changes.empty() ? m_nextSeq : m_changes.front().seq;
    if (missed)
        *missed = after + 1 < oldest ? oldest - after - 1 : 0;
    for (const StateChange &c : m_changes) {
        if (c.seq > after)
            out.push_back(c);
    }
    return out;
}

std::shared_ptr<const StateTimeline> StateWatcher::timeline(const Address &local, const Address &peer) const
{
    std::lock_guard lock(m_mutex);
    const auto it = m_timelines.find(connectionKey(local, peer));
    return it == m_timelines.end() ? nullptr : it->second;
}

} // namespace sockscope::core
