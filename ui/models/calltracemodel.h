#pragma once

#include "engine/calltrace.h"

#include <QAbstractTableModel>

#include <memory>

namespace sockscope::ui {

// The call trace of one session, as Python code with its result, appended in batches by
// refresh() (pulled by the main window's timer). It keeps what its trace keeps: past the
// trace's cap the oldest rows leave, in one removal per refresh.
class CallTraceModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Time, Call, Result, Errno, Hint, ColumnCount };

    explicit CallTraceModel(QObject *parent = nullptr);

    void setTrace(std::shared_ptr<const core::CallTrace> trace);
    void refresh();
    const core::CallRecord &record(int row) const { return m_rows[row]; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    std::shared_ptr<const core::CallTrace> m_trace;
    QList<core::CallRecord> m_rows;
    quint64 m_lastSeq = 0;
    qint64 m_originNs = 0;
};

} // namespace sockscope::ui
