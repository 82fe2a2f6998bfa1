#pragma once

#include "pane.h"

namespace sockscope::ui {

// Hosts a tool page (Lookup, later the system sockets view) in the session tree: it owns
// no session, so the trace and options docks show nothing for it.
class ToolPane : public Pane
{
    Q_OBJECT
public:
    ToolPane(core::SessionManager &sessions, QWidget *tool, const QString &title, const QString &icon,
             QWidget *parent = nullptr);

    QString kindName() const override { return m_title; }
    QString title() const override { return m_title; }
    QString status() const override { return tr("tool"); }
    QString iconName() const override { return m_icon; }
    core::SessionId currentSession() const override { return 0; }
    void refresh() override {}
    void shutdownSessions() override {}

private:
    QString m_title;
    QString m_icon;
};

} // namespace sockscope::ui
