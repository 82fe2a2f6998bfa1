#include "lookuppane.h"

#include "uitick.h"

#include "byteorderform.h"
#include "convertersform.h"
#include "hostdbform.h"
#include "nameinfoform.h"

#include "models/addrinfomodel.h"
#include "widgets/accessiblelabel.h"
#include "widgets/formhelpers.h"
#include "widgets/itemviewaccess.h"

#include "engine/lookupservice.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTabWidget>

#include <netdb.h>
#include <QTableView>
#include <QVBoxLayout>

namespace sockscope::ui {

using namespace sockscope::core;

namespace {

QString milliseconds(qint64 ns)
{
    return QObject::tr("%1 ms").arg(double(ns) / 1e6, 0, 'f', ns < 10'000'000 ? 3 : 1);
}

QComboBox *comboOf(QWidget *parent, const QList<std::pair<QString, int>> &items)
{
    auto *box = new QComboBox(parent);
    for (const auto &[text, value] : items)
        box->addItem(text, value);
    return box;
}

} // namespace

LookupPane::LookupPane(LookupService &lookups, QWidget *parent)
    : QWidget(parent)
    , m_lookups(lookups)
{
    setAccessibleName(tr("Lookup"));
    // The elapsed time of a running lookup, ten times a second while it runs.
    m_tick = UiTick::subscribe(this, 100, [this] {
        if (!m_pending)
            return false;
        showElapsed();
        return true;
    });

    m_nameInfo = new NameInfoForm(m_lookups, this);
    m_nameInfo->setObjectName(QStringLiteral("nameInfoForm"));
    m_hostDb = new HostDbForm(m_lookups, this);
    m_hostDb->setObjectName(QStringLiteral("hostDbForm"));
    m_converters = new ConvertersForm(this);
    m_converters->setObjectName(QStringLiteral("convertersForm"));
    m_byteOrder = new ByteOrderForm(this);
    m_byteOrder->setObjectName(QStringLiteral("byteOrderForm"));
    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(QStringLiteral("tabs"));
    // In scroll areas: a short window scrolls a form instead of squeezing its labels.
    const auto scrolled = [this](QWidget *form) {
        auto *area = new QScrollArea(m_tabs);
        area->setWidget(form);
        area->setWidgetResizable(true);
        area->setFrameShape(QFrame::NoFrame);
        return area;
    };
    m_tabs->addTab(scrolled(m_nameInfo), QStringLiteral("getnameinfo"));
    m_tabs->addTab(scrolled(m_hostDb), tr("Names, services, protocols"));
    m_tabs->addTab(scrolled(m_converters), tr("inet_pton / inet_ntop"));
    m_tabs->addTab(scrolled(m_byteOrder), tr("Byte order"));
    m_tabs->setTabToolTip(0, tr("The reverse lookup: a sockaddr to a host and a service name"));
    m_tabs->setTabToolTip(1, tr("gethostname, getfqdn, the legacy gethostby* calls, /etc/services, /etc/protocols"));
    m_tabs->setTabToolTip(2, tr("inet_pton, inet_aton, inet_ntop, inet_ntoa: address text to packed bytes and back"));
    m_tabs->setTabToolTip(3, tr("htons, ntohs, htonl, ntohl: host and network byte order"));
    m_tabs->setAccessibleName(tr("Lookup tools"));

    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(buildResults());
    split->addWidget(m_tabs);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 1);
    split->setSizes({190, 360});
    split->setChildrenCollapsible(false);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(buildForm());
    layout->addWidget(split, 1);

    setTabOrder(m_python, m_table);
    updatePython();
    updateRowActions();
}

LookupPane::~LookupPane()
{
    // The service would drop the answer anyway (this is its context); say so explicitly.
    if (m_pending)
        m_lookups.cancel(m_pending);
}

