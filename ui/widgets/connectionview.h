#pragma once

#include "engine/sessiontypes.h"

#include <QWidget>

class QLabel;
class QPushButton;

namespace sockscope::core {
class SessionManager;
}

namespace sockscope::ui {

class Composer;
class TrafficView;

// One connected session: its endpoints and state, the half-close / close / abort buttons,
// the traffic view and the composer. Reused by every pane that shows a connection.
class ConnectionView : public QWidget
{
    Q_OBJECT
public:
    explicit ConnectionView(core::SessionManager &sessions, QWidget *parent = nullptr);

    void setSession(core::SessionId id);
    core::SessionId session() const { return m_id; }
    void refresh();

    // Sends through the composer's path; the server pane can redirect to "all clients".
    void setSendToAll(bool all, core::SessionId listener);
    // Datagram sessions: sendto() this address instead of send().
    void setSendTarget(const std::optional<core::Address> &to) { m_sendTarget = to; }
    // While held, the composer's sends go nowhere: the pane's send target is not valid and
    // the pane says so next to it (a send() in its stead would reach the kernel unaddressed).
    void holdSends(bool hold) { m_sendsHeld = hold; }

private:
    void send(const QByteArray &bytes);

    core::SessionManager &m_sessions;
    core::SessionId m_id = 0;
    core::SessionId m_listener = 0;
    bool m_sendToAll = false;
    bool m_sendsHeld = false;
    std::optional<core::Address> m_sendTarget;
    quint64 m_shownVersion = ~quint64(0);
    QLabel *m_endpoints = nullptr;
    QLabel *m_state = nullptr;
    QPushButton *m_shutWrite = nullptr;
    QPushButton *m_shutRead = nullptr;
    QPushButton *m_close = nullptr;
    QPushButton *m_abort = nullptr;
    TrafficView *m_traffic = nullptr;
    Composer *m_composer = nullptr;
};

QString describeState(const core::SessionInfo &info); // "connected · peer closed (EOF)"

} // namespace sockscope::ui
