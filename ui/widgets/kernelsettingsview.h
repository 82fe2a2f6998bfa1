#pragma once

#include "net/kernelsettings.h"

#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QTableWidget;

namespace sockscope::ui {

// The /proc/sys settings socket tutorials tell people to change, read-only: a table of
// their values and, for the selected one, what it does and where common advice about it
// is out of date. The readings come from the pane (read off the GUI thread).
class KernelSettingsView : public QWidget
{
    Q_OBJECT
public:
    explicit KernelSettingsView(QWidget *parent = nullptr);

    void setReadings(const QList<core::KernelSettingReading> &readings);
    int rowCount() const;
    QString valueText(const QString &key) const;
    QString explanationText() const; // of the selected setting
    void select(const QString &key);

private:
    void showSelected();

    QList<core::KernelSettingReading> m_readings;
    QTableWidget *m_table = nullptr;
    QLabel *m_title = nullptr;
    QPlainTextEdit *m_explanation = nullptr;
};

} // namespace sockscope::ui