QWidget *LookupPane::buildForm()
{
    auto *box = new QGroupBox(tr("getaddrinfo(host, service, hints)"), this);

    m_host = new QLineEdit(QStringLiteral("localhost"), box);
    describe(m_host, tr("Host"),
             tr("A name (resolved through /etc/hosts, then DNS as /etc/nsswitch.conf says) or a numeric "
                "address; a link-local IPv6 address takes its interface after %, as in fe80::1%lo"));
    m_hostNull = new QCheckBox(QStringLiteral("NULL"), box);
    m_hostNull->setObjectName(QStringLiteral("hostNullBox"));
    describe(m_hostNull, tr("Host is NULL"),
             tr("Pass NULL (Python: None) as the host: the loopback address, or with AI_PASSIVE the wildcard "
                "address to bind() a server to"));
    m_service = new QLineEdit(QStringLiteral("http"), box);
    m_service->setObjectName(QStringLiteral("serviceEdit"));
    describe(m_service, tr("Service"), tr("A port number or a service name from /etc/services"));
    m_serviceNull = new QCheckBox(QStringLiteral("NULL"), box);
    m_serviceNull->setObjectName(QStringLiteral("serviceNullBox"));
    describe(m_serviceNull, tr("Service is NULL"), tr("Pass NULL (Python: None) as the service: the port stays 0"));

    m_family = comboOf(box, {{QStringLiteral("AF_UNSPEC"), AF_UNSPEC},
                             {QStringLiteral("AF_INET"), AF_INET},
                             {QStringLiteral("AF_INET6"), AF_INET6},
                             {tr("AF_UNIX (not for getaddrinfo)"), AF_UNIX}});
    m_family->setObjectName(QStringLiteral("familyBox"));
    describe(m_family, tr("Family hint"),
             tr("ai_family: AF_UNSPEC returns IPv4 and IPv6 in the order of RFC 6724 (see /etc/gai.conf)"));
    m_type = comboOf(box, {{tr("any (0)"), 0},
                           {QStringLiteral("SOCK_STREAM"), SOCK_STREAM},
                           {QStringLiteral("SOCK_DGRAM"), SOCK_DGRAM},
                           {QStringLiteral("SOCK_RAW"), SOCK_RAW},
                           {QStringLiteral("SOCK_SEQPACKET"), SOCK_SEQPACKET}});
    m_type->setObjectName(QStringLiteral("typeBox"));
    describe(m_type, tr("Socket type hint"), tr("ai_socktype: 0 returns one row per socket type"));
    m_protocol = comboOf(box, {{tr("any (0)"), 0},
                               {QStringLiteral("IPPROTO_TCP (6)"), IPPROTO_TCP},
                               {QStringLiteral("IPPROTO_UDP (17)"), IPPROTO_UDP},
                               {QStringLiteral("IPPROTO_SCTP (132)"), IPPROTO_SCTP}});
    m_protocol->setObjectName(QStringLiteral("protocolBox"));
    describe(m_protocol, tr("Protocol hint"), tr("ai_protocol: 0 takes the socket type's usual protocol"));

    auto *flags = new QGridLayout;
    flags->setHorizontalSpacing(16);
    flags->setVerticalSpacing(2);
    int n = 0;
    for (const ResolverFlag &f : Resolver::addrInfoFlags()) {
        auto *check = new QCheckBox(QString::fromLatin1(f.name), box);
        check->setProperty("flag", f.value);
        describe(check, QString::fromLatin1(f.name), QString::fromUtf8(f.help));
        connect(check, &QCheckBox::toggled, this, &LookupPane::updatePython);
        flags->addWidget(check, n / 5, n % 5);
        m_flags.append(check);
        ++n;
    }
    flags->setColumnStretch(5, 1);

    m_resolve = new QPushButton(tr("&Resolve"), box);
    m_resolve->setObjectName(QStringLiteral("resolveButton"));
    m_resolve->setAutoDefault(true);
    describe(m_resolve, tr("Resolve"), tr("Run getaddrinfo on a worker thread (Enter in Host or Service does too)"));
    m_cancel = new QPushButton(tr("C&ancel"), box);
    m_cancel->setObjectName(QStringLiteral("cancelButton"));
    describe(m_cancel, tr("Cancel"),
             tr("Abandon the lookup: getaddrinfo cannot be interrupted, so its worker finishes the call and drops "
                "the answer"));
    m_status = new QLabel(tr("Ready"), box);
    m_status->setObjectName(QStringLiteral("statusLabel"));
    m_status->setTextFormat(Qt::PlainText);
    nameStatusLabel(m_status, tr("Lookup status"));
    m_error = makeErrorLabel(box);
    m_error->setObjectName(QStringLiteral("resolveErrorLabel")); // the forms on the other tabs have an errorLabel each
    m_python = new QLineEdit(box);
    m_python->setObjectName(QStringLiteral("pythonLine"));
    m_python->setReadOnly(true);
    describe(m_python, tr("Python equivalent"), tr("The same call in Python's socket module, to copy into a script"));

    auto *grid = new QGridLayout;
    grid->addWidget(buddyLabel(tr("H&ost"), m_host), 0, 0);
    grid->addWidget(m_host, 0, 1);
    grid->addWidget(m_hostNull, 0, 2);
    grid->addWidget(buddyLabel(tr("Servic&e"), m_service), 0, 3);
    grid->addWidget(m_service, 0, 4);
    grid->addWidget(m_serviceNull, 0, 5);
    auto *hints = new QHBoxLayout;
    hints->addWidget(buddyLabel(tr("Fa&mily"), m_family));
    hints->addWidget(m_family);
    hints->addSpacing(12);
    hints->addWidget(buddyLabel(tr("T&ype"), m_type));
    hints->addWidget(m_type);
    hints->addSpacing(12);
    hints->addWidget(buddyLabel(tr("&Protocol"), m_protocol));
    hints->addWidget(m_protocol);
    hints->addStretch(1);
    grid->addWidget(buddyLabel(tr("Hints"), m_family), 1, 0);
    grid->addLayout(hints, 1, 1, 1, 5);
    grid->addWidget(buddyLabel(tr("Flags"), m_flags.first()), 2, 0, Qt::AlignTop);
    grid->addLayout(flags, 2, 1, 1, 5);
    grid->addWidget(buddyLabel(tr("Python"), m_python), 3, 0);
    grid->addWidget(m_python, 3, 1, 1, 5);
    grid->setColumnStretch(1, 3);
    grid->setColumnStretch(4, 2);

    auto *actions = new QHBoxLayout;
    actions->addWidget(m_resolve);
    actions->addWidget(m_cancel);
    actions->addWidget(m_status, 1);

    auto *layout = new QVBoxLayout(box);
    layout->addLayout(grid);
    layout->addLayout(actions);
    layout->addWidget(m_error);

    connect(m_resolve, &QPushButton::clicked, this, qOverload<>(&LookupPane::resolve));
    connect(m_cancel, &QPushButton::clicked, this, &LookupPane::cancel);
    connect(m_host, &QLineEdit::returnPressed, this, qOverload<>(&LookupPane::resolve));
    connect(m_service, &QLineEdit::returnPressed, this, qOverload<>(&LookupPane::resolve));
    for (QLineEdit *edit : {m_host, m_service})
        connect(edit, &QLineEdit::textChanged, this, &LookupPane::updatePython);
    connect(m_hostNull, &QCheckBox::toggled, this, [this](bool null) {
        m_host->setEnabled(!null);
        updatePython();
    });
    connect(m_serviceNull, &QCheckBox::toggled, this, [this](bool null) {
        m_service->setEnabled(!null);
        updatePython();
    });
    for (QComboBox *combo : {m_family, m_type, m_protocol})
        connect(combo, &QComboBox::currentIndexChanged, this, &LookupPane::updatePython);
    m_cancel->setEnabled(false);
    return box;
}

