#include "backlogview.h"

#include "theme.h"
#include "uitick.h"

#include "engine/sessionmanager.h"
#include "observe/kernelwatch.h"

#include <QPainter>
#include <QPainterPath>

namespace sockscope::ui {

BacklogView::BacklogView(core::SessionManager &sessions, core::KernelWatch &kernel, QWidget *parent)
    : QWidget(parent), m_sessions(sessions), m_kernel(kernel)
{
    // Pulled when the listener's session or the port's sock_diag view changes, and every
    // kRefreshMs while connections wait or retry (the graph moves); asleep otherwise.
    m_tick = UiTick::subscribe(this, kRefreshMs, [this] {
        refresh();
        return m_queue > 0 || !m_retrying.isEmpty() || m_halfOpen > 0;
    });
    m_tick->listen(m_sessions.doorbells());
    m_tick->listen(m_kernel.doorbells());
    m_history.reserve(kHistory);
    setAccessibleName(tr("Accept queue"));
}

BacklogView::~BacklogView() = default;

void BacklogView::setListener(core::SessionId id)
{
    if (id == m_listener)
        return;
    m_listener = id;
    m_backlog.reset();
    m_queue = 0;
    m_history.clear();
    m_sampled.invalidate();
    m_retrying.clear();
    m_halfOpen = 0;
    m_address.clear();
    watchPort(0);
    refresh();
}

void BacklogView::watchPort(quint16 port)
{
    if (port == m_port)
        return;
    m_port = port;
    m_kernelGeneration = ~quint64(0);
    lookAtPort();
}

void BacklogView::lookAtPort()
{
    if (m_port && isVisible())
        m_looking = m_kernel.watchStates(m_port);
    else
        m_looking.reset(); // nobody looks while hidden: no sock_diag dumps for us
}

void BacklogView::refresh()
{
    const auto info = m_listener ? m_sessions.info(m_listener) : std::nullopt;
    const bool listening = info && info->state == core::SessionState::Listening && info->tcpInfo
                           && info->tcpInfo->isListener();
    if (!listening) {
        m_backlog.reset();
        m_queue = 0;
        watchPort(0);
        update();
        return;
    }
    m_sessions.sampleKernel(m_listener); // TCP_INFO read on the I/O thread, seen next time
    m_address = info->local.toString();
    m_backlog = info->tcpInfo->backlog();
    // The graph keeps its time axis across a sleep: a quiet queue stayed as it was.
    const qint64 steps = m_sampled.isValid() ? std::clamp<qint64>(m_sampled.elapsed() / kRefreshMs, 1, kHistory) : 1;
    m_sampled.start();
    for (qint64 i = 1; i < steps && !m_history.isEmpty(); ++i)
        m_history.append(m_history.last());
    m_queue = info->tcpInfo->acceptQueue();
    m_history.append(m_queue);
    if (m_history.size() > kHistory)
        m_history.remove(0, m_history.size() - kHistory);
    watchPort(info->local.port());
    if (m_looking.isActive() && m_kernel.generation() != m_kernelGeneration) {
        m_kernelGeneration = m_kernel.generation();
        m_retrying.clear();
        m_halfOpen = 0;
        // The snapshot holds every port some view watches: ours are picked out.
        for (const core::SocketEntry &e : m_kernel.snapshot()) {
            if (!e.tcpState)
                continue;
            const core::TcpState s = core::rfcState(*e.tcpState);
            if (s == core::TcpState::SynSent && e.peer.port() == m_port)
                m_retrying.append(e);
            else if (s == core::TcpState::SynReceived && e.local.port() == m_port)
                ++m_halfOpen;
        }
    }
    update();
}

QString BacklogView::summary() const
{
    if (!m_listener)
        return tr("No listener selected.");
    if (!hasListener())
        return tr("Session #%1 is not a listening TCP socket.").arg(m_listener);
    QString text = tr("%n connection(s) waiting for accept()", nullptr, int(m_queue));
    if (queueFull())
        text += tr(": the queue is full, new SYNs are dropped");
    if (!m_retrying.isEmpty())
        text += tr("; %n client(s) in SYN_SENT, retrying", nullptr, int(m_retrying.size()));
    if (m_halfOpen)
        text += tr("; %n half-open (SYN_RECEIVED)", nullptr, m_halfOpen);
    return text;
}

void BacklogView::paintSlots(QPainter &p, const QRectF &area) const
{
    const quint32 places = capacity();
    const Theme theme(palette());
    const QColor grid = theme.color(Theme::Role::Line);
    const QColor fill = theme.color(queueFull() ? Theme::Role::Error : Theme::Role::Accent);
    if (places <= 24) {
        const qreal gap = 4, w = std::min<qreal>(34, (area.width() - gap * (places - 1)) / places);
        for (quint32 i = 0; i < places; ++i) {
            const QRectF r(area.left() + i * (w + gap), area.top(), w, area.height());
            p.setPen(QPen(i < m_queue ? fill.darker(120) : grid, 1.2));
            p.setBrush(i < m_queue ? fill : Qt::NoBrush);
            p.drawRoundedRect(r, 3, 3);
            if (i == backlog()) { // the one Linux allows beyond the backlog
                p.setPen(QPen(grid, 1, Qt::DashLine));
                p.drawLine(QPointF(r.left() - gap / 2, area.top() - 3), QPointF(r.left() - gap / 2, area.bottom() + 3));
            }
        }
        return;
    }
    p.setPen(QPen(grid, 1.2));
    p.setBrush(Qt::NoBrush);
    p.drawRoundedRect(area, 3, 3);
    const qreal part = std::min<qreal>(1.0, qreal(m_queue) / places);
    p.setPen(Qt::NoPen);
    p.setBrush(fill);
    p.drawRoundedRect(QRectF(area.topLeft(), QSizeF(area.width() * part, area.height())), 3, 3);
}

void BacklogView::paintSparkline(QPainter &p, const QRectF &area) const
{
    const Theme theme(palette());
    const QColor grid = theme.color(Theme::Role::Line);
    const QColor full = theme.color(Theme::Role::Error);
    p.setPen(QPen(grid, 1));
    p.setBrush(Qt::NoBrush);
    p.drawRect(area);
    const qreal top = std::max<quint32>(capacity(), *std::max_element(m_history.begin(), m_history.end()));
    const auto yOf = [&](qreal v) { return area.bottom() - (area.height() - 4) * v / top - 2; };
    p.setPen(QPen(full, 1, Qt::DashLine));
    p.drawLine(QPointF(area.left(), yOf(capacity())), QPointF(area.right(), yOf(capacity())));
    QPainterPath line;
    const qreal step = area.width() / (kHistory - 1);
    const qreal x0 = area.right() - step * (m_history.size() - 1);
    for (qsizetype i = 0; i < m_history.size(); ++i) {
        const QPointF pt(x0 + i * step, yOf(m_history[i]));
        i == 0 ? line.moveTo(pt) : line.lineTo(pt);
    }
    p.setPen(QPen(theme.color(Theme::Role::Accent), 2));
    p.drawPath(line);
    QFont small = font();
    small.setPointSizeF(small.pointSizeF() * 0.85);
    p.setFont(small);
    p.setPen(palette().color(QPalette::PlaceholderText));
    const QRectF inside = area.adjusted(4, 2, -4, -2);
    p.drawText(inside, Qt::AlignLeft | Qt::AlignBottom, tr("queue length, last %1 s").arg(kHistory * kRefreshMs / 1000));
    p.setPen(full);
    p.drawText(QRectF(inside.left(), yOf(capacity()) + 1, inside.width(), 20), Qt::AlignLeft | Qt::AlignTop,
               tr("full: %1").arg(capacity()));
    p.setFont(font());
}

void BacklogView::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.fillRect(rect(), palette().color(QPalette::Base));
    p.setRenderHint(QPainter::Antialiasing);
    const QFontMetrics fm = fontMetrics();
    const int line = fm.height();
    qreal y = 8;
    QFont bold = font();
    bold.setBold(true);
    p.setFont(bold);
    p.setPen(palette().color(QPalette::Text));
    const QString title = hasListener() ? tr("Accept queue of %1: listen(backlog=%2)").arg(m_address).arg(backlog())
                                        : tr("Accept queue");
    p.drawText(QRectF(10, y, width() - 20, line), Qt::AlignLeft | Qt::AlignVCenter, title);
    y += line + 8;
    p.setFont(font());
    if (hasListener()) {
        paintSlots(p, QRectF(10, y, width() - 20, 26));
        y += 26 + 6;
        p.setPen(palette().color(QPalette::Text));
        p.drawText(QRectF(10, y, width() - 20, line),
                   Qt::AlignLeft | Qt::AlignVCenter,
                   tr("%1 of %2 places taken (the backlog, plus the one more Linux allows)").arg(m_queue).arg(capacity()));
        y += line + 4;
    }
    p.setPen(queueFull() ? Theme(palette()).color(Theme::Role::Error) : palette().color(QPalette::Text));
    const QRectF summaryRect(10, y, width() - 20, line * 2 + 2);
    p.drawText(summaryRect, Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap, summary());
    y += line * 2 + 8;
    if (!hasListener())
        return;
    const qreal sparkHeight = std::max<qreal>(40, height() - y - 10 - line * std::min<qsizetype>(3, m_retrying.size()));
    if (!m_history.isEmpty())
        paintSparkline(p, QRectF(10, y, width() - 20, sparkHeight));
    y += sparkHeight + 4;
    p.setPen(palette().color(QPalette::Text));
    for (qsizetype i = 0; i < std::min<qsizetype>(3, m_retrying.size()); ++i) {
        const core::SocketEntry &e = m_retrying[i];
        const QString text = tr("%1 in SYN_SENT: SYN sent %n time(s), no answer; next try in %2 s", nullptr,
                                int(e.timerRetransmits) + 1)
                                 .arg(e.local.toString())
                                 .arg(e.expiresMs / 1000.0, 0, 'f', 1);
        p.drawText(QRectF(10, y, width() - 20, line), Qt::AlignLeft | Qt::AlignVCenter, text);
        y += line;
    }
}

void BacklogView::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    lookAtPort();
    refresh();
}

void BacklogView::hideEvent(QHideEvent *event)
{
    QWidget::hideEvent(event);
    lookAtPort();
}

} // namespace sockscope::ui
