#pragma once

#include "pane.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QSplitter;
class QTabWidget;
class QTableView;
class QToolButton;

namespace sockscope::core {
class KernelWatch;
}

namespace sockscope::ui {

class BacklogView;
class ConnectionListModel;
class ConnectionView;
class PresetOptionsList;
class RuleEditor;

// A TCP server: bind/listen with a chosen backlog, SO_REUSEADDR, automatic or one-by-one
// accept, a built-in reply mode and an optional HMAC gate; every accepted connection is
// listed and can be driven on its own or all together. It binds 127.0.0.1 unless the
// user picks another address, and then says under the field what that address opens.
class TcpServerPane : public Pane
{
    Q_OBJECT
public:
    TcpServerPane(core::SessionManager &sessions, core::KernelWatch &kernel, QWidget *parent = nullptr);

    QString kindName() const override { return tr("TCP server"); }
    QString title() const override;
    QString status() const override;
    QString iconName() const override { return QStringLiteral("network-server"); }
    core::SessionId currentSession() const override;
    QList<core::SessionId> childSessions() const override;
    void selectChild(core::SessionId id) override;
    void refresh() override;
    void shutdownSessions() override;

    core::SessionId listener() const { return m_listener; }
    // Fills the form and starts listening (used for the first-start server and by tests).
    void startWith(const QString &bindAddress, quint16 port, core::ServiceMode mode);

    // For tests and the first start: the controls a user would click.
    QLineEdit *portEdit() const { return m_port; }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void start();
    void stop();
    void updateBindWarning();
    void onSelectionChanged();
    void applyService(); // the reply mode (and the rules, for Rules) onto a running listener

    core::KernelWatch &m_kernel; // for the accept-queue view's sock_diag look
    core::SessionId m_listener = 0;
    quint64 m_shownVersion = ~quint64(0);
    int m_ticks = 0;
    bool m_showingNewest = false; // selecting a row the user did not choose

    QComboBox *m_bind = nullptr;
    QLineEdit *m_port = nullptr;
    QSpinBox *m_backlog = nullptr;
    QCheckBox *m_reuse = nullptr;
    QCheckBox *m_autoAccept = nullptr;
    QComboBox *m_mode = nullptr;
    QCheckBox *m_gate = nullptr;
    QLineEdit *m_gateKey = nullptr;
    QComboBox *m_gateDigest = nullptr;
    QPushButton *m_start = nullptr;
    QPushButton *m_stop = nullptr;
    QLabel *m_listenStatus = nullptr;
    QLabel *m_warning = nullptr;
    QLabel *m_error = nullptr;

    QPushButton *m_acceptOne = nullptr;
    QPushButton *m_closeAll = nullptr;
    QPushButton *m_abortAll = nullptr;
    QCheckBox *m_sendToAll = nullptr;
    QLabel *m_counts = nullptr;
    QTableView *m_table = nullptr;
    ConnectionListModel *m_model = nullptr;
    ConnectionView *m_view = nullptr;
    BacklogView *m_backlogView = nullptr;
    QTabWidget *m_detailTabs = nullptr;
    QSplitter *m_split = nullptr;
    QWidget *m_connBox = nullptr;
    PresetOptionsList *m_presets = nullptr;
    QToolButton *m_presetsToggle = nullptr;
    RuleEditor *m_rules = nullptr;
    QToolButton *m_rulesToggle = nullptr;
};

} // namespace sockscope::ui
