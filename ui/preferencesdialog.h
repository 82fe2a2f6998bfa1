#pragma once

#include <QDialog>

#include <optional>

class QCheckBox;
class QDoubleSpinBox;

namespace sockscope::core {
class SessionManager;
}

namespace sockscope::ui {

// Tools > Preferences: the default timeout, kept in QSettings. It is what
// socket.setdefaulttimeout() sets for the sockets sockscope makes without a timeout of
// their own (SessionManager::setDefaultTimeout), and the Timeout new TCP client panes
// start with. Unchecked means None: block for as long as the kernel takes.
class PreferencesDialog : public QDialog
{
    Q_OBJECT
public:
    static constexpr int kFactoryTimeoutMs = 10'000;

    explicit PreferencesDialog(QWidget *parent = nullptr);

    // The saved default (nullopt: None), and saving one; apply() hands it to the sessions.
    static std::optional<int> savedTimeoutMs();
    static void saveTimeoutMs(std::optional<int> ms);
    static void apply(core::SessionManager &sessions);

    std::optional<int> timeoutMs() const; // as the dialog shows it
    void setTimeoutMs(std::optional<int> ms);

    void accept() override; // saves

private:
    QCheckBox *m_enabled = nullptr;
    QDoubleSpinBox *m_seconds = nullptr;
};

} // namespace sockscope::ui
