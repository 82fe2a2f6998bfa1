#include "ruleeditor.h"

#include "formhelpers.h"
#include "itemviewaccess.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace sockscope::ui {

using namespace sockscope::core;

namespace {

constexpr ResponderRule::Match kMatches[] = {ResponderRule::Match::Equals, ResponderRule::Match::Prefix,
                                             ResponderRule::Match::Contains, ResponderRule::Match::Regex,
                                             ResponderRule::Match::Hex};

} // namespace

RuleEditor::RuleEditor(bool stream, QWidget *parent) : QWidget(parent), m_stream(stream)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *top = new QHBoxLayout;
    m_framing = new QComboBox(this);
    m_framing->setObjectName(QStringLiteral("ruleFraming"));
    m_framing->setEditable(true);
    m_framing->addItems({QStringLiteral("recv"), QStringLiteral("line"), QStringLiteral("delim:\\r\\n\\r\\n"),
                         QStringLiteral("length:2be"), QStringLiteral("length:4le"), QStringLiteral("fixed:16")});
    describe(m_framing, tr("Framing"),
             tr("How the byte stream is cut into messages before the rules look: recv (what each recv() returned), line "
                "(LF or CRLF), delim:TEXT, length:1|2|4[be|le] (a length prefix), fixed:N. TCP keeps no message "
                "boundaries: two sends can arrive in one recv()."));
    if (stream) {
        top->addWidget(buddyLabel(tr("&Framing"), m_framing));
        top->addWidget(m_framing, 1);
    } else {
        m_framing->hide(); // a datagram is one message
    }
    m_add = new QPushButton(tr("Add rule"), this);
    describe(m_add, tr("Add rule"), tr("A new rule at the end: the first rule that matches a message answers it"));
    m_remove = new QPushButton(tr("Remove"), this);
    describe(m_remove, tr("Remove rule"), tr("Remove the selected rule"));
    m_up = new QPushButton(tr("Up"), this);
    describe(m_up, tr("Move rule up"), tr("Rules are tried in order: move the selected one earlier"));
    m_down = new QPushButton(tr("Down"), this);
    describe(m_down, tr("Move rule down"), tr("Move the selected rule later"));
    for (QPushButton *b : {m_add, m_remove, m_up, m_down})
        top->addWidget(b);
    if (!stream)
        top->insertStretch(0, 1);
    layout->addLayout(top);

    m_table = new QTableWidget(0, ColumnCount, this);
    m_table->setObjectName(QStringLiteral("ruleTable"));
    makeItemViewAccessible(m_table);
    m_table->setHorizontalHeaderLabels({tr("Match"), tr("Pattern"), tr("Reply"), tr("Options"), tr("Hits")});
    m_table->horizontalHeader()->setSectionResizeMode(Pattern, QHeaderView::Stretch);
    m_table->horizontalHeader()->setSectionResizeMode(Reply, QHeaderView::Stretch);
    for (const int column : {int(Match), int(Options), int(Hits)})
        m_table->horizontalHeader()->setSectionResizeMode(column, QHeaderView::ResizeToContents);
    m_table->verticalHeader()->setVisible(false);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    describe(m_table, tr("Responder rules"),
             tr("Each message is answered by the first rule that matches. Pattern and reply take escapes (\\n, \\xHH); a "
                "reply takes \\1..\\9 (regex captures) and macros: %1. Options: once, times=N, delay=MS, then=close or "
                "then=shutdown.").arg(ReplyTemplate::macroNames().join(QStringLiteral(", "))));
    // A few rules in view; more scroll, and the traffic below keeps its room.
    m_table->setMinimumHeight(110);
    m_table->setMaximumHeight(170);
    layout->addWidget(m_table);
    m_error = makeErrorLabel(this);
    layout->addWidget(m_error);

    connect(m_add, &QPushButton::clicked, this, [this] {
        insertRow(m_table->rowCount(), ResponderRule::Match::Equals, QString(), QString(), QString());
        m_table->setCurrentCell(m_table->rowCount() - 1, Pattern);
        m_table->editItem(m_table->currentItem());
    });
    connect(m_remove, &QPushButton::clicked, this, [this] {
        if (const int row = m_table->currentRow(); row >= 0) {
            m_table->removeRow(row);
            check();
        }
    });
    connect(m_up, &QPushButton::clicked, this, [this] { moveSelected(-1); });
    connect(m_down, &QPushButton::clicked, this, [this] { moveSelected(1); });
    connect(m_table, &QTableWidget::itemChanged, this, [this] {
        if (!m_filling)
            check();
    });
    connect(m_framing, &QComboBox::currentTextChanged, this, &RuleEditor::check);
}

