#pragma once

#include "models/socketsmodel.h"

#include "observe/kernelwatch.h"

#include <QWidget>

#include <memory>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QSortFilterProxyModel;
class QTableView;

namespace sockscope::core {
class SessionManager;
}

namespace sockscope::ui {

// "System sockets": every TCP, UDP and Unix socket of the host, a live `ss -anp`. The
// app's KernelWatch dumps the kernel's tables on its own thread (and finds the owning
// processes there) while this pane is visible and holds its interest; the pane pulls
// each new table, filters it by protocol, state, port and address, counts timers down between
// tables, and highlights the sockets of this app's sessions.
class SocketsPane : public QWidget
{
    Q_OBJECT
public:
    static constexpr int kPullMs = 250;

    SocketsPane(core::SessionManager &sessions, core::KernelWatch &kernel, QWidget *parent = nullptr);
    ~SocketsPane() override;

    void setFilter(const SocketFilter &filter); // also sets the controls
    SocketFilter filter() const { return m_model->filter(); }
    QString statusText() const;
    // Pulls the kernel watch's table if it changed, and this app's endpoints (the timer does this).
    void refresh();

signals:
    void sessionActivated(quint64 id); // a row of one of our sessions was double-clicked

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    void buildUi();
    void applyControls();
    void updateOwnEndpoints();
    void updateStatus();

    core::SessionManager &m_sessions;
    core::KernelWatch &m_kernel;
    core::KernelWatch::Interest m_looking; // held while shown
    SocketsModel *m_model = nullptr;
    QSortFilterProxyModel *m_proxy = nullptr;
    QTableView *m_table = nullptr;
    QCheckBox *m_tcp = nullptr;
    QCheckBox *m_udp = nullptr;
    QCheckBox *m_unix = nullptr;
    QComboBox *m_state = nullptr;
    QLineEdit *m_port = nullptr;
    QLineEdit *m_address = nullptr;
    QCheckBox *m_ownOnly = nullptr;
    QLabel *m_status = nullptr;
    QLabel *m_error = nullptr; // a filter value that cannot match, named
    quint64 m_tableGeneration = 0;
    quint64 m_sessionsGeneration = ~quint64(0);
    core::SocketTable m_last; // for the status line
    bool m_sized = false;
};

} // namespace sockscope::ui
