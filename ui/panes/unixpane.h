#pragma once

#include "pane.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;

namespace sockscope::ui {

class ConnectionView;

// Unix domain sockets: SOCK_STREAM, SOCK_DGRAM and SOCK_SEQPACKET on a filesystem path or
// an abstract name (@name), listen/connect/bind, and the socketpair() demo. Every socket
// the pane makes is listed; the selected one is driven below.
class UnixPane : public Pane
{
    Q_OBJECT
public:
    explicit UnixPane(core::SessionManager &sessions, QWidget *parent = nullptr);

    QString kindName() const override { return tr("Unix socket"); }
    QString title() const override;
    QString status() const override;
    QString iconName() const override { return QStringLiteral("folder-remote"); }
    core::SessionId currentSession() const override { return m_current; }
    QList<core::SessionId> childSessions() const override;
    void selectChild(core::SessionId id) override;
    void refresh() override;
    void shutdownSessions() override;

    void listenOrBind();
    void connectToPath();
    void socketpairDemo();


private:
    // The typed path as an address, or an inline error naming `field` (and focus on it).
    std::optional<core::Address> path(QLineEdit *edit, const QString &field, bool focus = true);
    void track(core::SessionId id);
    void onTypeChanged();
    void select(core::SessionId id);

    QList<core::SessionId> m_own; // sessions this pane opened (children come from their listeners)
    core::SessionId m_current = 0;
    quint64 m_shownGeneration = ~quint64(0);

    QComboBox *m_type = nullptr;
    QLineEdit *m_path = nullptr;
    QPushButton *m_listen = nullptr;
    QPushButton *m_connect = nullptr;
    QPushButton *m_pair = nullptr;
    QLineEdit *m_sendTo = nullptr;
    QLabel *m_error = nullptr;
    QListWidget *m_list = nullptr;
    ConnectionView *m_view = nullptr;
};

} // namespace sockscope::ui
