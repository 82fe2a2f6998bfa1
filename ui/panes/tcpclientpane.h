#pragma once

#include "pane.h"

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QToolButton;

namespace sockscope::core {
class LookupService;
}

namespace sockscope::ui {

class ConnectionView;
class PresetOptionsList;
class RuleEditor;

// A TCP client: resolve the host, then try every getaddrinfo result in order until one
// connects (create_connection), each attempt visible; then drive the connection.
class TcpClientPane : public Pane
{
    Q_OBJECT
public:
    TcpClientPane(core::SessionManager &sessions, core::LookupService &lookups, QWidget *parent = nullptr);

    QString kindName() const override { return tr("TCP client"); }
    QString title() const override;
    QString status() const override;
    QString iconName() const override { return QStringLiteral("network-wired"); }
    core::SessionId currentSession() const override { return m_session; }
    quint16 watchPort() const override; // the Port field, when it holds a number
    void refresh() override;
    void shutdownSessions() override;

    void setTarget(const QString &host, quint16 port);
    void connectToTarget();

    QLineEdit *hostEdit() const { return m_host; }
    QLineEdit *portEdit() const { return m_port; }
    // The connect timeout (nullopt: none, wait as long as the kernel does).
    void setTimeoutMs(std::optional<int> ms);

private:
    void onResolved(const QList<core::Address> &candidates);
    void answerChallenge();
    void applyService(); // the reply mode and rules, to the connection now open
    QString attemptsText() const;

    core::LookupService &m_lookups;
    core::SessionId m_session = 0;
    quint64 m_lookup = 0;
    bool m_resolving = false;
    quint64 m_shownVersion = ~quint64(0);
    quint64 m_shownTrace = ~quint64(0);

    QLineEdit *m_host = nullptr;
    QLineEdit *m_port = nullptr;
    QComboBox *m_family = nullptr;
    QLineEdit *m_sourceHost = nullptr;
    QLineEdit *m_sourcePort = nullptr;
    QDoubleSpinBox *m_timeout = nullptr;
    QPushButton *m_connect = nullptr;
    QLabel *m_status = nullptr;
    QLabel *m_attempts = nullptr;
    QLabel *m_error = nullptr;
    QLineEdit *m_key = nullptr;
    QComboBox *m_digest = nullptr;
    QPushButton *m_answer = nullptr;
    ConnectionView *m_view = nullptr;
    PresetOptionsList *m_presets = nullptr;
    QToolButton *m_presetsToggle = nullptr;
    QComboBox *m_mode = nullptr;
    RuleEditor *m_rules = nullptr;
    QToolButton *m_rulesToggle = nullptr;
};

} // namespace sockscope::ui
