#pragma once

#include "pane.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QToolButton;

namespace sockscope::ui {

class Composer;
class MulticastForm;
class RuleEditor;
class TrafficView;

// A UDP socket: bound or not, sendto() any host:port or connect() to one, every datagram
// received shown with its sender, a reply mode, SO_BROADCAST, multicast groups (an expander);
// 0-byte datagrams are real.
// Bound to 127.0.0.1 (::1) unless the user chooses otherwise; a warning under the field
// says what any other choice opens.
class UdpPane : public Pane
{
    Q_OBJECT
public:
    explicit UdpPane(core::SessionManager &sessions, QWidget *parent = nullptr);

    QString kindName() const override { return tr("UDP socket"); }
    QString title() const override;
    QString status() const override;
    QString iconName() const override { return QStringLiteral("network-transmit-receive"); }
    core::SessionId currentSession() const override { return m_session; }
    void refresh() override;
    void shutdownSessions() override;

    void open();
    void sendDatagram(const QByteArray &bytes);
    void setTarget(const QString &host, quint16 port);


private:
    void applyService(); // the reply mode and rules, to the socket now open
    std::optional<core::Address> target(bool reportErrors);
    void replyToSender();
    void updateBindWarning();

    core::SessionId m_session = 0;
    quint64 m_shownVersion = ~quint64(0);

    QComboBox *m_family = nullptr;
    QCheckBox *m_bind = nullptr;
    QLineEdit *m_bindHost = nullptr;
    QLineEdit *m_bindPort = nullptr;
    QCheckBox *m_broadcast = nullptr;
    QCheckBox *m_connected = nullptr;
    QComboBox *m_mode = nullptr;
    QPushButton *m_open = nullptr;
    QPushButton *m_close = nullptr;
    QLabel *m_status = nullptr;
    QLineEdit *m_targetHost = nullptr;
    QLineEdit *m_targetPort = nullptr;
    QPushButton *m_reply = nullptr;
    QLabel *m_error = nullptr;
    QLabel *m_bindWarning = nullptr;
    TrafficView *m_traffic = nullptr;
    Composer *m_composer = nullptr;
    MulticastForm *m_multicast = nullptr;
    QToolButton *m_multicastToggle = nullptr;
    RuleEditor *m_rules = nullptr; // the Rules reply mode: each datagram is one message
    QToolButton *m_rulesToggle = nullptr;
};

} // namespace sockscope::ui
