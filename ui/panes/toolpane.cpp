#include "toolpane.h"

#include <QScrollArea>
#include <QVBoxLayout>

namespace sockscope::ui {

ToolPane::ToolPane(core::SessionManager &sessions, QWidget *tool, const QString &title, const QString &icon, QWidget *parent)
    : Pane(sessions, parent)
    , m_title(title)
    , m_icon(icon)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    // A tool may want more room than a 1280x800 window leaves it; scrolling beats growing
    // the window past the screen.
    auto *scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidget(tool);
    layout->addWidget(scroll);
}

} // namespace sockscope::ui
