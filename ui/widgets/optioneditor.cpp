#include "optioneditor.h"

#include "accessiblelabel.h"
#include "theme.h"
#include "formhelpers.h"

#include <QCheckBox>
#include <QComboBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>

namespace sockscope::ui {

using namespace sockscope::core;

namespace {

const QStringList kYes{QStringLiteral("1"), QStringLiteral("on"), QStringLiteral("true"), QStringLiteral("yes")};

QLabel *plainLabel(QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setTextFormat(Qt::PlainText);
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return label;
}

} // namespace

OptionEditor::OptionEditor(QWidget *parent)
    : QWidget(parent)
{
    auto *grid = new QGridLayout(this);
    grid->setContentsMargins(0, 0, 0, 0);

    m_current = plainLabel(this);
    nameStatusLabel(m_current, tr("Kernel value now"));

    m_inputArea = new QWidget(this);
    m_inputLayout = new QHBoxLayout(m_inputArea);
    m_inputLayout->setContentsMargins(0, 0, 0, 0);
    m_valueLabel = new QLabel(tr("&Value:"), this);
    m_valueLabel->setTextFormat(Qt::PlainText);

    m_apply = new QPushButton(tr("&Apply"), this);
    describe(m_apply, tr("Apply"), tr("setsockopt() with this value, then getsockopt() to show what the kernel kept"));
    connect(m_apply, &QPushButton::clicked, this, &OptionEditor::apply);

    m_hint = plainLabel(this);
    Theme::setTextRole(m_hint, Theme::Role::Muted);
    nameStatusLabel(m_hint, tr("What to type"));
    m_error = makeErrorLabel(this);
    m_result = plainLabel(this);
    nameStatusLabel(m_result, tr("Read-back"));
    m_result->hide();

    grid->addWidget(m_current, 0, 0, 1, 3);
    grid->addWidget(m_valueLabel, 1, 0);
    grid->addWidget(m_inputArea, 1, 1);
    grid->addWidget(m_apply, 1, 2);
    grid->addWidget(m_hint, 2, 1, 1, 2);
    grid->addWidget(m_error, 3, 0, 1, 3);
    grid->addWidget(m_result, 4, 0, 1, 3);
    grid->setColumnStretch(1, 1);
    rebuildInput();
}

void OptionEditor::setOption(const SocketOption *option)
{
    if (option == m_option)
        return;
    if (m_option && m_edited)
        m_drafts.insert(m_option, text());
    m_option = option;
    m_edited = m_drafts.contains(option);
    rebuildInput();
    if (m_edited)
        fillInput(m_drafts.value(option));
    showError(m_error, {});
    setStatusText(m_result, {});
    m_result->hide();
    setStatusText(m_current, m_sessionUsable ? QString() : m_unusableWhy);
}

void OptionEditor::setContext(const OptionContext &context)
{
    m_context = context;
    if (m_option && (m_option->type == OptionType::String || m_option->type == OptionType::Interface)) {
        const QString typed = text();
        const bool edited = m_edited;
        rebuildInput();
        fillInput(typed);
        m_edited = edited;
    }
}

void OptionEditor::rebuildInput()
{
    delete m_check;
    delete m_combo;
    delete m_line;
    m_check = nullptr;
    m_combo = nullptr;
    m_line = nullptr;
    const SocketOption *o = m_option;
    const bool editable = o && o->settable();
    m_inputArea->setVisible(editable);
    m_valueLabel->setVisible(editable);
    m_apply->setVisible(editable);
    m_hint->setVisible(o != nullptr);
    if (!o) {
        setStatusText(m_hint, {});
        return;
    }
    if (!editable) {
        setStatusText(m_hint, tr("Read-only: the kernel reports it, nothing can set it."));
        return;
    }
    const QString name = o->nameText();
    switch (o->type) {
    case OptionType::Bool:
        m_check = new QCheckBox(tr("On (1)"), m_inputArea);
        describe(m_check, tr("%1 on").arg(name), tr("Checked sends 1, unchecked 0"));
        connect(m_check, &QCheckBox::toggled, this, &OptionEditor::markEdited);
        break;
    case OptionType::Enum:
        m_combo = new QComboBox(m_inputArea);
        for (const auto &e : o->enumNames)
            m_combo->addItem(QString::fromLatin1(e.name));
        describe(m_combo, tr("%1 value").arg(name), tr("One of the values the kernel knows for %1").arg(name));
        connect(m_combo, &QComboBox::currentIndexChanged, this, &OptionEditor::markEdited);
        break;
    case OptionType::Linger:
        m_check = new QCheckBox(tr("On, for"), m_inputArea);
        describe(m_check, tr("Linger on"), tr("l_onoff: off lets close() return at once; on makes it wait (0 seconds: RST)"));
        m_line = new QLineEdit(m_inputArea);
        m_line->setPlaceholderText(tr("seconds"));
        describe(m_line, tr("Linger seconds"), tr("l_linger: how long close() may wait, in seconds (0 = reset the connection)"));
        connect(m_check, &QCheckBox::toggled, m_line, &QWidget::setEnabled);
        connect(m_check, &QCheckBox::toggled, this, &OptionEditor::markEdited);
        m_line->setEnabled(false);
        break;
    case OptionType::String:
    case OptionType::Interface:
        m_combo = new QComboBox(m_inputArea);
        m_combo->setEditable(true);
        m_combo->setInsertPolicy(QComboBox::NoInsert);
        if (o->type == OptionType::Interface)
            m_combo->addItem(QString());
        m_combo->addItems(o->type == OptionType::String ? m_context.congestionAlgorithms : m_context.interfaces);
        describe(m_combo, tr("%1 value").arg(name),
                 o->type == OptionType::String ? tr("A congestion control algorithm this kernel has")
                                               : tr("An interface name; empty removes the binding"));
        connect(m_combo, &QComboBox::editTextChanged, this, &OptionEditor::markEdited);
        break;
    default:
        m_line = new QLineEdit(m_inputArea);
        m_line->setPlaceholderText(o->example ? QString::fromLatin1(o->example) : QString());
        describe(m_line, tr("%1 value").arg(name), optionInputHint(*o));
        break;
    }
    if (m_line) {
        connect(m_line, &QLineEdit::textEdited, this, &OptionEditor::markEdited);
        connect(m_line, &QLineEdit::returnPressed, this, &OptionEditor::apply);
    }
    if (m_combo && m_combo->isEditable())
        connect(m_combo->lineEdit(), &QLineEdit::returnPressed, this, &OptionEditor::apply);
    for (QWidget *w : {static_cast<QWidget *>(m_check), static_cast<QWidget *>(m_combo), static_cast<QWidget *>(m_line)}) {
        if (w)
            m_inputLayout->addWidget(w, w == m_check && o->type == OptionType::Linger ? 0 : 1);
    }
    m_valueLabel->setBuddy(focusTarget());
    QString hint = optionInputHint(*o);
    if (o->timing != OptionTiming::AnyTime)
        hint += tr(" — takes effect only %1").arg(o->timingText());
    if (o->privilege != OptionPrivilege::None)
        hint += tr(" — %1").arg(o->privilegeText());
    setStatusText(m_hint, hint);
    updateApplyEnabled();
}

QWidget *OptionEditor::focusTarget() const
{
    if (m_option && m_option->type == OptionType::Linger)
        return m_check;
    if (m_line)
        return m_line;
    if (m_combo)
        return m_combo;
    return m_check;
}

void OptionEditor::markEdited()
{
    if (m_settingText)
        return;
    m_edited = true;
    showError(m_error, {});
}

void OptionEditor::updateApplyEnabled()
{
    m_apply->setEnabled(m_sessionUsable && m_option && m_option->settable());
}

void OptionEditor::setSessionUsable(bool usable, const QString &why)
{
    m_sessionUsable = usable;
    m_unusableWhy = usable ? QString() : why;
    updateApplyEnabled();
    if (!usable && !why.isEmpty())
        setStatusText(m_current, why);
}

QString OptionEditor::text() const
{
    if (!m_option)
        return {};
    switch (m_option->type) {
    case OptionType::Bool: return m_check && m_check->isChecked() ? QStringLiteral("1") : QStringLiteral("0");
    case OptionType::Linger:
        return m_check && m_check->isChecked() ? QStringLiteral("on,%1").arg(m_line->text().trimmed()) : QStringLiteral("off");
    case OptionType::Enum:
    case OptionType::String:
    case OptionType::Interface: return m_combo ? m_combo->currentText() : QString();
    default: return m_line ? m_line->text() : QString();
    }
}

void OptionEditor::setText(const QString &text)
{
    fillInput(text);
    if (m_option && m_option->settable())
        m_edited = true;
}

void OptionEditor::fillInput(const QString &text)
{
    if (!m_option || !m_option->settable())
        return;
    m_settingText = true;
    const QString t = text.trimmed();
    switch (m_option->type) {
    case OptionType::Bool: m_check->setChecked(kYes.contains(t.toLower())); break;
    case OptionType::Linger: {
        const bool on = !(t.compare(QLatin1String("off"), Qt::CaseInsensitive) == 0 || t == u"0" || t.isEmpty());
        m_check->setChecked(on);
        m_line->setEnabled(on);
        const qsizetype sep = t.indexOf(QRegularExpression(QStringLiteral("[, :]")));
        m_line->setText(on && sep >= 0 ? t.mid(sep + 1).trimmed() : QString());
        break;
    }
    case OptionType::Enum: {
        const int found = m_combo->findText(t, Qt::MatchFixedString);
        if (found >= 0)
            m_combo->setCurrentIndex(found);
        break;
    }
    case OptionType::String:
    case OptionType::Interface: m_combo->setEditText(text); break;
    default: m_line->setText(text); break;
    }
    m_settingText = false;
}

void OptionEditor::setCurrent(const std::optional<OptionReading> &reading)
{
    if (!m_option)
        return;
    if (!reading) {
        setStatusText(m_current, m_sessionUsable ? QString() : m_unusableWhy);
        return;
    }
    if (reading->error) {
        setStatusText(m_current, tr("Kernel value: getsockopt failed with %1%2")
                               .arg(reading->error->toString(),
                                    reading->error->is(ENOTCONN) ? tr(" (it needs a connected socket)") : QString()));
    } else if (!m_option->gettable()) {
        setStatusText(m_current, m_option->readBack ? tr("Set-only: read %1 to see the effect.").arg(QLatin1String(m_option->readBack))
                                              : tr("Set-only: the kernel cannot report it back."));
    } else if (reading->value) {
        setStatusText(m_current, tr("Kernel value: %1").arg(describeOptionValue(*m_option, *reading->value)));
        if (!m_edited && m_option->settable())
            fillInput(formatOptionValue(*m_option, *reading->value));
    }
}

bool OptionEditor::apply()
{
    if (!m_option || !m_option->settable() || !m_sessionUsable)
        return false;
    const QString typed = text();
    m_edited = true; // from now on this is the user's value: a refresh must not replace it
    const auto parsed = parseOptionValue(*m_option, typed, m_context);
    if (!parsed) {
        showError(m_error, parsed.error().toString());
        if (QWidget *target = focusTarget())
            target->setFocus(Qt::OtherFocusReason);
        if (m_line && m_line->isEnabled())
            m_line->selectAll();
        return false;
    }
    showError(m_error, {});
    Theme::setTextRole(m_result, std::nullopt);
    setStatusText(m_result, tr("Applying %1 = %2…").arg(m_option->nameText(), typed.trimmed()));
    m_result->show();
    emit applyRequested(OptionSetting{m_option->nameText(), typed.trimmed()});
    return true;
}

void OptionEditor::showResult(const OptionApplyResult &result)
{
    if (result.option != m_option)
        return;
    QString text;
    bool failed = false;
    if (result.error && result.error->domain() == SysError::Domain::Input) {
        showError(m_error, result.error->toString());
        m_result->hide();
        return;
    }
    if (result.error) {
        failed = true;
        text = tr("setsockopt(%1, %2) failed: %3.").arg(m_option->nameText(), result.asked, result.error->toString());
        if ((result.error->is(EPERM) || result.error->is(EACCES)) && m_option->privilege != OptionPrivilege::None)
            text += u' ' + tr("%1: this process does not have it.").arg(m_option->privilegeText());
        else if (!result.error->hint().isEmpty())
            text += u' ' + result.error->hint() + u'.';
    } else if (result.readError) {
        text = tr("Set %1 = %2, but reading it back failed: %3.").arg(m_option->nameText(), result.asked, result.readError->toString());
    } else if (!result.kept) {
        text = tr("Set %1 = %2. The kernel cannot report this option back.").arg(m_option->nameText(), result.asked);
    } else {
        const QString kept = formatOptionValue(*result.keptOption, *result.kept);
        const bool same = result.keptOption == m_option && kept == result.asked;
        text = tr("Asked %1 — the kernel kept %2%3.")
                   .arg(result.asked, describeOptionValue(*result.keptOption, *result.kept),
                        result.keptOption != m_option ? tr(" (read as %1)").arg(result.keptOption->nameText()) : QString());
        if (!same)
            text += u' ' + tr("The kernel adjusted the value: the explanation says why.");
    }
    Theme::setTextRole(m_result, failed ? std::optional(Theme::Role::Error) : std::nullopt);
    setStatusText(m_result, text);
    m_result->show();
}

QString OptionEditor::errorText() const
{
    return m_error->isHidden() ? QString() : m_error->text();
}

QString OptionEditor::resultText() const
{
    return m_result->isHidden() ? QString() : m_result->text();
}

QString OptionEditor::currentText() const
{
    return m_current->text();
}

} // namespace sockscope::ui
