#pragma once

#include "engine/sessionmanager.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSortFilterProxyModel;
class QTabWidget;
class QTableView;

namespace sockscope::ui {

class KernelSettingsView;
class OptionEditor;
class OptionsModel;

// Every socket option of the selected session: the rows that apply to its family and type
// with the kernel's current value, a filter by name and level, the selected option's
// explanation beside them, and an editor that applies a value and shows what the kernel
// kept. A second tab shows the kernel-wide settings. getsockopt/setsockopt and the /proc
// reads all run on the I/O thread (SessionManager::readOptions/applyOption/post); replies
// come back queued, so the GUI thread never makes a syscall.
class OptionsPane : public QWidget
{
    Q_OBJECT
public:
    explicit OptionsPane(core::SessionManager &sessions, QWidget *parent = nullptr);

    void setSession(core::SessionId id); // 0: none
    core::SessionId session() const { return m_id; }

    // Asks for fresh values now (they also refresh every second while the pane is shown).
    void refresh();
    void selectOption(const QString &name);
    void setFilter(const QString &text, const QString &level = {});
    int visibleOptionCount() const;
    QStringList visibleOptionNames() const;

    QString explanationText() const;
    QString sessionText() const;
    bool hasHostContext() const { return m_haveContext; }

signals:
    void optionsRead();                                // a reply with values arrived
    void applied(const core::OptionApplyResult &result); // a reply to Apply arrived
    void hostContextRead();                            // kernel settings, algorithms, interfaces

private:
    void loadHostContext();
    void onSelectionChanged();
    void showOption(const core::SocketOption *option);
    void applySetting(const core::OptionSetting &setting);
    void updateSessionInfo();
    void applyFilter();

    core::SessionManager &m_sessions;
    core::SessionId m_id = 0;
    int m_family = AF_UNSPEC;
    int m_type = 0;
    quint64 m_requestSerial = 0; // replies to older requests (another session) are dropped
    bool m_readPending = false;
    bool m_haveContext = false;

    QLabel *m_sessionLabel = nullptr;
    QPushButton *m_refresh = nullptr;
    QTabWidget *m_tabs = nullptr;
    QLineEdit *m_filter = nullptr;
    QComboBox *m_level = nullptr;
    QTableView *m_table = nullptr;
    OptionsModel *m_model = nullptr;
    QSortFilterProxyModel *m_proxy = nullptr;
    QLabel *m_title = nullptr;
    QLabel *m_summary = nullptr;
    QList<QLabel *> m_facts; // level, C type, range, applies to, when, privilege, man page
    QPlainTextEdit *m_explanation = nullptr;
    OptionEditor *m_editor = nullptr;
    KernelSettingsView *m_kernel = nullptr;
};

} // namespace sockscope::ui
