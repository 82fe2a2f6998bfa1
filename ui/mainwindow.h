#pragma once

#include <QMainWindow>

namespace sockscope::core {
class SessionManager;
}

namespace sockscope::ui {

// The top-level window: wires panes together; the panes themselves live in panes/.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(core::SessionManager &sessions, QWidget *parent = nullptr);

private:
    void showAbout();

    core::SessionManager &m_sessions;
};

} // namespace sockscope::ui