QWidget *LookupPane::buildResults()
{
    auto *panel = new QWidget(this);
    m_model = new AddrInfoModel(this);
    m_model->setObjectName(QStringLiteral("addrInfoModel"));
    m_proxy = new QSortFilterProxyModel(this);
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(AddrInfoModel::SortRole);
    m_table = new QTableView(panel);
    m_table->setModel(m_proxy);
    makeItemViewAccessible(m_table);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(AddrInfoModel::Order, Qt::AscendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(AddrInfoModel::CanonName, QHeaderView::Stretch);
    describe(m_table, tr("getaddrinfo results"),
             tr("Every row getaddrinfo returned; # is the system's order, the order a client tries them in. "
                "Click a header to sort; Ctrl+C copies the selected rows."));

    // Ctrl+C is caught by eventFilter: the view would copy one cell's text itself.
    auto *copy = new QAction(tr("Copy rows"), m_table);
    copy->setShortcut(QKeySequence::Copy);
    copy->setShortcutContext(Qt::WidgetShortcut);
    connect(copy, &QAction::triggered, this, &LookupPane::copySelection);
    m_table->installEventFilter(this);
    auto *reverse = new QAction(tr("getnameinfo on this row"), m_table);
    reverse->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_N));
    reverse->setShortcutContext(Qt::WidgetShortcut);
    connect(reverse, &QAction::triggered, this, &LookupPane::nameInfoForSelection);
    auto *client = new QAction(tr("Start a TCP client to this row"), m_table);
    client->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return));
    client->setShortcutContext(Qt::WidgetShortcut);
    connect(client, &QAction::triggered, this, &LookupPane::connectToSelection);
    m_table->addActions({copy, reverse, client});
    m_table->setContextMenuPolicy(Qt::ActionsContextMenu);

    m_copy = new QPushButton(tr("&Copy rows"), panel);
    m_copy->setObjectName(QStringLiteral("copyButton"));
    describe(m_copy, tr("Copy rows"), tr("Copy the selected rows (all rows when none is selected) as tab-separated text"));
    m_toNameInfo = new QPushButton(tr("getnameinfo on ro&w"), panel);
    m_toNameInfo->setObjectName(QStringLiteral("nameInfoButton"));
    describe(m_toNameInfo, tr("getnameinfo on row"),
             tr("Reverse-resolve the selected row's address and port (Ctrl+N in the table)"));
    m_toClient = new QPushButton(tr("TCP c&lient to row"), panel);
    m_toClient->setObjectName(QStringLiteral("clientButton"));
    describe(m_toClient, tr("TCP client to row"),
             tr("Open a TCP client session aimed at the selected row's address and port (Ctrl+Enter in the table)"));
    connect(m_copy, &QPushButton::clicked, this, &LookupPane::copySelection);
    connect(m_toNameInfo, &QPushButton::clicked, this, &LookupPane::nameInfoForSelection);
    connect(m_toClient, &QPushButton::clicked, this, &LookupPane::connectToSelection);
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, &LookupPane::updateRowActions);
    connect(m_proxy, &QAbstractItemModel::modelReset, this, &LookupPane::updateRowActions);

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_copy);
    buttons->addWidget(m_toNameInfo);
    buttons->addWidget(m_toClient);
    buttons->addStretch(1);

    auto *layout = new QVBoxLayout(panel);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_table, 1);
    layout->addLayout(buttons);
    return panel;
}

