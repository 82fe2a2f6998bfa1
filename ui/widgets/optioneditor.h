#pragma once

#include "engine/sessionoptions.h"

#include <QHash>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QHBoxLayout;
class QLabel;
class QLineEdit;
class QPushButton;

namespace sockscope::ui {

// Edits the value of one socket option with a control that fits its type (a check box for
// a flag, a list for an enum or a congestion algorithm, on/off plus seconds for linger, a
// line for numbers and addresses), checks it against the table row before anything is
// sent, and shows what happened: what was asked, what the kernel kept, or the errno with
// its meaning. It never touches a socket: Apply emits applyRequested() and the pane runs
// the setsockopt through the SessionManager. Text typed for an option is kept when another
// option is selected and restored when it comes back, and a rejected value stays as typed.
class OptionEditor : public QWidget
{
    Q_OBJECT
public:
    explicit OptionEditor(QWidget *parent = nullptr);

    void setOption(const core::SocketOption *option); // nullptr: nothing to edit
    const core::SocketOption *option() const { return m_option; }
    // Congestion algorithms and interfaces of this host, for the lists and the checks.
    void setContext(const core::OptionContext &context);
    // The kernel's value now; fills the input unless the user has typed something.
    void setCurrent(const std::optional<core::OptionReading> &reading);
    void showResult(const core::OptionApplyResult &result);
    // Off while the session has no socket (closed), with the reason shown.
    void setSessionUsable(bool usable, const QString &why = {});

    QString text() const; // the value as the input reads now ("65536", "on,5", "IP_PMTUDISC_DO")
    void setText(const QString &text); // as if typed: the kernel's value no longer replaces it
    QString errorText() const;  // the inline error, empty when none is shown
    QString resultText() const; // the outcome of the last Apply
    QString currentText() const;

public slots:
    // Checks the value; emits applyRequested() only when it is valid. Returns whether it did.
    bool apply();

signals:
    void applyRequested(const core::OptionSetting &setting);

private:
    void rebuildInput();
    void fillInput(const QString &text); // shows a value without counting it as typed
    void markEdited();
    void updateApplyEnabled();
    QWidget *focusTarget() const;

    const core::SocketOption *m_option = nullptr;
    core::OptionContext m_context;
    QHash<const core::SocketOption *, QString> m_drafts; // what was typed, per option
    bool m_edited = false;
    bool m_settingText = false;
    bool m_sessionUsable = true;
    QString m_unusableWhy;

    QLabel *m_current = nullptr;
    QLabel *m_valueLabel = nullptr;
    QWidget *m_inputArea = nullptr;
    QHBoxLayout *m_inputLayout = nullptr;
    QCheckBox *m_check = nullptr;  // Bool; Linger's on/off
    QComboBox *m_combo = nullptr;  // Enum; String and Interface (editable)
    QLineEdit *m_line = nullptr;   // numbers, addresses; Linger's seconds
    QPushButton *m_apply = nullptr;
    QLabel *m_hint = nullptr;
    QLabel *m_error = nullptr;
    QLabel *m_result = nullptr;
};

} // namespace sockscope::ui
