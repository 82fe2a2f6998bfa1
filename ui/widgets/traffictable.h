#pragma once

#include <QTableView>

namespace sockscope::ui {

class TrafficModel;

// The table of a traffic view: uniform fixed-height rows (a flood never makes it measure
// rows), cheap painting of the bytes columns, and autoscroll that follows the newest row
// until the user scrolls up, and resumes when they scroll back to the bottom. While paused,
// rows leaving the top under the model's cap do not move the rows being read.
class TrafficTable : public QTableView
{
    Q_OBJECT
public:
    TrafficTable(TrafficModel *model, QWidget *parent = nullptr);

    bool isFollowing() const { return m_following; }
    void setFollowing(bool follow);

signals:
    void followingChanged(bool following);

private:
    void onScrollValue(int value);
    void onScrollRange(int min, int max);
    void onRowsRemoved(int count);

    bool m_following = true;
    bool m_scrolling = false; // our own scroll bar moves, not the user's
};

} // namespace sockscope::ui
