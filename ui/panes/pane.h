#pragma once

#include "engine/sessiontypes.h"

#include <QList>
#include <QWidget>

namespace sockscope::core {
class SessionManager;
}

namespace sockscope::ui {

// A page of the workbench (a TCP client, a server, a UDP socket, a Unix socket, a tool).
// The main window lists panes in its session tree and calls refresh() at ~30 Hz; a pane
// pulls the snapshots it shows from the SessionManager and never makes a syscall.
class Pane : public QWidget
{
    Q_OBJECT
public:
    explicit Pane(core::SessionManager &sessions, QWidget *parent = nullptr);

    virtual QString kindName() const = 0;   // "TCP client"
    virtual QString title() const = 0;      // "TCP client → 127.0.0.1:8888"
    virtual QString status() const = 0;     // "connected"
    virtual QString iconName() const = 0;   // a theme icon name for the tree
    // The session whose call trace and options the docks show (0: none yet).
    virtual core::SessionId currentSession() const = 0;
    // Sessions shown as this pane's children in the tree (accepted connections).
    virtual QList<core::SessionId> childSessions() const { return {}; }
    virtual void selectChild(core::SessionId) {}
    // The TCP port a packet capture should watch before currentSession() exists (a
    // client's target port as typed), so that the very first SYN is seen; 0: none.
    virtual quint16 watchPort() const { return 0; }
    virtual void refresh() = 0;
    // Closes what the pane owns (its sessions), before the pane is deleted.
    virtual void shutdownSessions() = 0;

signals:
    void currentSessionChanged(core::SessionId id);

protected:
    core::SessionManager &m_sessions;
};

} // namespace sockscope::ui
