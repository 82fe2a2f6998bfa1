#include "unixpane.h"

#include "widgets/connectionview.h"
#include "widgets/formhelpers.h"
#include "widgets/itemviewaccess.h"

#include "engine/sessionmanager.h"

#include <QComboBox>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSplitter>
#include <QVBoxLayout>

namespace sockscope::ui {

using namespace sockscope::core;

UnixPane::UnixPane(SessionManager &sessions, QWidget *parent)
    : Pane(sessions, parent)
{
    m_type = new QComboBox(this);
    m_type->setObjectName(QStringLiteral("typeBox"));
    m_type->addItem(QStringLiteral("SOCK_STREAM"), SOCK_STREAM);
    m_type->addItem(QStringLiteral("SOCK_DGRAM"), SOCK_DGRAM);
    m_type->addItem(QStringLiteral("SOCK_SEQPACKET"), SOCK_SEQPACKET);
    describe(m_type, tr("Socket type"), tr("STREAM: a byte stream; DGRAM: datagrams; SEQPACKET: reliable, ordered messages with boundaries"));
    m_path = new QLineEdit(QStringLiteral("@sockscope-demo"), this);
    m_path->setObjectName(QStringLiteral("pathEdit"));
    describe(m_path, tr("Path"), tr("A filesystem path (/tmp/demo.sock) or an abstract name starting with @ (no file is created)"));
    m_listen = new QPushButton(tr("Liste&n"), this);
    m_connect = new QPushButton(tr("&Connect"), this);
    describe(m_connect, tr("Connect"), tr("socket(AF_UNIX, type), connect(path)"));
    m_pair = new QPushButton(tr("socket&pair() demo"), this);
    describe(m_pair, tr("socketpair demo"), tr("socketpair(AF_UNIX, type): two connected sockets, no path; send on one, read on the other"));
    m_sendTo = new QLineEdit(this);
    m_sendTo->setObjectName(QStringLiteral("sendToEdit"));
    m_sendTo->setPlaceholderText(QStringLiteral("@peer or /path"));
    describe(m_sendTo, tr("Send to path"), tr("SOCK_DGRAM: the path or @name the composer's datagrams go to (sendto)"));
    m_error = makeErrorLabel(this);

    auto *grid = new QGridLayout;
    grid->addWidget(buddyLabel(tr("T&ype"), m_type), 0, 0);
    grid->addWidget(m_type, 0, 1);
    grid->addWidget(buddyLabel(tr("P&ath"), m_path), 0, 2);
    grid->addWidget(m_path, 0, 3);
    grid->setColumnStretch(3, 1);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_listen);
    buttons->addWidget(m_connect);
    buttons->addWidget(m_pair);
    buttons->addStretch(1);
    buttons->addWidget(buddyLabel(tr("Send t&o"), m_sendTo));
    buttons->addWidget(m_sendTo);
    auto *box = new QGroupBox(tr("Unix domain socket"), this);
    auto *boxLayout = new QVBoxLayout(box);
    boxLayout->addLayout(grid);
    boxLayout->addLayout(buttons);
    boxLayout->addWidget(m_error);

    m_list = new QListWidget(this);
    m_list->setObjectName(QStringLiteral("sessionList"));
    makeItemViewAccessible(m_list);
    describe(m_list, tr("Unix sockets"), tr("Every socket this pane opened, and the connections its listeners accepted"));
    m_view = new ConnectionView(m_sessions, this);
    m_view->setObjectName(QStringLiteral("connectionView"));
    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_list);
    split->addWidget(m_view);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 4);
    split->setChildrenCollapsible(false);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(box);
    layout->addWidget(split, 1);

    connect(m_type, &QComboBox::currentIndexChanged, this, &UnixPane::onTypeChanged);
    connect(m_listen, &QPushButton::clicked, this, &UnixPane::listenOrBind);
    connect(m_connect, &QPushButton::clicked, this, &UnixPane::connectToPath);
    connect(m_pair, &QPushButton::clicked, this, &UnixPane::socketpairDemo);
    connect(m_list, &QListWidget::currentRowChanged, this, [this](int row) {
        if (row >= 0)
            select(m_list->item(row)->data(Qt::UserRole).toULongLong());
    });
    connect(m_sendTo, &QLineEdit::textChanged, this, [this] { select(m_current); });
    onTypeChanged();
}