bool LookupPane::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_table && (event->type() == QEvent::KeyPress || event->type() == QEvent::ShortcutOverride)) {
        if (static_cast<QKeyEvent *>(event)->matches(QKeySequence::Copy)) {
            if (event->type() == QEvent::KeyPress)
                copySelection();
            event->accept();
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

QString LookupPane::errorText(const SysError &error)
{
    const QString hint = error.hint();
    return hint.isEmpty() ? error.toString() : error.toString() + u'\n' + hint;
}

QCheckBox *LookupPane::flagBox(int flag) const
{
    for (QCheckBox *box : m_flags) {
        if (box->property("flag").toInt() == flag)
            return box;
    }
    return nullptr;
}

AddrInfoHints LookupPane::hints() const
{
    AddrInfoHints h;
    h.family = m_family->currentData().toInt();
    h.socktype = m_type->currentData().toInt();
    h.protocol = m_protocol->currentData().toInt();
    for (const QCheckBox *box : m_flags) {
        if (box->isChecked())
            h.flags |= box->property("flag").toInt();
    }
    return h;
}

std::optional<QString> LookupPane::host() const
{
    return m_hostNull->isChecked() ? std::nullopt : std::optional<QString>(m_host->text().trimmed());
}

std::optional<QString> LookupPane::service() const
{
    return m_serviceNull->isChecked() ? std::nullopt : std::optional<QString>(m_service->text().trimmed());
}

void LookupPane::updatePython()
{
    m_python->setText(Resolver::pythonGetaddrinfo(host(), service(), hints()));
    m_python->setCursorPosition(0);
}

void LookupPane::resolve(const std::optional<QString> &host, const std::optional<QString> &service,
                         const AddrInfoHints &hints)
{
    m_hostNull->setChecked(!host);
    m_host->setText(host.value_or(QString()));
    m_serviceNull->setChecked(!service);
    m_service->setText(service.value_or(QString()));
    m_family->setCurrentIndex(std::max(0, m_family->findData(hints.family)));
    m_type->setCurrentIndex(std::max(0, m_type->findData(hints.socktype)));
    m_protocol->setCurrentIndex(std::max(0, m_protocol->findData(hints.protocol)));
    for (QCheckBox *box : m_flags)
        box->setChecked(hints.flags & box->property("flag").toInt());
    resolve();
}

void LookupPane::resolve()
{
    if (m_pending)
        m_lookups.cancel(m_pending);
    showError(m_error, {});
    m_model->clear();
    const std::optional<QString> h = host();
    const std::optional<QString> s = service();
    m_started.start();
    setStatusText(m_status, tr("Resolving…"));
    m_cancel->setEnabled(true);
    m_pending = m_lookups.getaddrinfo(h, s, hints(), this, [this](const LookupResult<AddrInfoResult> &r) {
        m_pending = 0;
        m_cancel->setEnabled(false);
        const QString waited = r.waitedNs > 1'000'000 ? tr(", %1 waiting for a worker").arg(milliseconds(r.waitedNs))
                                                       : QString();
        if (!r.value) {
            setStatusText(m_status, tr("getaddrinfo failed in %1%2").arg(milliseconds(r.elapsedNs), waited));
            // The field to correct first: the service or the hints when getaddrinfo refused
            // them, else the host.
            const SysError &error = r.value.error();
            const bool hints = error.domain() == SysError::Domain::Gai
                && (error.code() == EAI_FAMILY || error.code() == EAI_SOCKTYPE || error.code() == EAI_BADFLAGS);
            const QString field = error.blamesService() ? tr("Service") : hints ? tr("Hints") : tr("Host");
            showError(m_error, tr("%1: %2").arg(field, errorText(r.value.error())));
        } else {
            m_model->setRows(*r.value);
            const qsizetype n = r.value->size();
            const QString rows = n == 1 ? tr("1 row") : tr("%1 rows").arg(n);
            setStatusText(m_status, tr("%1 in %2%3").arg(rows, milliseconds(r.elapsedNs), waited));
            // Not selectRow(): it honours the modifier keys held at this moment.
            m_table->selectionModel()->setCurrentIndex(m_proxy->index(0, 0), QItemSelectionModel::ClearAndSelect
                                                                                 | QItemSelectionModel::Rows);
        }
        emit lookupFinished();
    });
    m_tick->poke();
}

void LookupPane::cancel()
{
    if (!m_pending)
        return;
    m_lookups.cancel(m_pending);
    m_pending = 0;
    m_cancel->setEnabled(false);
    setStatusText(m_status, tr("Abandoned after %1: the worker finishes the call and drops its answer")
                          .arg(milliseconds(m_started.nsecsElapsed())));
}

void LookupPane::showElapsed()
{
    setStatusText(m_status, tr("Resolving… %1 s (the window does not wait: Cancel abandons the lookup)")
                          .arg(double(m_started.elapsed()) / 1000.0, 0, 'f', 1));
}

QList<int> LookupPane::selectedRows() const
{
    QList<int> rows;
    for (const QModelIndex &index : m_table->selectionModel()->selectedRows())
        rows.append(m_proxy->mapToSource(index).row());
    std::sort(rows.begin(), rows.end());
    return rows;
}

void LookupPane::updateRowActions()
{
    const bool one = !selectedRows().isEmpty();
    m_toNameInfo->setEnabled(one);
    m_toClient->setEnabled(one);
    m_copy->setEnabled(m_model->rowCount() > 0);
}

void LookupPane::copySelection() const
{
    QList<int> rows = selectedRows();
    if (rows.isEmpty()) {
        for (int r = 0; r < m_model->rowCount(); ++r)
            rows.append(r);
    }
    if (!rows.isEmpty())
        QApplication::clipboard()->setText(m_model->toTsv(rows));
}

void LookupPane::nameInfoForSelection()
{
    const QModelIndex current = m_table->currentIndex();
    const QList<int> rows = selectedRows();
    if (rows.isEmpty())
        return;
    const int row = current.isValid() ? m_proxy->mapToSource(current).row() : rows.first();
    const AddrInfo &info = m_model->row(row);
    m_tabs->setCurrentIndex(0); // getnameinfo
    m_nameInfo->lookUp(info.address, info.socktype == SOCK_DGRAM);
}

void LookupPane::connectToSelection()
{
    const QModelIndex current = m_table->currentIndex();
    const QList<int> rows = selectedRows();
    if (rows.isEmpty())
        return;
    const int row = current.isValid() ? m_proxy->mapToSource(current).row() : rows.first();
    emit connectRequested(m_model->row(row).address);
}

} // namespace sockscope::ui
