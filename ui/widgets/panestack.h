#pragma once

#include <QStackedWidget>

namespace sockscope::ui {

// The main window's page stack, sized by the page on show only. A QStackedWidget asks
// for the largest minimum of all its pages, so one wide pane anywhere in the tree would
// keep the window from making room for the Watch TCP dock beside a narrow one.
class PaneStack : public QStackedWidget
{
public:
    explicit PaneStack(QWidget *parent = nullptr)
        : QStackedWidget(parent)
    {
        connect(this, &QStackedWidget::currentChanged, this, &QWidget::updateGeometry);
    }

    QSize sizeHint() const override { return currentWidget() ? currentWidget()->sizeHint() : QStackedWidget::sizeHint(); }
    QSize minimumSizeHint() const override
    {
        return currentWidget() ? currentWidget()->minimumSizeHint() : QStackedWidget::minimumSizeHint();
    }
};

} // namespace sockscope::ui
