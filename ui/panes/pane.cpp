#include "pane.h"

namespace sockscope::ui {

Pane::Pane(core::SessionManager &sessions, QWidget *parent)
    : QWidget(parent)
    , m_sessions(sessions)
{
}

} // namespace sockscope::ui
