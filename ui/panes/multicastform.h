#pragma once

#include "engine/sessionmanager.h"
#include "net/multicast.h"

#include <QWidget>

class QCheckBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QSpinBox;

namespace sockscope::ui {

// The UDP pane's multicast section: join or leave a group on an interface, the TTL (hop
// limit) and loopback of what the socket sends to groups, and the groups this socket
// joined as the kernel lists them (/proc/net/igmp, igmp6, read on the I/O thread after
// each join or leave). Every call goes through SessionManager::applyOption, so the trace
// shows it as Python writes it.
class MulticastForm : public QWidget
{
    Q_OBJECT
public:
    explicit MulticastForm(core::SessionManager &sessions, QWidget *parent = nullptr);

    // The socket the buttons act on (0: none open); a new one starts with no groups.
    void setSession(core::SessionId id, int family);
    // The TTL and loopback chosen before the socket exists, for its open (empty = defaults).
    QList<core::OptionSetting> settingsBeforeBind(int family) const;

private:
    std::optional<core::multicast::GroupRequest> request();
    void join();
    void leave();
    void applyNow(const core::OptionSetting &setting, std::function<void()> then = {});
    void refreshGroups();

    core::SessionManager &m_sessions;
    core::SessionId m_session = 0;
    int m_family = AF_INET;
    QList<core::multicast::GroupRequest> m_joined;

    QLineEdit *m_group = nullptr;
    QLineEdit *m_interface = nullptr;
    QPushButton *m_join = nullptr;
    QPushButton *m_leave = nullptr;
    QSpinBox *m_hops = nullptr;
    QCheckBox *m_loop = nullptr;
    QListWidget *m_groups = nullptr;
    QLabel *m_error = nullptr;
};

} // namespace sockscope::ui
