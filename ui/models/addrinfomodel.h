#pragma once

#include "net/resolver.h"

#include <QAbstractTableModel>

namespace sockscope::ui {

// getaddrinfo's rows, in the order the system returned them. The "#" column keeps that
// order, so a view sorted by another column can always be put back. SortRole gives
// numbers for the numeric columns so they sort as numbers.
class AddrInfoModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Order, Family, SockType, Protocol, Address, Port, FlowInfo, ScopeId, CanonName, ColumnCount };
    static constexpr int SortRole = Qt::UserRole + 1;

    explicit AddrInfoModel(QObject *parent = nullptr);

    void setRows(const QList<core::AddrInfo> &rows);
    void clear();
    const QList<core::AddrInfo> &rows() const { return m_rows; }
    const core::AddrInfo &row(int index) const { return m_rows.at(index); }
    // Tab-separated, one line per row, with a header line: for the clipboard.
    QString toTsv(const QList<int> &rowIndexes) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    QString text(const core::AddrInfo &row, int index, int column) const;

    QList<core::AddrInfo> m_rows;
};

} // namespace sockscope::ui
