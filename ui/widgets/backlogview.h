#pragma once

#include "engine/sessiontypes.h"
#include "observe/kernelwatch.h"

#include "uitick.h"

#include <QElapsedTimer>
#include <QList>
#include <QWidget>

#include <memory>


namespace sockscope::core {
class SessionManager;
}

namespace sockscope::ui {

// A listener's accept queue, live: how many connections the kernel finished that the
// program has not accept()ed, against the backlog it gave listen() (Linux lets
// backlog + 1 wait), with a sparkline of the last seconds. Once the queue is full Linux
// drops new SYNs, so clients are left in SYN_SENT retrying: those, and half-open
// SYN_RECEIVED request sockets, come from sock_diag for the listener's port (the app's
// KernelWatch, on its own thread, while this is visible), the queue itself from the session's TCP_INFO. Pulls
// both on a 10 Hz timer while visible; never makes a syscall on the GUI thread.
class BacklogView : public QWidget
{
    Q_OBJECT
public:
    static constexpr int kRefreshMs = 100;
    static constexpr int kHistory = 150; // samples: 15 s at 10 Hz

    BacklogView(core::SessionManager &sessions, core::KernelWatch &kernel, QWidget *parent = nullptr);
    ~BacklogView() override;

    void setListener(core::SessionId id); // 0: nothing
    core::SessionId listener() const { return m_listener; }
    void refresh();

    bool hasListener() const { return m_backlog.has_value(); } // the session is a listening TCP socket
    quint32 acceptQueue() const { return m_queue; }
    quint32 backlog() const { return m_backlog.value_or(0); }
    quint32 capacity() const { return backlog() + 1; } // what Linux lets wait
    bool queueFull() const { return hasListener() && m_queue >= capacity(); }
    QList<quint32> history() const { return m_history; }
    QList<core::SocketEntry> retrying() const { return m_retrying; } // SYN_SENT clients of the port
    int halfOpen() const { return m_halfOpen; }                      // SYN_RECEIVED on the port
    QString summary() const; // the line under the bar, as drawn

    QSize sizeHint() const override { return {460, 260}; }
    QSize minimumSizeHint() const override { return {340, 200}; }

protected:
    void paintEvent(QPaintEvent *event) override;
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    void watchPort(quint16 port);
    void lookAtPort(); // hold the kernel watch's interest in m_port while visible
    void paintSlots(QPainter &p, const QRectF &area) const;
    void paintSparkline(QPainter &p, const QRectF &area) const;

    core::SessionManager &m_sessions;
    core::SessionId m_listener = 0;
    QString m_address;
    std::optional<quint32> m_backlog;
    quint32 m_queue = 0;
    QList<quint32> m_history;
    QList<core::SocketEntry> m_retrying;
    int m_halfOpen = 0;
    quint16 m_port = 0;
    core::KernelWatch &m_kernel;
    core::KernelWatch::Interest m_looking;
    quint64 m_kernelGeneration = ~quint64(0);
    UiTick::Subscription *m_tick = nullptr;
    QElapsedTimer m_sampled; // since the last point of the graph
};

} // namespace sockscope::ui
