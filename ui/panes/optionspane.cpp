#include "optionspane.h"

#include "theme.h"
#include "uitick.h"

#include "engine/queueddelivery.h"
#include "models/optionsmodel.h"
#include "net/kernelsettings.h"
#include "widgets/accessiblelabel.h"
#include "widgets/formhelpers.h"
#include "widgets/itemviewaccess.h"
#include "widgets/kernelsettingsview.h"
#include "widgets/optioneditor.h"

#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QShortcut>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

namespace sockscope::ui {

using namespace sockscope::core;

namespace {

constexpr int kRefreshMs = 1000;

QLabel *factLabel(QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setTextFormat(Qt::PlainText);
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return label;
}

} // namespace

OptionsPane::OptionsPane(SessionManager &sessions, QWidget *parent)
    : QWidget(parent)
    , m_sessions(sessions)
    , m_model(new OptionsModel(this))
    , m_proxy(new QSortFilterProxyModel(this))
{
    auto *layout = new QVBoxLayout(this);

    auto *top = new QHBoxLayout;
    m_sessionLabel = new QLabel(this);
    m_sessionLabel->setTextFormat(Qt::PlainText);
    nameStatusLabel(m_sessionLabel, tr("Session"));
    m_refresh = new QPushButton(tr("Refresh"), this);
    describe(m_refresh, tr("Refresh values"), tr("Read every option again with getsockopt() (they refresh every second anyway)"));
    connect(m_refresh, &QPushButton::clicked, this, &OptionsPane::refresh);
    top->addWidget(m_sessionLabel, 1);
    top->addWidget(m_refresh);
    layout->addLayout(top);

    m_tabs = new QTabWidget(this);
    layout->addWidget(m_tabs, 1);

    // ---- socket options tab ----------------------------------------------------------
    auto *optionsTab = new QWidget(m_tabs);
    auto *optionsLayout = new QVBoxLayout(optionsTab);
    auto *splitter = new QSplitter(Qt::Horizontal, optionsTab);
    optionsLayout->addWidget(splitter);

    auto *left = new QWidget(splitter);
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    auto *filterRow = new QHBoxLayout;
    m_filter = new QLineEdit(left);
    m_filter->setPlaceholderText(tr("name, e.g. RCVBUF or KEEP"));
    m_filter->setClearButtonEnabled(true);
    describe(m_filter, tr("Filter options by name"), tr("Show only the options whose name contains this text (Ctrl+F)"));
    m_level = new QComboBox(left);
    m_level->addItem(tr("All levels"), QString());
    for (const char *level : {"SOL_SOCKET", "IPPROTO_TCP", "IPPROTO_IP", "IPPROTO_IPV6"})
        m_level->addItem(QString::fromLatin1(level), QString::fromLatin1(level));
    describe(m_level, tr("Filter options by level"), tr("Show only the options of one protocol level"));
    filterRow->addWidget(buddyLabel(tr("Filter:"), m_filter));
    filterRow->addWidget(m_filter, 1);
    filterRow->addWidget(buddyLabel(tr("Level:"), m_level));
    filterRow->addWidget(m_level);
    leftLayout->addLayout(filterRow);
    auto *find = new QShortcut(QKeySequence::Find, this);
    connect(find, &QShortcut::activated, m_filter, [this] {
        m_filter->setFocus(Qt::ShortcutFocusReason);
        m_filter->selectAll();
    });

    m_model->setObjectName(QStringLiteral("optionsModel"));
    m_proxy->setSourceModel(m_model);
    m_proxy->setFilterRole(OptionsModel::FilterRole);
    m_proxy->setFilterKeyColumn(OptionsModel::NameColumn);
    m_table = new QTableView(left);
    m_table->setModel(m_proxy);
    makeItemViewAccessible(m_table);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 8);
    m_table->horizontalHeader()->setSectionResizeMode(OptionsModel::NameColumn, QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(OptionsModel::LevelColumn, QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(OptionsModel::ValueColumn, QHeaderView::Stretch);
    m_table->horizontalHeader()->setSectionResizeMode(OptionsModel::ApplyColumn, QHeaderView::ResizeToContents);
    describe(m_table, tr("Socket options"), tr("The options of this socket and the kernel's value of each; select one to edit it"));
    leftLayout->addWidget(m_table, 1);

    auto *side = new QWidget(splitter);
    auto *sideLayout = new QVBoxLayout(side);
    sideLayout->setContentsMargins(6, 0, 0, 0);
    m_title = new QLabel(side);
    m_title->setTextFormat(Qt::PlainText);
    QFont titleFont = m_title->font();
    titleFont.setBold(true);
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.25);
    m_title->setFont(titleFont);
    m_summary = factLabel(side);
    auto *facts = new QFormLayout;
    facts->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    facts->setHorizontalSpacing(10);
    facts->setVerticalSpacing(2);
    for (const QString &name : {tr("Level"), tr("C type"), tr("Range"), tr("Applies to"), tr("When"), tr("Privilege"), tr("Man page")}) {
        QLabel *value = factLabel(side);
        nameStatusLabel(value, name);
        auto *label = new QLabel(name + u':', side);
        label->setTextFormat(Qt::PlainText);
        Theme::setTextRole(label, Theme::Role::Muted);
        facts->addRow(label, value);
        m_facts.append(value);
    }
    m_explanation = new QPlainTextEdit(side);
    m_explanation->setReadOnly(true);
    describe(m_explanation, tr("Explanation"), tr("What the selected option does"));
    auto *editBox = new QGroupBox(tr("Set it"), side);
    auto *editLayout = new QVBoxLayout(editBox);
    m_editor = new OptionEditor(editBox);
    m_editor->setObjectName(QStringLiteral("editor"));
    editLayout->addWidget(m_editor);
    sideLayout->addWidget(m_title);
    sideLayout->addWidget(m_summary);
    sideLayout->addLayout(facts);
    sideLayout->addWidget(m_explanation, 1);
    sideLayout->addWidget(editBox);

    splitter->addWidget(left);
    splitter->addWidget(side);
    splitter->setStretchFactor(0, 5);
    splitter->setStretchFactor(1, 4);
    splitter->setChildrenCollapsible(false);
    m_tabs->addTab(optionsTab, tr("Socket options"));

    // ---- kernel settings tab ---------------------------------------------------------
    m_kernel = new KernelSettingsView(m_tabs);
    m_kernel->setObjectName(QStringLiteral("kernelSettings"));
    m_tabs->addTab(m_kernel, tr("Kernel settings"));

    connect(m_filter, &QLineEdit::textChanged, this, &OptionsPane::applyFilter);
    connect(m_level, &QComboBox::currentIndexChanged, this, &OptionsPane::applyFilter);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &OptionsPane::onSelectionChanged);
    connect(m_editor, &OptionEditor::applyRequested, this, &OptionsPane::applySetting);
    connect(m_tabs, &QTabWidget::currentChanged, this, [this](int index) {
        if (m_tabs->widget(index) == m_kernel)
            loadHostContext();
    });

