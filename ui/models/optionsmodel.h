#pragma once

#include "engine/sessionoptions.h"

#include <QAbstractTableModel>
#include <QHash>

namespace sockscope::ui {

// The option rows that apply to one socket, with the kernel's current value of each and
// the outcome of the last Apply. Fed by the options pane from SessionManager replies; it
// never touches a socket.
class OptionsModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { NameColumn, LevelColumn, ValueColumn, ApplyColumn, ColumnCount };
    enum Role {
        OptionRole = Qt::UserRole + 1, // const core::SocketOption * as quintptr
        FilterRole,                    // "LEVEL NAME", for the pane's name/level filter
    };

    explicit OptionsModel(QObject *parent = nullptr);

    // The rows for a socket of this family and type; clears the values.
    void setSocketKind(int family, int type);
    void setReadings(const QList<core::OptionReading> &readings);
    void setApplyResult(const core::OptionApplyResult &result);
    void clearValues();

    const core::SocketOption *option(int row) const;
    int rowOf(const core::SocketOption *option) const;
    std::optional<core::OptionReading> reading(const core::SocketOption *option) const;
    std::optional<core::OptionApplyResult> applyResult(const core::SocketOption *option) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    static QString valueText(const core::OptionReading &reading);
    static QString applyText(const core::OptionApplyResult &result);

private:
    QList<const core::SocketOption *> m_rows;
    QHash<const core::SocketOption *, core::OptionReading> m_readings;
    QHash<const core::SocketOption *, core::OptionApplyResult> m_applied;
};

} // namespace sockscope::ui
