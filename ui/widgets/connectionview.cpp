#include "connectionview.h"

#include "accessiblelabel.h"
#include "composer.h"
#include "formhelpers.h"
#include "trafficview.h"

#include "engine/sessionmanager.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSplitter>
#include <QVBoxLayout>

namespace sockscope::ui {

using namespace sockscope::core;

QString describeState(const SessionInfo &info)
{
    QStringList parts{sessionStateName(info.state)};
    if (info.peerClosed)
        parts << QObject::tr("peer closed (EOF)");
    if (info.writeShut)
        parts << QObject::tr("write shut (FIN sent)");
    if (info.readShut)
        parts << QObject::tr("read shut");
    if (info.error)
        parts << info.error->name();
    if (info.pendingOut > 0)
        parts << QObject::tr("%1 queued").arg(humanBytes(quint64(info.pendingOut)));
    return parts.join(QStringLiteral(" · "));
}

ConnectionView::ConnectionView(SessionManager &sessions, QWidget *parent)
    : QWidget(parent)
    , m_sessions(sessions)
{
    m_endpoints = new QLabel(this);
    nameStatusLabel(m_endpoints, tr("Connection"));
    m_endpoints->setTextFormat(Qt::PlainText);
    m_endpoints->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_state = new QLabel(this);
    nameStatusLabel(m_state, tr("Connection state"));
    m_state->setTextFormat(Qt::PlainText);

    m_shutWrite = new QPushButton(tr("Shut down &write"), this);
    m_shutWrite->setObjectName(QStringLiteral("shutWriteButton"));
    describe(m_shutWrite, tr("Shut down write"),
             tr("shutdown(SHUT_WR): send FIN. The peer reads EOF but can still send to you (half-close)."));
    m_shutRead = new QPushButton(tr("Shut down r&ead"), this);
    m_shutRead->setObjectName(QStringLiteral("shutReadButton"));
    describe(m_shutRead, tr("Shut down read"), tr("shutdown(SHUT_RD): stop reading; recv() returns 0 from now on."));
    m_close = new QPushButton(tr("C&lose"), this);
    m_close->setObjectName(QStringLiteral("closeButton"));
    describe(m_close, tr("Close"), tr("close(): orderly close (FIN) after anything still queued is sent."));
    m_abort = new QPushButton(tr("Abort (RST)"), this);
    m_abort->setObjectName(QStringLiteral("abortButton"));
    describe(m_abort, tr("Abort"), tr("SO_LINGER {1, 0} then close(): the kernel sends RST; the peer sees ECONNRESET."));

    connect(m_shutWrite, &QPushButton::clicked, this, [this] { m_sessions.shutdown(m_id, SHUT_WR); });
    connect(m_shutRead, &QPushButton::clicked, this, [this] { m_sessions.shutdown(m_id, SHUT_RD); });
    connect(m_close, &QPushButton::clicked, this, [this] { m_sessions.close(m_id); });
    connect(m_abort, &QPushButton::clicked, this, [this] { m_sessions.abort(m_id); });

    m_traffic = new TrafficView(this);
    m_traffic->setObjectName(QStringLiteral("trafficView"));
    m_traffic->setDetailsVisible(false);
    m_traffic->listen(m_sessions.doorbells());
    // Clear frees the session's record memory too; totals and SHA-256 keep counting.
    connect(m_traffic, &TrafficView::cleared, this, [this] {
        if (auto log = m_sessions.mutableTraffic(m_id))
            log->clear();
    }); // room for the rows; the Details button brings it back
    m_composer = new Composer(this);
    m_composer->setObjectName(QStringLiteral("composer"));
    connect(m_composer, &Composer::sendRequested, this, &ConnectionView::send);
    connect(m_composer, &Composer::sendFileRequested, this, [this](const QString &path) {
        if (m_sendToAll) {
            for (SessionId child : m_sessions.children(m_listener))
                m_sessions.sendFile(child, path);
        } else {
            m_sessions.sendFile(m_id, path);
        }
    });

    auto *header = new QHBoxLayout;
    header->addWidget(m_endpoints, 1);
    header->addWidget(m_state);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_shutWrite);
    buttons->addWidget(m_shutRead);
    buttons->addStretch(1);
    buttons->addWidget(m_close);
    buttons->addWidget(m_abort);

    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_traffic);
    split->addWidget(m_composer);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 1);
    split->setChildrenCollapsible(false);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(header);
    layout->addLayout(buttons);
    layout->addWidget(split, 1);
    setSession(0);
}

void ConnectionView::setSession(SessionId id)
{
    m_id = id;
    m_shownVersion = ~quint64(0);
    m_traffic->setLog(id ? m_sessions.traffic(id) : nullptr);
    refresh();
}

void ConnectionView::setSendToAll(bool all, SessionId listener)
{
    m_sendToAll = all;
    m_listener = listener;
    refresh();
}

void ConnectionView::send(const QByteArray &bytes)
{
    if (m_sendsHeld)
        return;
    if (m_sendToAll)
        m_sessions.sendToChildren(m_listener, bytes);
    else if (m_id && m_sendTarget)
        m_sessions.sendTo(m_id, bytes, *m_sendTarget);
    else if (m_id)
        m_sessions.send(m_id, bytes);
}

void ConnectionView::refresh()
{
    const auto info = m_id ? m_sessions.info(m_id) : std::nullopt;
    if (info && info->version == m_shownVersion)
        return;
    m_shownVersion = info ? info->version : ~quint64(0);
    const bool open = info && info->state == SessionState::Connected;
    const bool bound = info && info->state == SessionState::Bound;
    if (info) {
        const QString local = info->local.isValid() ? info->local.toString() : tr("(unnamed)");
        const QString peer = info->peer.isValid() ? info->peer.toString() : tr("(unnamed)");
        setStatusText(m_endpoints, tr("#%1  %2  ⇄  %3").arg(info->id).arg(local, peer));
        setStatusText(m_state, describeState(*info));
    } else {
        setStatusText(m_endpoints, tr("No connection"));
        setStatusText(m_state, {});
    }
    m_shutWrite->setEnabled(open && !info->writeShut);
    m_shutRead->setEnabled(open && !info->readShut);
    m_abort->setEnabled(open);
    m_close->setEnabled(open || bound);
    m_composer->setEnabled(open || bound || (m_sendToAll && m_listener));
}

} // namespace sockscope::ui
