#pragma once

#include <QWidget>

#include <array>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace sockscope::core {
class LookupService;
}

namespace sockscope::ui {

// The name, service and protocol databases: gethostname, getfqdn, the legacy
// gethostbyname_ex / gethostbyaddr, getservbyname / getservbyport, getprotobyname /
// getprotobynumber. Each call runs on the lookup service's workers (NSS may query the
// network even for these).
class HostDbForm : public QWidget
{
    Q_OBJECT
public:
    enum Call {
        GetHostName,
        GetFqdn,
        GetHostByNameEx,
        GetHostByAddr,
        GetServByName,
        GetServByPort,
        GetProtoByName,
        GetProtoByNumber,
        CallCount
    };

    explicit HostDbForm(core::LookupService &lookups, QWidget *parent = nullptr);

    void run(Call call);
    bool isBusy(Call call) const { return m_rows[call].pending != 0; }

    QLineEdit *input(Call call) const { return m_rows[call].input; }
    QComboBox *protocol(Call call) const { return m_rows[call].protocol; }
    QPushButton *runButton(Call call) const { return m_rows[call].run; }
    QLineEdit *result(Call call) const { return m_rows[call].result; }

signals:
    void finished(int call);

private:
    struct Row
    {
        QLineEdit *input = nullptr;
        QComboBox *protocol = nullptr;
        QPushButton *run = nullptr;
        QLineEdit *result = nullptr;
        quint64 pending = 0;
    };

    core::LookupService &m_lookups;
    std::array<Row, CallCount> m_rows;
    QLabel *m_error = nullptr;
};

} // namespace sockscope::ui
