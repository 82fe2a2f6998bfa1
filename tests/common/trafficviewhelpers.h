#pragma once

// What the traffic view's tests share: its model, found by objectName (the view keeps no
// getter for tests), and a payload holding every byte value.

#include "widgetlookup.h"

#include "models/trafficmodel.h"
#include "widgets/trafficview.h"

#include <QByteArray>

namespace sockscope::tests {

inline ui::TrafficModel *modelOf(const ui::TrafficView &view)
{
    return named<ui::TrafficModel>(view, u"trafficModel");
}

inline QByteArray everyByte(qsizetype size)
{
    QByteArray b(size, Qt::Uninitialized);
    for (qsizetype i = 0; i < size; ++i)
        b[i] = char(i * 7 + i / 256);
    return b;
}

} // namespace sockscope::tests
