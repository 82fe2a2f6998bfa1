#include "socketspane.h"

#include "uitick.h"

#include "widgets/accessiblelabel.h"
#include "widgets/formhelpers.h"
#include "widgets/itemviewaccess.h"

#include "engine/monotonic.h"
#include "engine/sessionmanager.h"
#include "observe/kernelwatch.h"
#include "observe/tcptransition.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QIntValidator>
#include <QLabel>
#include <QLineEdit>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

namespace sockscope::ui {

SocketsPane::SocketsPane(core::SessionManager &sessions, core::KernelWatch &kernel, QWidget *parent)
    : QWidget(parent), m_sessions(sessions), m_kernel(kernel)
{
    m_model = new SocketsModel(this);
    m_model->setObjectName(QStringLiteral("socketsModel"));
    buildUi();
    // Pulled after every table the kernel watch dumps while the pane is shown and holds
    // its interest (its timers count down a step per dump).
    UiTick::Subscription *tick = UiTick::subscribe(this, kPullMs, [this] {
        refresh();
        return false;
    });
    tick->listen(m_kernel.doorbells());
    tick->listen(m_sessions.doorbells()); // our own sockets are marked
}

SocketsPane::~SocketsPane() = default;

void SocketsPane::buildUi()
{
    auto *layout = new QVBoxLayout(this);
    auto *bar = new QHBoxLayout;
    m_tcp = new QCheckBox(tr("T&CP"), this);
    m_udp = new QCheckBox(tr("&UDP"), this);
    m_unix = new QCheckBox(tr("U&nix"), this);
    for (QCheckBox *box : {m_tcp, m_udp, m_unix}) {
        box->setChecked(true);
        connect(box, &QCheckBox::toggled, this, &SocketsPane::applyControls);
        bar->addWidget(box);
    }
    describe(m_tcp, tr("TCP sockets"), tr("Show TCP sockets (IPv4 and IPv6)"));
    describe(m_udp, tr("UDP sockets"), tr("Show UDP sockets (IPv4 and IPv6)"));
    describe(m_unix, tr("Unix sockets"), tr("Show Unix domain sockets"));

    m_state = new QComboBox(this);
    m_state->addItem(tr("Any state"), QString());
    for (core::TcpState s : core::rfcStates())
        m_state->addItem(core::tcpStateName(s), core::tcpStateName(s));
    for (const char *name : {"CONNECTED", "UNCONNECTED", "CONNECTING"})
        m_state->addItem(QString::fromLatin1(name), QString::fromLatin1(name));
    describe(m_state, tr("State"), tr("Only sockets in this state (TCP: RFC 9293 names; UDP and Unix: connected or not)"));
    connect(m_state, &QComboBox::currentIndexChanged, this, &SocketsPane::applyControls);
    bar->addWidget(buddyLabel(tr("Stat&e:"), m_state));
    bar->addWidget(m_state);

    m_port = new QLineEdit(this);
    m_port->setValidator(new QIntValidator(0, 65535, m_port));
    m_port->setPlaceholderText(tr("any"));
    m_port->setMaximumWidth(80);
    describe(m_port, tr("Port"), tr("Only sockets with this port at either end"));
    connect(m_port, &QLineEdit::textChanged, this, &SocketsPane::applyControls);
    bar->addWidget(buddyLabel(tr("&Port:"), m_port));
    bar->addWidget(m_port);

    m_address = new QLineEdit(this);
    m_address->setPlaceholderText(tr("127.0.0.1, ::1, /run/…"));
    describe(m_address, tr("Address"), tr("Only sockets whose local or peer address contains this text"));
    connect(m_address, &QLineEdit::textChanged, this, &SocketsPane::applyControls);
    bar->addWidget(buddyLabel(tr("&Address:"), m_address));
    bar->addWidget(m_address, 1);

    m_ownOnly = new QCheckBox(tr("&Only this app's"), this);
    describe(m_ownOnly, tr("Only this app's sockets"), tr("Only the sockets of this app's sessions (highlighted in the table)"));
    connect(m_ownOnly, &QCheckBox::toggled, this, &SocketsPane::applyControls);
    bar->addWidget(m_ownOnly);
    layout->addLayout(bar);
    m_error = makeErrorLabel(this);
    m_error->setObjectName(QStringLiteral("filterError"));
    layout->addWidget(m_error);

    m_proxy = new QSortFilterProxyModel(this);
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(SocketsModel::SortRole);
    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("socketsTable"));
    m_table->setModel(m_proxy);
    makeItemViewAccessible(m_table);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(-1, Qt::AscendingOrder); // the kernel's order until a header is clicked
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setWordWrap(false);
    describe(m_table, tr("System sockets"), tr("Every socket of this host, as sock_diag reports it; this app's are highlighted"));
    connect(m_table, &QTableView::doubleClicked, this, [this](const QModelIndex &index) {
        if (const quint64 id = m_model->sessionAt(m_proxy->mapToSource(index).row()))
            emit sessionActivated(id);
    });
    layout->addWidget(m_table, 1);

