#include "preferencesdialog.h"

#include "widgets/formhelpers.h"

#include "engine/sessionmanager.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLabel>
#include <QSettings>
#include <QVBoxLayout>

namespace sockscope::ui {

namespace {

const QString kTimeoutKey = QStringLiteral("sockets/defaultTimeoutMs"); // -1: None

} // namespace

PreferencesDialog::PreferencesDialog(QWidget *parent)
    : QDialog(parent)
{
    setWindowTitle(tr("Preferences"));
    m_enabled = new QCheckBox(tr("&Default timeout:"), this);
    m_enabled->setObjectName(QStringLiteral("timeoutEnabled"));
    describe(m_enabled, tr("Use a default timeout"),
             tr("Off: None, as socket.setdefaulttimeout(None): calls block for as long as the kernel takes"));
    m_seconds = new QDoubleSpinBox(this);
    m_seconds->setObjectName(QStringLiteral("timeoutBox"));
    m_seconds->setRange(0.1, 600);
    m_seconds->setDecimals(1);
    m_seconds->setSuffix(tr(" s"));
    describe(m_seconds, tr("Default timeout in seconds"),
             tr("socket.setdefaulttimeout(): the timeout of sockets made without one of their own"));
    connect(m_enabled, &QCheckBox::toggled, m_seconds, &QWidget::setEnabled);

    auto *row = new QHBoxLayout;
    row->addWidget(m_enabled);
    row->addWidget(m_seconds, 1);
    auto *about = new QLabel(tr("New TCP client panes start with this connect timeout, and it is "
                                "socket.setdefaulttimeout() for sockets sockscope makes without a timeout of their own. "
                                "Panes already open keep theirs."), this);
    about->setTextFormat(Qt::PlainText);
    about->setWordWrap(true);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &PreferencesDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(row);
    layout->addWidget(about);
    layout->addStretch(1);
    layout->addWidget(buttons);
    resize(440, sizeHint().height());
    setTimeoutMs(savedTimeoutMs());
}

std::optional<int> PreferencesDialog::savedTimeoutMs()
{
    const int ms = QSettings().value(kTimeoutKey, kFactoryTimeoutMs).toInt();
    return ms < 0 ? std::nullopt : std::optional<int>(ms);
}

void PreferencesDialog::saveTimeoutMs(std::optional<int> ms)
{
    QSettings().setValue(kTimeoutKey, ms.value_or(-1));
}

void PreferencesDialog::apply(core::SessionManager &sessions)
{
    sessions.setDefaultTimeout(savedTimeoutMs());
}

std::optional<int> PreferencesDialog::timeoutMs() const
{
    if (!m_enabled->isChecked())
        return std::nullopt;
    return int(m_seconds->value() * 1000);
}

void PreferencesDialog::setTimeoutMs(std::optional<int> ms)
{
    m_enabled->setChecked(ms.has_value());
    m_seconds->setEnabled(ms.has_value());
    m_seconds->setValue((ms ? *ms : kFactoryTimeoutMs) / 1000.0);
}

void PreferencesDialog::accept()
{
    saveTimeoutMs(timeoutMs());
    QDialog::accept();
}

} // namespace sockscope::ui