void UnixPane::onTypeChanged()
{
    const bool dgram = m_type->currentData().toInt() == SOCK_DGRAM;
    m_listen->setText(dgram ? tr("&Bind") : tr("Liste&n"));
    describe(m_listen, dgram ? tr("Bind") : tr("Listen"),
             dgram ? tr("socket(AF_UNIX, SOCK_DGRAM), bind(path): receive datagrams sent to the path")
                   : tr("socket(AF_UNIX, type), bind(path), listen(): accept connections on the path"));
    m_connect->setEnabled(!dgram);
    m_sendTo->setEnabled(dgram);
}

std::optional<Address> UnixPane::path(QLineEdit *edit, const QString &field, bool focus)
{
    auto addr = Address::unixPath(edit->text().trimmed());
    if (!addr) {
        showError(m_error, tr("%1: %2").arg(field, addr.error().message()));
        if (focus)
            edit->setFocus();
        return std::nullopt;
    }
    showError(m_error, {});
    return *addr;
}

void UnixPane::listenOrBind()
{
    auto addr = path(m_path, tr("Path"));
    if (!addr)
        return;
    const int type = m_type->currentData().toInt();
    SessionId id = 0;
    if (type == SOCK_DGRAM) {
        DatagramSpec spec;
        spec.family = AF_UNIX;
        spec.bind = *addr;
        id = m_sessions.openDatagram(spec);
    } else {
        ListenSpec spec;
        spec.bind = *addr;
        spec.type = type;
        id = m_sessions.listen(spec);
    }
    track(id);
}

void UnixPane::connectToPath()
{
    auto addr = path(m_path, tr("Path"));
    if (!addr)
        return;
    ConnectSpec spec;
    spec.candidates = {*addr};
    spec.type = m_type->currentData().toInt();
    track(m_sessions.connect(spec));
}

void UnixPane::socketpairDemo()
{
    const auto [a, b] = m_sessions.openPair(m_type->currentData().toInt());
    track(a);
    track(b);
    select(a);
}

void UnixPane::track(SessionId id)
{
    m_own.append(id);
    select(id);
    refresh();
}

void UnixPane::select(SessionId id)
{
    const bool changed = id != m_current;
    m_current = id;
    const auto info = m_sessions.info(id);
    std::optional<Address> target;
    bool held = false;
    if (info && info->type == SOCK_DGRAM && !m_sendTo->text().trimmed().isEmpty()) {
        // Checked as it is typed: a bad path holds the composer's sends and says why here.
        target = path(m_sendTo, tr("Send to path"), false);
        held = !target;
    }
    m_view->setSendTarget(target);
    m_view->holdSends(held);
    if (changed) {
        m_view->setSession(id);
        emit currentSessionChanged(id);
    }
}

QList<SessionId> UnixPane::childSessions() const
{
    QList<SessionId> all;
    for (SessionId id : m_own) {
        all.append(id);
        all.append(m_sessions.children(id));
    }
    return all;
}

void UnixPane::selectChild(SessionId id)
{
    select(id);
    refresh();
}

void UnixPane::refresh()
{
    m_view->refresh();
    const quint64 generation = m_sessions.generation();
    if (generation == m_shownGeneration)
        return;
    m_shownGeneration = generation;
    const QList<SessionId> ids = childSessions();
    QSignalBlocker block(m_list);
    while (m_list->count() > ids.size())
        delete m_list->takeItem(m_list->count() - 1);
    for (qsizetype i = 0; i < ids.size(); ++i) {
        const auto info = m_sessions.info(ids[i]);
        if (!info)
            continue;
        const QString where = info->role == SessionRole::PairEnd ? tr("socketpair end")
                              : info->local.isValid() && info->local.size() > sizeof(sa_family_t) ? info->local.toString()
                                                                                                  : tr("(unnamed)");
        const QString text = tr("#%1  %2  %3  %4 — %5")
                                 .arg(info->id)
                                 .arg(sessionRoleName(info->role), socketTypeName(info->type), where, describeState(*info));
        if (i >= m_list->count()) {
            auto *item = new QListWidgetItem(text, m_list);
            item->setData(Qt::UserRole, QVariant::fromValue<qulonglong>(ids[i]));
        } else {
            m_list->item(int(i))->setText(text);
            m_list->item(int(i))->setData(Qt::UserRole, QVariant::fromValue<qulonglong>(ids[i]));
        }
        if (ids[i] == m_current)
            m_list->setCurrentRow(int(i));
    }
}

void UnixPane::shutdownSessions()
{
    for (SessionId id : childSessions())
        m_sessions.close(id);
}

QString UnixPane::title() const
{
    return tr("Unix %1").arg(m_path->text().trimmed());
}

QString UnixPane::status() const
{
    return tr("%n socket(s)", nullptr, int(childSessions().size()));
}

} // namespace sockscope::ui