void RuleEditor::insertRow(int row, ResponderRule::Match match, const QString &pattern, const QString &reply,
                           const QString &options)
{
    m_filling = true;
    m_table->insertRow(row);
    auto *kind = new QComboBox(m_table);
    for (ResponderRule::Match m : kMatches)
        kind->addItem(responderMatchName(m), int(m));
    kind->setCurrentIndex(kind->findData(int(match)));
    describe(kind, tr("Match of rule %1").arg(row + 1), tr("equals, prefix, contains, regex (captures for \\1..\\9) or hex (?\? any byte)"));
    connect(kind, &QComboBox::currentIndexChanged, this, &RuleEditor::check);
    m_table->setCellWidget(row, Match, kind);
    m_table->setItem(row, Pattern, new QTableWidgetItem(pattern));
    m_table->setItem(row, Reply, new QTableWidgetItem(reply));
    m_table->setItem(row, Options, new QTableWidgetItem(options));
    auto *hits = new QTableWidgetItem(QStringLiteral("–"));
    hits->setFlags(hits->flags() & ~Qt::ItemIsEditable);
    hits->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    m_table->setItem(row, Hits, hits);
    m_filling = false;
    check();
}

bool RuleEditor::addRule(const QString &spec)
{
    auto rule = ResponderRule::parse(spec, tr("rule %1").arg(ruleCount() + 1));
    if (!rule) {
        showError(m_error, rule.error().toString());
        return false;
    }
    insertRow(ruleCount(), rule->match, rule->pattern, rule->reply.text(), rule->optionsText());
    return true;
}

int RuleEditor::ruleCount() const
{
    return m_table->rowCount();
}

void RuleEditor::setFraming(const QString &spec)
{
    m_framing->setCurrentText(spec);
}

void RuleEditor::moveSelected(int by)
{
    const int row = m_table->currentRow();
    const int to = row + by;
    if (row < 0 || to < 0 || to >= m_table->rowCount())
        return;
    const auto *kind = qobject_cast<QComboBox *>(m_table->cellWidget(row, Match));
    const auto match = ResponderRule::Match(kind->currentData().toInt());
    const QString pattern = m_table->item(row, Pattern)->text();
    const QString reply = m_table->item(row, Reply)->text();
    const QString options = m_table->item(row, Options)->text();
    m_filling = true;
    m_table->removeRow(row);
    m_filling = false;
    insertRow(to, match, pattern, reply, options);
    m_table->setCurrentCell(to, Pattern);
}

std::shared_ptr<ResponderRules> RuleEditor::build()
{
    Framing framing;
    if (m_stream) {
        auto parsed = Framing::parse(m_framing->currentText().trimmed(), tr("framing"));
        if (!parsed) {
            showError(m_error, parsed.error().toString());
            return nullptr;
        }
        framing = *parsed;
    }
    QList<ResponderRule> rules;
    for (int row = 0; row < m_table->rowCount(); ++row) {
        const QString field = tr("rule %1").arg(row + 1);
        const auto *kind = qobject_cast<QComboBox *>(m_table->cellWidget(row, Match));
        auto rule = ResponderRule::make(ResponderRule::Match(kind->currentData().toInt()), m_table->item(row, Pattern)->text(),
                                        m_table->item(row, Reply)->text(), field);
        if (rule) {
            if (auto applied = rule->applyOptions(m_table->item(row, Options)->text(), field); !applied)
                rule = std::unexpected(applied.error());
        }
        if (!rule) {
            showError(m_error, rule.error().toString());
            return nullptr;
        }
        rules.append(*rule);
    }
    if (rules.isEmpty()) {
        showError(m_error, tr("rules: add at least one rule, or choose another reply mode"));
        return nullptr;
    }
    showError(m_error, QString());
    return std::make_shared<ResponderRules>(framing, rules);
}

void RuleEditor::check()
{
    if (m_filling)
        return;
    const bool empty = m_table->rowCount() == 0;
    if (build() && !empty)
        emit edited();
    else if (empty)
        showError(m_error, QString()); // nothing typed yet is no error
}

void RuleEditor::setServing(std::shared_ptr<ResponderRules> rules)
{
    m_serving = std::move(rules);
    refreshHits();
}

void RuleEditor::refreshHits()
{
    m_filling = true;
    for (int row = 0; row < m_table->rowCount(); ++row) {
        const bool known = m_serving && row < m_serving->rules().size();
        const QString text = known ? QString::number(m_serving->hits(row)) : QStringLiteral("–");
        if (QTableWidgetItem *item = m_table->item(row, Hits); item && item->text() != text)
            item->setText(text);
    }
    m_filling = false;
}

QString RuleEditor::errorText() const
{
    return m_error->isHidden() ? QString() : m_error->text();
}

} // namespace sockscope::ui
