#include "toolpane.h"

#include <QVBoxLayout>

namespace sockscope::ui {

ToolPane::ToolPane(core::SessionManager &sessions, QWidget *tool, const QString &title, const QString &icon, QWidget *parent)
    : Pane(sessions, parent)
    , m_tool(tool)
    , m_title(title)
    , m_icon(icon)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(tool);
}

} // namespace sockscope::ui
