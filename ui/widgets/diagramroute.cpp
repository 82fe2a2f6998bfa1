#include "diagramroute.h"

#include "observe/tcptransition.h"

namespace sockscope::ui {

QList<DiagramRoute::Hop> DiagramRoute::hops(const QList<Point> &points)
{
    QList<Hop> out;
    for (qsizetype i = 1; i < points.size(); ++i) {
        const Point &a = points[i - 1], &b = points[i];
        const core::TcpState from = core::rfcState(a.state), to = core::rfcState(b.state);
        if (from == to)
            continue;
        const QList<int> route = core::tcpLikelyRoute(from, to);
        core::TcpState at = from;
        for (int t : route) {
            const core::TcpState next = core::tcpTransitions()[t].to;
            out.append(Hop{t, route.size() > 1 || !a.observed || !b.observed, at, next});
            at = next;
        }
    }
    return out;
}

} // namespace sockscope::ui
