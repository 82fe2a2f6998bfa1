#pragma once

#include "observe/kernelwatch.h"

#include <QAbstractTableModel>
#include <QHash>

#include <optional>

namespace sockscope::ui {

// What the system sockets view shows of a table: every row matching all that is set.
struct SocketFilter
{
    int protocols = int(core::DiagProtocol::Tcp) | int(core::DiagProtocol::Udp) | int(core::DiagProtocol::Unix);
    QString state;                // empty: any; else a stateName() ("LISTEN", "TIME_WAIT", "CONNECTED")
    std::optional<quint16> port;  // either end
    QString address;              // a substring of either end's text ("127.0.0.1", "::1", "/run")
    bool ownOnly = false;         // only this app's sockets

    bool operator==(const SocketFilter &) const = default;
};

// The host's sockets, one row each, like `ss -anp`. Rows are keyed by the kernel's socket
// (protocol, cookie, inode and the address pair), so a new table updates rows in place,
// removes the gone and appends the new, and the view keeps its selection and scroll.
// Timers count down between tables: the model computes what is left from the dump's time.
class SocketsModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Protocol, State, RecvQ, SendQ, Local, Peer, Timer, Process, Uid, Inode, ColumnCount };
    enum Role { SortRole = Qt::UserRole + 1, OwnRole };

    explicit SocketsModel(QObject *parent = nullptr);

    void setTable(const core::SocketTable &table);
    void setFilter(const SocketFilter &filter);
    const SocketFilter &filter() const { return m_filter; }
    // The endpoints of this app's sessions: (local, peer) pairs; a peer without a port
    // matches a listener or an unconnected socket. Value: the session's id.
    void setOwnEndpoints(const QHash<QString, quint64> &endpoints);
    static QString endpointKey(const core::Address &local, const core::Address &peer);
    static bool isNamed(const core::Address &address); // false for an unbound Unix socket
    // Repaints the timer column (a countdown), as `now` moves on.
    void tick(qint64 nowNs);

    int totalCount() const { return int(m_all.size()); }
    const core::SocketEntry &entryAt(int row) const { return m_rows.at(row).entry; }
    quint64 sessionAt(int row) const { return m_rows.at(row).session; } // 0: not ours
    int rowOf(const core::Address &local, const core::Address &peer) const;
    QString timerText(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    struct Row
    {
        QString key;
        core::SocketEntry entry;
        QList<core::SocketOwner> owners;
        quint64 session = 0;
    };

    static QString keyOf(const core::SocketEntry &e);
    bool accepts(const Row &row) const;
    quint64 sessionOf(const core::SocketEntry &e) const;
    void rebuildRows(); // after a filter change: a reset

    QList<Row> m_all;   // every socket of the last table
    QList<Row> m_rows;  // the shown ones, in table order
    QHash<QString, int> m_rowOfKey;
    SocketFilter m_filter;
    QHash<QString, quint64> m_own;
    qint64 m_tableNs = 0;
    qint64 m_nowNs = 0;
};

} // namespace sockscope::ui
