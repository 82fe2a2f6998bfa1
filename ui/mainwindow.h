#pragma once

#include "engine/sessiontypes.h"
#include "uitick.h"

#include <QMainWindow>

class QDockWidget;
class QLabel;
class QStackedWidget;
class QTableView;
class QTreeView;

namespace sockscope::core {
struct AppServices;
class CaptureService;
class KernelWatch;
class LookupService;
class SessionManager;
}

namespace sockscope::ui {

class CallTraceModel;
class ConnectionWatch;
class OptionsPane;
class Pane;
class TcpClientPane;
class TcpServerPane;
class UdpPane;
class UnixPane;
class WorkbenchModel;

// The top-level window: the session tree on the left, the selected pane on the right,
// the call trace docked below, totals in the status bar. It wires panes together and
// subscribes to the window's one UiTick, through which everything on screen is pulled.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    // Every service comes from `services`, which must outlive the window.
    explicit MainWindow(core::AppServices &services, QWidget *parent = nullptr);
    ~MainWindow() override;

    TcpClientPane *newTcpClient();
    TcpServerPane *newTcpServer();
    UdpPane *newUdp();
    UnixPane *newUnix();
    void showLookup();
    void showSystemSockets();
    void showLessons();
    void showPreferences();
    // The first-start setup: an upper-case server on 127.0.0.1 and a client aimed at it.
    void openStarterSessions();

    Pane *currentPane() const;
    void closeCurrentPane();
    void selectPane(Pane *pane);
    QDockWidget *watchDock() const { return m_watchDock; }
    static constexpr int kRefreshMs = 33;

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void addPane(Pane *pane);
    void onTreeSelection();
    void showTraceOf(core::SessionId id);
    void createWatchDock();
    void refresh();
    void updateStatusBar();
    void createActions();
    void showAbout();

    core::AppServices &m_services;
    core::SessionManager &m_sessions;
    core::LookupService &m_lookups;
    core::KernelWatch &m_kernel;
    core::CaptureService &m_captures;
    WorkbenchModel *m_model = nullptr;
    QTreeView *m_tree = nullptr;
    QStackedWidget *m_stack = nullptr;
    CallTraceModel *m_traceModel = nullptr;
    QTableView *m_traceView = nullptr;
    OptionsPane *m_options = nullptr;
    ConnectionWatch *m_watch = nullptr;
    QDockWidget *m_watchDock = nullptr;
    QLabel *m_totals = nullptr;
    UiTick::Subscription *m_tick = nullptr;
    Pane *m_lookupPane = nullptr;
    Pane *m_socketsPane = nullptr;
    Pane *m_lessonsPane = nullptr;
    TcpClientPane *m_starterClient = nullptr;
    TcpServerPane *m_starterServer = nullptr;
};

} // namespace sockscope::ui