    // Re-read at most once a second, and only after the sessions changed: an option's
    // value moves through our own calls.
    UiTick::subscribe(this, kRefreshMs, [this] {
        if (!m_readPending)
            refresh();
        return false;
    })->listen(m_sessions.doorbells());

    setSession(0);
    loadHostContext();
}

void OptionsPane::loadHostContext()
{
    const QueuedDelivery delivery(this);
    m_sessions.post([this, delivery] {
        // /proc and /sys reads: on the I/O thread like every other syscall.
        auto readings = KernelSettings::readAll();
        auto context = KernelSettings::optionContext();
        delivery.deliver([this, readings = std::move(readings), context = std::move(context)] {
            m_haveContext = true;
            m_editor->setContext(context);
            m_kernel->setReadings(readings);
            emit hostContextRead();
        });
    });
}

void OptionsPane::setSession(SessionId id)
{
    m_id = id;
    ++m_requestSerial;
    m_readPending = false;
    m_family = AF_UNSPEC;
    m_type = 0;
    m_model->setSocketKind(AF_UNSPEC, 0);
    updateSessionInfo();
    if (m_proxy->rowCount() > 0)
        m_table->selectRow(0);
    else
        showOption(nullptr);
    refresh();
}

void OptionsPane::updateSessionInfo()
{
    const auto info = m_id ? m_sessions.info(m_id) : std::nullopt;
    if (!info) {
        setStatusText(m_sessionLabel, m_id ? tr("Session #%1 is gone.").arg(m_id) : tr("No session selected: pick a socket to see its options."));
        m_editor->setSessionUsable(false);
        return;
    }
    if (info->family != m_family || info->type != m_type) {
        // The socket exists now (or a connect moved on to another address family).
        const QString selected = m_editor->option() ? m_editor->option()->nameText() : QString();
        m_family = info->family;
        m_type = info->type;
        m_model->setSocketKind(m_family, m_type);
        if (!selected.isEmpty())
            selectOption(selected);
        if (!m_table->currentIndex().isValid() && m_proxy->rowCount() > 0)
            m_table->selectRow(0);
    }
    QString where = info->local.isValid() ? info->local.toString() : QString();
    if (info->peer.isValid())
        where += QStringLiteral(" → ") + info->peer.toString();
    setStatusText(m_sessionLabel, tr("Session #%1 · %2 · %3 %4 · %5%6")
                                .arg(info->id)
                                .arg(sessionRoleName(info->role), familyName(info->family), socketTypeName(info->type),
                                     sessionStateName(info->state), where.isEmpty() ? QString() : QStringLiteral(" · ") + where));
    const bool open = info->state != SessionState::Closed;
    m_editor->setSessionUsable(open, open ? QString() : tr("The session is closed: there is no socket to read or set."));
}

