#pragma once

#include "net/optionvalue.h"

#include <QList>
#include <QWidget>

#include <sys/socket.h>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QToolButton;
class QVBoxLayout;

namespace sockscope::ui {

// The "before connect / before listen" section of the client and server panes: options
// picked from the table with their values, applied in this order right after socket().
// Each value is checked against its row as it is typed (the error shows under it and names
// the option); settings() hands the list to ConnectSpec/ListenSpec/DatagramSpec::options.
// Options that must be set early (SO_REUSEADDR, SO_REUSEPORT, IPV6_V6ONLY, SO_BINDTODEVICE,
// the buffer sizes, TCP_FASTOPEN, TCP_SYNCNT, TCP_MAXSEG) come first in the list.
class PresetOptionsList : public QWidget
{
    Q_OBJECT
public:
    explicit PresetOptionsList(QWidget *parent = nullptr);

    // The socket the options are for: only the rows that apply are offered. family 0 means
    // "not known yet" (a host name that may resolve to IPv4 or IPv6): every IP family.
    void setSocketKind(int family, int type);
    void setContext(const core::OptionContext &context);

    void addSetting(const core::OptionSetting &setting = {});
    void setSettings(const QList<core::OptionSetting> &settings);
    void clear();
    int count() const { return int(m_rows.size()); }

    // Every row checked, errors shown inline under the rows (an empty value is an error too).
    bool isValid();
    // The settings in order (call isValid() first: invalid rows are included as typed).
    QList<core::OptionSetting> settings() const;
    QString errorText(int row) const;
    QLineEdit *valueEdit(int row) const;
    QComboBox *nameCombo(int row) const;

signals:
    void changed();

private:
    struct Row
    {
        QWidget *widget = nullptr;
        QComboBox *name = nullptr;
        QLineEdit *value = nullptr;
        QToolButton *remove = nullptr;
        QLabel *error = nullptr;
    };
    QList<const core::SocketOption *> offered() const;
    void fillNames(Row &row, const QString &keep);
    bool check(const Row &row);
    void removeRow(QWidget *widget);

    int m_family = 0;
    int m_type = SOCK_STREAM;
    core::OptionContext m_context;
    QList<Row> m_rows;
    QVBoxLayout *m_rowsLayout = nullptr;
    QPushButton *m_add = nullptr;
    QLabel *m_empty = nullptr;
};

} // namespace sockscope::ui
