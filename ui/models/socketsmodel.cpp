#include "socketsmodel.h"

#include "theme.h"

#include "engine/monotonic.h"

#include <QBrush>
#include <QColor>
#include <QSet>

namespace sockscope::ui {

using core::DiagProtocol;
using core::SocketEntry;

namespace {

bool unconnectedPeer(const core::Address &peer)
{
    return !peer.isValid() || (peer.family() != AF_UNIX && peer.port() == 0 && peer.isWildcard())
           || (peer.family() == AF_UNIX && peer.host().isEmpty());
}

QString protocolText(const SocketEntry &e)
{
    switch (e.protocol) {
    case DiagProtocol::Tcp:
        return e.family == AF_INET6 ? QStringLiteral("tcp6") : QStringLiteral("tcp");
    case DiagProtocol::Udp:
        return e.family == AF_INET6 ? QStringLiteral("udp6") : QStringLiteral("udp");
    case DiagProtocol::Unix:
        return e.type == SOCK_DGRAM       ? QStringLiteral("unix dgram")
               : e.type == SOCK_SEQPACKET ? QStringLiteral("unix seqpacket")
                                          : QStringLiteral("unix stream");
    }
    return {};
}

QString peerText(const SocketEntry &e)
{
    // sock_diag names no Unix peer, only its inode (as `ss` shows it).
    if (e.protocol == DiagProtocol::Unix)
        return e.peerInode ? QStringLiteral("* %1").arg(e.peerInode) : QStringLiteral("*");
    return unconnectedPeer(e.peer) ? QStringLiteral("*") : e.peer.toString();
}

QString localText(const SocketEntry &e)
{
    return e.local.toString(); // an unbound Unix socket: "(unnamed)"
}

QString ownersText(const QList<core::SocketOwner> &owners)
{
    QStringList parts;
    for (const core::SocketOwner &o : owners)
        parts.append(QStringLiteral("%1 (pid %2, fd %3)").arg(o.command).arg(o.pid).arg(o.fd));
    return parts.join(QStringLiteral(", "));
}

} // namespace

SocketsModel::SocketsModel(QObject *parent) : QAbstractTableModel(parent) {}

bool SocketsModel::isNamed(const core::Address &a)
{
    // An unbound Unix socket has no name to tell it from any other.
    return a.isValid() && (a.family() != AF_UNIX || a.size() > socklen_t(sizeof(sa_family_t)));
}

QString SocketsModel::endpointKey(const core::Address &local, const core::Address &peer)
{
    return local.toString() + QLatin1Char('|') + (unconnectedPeer(peer) ? QStringLiteral("*") : peer.toString());
}

QString SocketsModel::keyOf(const SocketEntry &e)
{
    return QStringLiteral("%1/%2/%3/%4/%5")
        .arg(int(e.protocol))
        .arg(e.cookie)
        .arg(e.inode)
        .arg(e.local.toString(), e.peer.toString());
}

quint64 SocketsModel::sessionOf(const SocketEntry &e) const
{
    if (m_own.isEmpty() || !isNamed(e.local))
        return 0;
    return m_own.value(endpointKey(e.local, e.peer), 0);
}

bool SocketsModel::accepts(const Row &row) const
{
    const SocketEntry &e = row.entry;
    if (!(m_filter.protocols & int(e.protocol)))
        return false;
    if (!m_filter.state.isEmpty() && e.stateName() != m_filter.state)
        return false;
    if (m_filter.port) {
        const bool inet = e.protocol != DiagProtocol::Unix;
        if (!inet || (e.local.port() != *m_filter.port && e.peer.port() != *m_filter.port))
            return false;
    }
    if (!m_filter.address.isEmpty() && !localText(e).contains(m_filter.address, Qt::CaseInsensitive)
        && !peerText(e).contains(m_filter.address, Qt::CaseInsensitive))
        return false;
    if (m_filter.ownOnly && !row.session)
        return false;
    return true;
}

void SocketsModel::setTable(const core::SocketTable &table)
{
    m_tableNs = table.timeNs;
    m_nowNs = table.timeNs;
    m_all.clear();
    m_all.reserve(table.entries.size());
    for (const SocketEntry &e : table.entries)
        m_all.append(Row{keyOf(e), e, table.owners.value(e.inode), sessionOf(e)});

    QList<Row> next;
    QSet<QString> nextKeys;
    for (const Row &r : std::as_const(m_all)) {
        if (accepts(r) && !nextKeys.contains(r.key)) {
            nextKeys.insert(r.key);
            next.append(r);
        }
    }
    // Gone rows leave in runs from the bottom up, so that the indexes above stay valid.
    for (int i = int(m_rows.size()) - 1; i >= 0;) {
        if (nextKeys.contains(m_rows[i].key)) {
            --i;
            continue;
        }
        int first = i;
        while (first > 0 && !nextKeys.contains(m_rows[first - 1].key))
            --first;
        beginRemoveRows({}, first, i);
        m_rows.remove(first, i - first + 1);
        endRemoveRows();
        i = first - 1;
    }
    QHash<QString, int> position;
    for (int i = 0; i < m_rows.size(); ++i)
        position.insert(m_rows[i].key, i);
    QList<Row> added;
    for (Row &r : next) {
        const auto it = position.constFind(r.key);
        if (it == position.constEnd())
            added.append(std::move(r));
        else
            m_rows[*it] = std::move(r);
    }
    if (!m_rows.isEmpty())
        emit dataChanged(index(0, 0), index(int(m_rows.size()) - 1, ColumnCount - 1));
    if (!added.isEmpty()) {
        beginInsertRows({}, int(m_rows.size()), int(m_rows.size() + added.size()) - 1);
        m_rows.append(std::move(added));
        endInsertRows();
    }
    m_rowOfKey.clear();
    for (int i = 0; i < m_rows.size(); ++i)
        m_rowOfKey.insert(m_rows[i].key, i);
}

void SocketsModel::rebuildRows()
{
    beginResetModel();
    m_rows.clear();
    m_rowOfKey.clear();
    for (const Row &r : std::as_const(m_all)) {
        if (accepts(r) && !m_rowOfKey.contains(r.key)) {
            m_rowOfKey.insert(r.key, int(m_rows.size()));
            m_rows.append(r);
        }
    }
    endResetModel();
}

void SocketsModel::setFilter(const SocketFilter &filter)
{
    if (filter == m_filter)
        return;
    m_filter = filter;
    rebuildRows();
}

void SocketsModel::setOwnEndpoints(const QHash<QString, quint64> &endpoints)
{
    if (endpoints == m_own)
        return;
    m_own = endpoints;
    for (Row &r : m_all)
        r.session = sessionOf(r.entry);
    if (m_filter.ownOnly) {
        rebuildRows();
        return;
    }
    for (Row &r : m_rows)
        r.session = sessionOf(r.entry);
    if (!m_rows.isEmpty())
        emit dataChanged(index(0, 0), index(int(m_rows.size()) - 1, ColumnCount - 1));
}

void SocketsModel::tick(qint64 nowNs)
{
    m_nowNs = nowNs;
    if (!m_rows.isEmpty())
        emit dataChanged(index(0, Timer), index(int(m_rows.size()) - 1, Timer), {Qt::DisplayRole, SortRole});
}

int SocketsModel::rowOf(const core::Address &local, const core::Address &peer) const
{
    const QString want = endpointKey(local, peer);
    for (int i = 0; i < m_rows.size(); ++i) {
        if (endpointKey(m_rows[i].entry.local, m_rows[i].entry.peer) == want)
            return i;
    }
    return -1;
}

QString SocketsModel::timerText(int row) const
{
    const SocketEntry &e = m_rows.at(row).entry;
    if (e.timer == core::DiagTimer::Off)
        return {};
    const qint64 elapsedMs = (m_nowNs - m_tableNs) / 1'000'000;
    const double left = std::max<qint64>(0, qint64(e.expiresMs) - elapsedMs) / 1000.0;
    QString text = tr("%1, %2 s").arg(core::diagTimerName(e.timer)).arg(left, 0, 'f', 1);
    if (e.timerRetransmits)
        text += tr(" (retried %n time(s))", nullptr, int(e.timerRetransmits));
    return text;
}

int SocketsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int SocketsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant SocketsModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const Row &r = m_rows[index.row()];
    const SocketEntry &e = r.entry;
    if (role == OwnRole)
        return r.session;
    if (role == Qt::BackgroundRole && r.session)
        return QBrush(Theme::ofApp().color(Theme::Role::OwnTint));
    if (role == Qt::ToolTipRole && r.session)
        return tr("This app's session #%1").arg(r.session);
    if (role == Qt::TextAlignmentRole && (index.column() == RecvQ || index.column() == SendQ || index.column() == Uid || index.column() == Inode))
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role == SortRole) {
        switch (index.column()) {
        case RecvQ: return e.recvQ;
        case SendQ: return e.sendQ;
        case Local: return e.protocol == DiagProtocol::Unix ? QVariant(localText(e)) : QVariant(e.local.port());
        case Peer: return e.protocol == DiagProtocol::Unix ? QVariant(peerText(e)) : QVariant(e.peer.port());
        case Timer: return e.timer == core::DiagTimer::Off ? QVariant(-1) : QVariant(qint64(e.expiresMs));
        case Uid: return e.uid;
        case Inode: return e.inode;
        default: break;
        }
        return data(index, Qt::DisplayRole);
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case Protocol: return protocolText(e);
    case State: return e.stateName();
    case RecvQ: return e.recvQ;
    case SendQ: return e.sendQ;
    case Local: return localText(e);
    case Peer: return peerText(e);
    case Timer: return timerText(index.row());
    case Process: return ownersText(r.owners);
    case Uid: return e.uid;
    case Inode: return e.inode ? QVariant(e.inode) : QVariant(QStringLiteral("-"));
    }
    return {};
}

QVariant SocketsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Protocol: return tr("Protocol");
    case State: return tr("State");
    case RecvQ: return tr("Recv-Q");
    case SendQ: return tr("Send-Q");
    case Local: return tr("Local address");
    case Peer: return tr("Peer address");
    case Timer: return tr("Timer");
    case Process: return tr("Process");
    case Uid: return tr("UID");
    case Inode: return tr("Inode");
    }
    return {};
}

} // namespace sockscope::ui
