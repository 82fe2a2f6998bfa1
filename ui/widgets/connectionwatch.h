#pragma once

#include "uitick.h"

#include "engine/sessiontypes.h"
#include "observe/flowtimelines.h"
#include "observe/kernelwatch.h"

#include <QWidget>

#include <memory>

class QLabel;
class QTabWidget;
class QTreeWidget;

namespace sockscope::core {
class CaptureService;
class SessionManager;
}

namespace sockscope::ui {

class LadderPanel;
class StateDiagram;

// "Watch TCP": one workbench connection as the kernel and the wire show it — the RFC 9293
// state diagram with both ends on it, the connection's timeline (every state, when it
// began and which witness saw it: TCP_INFO, sock_diag or a packet) and the packet ladder.
// It follows one session (the main window hands it the selected one); a port hint lets
// the capture start before a client has connected, so its SYN is on the ladder.
//
// Witnesses: the session's TCP_INFO from SessionInfo (sampled on the reactor), the app's
// KernelWatch dumping sock_diag for the connection's port on its own thread while this is
// visible (it sees both ends when both are on this host, and the TIME_WAIT left after
// close), and the LadderPanel's capture. All merge into one core::FlowTimelines; nothing here makes a
// syscall on the GUI thread. Pulls at kRefreshMs while visible.
class ConnectionWatch : public QWidget
{
    Q_OBJECT
public:
    static constexpr int kRefreshMs = 100;

    ConnectionWatch(core::SessionManager &sessions, core::KernelWatch &kernel, core::CaptureService &captures,
                    QWidget *parent = nullptr);
    ~ConnectionWatch() override;

    // Follow this session (0: none); `portHint` is watched while the session does not say
    // which port it talks to. Cheap to call again with the same values.
    void follow(core::SessionId id, quint16 portHint = 0);
    core::SessionId session() const { return m_id; }
    quint16 port() const { return m_port; }
    void refresh();

    // The connection followed, once both its ends are known.
    const core::FlowTimelines *flow() const { return m_flow.get(); }
    QString headline() const;

    QSize sizeHint() const override { return {620, 700}; }

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    struct Target
    {
        quint16 port = 0;
        QString interfaceName = QStringLiteral("lo"); // where its packets cross
        std::optional<core::Address> client; // both set once the connection's ends are known
        std::optional<core::Address> server;
        std::optional<core::FlowTimelines::End> ours; // the end the session owns
        bool listener = false;
        QString why; // why there is nothing to watch, for the headline
    };

    Target targetOf(const std::optional<core::SessionInfo> &info) const;
    void watchPort(quint16 port, const QString &interfaceName);
    void lookAtPort(); // hold the kernel watch's interest in m_port while visible
    void followFlow(const Target &target);
    void collect(const std::optional<core::SessionInfo> &info, const Target &target);
    void showTimeline();

    core::SessionManager &m_sessions;
    core::SessionId m_id = 0;
    quint16 m_hint = 0;
    quint16 m_port = 0;
    core::KernelWatch &m_kernel;
    core::KernelWatch::Interest m_looking;
    std::unique_ptr<core::FlowTimelines> m_flow;
    quint64 m_shownVersion = ~quint64(0);
    bool m_listenerShown = false;
    quint64 m_sessionVersion = 0; // of the followed session, as last seen
    bool m_resumeCapture = false; // the capture was stopped because the watch was closed

    QLabel *m_headline = nullptr;
    StateDiagram *m_diagram = nullptr;
    QTabWidget *m_tabs = nullptr;
    LadderPanel *m_ladder = nullptr;
    QTreeWidget *m_timeline = nullptr;
    UiTick::Subscription *m_tick = nullptr;
};

} // namespace sockscope::ui
