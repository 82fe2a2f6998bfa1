#include "presetoptionslist.h"

#include "theme.h"

#include "formhelpers.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>

namespace sockscope::ui {

using namespace sockscope::core;

PresetOptionsList::PresetOptionsList(QWidget *parent)
    : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_empty = new QLabel(tr("No options: the socket keeps the kernel's defaults."), this);
    m_empty->setTextFormat(Qt::PlainText);
    Theme::setTextRole(m_empty, Theme::Role::Muted);
    m_rowsLayout = new QVBoxLayout;
    m_rowsLayout->setContentsMargins(0, 0, 0, 0);
    m_add = new QPushButton(tr("Add option"), this);
    describe(m_add, tr("Add socket option"),
             tr("Add a setsockopt() made right after socket(), before bind(), connect() or listen()"));
    connect(m_add, &QPushButton::clicked, this, [this] {
        addSetting();
        m_rows.last().name->setFocus(Qt::OtherFocusReason);
    });
    layout->addWidget(m_empty);
    layout->addLayout(m_rowsLayout);
    layout->addWidget(m_add, 0, Qt::AlignLeft);
}

QList<const SocketOption *> PresetOptionsList::offered() const
{
    QList<const SocketOption *> rows;
    for (const SocketOption &o : socketOptions()) {
        if (!o.settable())
            continue;
        const bool applies = m_family ? o.appliesTo(m_family, m_type) : (o.appliesTo(AF_INET, m_type) || o.appliesTo(AF_INET6, m_type));
        if (applies)
            rows.append(&o);
    }
    // The ones that only matter before bind/connect/listen first: that is what this list is for.
    std::stable_sort(rows.begin(), rows.end(), [](const SocketOption *a, const SocketOption *b) {
        return (a->timing != OptionTiming::AnyTime) > (b->timing != OptionTiming::AnyTime);
    });
    return rows;
}

void PresetOptionsList::fillNames(Row &row, const QString &keep)
{
    const QSignalBlocker blocker(row.name);
    row.name->clear();
    for (const SocketOption *o : offered()) {
        const QString label = o->timing != OptionTiming::AnyTime ? tr("%1 (%2)").arg(o->nameText(), o->timingText()) : o->nameText();
        row.name->addItem(label, o->nameText());
        row.name->setItemData(row.name->count() - 1, QString::fromLatin1(o->summary), Qt::ToolTipRole);
    }
    const int at = row.name->findData(keep);
    row.name->setCurrentIndex(at >= 0 ? at : 0);
}

void PresetOptionsList::setSocketKind(int family, int type)
{
    m_family = family;
    m_type = type;
    for (Row &row : m_rows) {
        fillNames(row, row.name->currentData().toString());
        check(row);
    }
}

void PresetOptionsList::setContext(const OptionContext &context)
{
    m_context = context;
}

void PresetOptionsList::addSetting(const OptionSetting &setting)
{
    Row row;
    row.widget = new QWidget(this);
    auto *outer = new QVBoxLayout(row.widget);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->setSpacing(2);
    auto *line = new QHBoxLayout;
    row.name = new QComboBox(row.widget);
    describe(row.name, tr("Option name"), tr("The socket option to set; those that only work before bind/connect/listen come first"));
    row.value = new QLineEdit(row.widget);
    describe(row.value, tr("Option value"), tr("The value to set; it is checked against the option's type and range"));
    row.remove = new QToolButton(row.widget);
    row.remove->setText(tr("Remove"));
    row.remove->setIcon(QIcon::fromTheme(QStringLiteral("list-remove")));
    describe(row.remove, tr("Remove option"), tr("Remove this option from the list"));
    row.error = makeErrorLabel(row.widget);
    line->addWidget(row.name, 3);
    line->addWidget(row.value, 2);
    line->addWidget(row.remove);
    outer->addLayout(line);
    outer->addWidget(row.error);
    m_rowsLayout->addWidget(row.widget);
    fillNames(row, setting.name.trimmed().toUpper());
    row.value->setText(setting.value);

    QWidget *widget = row.widget;
    const auto current = [this, widget]() -> Row * {
        for (Row &r : m_rows) {
            if (r.widget == widget)
                return &r;
        }
        return nullptr;
    };
    const auto updatePlaceholder = [current] {
        if (Row *r = current()) {
            const SocketOption *o = findSocketOption(r->name->currentData().toString());
            r->value->setPlaceholderText(o ? (o->example ? QString::fromLatin1(o->example) : optionInputHint(*o)) : QString());
            r->value->setToolTip(o ? optionInputHint(*o) : QString());
        }
    };
    connect(row.name, &QComboBox::currentIndexChanged, this, [this, current, updatePlaceholder] {
        updatePlaceholder();
        if (Row *r = current(); r && !r->value->text().isEmpty())
            check(*r);
        emit changed();
    });
    connect(row.value, &QLineEdit::textChanged, this, [this, current] {
        if (Row *r = current())
            check(*r);
        emit changed();
    });
    connect(row.remove, &QToolButton::clicked, this, [this, widget] { removeRow(widget); });
    m_rows.append(row);
    updatePlaceholder();
    m_empty->hide();
    setTabOrder(m_rows.last().remove, m_add);
    emit changed();
}

void PresetOptionsList::removeRow(QWidget *widget)
{
    for (qsizetype i = 0; i < m_rows.size(); ++i) {
        if (m_rows[i].widget == widget) {
            m_rows.removeAt(i);
            widget->deleteLater();
            break;
        }
    }
    m_empty->setVisible(m_rows.isEmpty());
    m_add->setFocus(Qt::OtherFocusReason);
    emit changed();
}

void PresetOptionsList::setSettings(const QList<OptionSetting> &settings)
{
    clear();
    for (const OptionSetting &s : settings)
        addSetting(s);
}

void PresetOptionsList::clear()
{
    for (const Row &row : std::as_const(m_rows))
        delete row.widget;
    m_rows.clear();
    m_empty->show();
    emit changed();
}

bool PresetOptionsList::check(const Row &row)
{
    const SocketOption *o = findSocketOption(row.name->currentData().toString());
    if (!o) {
        showError(row.error, tr("No option applies to this kind of socket."));
        return false;
    }
    const auto parsed = parseOptionValue(*o, row.value->text(), m_context);
    showError(row.error, parsed ? QString() : parsed.error().toString());
    return parsed.has_value();
}

bool PresetOptionsList::isValid()
{
    bool valid = true;
    for (const Row &row : std::as_const(m_rows)) {
        if (!check(row))
            valid = false;
    }
    return valid;
}

QList<OptionSetting> PresetOptionsList::settings() const
{
    QList<OptionSetting> out;
    for (const Row &row : m_rows)
        out.append({row.name->currentData().toString(), row.value->text().trimmed()});
    return out;
}

QString PresetOptionsList::errorText(int row) const
{
    return row >= 0 && row < m_rows.size() && !m_rows[row].error->isHidden() ? m_rows[row].error->text() : QString();
}

QLineEdit *PresetOptionsList::valueEdit(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows[row].value : nullptr;
}

QComboBox *PresetOptionsList::nameCombo(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows[row].name : nullptr;
}

} // namespace sockscope::ui
