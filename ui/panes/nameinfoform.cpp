#include "nameinfoform.h"

#include "lookuppane.h"

#include "widgets/accessiblelabel.h"
#include "widgets/formhelpers.h"

#include "engine/lookupservice.h"

#include <QCheckBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace sockscope::ui {

using namespace sockscope::core;

NameInfoForm::NameInfoForm(LookupService &lookups, QWidget *parent)
    : QWidget(parent)
    , m_lookups(lookups)
{
    m_address = new QLineEdit(QStringLiteral("127.0.0.1"), this);
    m_address->setObjectName(QStringLiteral("nameinfoAddress"));
    describe(m_address, tr("Address"),
             tr("A numeric IPv4 or IPv6 address; a link-local IPv6 address takes its interface after %, "
                "as in fe80::1%lo"));
    m_port = new QSpinBox(this);
    m_port->setRange(0, 65535);
    m_port->setValue(80);
    m_port->setObjectName(QStringLiteral("nameinfoPort"));
    describe(m_port, tr("Port"), tr("The port in the sockaddr; its service name comes from /etc/services"));
    m_run = new QPushButton(tr("Look &up"), this);
    m_run->setObjectName(QStringLiteral("nameinfoRun"));
    describe(m_run, tr("Run getnameinfo"), tr("getnameinfo() on a worker thread: a reverse lookup may query DNS"));

    auto *flags = new QHBoxLayout;
    flags->setSpacing(12);
    for (const ResolverFlag &f : Resolver::nameInfoFlags()) {
        auto *box = new QCheckBox(QString::fromLatin1(f.name), this);
        box->setProperty("flag", f.value);
        describe(box, QString::fromLatin1(f.name), QString::fromUtf8(f.help));
        connect(box, &QCheckBox::toggled, this, &NameInfoForm::updatePython);
        m_flags.append(box);
        flags->addWidget(box);
    }
    flags->addStretch(1);

    m_host = new QLineEdit(this);
    m_host->setReadOnly(true);
    m_host->setObjectName(QStringLiteral("nameinfoHost"));
    describe(m_host, tr("Host name"), tr("The host getnameinfo returned (from /etc/hosts or a PTR record)"));
    m_service = new QLineEdit(this);
    m_service->setReadOnly(true);
    m_service->setObjectName(QStringLiteral("nameinfoService"));
    describe(m_service, tr("Service name"), tr("The service getnameinfo returned (from /etc/services), or the digits"));
    m_status = new QLabel(this);
    nameStatusLabel(m_status, tr("getnameinfo status"));
    m_status->setTextFormat(Qt::PlainText);
    m_error = makeErrorLabel(this);
    m_error->setObjectName(QStringLiteral("errorLabel"));
    m_python = new QLineEdit(this);
    m_python->setReadOnly(true);
    describe(m_python, tr("Python equivalent"), tr("The same call in Python's socket module, to copy"));

    auto *grid = new QGridLayout;
    grid->addWidget(buddyLabel(tr("A&ddress"), m_address), 0, 0);
    grid->addWidget(m_address, 0, 1);
    grid->addWidget(buddyLabel(tr("Port"), m_port), 0, 2);
    grid->addWidget(m_port, 0, 3);
    grid->addWidget(m_run, 0, 4);
    grid->addWidget(buddyLabel(tr("Flags"), m_flags.first()), 1, 0);
    grid->addLayout(flags, 1, 1, 1, 4);
    grid->addWidget(buddyLabel(tr("Host"), m_host), 2, 0);
    grid->addWidget(m_host, 2, 1);
    grid->addWidget(buddyLabel(tr("Service"), m_service), 2, 2);
    grid->addWidget(m_service, 2, 3, 1, 2);
    grid->addWidget(buddyLabel(tr("Python"), m_python), 3, 0);
    grid->addWidget(m_python, 3, 1, 1, 4);
    grid->setColumnStretch(1, 1);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(grid);
    layout->addWidget(m_status);
    layout->addWidget(m_error);
    layout->addStretch(1);

    connect(m_run, &QPushButton::clicked, this, qOverload<>(&NameInfoForm::lookUp));
    connect(m_address, &QLineEdit::returnPressed, this, qOverload<>(&NameInfoForm::lookUp));
    connect(m_address, &QLineEdit::textChanged, this, &NameInfoForm::updatePython);
    connect(m_port, &QSpinBox::valueChanged, this, &NameInfoForm::updatePython);
    updatePython();
}

QCheckBox *NameInfoForm::flagBox(int flag) const
{
    for (QCheckBox *box : m_flags) {
        if (box->property("flag").toInt() == flag)
            return box;
    }
    return nullptr;
}

int NameInfoForm::flags() const
{
    int flags = 0;
    for (const QCheckBox *box : m_flags) {
        if (box->isChecked())
            flags |= box->property("flag").toInt();
    }
    return flags;
}

void NameInfoForm::updatePython()
{
    const auto address = Address::ip(m_address->text(), quint16(m_port->value()));
    m_python->setText(address ? Resolver::pythonGetnameinfo(*address, flags()) : QString());
}

void NameInfoForm::lookUp(const Address &address, bool datagram)
{
    m_address->setText(address.host());
    m_port->setValue(address.port());
    flagBox(NI_DGRAM)->setChecked(datagram);
    lookUp();
}

void NameInfoForm::lookUp()
{
    showError(m_error, {});
    const auto address = Address::ip(m_address->text(), quint16(m_port->value()));
    if (!address) {
        showError(m_error, tr("Address: %1").arg(address.error().message()));
        m_address->setFocus();
        emit finished();
        return;
    }
    if (m_pending)
        m_lookups.cancel(m_pending);
    m_host->clear();
    m_service->clear();
    setStatusText(m_status, tr("Looking up %1…").arg(address->toString()));
    m_pending = m_lookups.getnameinfo(*address, flags(), this, [this](const LookupResult<NameInfoResult> &r) {
        m_pending = 0;
        const QString time = tr("%1 ms").arg(double(r.elapsedNs) / 1e6, 0, 'f', 3);
        if (!r.value) {
            setStatusText(m_status, tr("getnameinfo failed after %1").arg(time));
            showError(m_error, LookupPane::errorText(r.value.error()));
        } else {
            m_host->setText(r.value->host);
            m_service->setText(r.value->service);
            setStatusText(m_status, tr("Answered in %1").arg(time));
        }
        emit finished();
    });
}

} // namespace sockscope::ui