    m_status = new QLabel(this);

    nameStatusLabel(m_status, tr("Sockets status"));
    m_status->setTextFormat(Qt::PlainText);
    m_status->setWordWrap(true);
    layout->addWidget(m_status);
}

void SocketsPane::applyControls()
{
    SocketFilter f;
    f.protocols = (m_tcp->isChecked() ? int(core::DiagProtocol::Tcp) : 0) | (m_udp->isChecked() ? int(core::DiagProtocol::Udp) : 0)
                  | (m_unix->isChecked() ? int(core::DiagProtocol::Unix) : 0);
    f.state = m_state->currentData().toString();
    // The validator refuses letters; a number past 65535 can still be typed on the way to
    // a shorter one, so it is named here instead of silently filtering nothing.
    bool ok = false;
    const uint port = m_port->text().toUInt(&ok);
    const bool portValid = m_port->text().isEmpty() || (ok && port <= 65535);
    showError(m_error, portValid ? QString() : tr("Port: give a port number from 0 to 65535, or leave it empty for any"));
    if (ok && portValid)
        f.port = quint16(port);
    f.address = m_address->text().trimmed();
    f.ownOnly = m_ownOnly->isChecked();
    m_model->setFilter(f);
    updateStatus();
}

void SocketsPane::setFilter(const SocketFilter &filter)
{
    const QSignalBlocker b1(m_tcp), b2(m_udp), b3(m_unix), b4(m_state), b5(m_port), b6(m_address), b7(m_ownOnly);
    m_tcp->setChecked(filter.protocols & int(core::DiagProtocol::Tcp));
    m_udp->setChecked(filter.protocols & int(core::DiagProtocol::Udp));
    m_unix->setChecked(filter.protocols & int(core::DiagProtocol::Unix));
    m_state->setCurrentIndex(std::max(0, m_state->findData(filter.state)));
    m_port->setText(filter.port ? QString::number(*filter.port) : QString());
    m_address->setText(filter.address);
    m_ownOnly->setChecked(filter.ownOnly);
    m_model->setFilter(filter);
    updateStatus();
}

void SocketsPane::updateOwnEndpoints()
{
    const quint64 generation = m_sessions.generation();
    if (generation == m_sessionsGeneration)
        return;
    m_sessionsGeneration = generation;
    QHash<QString, quint64> own;
    for (const core::SessionInfo &info : m_sessions.sessions()) {
        if (SocketsModel::isNamed(info.local))
            own.insert(SocketsModel::endpointKey(info.local, info.peer), info.id);
    }
    m_model->setOwnEndpoints(own);
    m_kernel.wake(); // a session opened or closed: show it soon
}

void SocketsPane::refresh()
{
    updateOwnEndpoints();
    const quint64 generation = m_kernel.tableGeneration();
    if (generation != m_tableGeneration) {
        m_tableGeneration = generation;
        m_last = m_kernel.table();
        m_model->setTable(m_last);
        if (!m_sized && m_model->rowCount() > 0) {
            m_sized = true;
            m_table->resizeColumnsToContents();
            m_table->setColumnWidth(SocketsModel::Process, std::min(m_table->columnWidth(SocketsModel::Process), 320));
        }
        updateStatus();
    } else {
        m_model->tick(core::monotonicNs()); // the timers count down between tables
    }
}

QString SocketsPane::statusText() const
{
    return m_status->text();
}

void SocketsPane::updateStatus()
{
    QStringList parts;
    parts.append(tr("%1 sockets on this host, %2 shown").arg(m_model->totalCount()).arg(m_model->rowCount()));
    parts.append(tr("sampled every %1 s with sock_diag").arg(core::KernelWatch::kTableInterval.count() / 1000.0));
    if (m_last.unreadableProcesses > 0)
        parts.append(tr("owners of %n process(es) not readable: run as root to see every process", nullptr,
                        m_last.unreadableProcesses));
    if (m_last.error)
        parts.append(tr("sock_diag failed: %1").arg(m_last.error->toString()));
    setStatusText(m_status, parts.join(QStringLiteral(" · ")));
}

void SocketsPane::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    m_looking = m_kernel.watchTable(); // nobody looks while hidden: no dumps then
    refresh();
}

void SocketsPane::hideEvent(QHideEvent *event)
{
    QWidget::hideEvent(event);
    m_looking.reset();
}

} // namespace sockscope::ui
