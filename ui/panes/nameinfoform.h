#pragma once

#include <QWidget>

class QCheckBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace sockscope::core {
class Address;
class LookupService;
}

namespace sockscope::ui {

// getnameinfo((address, port), flags) on the lookup service's workers: the reverse of
// getaddrinfo, with every NI_* flag. A row of the lookup table can be sent here.
class NameInfoForm : public QWidget
{
    Q_OBJECT
public:
    explicit NameInfoForm(core::LookupService &lookups, QWidget *parent = nullptr);

    // Fills the form from a sockaddr (NI_DGRAM set for a datagram row) and looks it up.
    void lookUp(const core::Address &address, bool datagram);
    void lookUp();
    int flags() const;
    bool isBusy() const { return m_pending != 0; }

    QCheckBox *flagBox(int flag) const;

signals:
    void finished();

private:
    void updatePython();

    core::LookupService &m_lookups;
    quint64 m_pending = 0;

    QLineEdit *m_address = nullptr;
    QSpinBox *m_port = nullptr;
    QList<QCheckBox *> m_flags;
    QPushButton *m_run = nullptr;
    QLineEdit *m_host = nullptr;
    QLineEdit *m_service = nullptr;
    QLabel *m_status = nullptr;
    QLabel *m_error = nullptr;
    QLineEdit *m_python = nullptr;
};

} // namespace sockscope::ui
