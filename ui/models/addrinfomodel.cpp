#include "addrinfomodel.h"

namespace sockscope::ui {

using namespace sockscope::core;

namespace {

QString protocolName(int protocol)
{
    switch (protocol) {
    case 0: return QStringLiteral("0");
    case IPPROTO_TCP: return QStringLiteral("6 (tcp)");
    case IPPROTO_UDP: return QStringLiteral("17 (udp)");
    case IPPROTO_SCTP: return QStringLiteral("132 (sctp)");
    default: return QString::number(protocol);
    }
}

} // namespace

AddrInfoModel::AddrInfoModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void AddrInfoModel::setRows(const QList<AddrInfo> &rows)
{
    beginResetModel();
    m_rows = rows;
    endResetModel();
}

void AddrInfoModel::clear()
{
    setRows({});
}

int AddrInfoModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int AddrInfoModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString AddrInfoModel::text(const AddrInfo &row, int index, int column) const
{
    switch (column) {
    case Order: return QString::number(index + 1);
    case Family: return familyName(row.family);
    case SockType: return socketTypeName(row.socktype);
    case Protocol: return protocolName(row.protocol);
    // The scope is shown in its own column, as the sockaddr holds it.
    case Address: return row.address.host().section(u'%', 0, 0);
    case Port: return QString::number(row.address.port());
    case FlowInfo: return QString::number(row.address.flowInfo());
    case ScopeId: {
        const quint32 scope = row.address.scopeId();
        const QString name = row.address.host().section(u'%', 1);
        return name.isEmpty() || name == QString::number(scope) ? QString::number(scope)
                                                                 : QStringLiteral("%1 (%2)").arg(scope).arg(name);
    }
    case CanonName: return row.canonname;
    default: return {};
    }
}

QVariant AddrInfoModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const AddrInfo &row = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return text(row, index.row(), index.column());
    case SortRole:
        switch (index.column()) {
        case Order: return index.row();
        case Protocol: return row.protocol;
        case Port: return row.address.port();
        case FlowInfo: return row.address.flowInfo();
        case ScopeId: return row.address.scopeId();
        default: return text(row, index.row(), index.column());
        }
    case Qt::TextAlignmentRole:
        switch (index.column()) {
        case Order:
        case Port:
        case FlowInfo:
        case ScopeId:
            return int(Qt::AlignRight | Qt::AlignVCenter);
        default:
            return {};
        }
    case Qt::ToolTipRole:
        if (index.column() == Address)
            return tr("As Python writes the sockaddr: %1").arg(row.address.toPython());
        if (index.column() == CanonName && !row.canonname.isEmpty())
            return tr("The canonical name (AI_CANONNAME fills it in the first row only)");
        return {};
    default:
        return {};
    }
}

QVariant AddrInfoModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    static const char *const kTitles[] = {
        QT_TR_NOOP("#"),       QT_TR_NOOP("Family"),   QT_TR_NOOP("Type"),     QT_TR_NOOP("Protocol"),
        QT_TR_NOOP("Address"), QT_TR_NOOP("Port"),     QT_TR_NOOP("Flow info"), QT_TR_NOOP("Scope ID"),
        QT_TR_NOOP("Canonical name"),
    };
    static const char *const kTips[] = {
        QT_TR_NOOP("The position in getaddrinfo's answer: the order a client should try"),
        QT_TR_NOOP("ai_family"),
        QT_TR_NOOP("ai_socktype"),
        QT_TR_NOOP("ai_protocol"),
        QT_TR_NOOP("The address in ai_addr"),
        QT_TR_NOOP("The port in ai_addr (network byte order there, shown in host order)"),
        QT_TR_NOOP("sin6_flowinfo (IPv6 only)"),
        QT_TR_NOOP("sin6_scope_id: the interface of a link-local IPv6 address"),
        QT_TR_NOOP("ai_canonname"),
    };
    if (section < 0 || section >= ColumnCount)
        return {};
    if (role == Qt::DisplayRole)
        return tr(kTitles[section]);
    if (role == Qt::ToolTipRole)
        return tr(kTips[section]);
    return {};
}

QString AddrInfoModel::toTsv(const QList<int> &rowIndexes) const
{
    QStringList lines;
    QStringList header;
    for (int c = 0; c < ColumnCount; ++c)
        header.append(headerData(c, Qt::Horizontal, Qt::DisplayRole).toString());
    lines.append(header.join(u'\t'));
    for (const int r : rowIndexes) {
        QStringList cells;
        for (int c = 0; c < ColumnCount; ++c)
            cells.append(text(m_rows.at(r), r, c));
        lines.append(cells.join(u'\t'));
    }
    return lines.join(u'\n') + u'\n';
}

} // namespace sockscope::ui