void OptionsPane::refresh()
{
    updateSessionInfo();
    if (!m_id || m_family == AF_UNSPEC)
        return;
    const quint64 serial = ++m_requestSerial;
    m_readPending = true;
    m_sessions.readOptions(m_id, this, [this, serial](SessionManager::OptionReadings readings) {
        if (serial != m_requestSerial)
            return;
        m_readPending = false;
        if (!readings) {
            m_model->clearValues();
            m_editor->setSessionUsable(false, tr("No socket to read: %1").arg(readings.error().toString()));
            emit optionsRead();
            return;
        }
        m_model->setReadings(*readings);
        m_editor->setCurrent(m_model->reading(m_editor->option()));
        emit optionsRead();
    });
}

void OptionsPane::applyFilter()
{
    const QString level = m_level->currentData().toString();
    const QString text = QRegularExpression::escape(m_filter->text().trimmed());
    m_proxy->setFilterRegularExpression(QRegularExpression(
        QStringLiteral("^%1 \\S*%2").arg(level.isEmpty() ? QStringLiteral("\\S+") : level, text),
        QRegularExpression::CaseInsensitiveOption));
    if (!m_table->currentIndex().isValid() && m_proxy->rowCount() > 0)
        m_table->selectRow(0);
}

void OptionsPane::setFilter(const QString &text, const QString &level)
{
    m_filter->setText(text);
    const int at = m_level->findData(level);
    m_level->setCurrentIndex(at >= 0 ? at : 0);
    applyFilter();
}

int OptionsPane::visibleOptionCount() const
{
    return m_proxy->rowCount();
}

QStringList OptionsPane::visibleOptionNames() const
{
    QStringList names;
    for (int i = 0; i < m_proxy->rowCount(); ++i)
        names << m_proxy->index(i, OptionsModel::NameColumn).data().toString();
    return names;
}

void OptionsPane::selectOption(const QString &name)
{
    for (int i = 0; i < m_proxy->rowCount(); ++i) {
        if (m_proxy->index(i, OptionsModel::NameColumn).data().toString() == name) {
            m_table->selectRow(i);
            m_table->scrollTo(m_proxy->index(i, 0));
            return;
        }
    }
}

void OptionsPane::onSelectionChanged()
{
    const QModelIndex current = m_proxy->mapToSource(m_table->currentIndex());
    showOption(current.isValid() ? m_model->option(current.row()) : nullptr);
}

void OptionsPane::showOption(const SocketOption *option)
{
    m_editor->setOption(option);
    if (!option) {
        m_title->setText(m_id ? tr("No option selected") : tr("Socket options"));
        m_summary->setText(tr("Select an option in the list to read what it does and to set it."));
        for (QLabel *fact : std::as_const(m_facts))
            setStatusText(fact, {});
        m_explanation->clear();
        return;
    }
    m_title->setText(option->nameText());
    m_summary->setText(QString::fromLatin1(option->summary));
    QString access = option->timingText();
    if (!option->settable())
        access = tr("read-only");
    else if (!option->gettable())
        access += tr(" (set-only)");
    const QStringList facts{
        option->levelText(),
        option->cTypeName(),
        option->rangeText(),
        optionFamilyNames(option->families).join(u' ') + QStringLiteral(" · ") + optionSockTypeNames(option->types).join(u' '),
        access,
        option->privilege == OptionPrivilege::None ? tr("none needed") : option->privilegeText(),
        QString::fromLatin1(option->manPage),
    };
    for (int i = 0; i < m_facts.size(); ++i)
        setStatusText(m_facts[i], facts.value(i));
    m_explanation->setPlainText(QString::fromLatin1(option->explanation));
    m_editor->setCurrent(m_model->reading(option));
    if (const auto applied = m_model->applyResult(option))
        m_editor->showResult(*applied);
}

void OptionsPane::applySetting(const OptionSetting &setting)
{
    if (!m_id)
        return;
    const SessionId id = m_id;
    m_sessions.applyOption(m_id, setting, this, [this, id](OptionApplyResult result) {
        if (id != m_id)
            return;
        m_model->setApplyResult(result);
        m_editor->showResult(result);
        emit applied(result);
        refresh();
    });
}

QString OptionsPane::explanationText() const
{
    return m_explanation->toPlainText();
}

QString OptionsPane::sessionText() const
{
    return m_sessionLabel->text();
}

} // namespace sockscope::ui
