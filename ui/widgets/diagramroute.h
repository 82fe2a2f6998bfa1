#pragma once

#include "net/tcpstate.h"

#include <QList>

namespace sockscope::ui {

// The arrows of the state machine one end of a connection took, from the states it was
// seen in: consecutive states joined by core::tcpLikelyRoute(), the arrows between two
// states that were both observed and adjacent drawn as seen, every other one as inferred.
class DiagramRoute
{
public:
    struct Point
    {
        core::TcpState state = core::TcpState::Closed;
        bool observed = true; // false: implied by a call's outcome, not seen in the kernel
        bool operator==(const Point &) const = default;
    };
    struct Hop
    {
        int transition = -1; // index into core::tcpTransitions()
        bool inferred = false;
        core::TcpState from = core::TcpState::Closed;
        core::TcpState to = core::TcpState::Closed;
        bool operator==(const Hop &) const = default;
    };

    static QList<Hop> hops(const QList<Point> &points);
};

} // namespace sockscope::ui
