#include "kernelsettingsview.h"

#include "theme.h"

#include "formhelpers.h"
#include "itemviewaccess.h"

#include <QColor>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>

namespace sockscope::ui {

using namespace sockscope::core;

KernelSettingsView::KernelSettingsView(QWidget *parent)
    : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    auto *intro = new QLabel(tr("System-wide settings under /proc/sys, as this process's network namespace sees them. "
                                "sockscope only reads them: changing one needs root (sysctl -w) and affects every program."),
                             this);
    intro->setTextFormat(Qt::PlainText);
    intro->setWordWrap(true);

    auto *splitter = new QSplitter(Qt::Horizontal, this);
    m_table = new QTableWidget(0, 3, splitter);
    makeItemViewAccessible(m_table);
    m_table->setHorizontalHeaderLabels({tr("Setting"), tr("Value"), tr("Note")});
    m_table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(1, QHeaderView::Stretch);
    m_table->horizontalHeader()->setSectionResizeMode(2, QHeaderView::ResizeToContents);
    m_table->verticalHeader()->hide();
    m_table->setWordWrap(false);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 8);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    describe(m_table, tr("Kernel settings"), tr("Network settings of the kernel; select one to read what it does"));

    auto *side = new QWidget(splitter);
    auto *sideLayout = new QVBoxLayout(side);
    sideLayout->setContentsMargins(6, 0, 0, 0);
    m_title = new QLabel(side);
    m_title->setTextFormat(Qt::PlainText);
    m_title->setWordWrap(true);
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);
    m_explanation = new QPlainTextEdit(side);
    m_explanation->setReadOnly(true);
    describe(m_explanation, tr("Kernel setting explanation"), tr("What the selected setting does, and where common advice is out of date"));
    sideLayout->addWidget(m_title);
    sideLayout->addWidget(m_explanation, 1);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    splitter->setSizes({600, 400});

    layout->addWidget(intro);
    layout->addWidget(splitter, 1);
    connect(m_table, &QTableWidget::itemSelectionChanged, this, &KernelSettingsView::showSelected);
}

void KernelSettingsView::setReadings(const QList<KernelSettingReading> &readings)
{
    const QString selected = m_table->currentRow() >= 0 && m_table->currentRow() < m_readings.size()
                                 ? m_readings[m_table->currentRow()].setting->keyText()
                                 : QString();
    m_readings = readings;
    m_table->setRowCount(int(readings.size()));
    for (int i = 0; i < readings.size(); ++i) {
        const KernelSettingReading &r = readings[i];
        auto *key = new QTableWidgetItem(r.setting->keyText());
        key->setToolTip(QString::fromLatin1(r.setting->summary));
        const QString value = r.value ? *r.value : tr("(absent: %1)").arg(r.error->name());
        auto *valueItem = new QTableWidgetItem(r.setting->unit && r.value ? QStringLiteral("%1 %2").arg(value, QLatin1String(r.setting->unit)) : value);
        auto *note = new QTableWidgetItem(r.setting->obsoleteAdvice ? tr("read the note") : QString());
        note->setForeground(Theme(palette()).color(Theme::Role::Warning));
        if (r.setting->obsoleteAdvice)
            note->setToolTip(QString::fromLatin1(r.setting->obsoleteAdvice));
        m_table->setItem(i, 0, key);
        m_table->setItem(i, 1, valueItem);
        m_table->setItem(i, 2, note);
    }
    select(selected.isEmpty() && !readings.isEmpty() ? readings.first().setting->keyText() : selected);
}

int KernelSettingsView::rowCount() const
{
    return m_table->rowCount();
}

QString KernelSettingsView::valueText(const QString &key) const
{
    for (int i = 0; i < m_readings.size(); ++i) {
        if (m_readings[i].setting->keyText() == key)
            return m_table->item(i, 1)->text();
    }
    return {};
}

QString KernelSettingsView::explanationText() const
{
    return m_explanation->toPlainText();
}

void KernelSettingsView::select(const QString &key)
{
    for (int i = 0; i < m_readings.size(); ++i) {
        if (m_readings[i].setting->keyText() == key) {
            m_table->selectRow(i);
            showSelected();
            return;
        }
    }
}

void KernelSettingsView::showSelected()
{
    const int row = m_table->currentRow();
    if (row < 0 || row >= m_readings.size())
        return;
    const KernelSetting &s = *m_readings[row].setting;
    m_title->setText(QStringLiteral("%1 — %2").arg(s.keyText(), QString::fromLatin1(s.summary)));
    QString text = QString::fromLatin1(s.explanation);
    if (s.relatedOption)
        text += QStringLiteral("\n\nPer socket: %1.").arg(QLatin1String(s.relatedOption));
    if (s.obsoleteAdvice)
        text += QStringLiteral("\n\nNote on common advice: %1").arg(QLatin1String(s.obsoleteAdvice));
    text += QStringLiteral("\n\nFile: %1").arg(s.procPath());
    m_explanation->setPlainText(text);
}

} // namespace sockscope::ui
