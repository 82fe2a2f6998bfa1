#include "hostdbform.h"

#include "lookuppane.h"

#include "widgets/formhelpers.h"

#include "engine/lookupservice.h"

#include <QComboBox>
#include <QGridLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace sockscope::ui {

using namespace sockscope::core;

namespace {

using Text = std::expected<QString, SysError>;

struct CallInfo
{
    const char *signature;
    const char *help;
    const char *input;       // default input; nullptr: the call takes none
    const char *placeholder;
    bool protocol;           // takes "tcp"/"udp"
    const char *note = nullptr; // shown beside the signature
};

constexpr CallInfo kCalls[HostDbForm::CallCount] = {
    {"gethostname()", QT_TRANSLATE_NOOP("HostDbForm", "This host's name, as the kernel holds it (uname -n)"),
     nullptr, nullptr, false},
    {"getfqdn(name)",
     QT_TRANSLATE_NOOP("HostDbForm", "Python's getfqdn: reverse-resolve the name's first address and take the "
                                     "first of its names that contains a dot. Empty: this host."),
     "", "this host", false},
    {"gethostbyname_ex(name)",
     QT_TRANSLATE_NOOP("HostDbForm", "Legacy and IPv4 only: the host's name, aliases and IPv4 addresses. "
                                     "New code uses getaddrinfo."),
     "localhost", nullptr, false, QT_TRANSLATE_NOOP("HostDbForm", "legacy, IPv4 only")},
    {"gethostbyaddr(address)",
     QT_TRANSLATE_NOOP("HostDbForm", "Legacy: the name and aliases of an address (a name is resolved first). "
                                     "New code uses getnameinfo."),
     "127.0.0.1", nullptr, false, QT_TRANSLATE_NOOP("HostDbForm", "legacy")},
    {"getservbyname(name, proto)",
     QT_TRANSLATE_NOOP("HostDbForm", "The port of a service name in /etc/services"), "http", nullptr, true},
    {"getservbyport(port, proto)",
     QT_TRANSLATE_NOOP("HostDbForm", "The service name of a port in /etc/services"), "53", nullptr, true},
    {"getprotobyname(name)",
     QT_TRANSLATE_NOOP("HostDbForm", "The number of a protocol name in /etc/protocols (the proto of socket())"),
     "tcp", nullptr, false},
    {"getprotobynumber(number)",
     QT_TRANSLATE_NOOP("HostDbForm", "The name of a protocol number in /etc/protocols"), "17", nullptr, false},
};

QString aliases(const QStringList &list)
{
    return list.isEmpty() ? QString() : QObject::tr("; aliases: %1").arg(list.join(QStringLiteral(", ")));
}

QString hostEntText(const HostEnt &h)
{
    return QObject::tr("%1%2; addresses: %3").arg(h.name, aliases(h.aliases), h.addresses.join(QStringLiteral(", ")));
}

QString servEntText(const ServEnt &s)
{
    return QObject::tr("%1/%2 is %3%4").arg(s.port).arg(s.protocol, s.name, aliases(s.aliases));
}

template<typename T, typename Format>
Text formatted(const std::expected<T, SysError> &result, Format format)
{
    if (!result)
        return std::unexpected(result.error());
    return format(*result);
}

} // namespace

HostDbForm::HostDbForm(LookupService &lookups, QWidget *parent)
    : QWidget(parent)
    , m_lookups(lookups)
{
    auto *grid = new QGridLayout;
    grid->setHorizontalSpacing(8);
    for (int c = 0; c < CallCount; ++c) {
        const CallInfo &info = kCalls[c];
        const QString signature = QString::fromLatin1(info.signature);
        const QString help = tr(info.help);
        Row &row = m_rows[size_t(c)];

        auto *label = new QLabel(info.note ? tr("%1  (%2)").arg(signature, tr(info.note)) : signature, this);
        label->setTextFormat(Qt::PlainText);
        label->setToolTip(help);
        grid->addWidget(label, c, 0);
        if (info.input) {
            row.input = new QLineEdit(QString::fromLatin1(info.input), this);
            if (info.placeholder)
                row.input->setPlaceholderText(tr(info.placeholder));
            describe(row.input, tr("%1 argument").arg(signature), help);
            label->setBuddy(row.input);
            grid->addWidget(row.input, c, 1);
            connect(row.input, &QLineEdit::returnPressed, this, [this, c] { run(Call(c)); });
        }
        if (info.protocol) {
            row.protocol = new QComboBox(this);
            row.protocol->addItem(tr("any"), QString());
            row.protocol->addItem(QStringLiteral("tcp"), QStringLiteral("tcp"));
            row.protocol->addItem(QStringLiteral("udp"), QStringLiteral("udp"));
            describe(row.protocol, tr("%1 protocol").arg(signature),
                     tr("Only entries for this protocol; \"any\" passes NULL"));
            grid->addWidget(row.protocol, c, 2);
        }
        row.run = new QPushButton(tr("Run"), this);
        describe(row.run, tr("Run %1").arg(signature), help);
        grid->addWidget(row.run, c, 3);
        connect(row.run, &QPushButton::clicked, this, [this, c] { run(Call(c)); });
        row.result = new QLineEdit(this);
        row.result->setReadOnly(true);
        describe(row.result, tr("%1 result").arg(signature), help);
        grid->addWidget(row.result, c, 4);
    }
    grid->setColumnStretch(1, 2);
    grid->setColumnStretch(4, 5);

    m_error = makeErrorLabel(this);
    m_error->setObjectName(QStringLiteral("errorLabel"));
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(grid);
    layout->addWidget(m_error);
    layout->addStretch(1);
}

void HostDbForm::run(Call call)
{
    Row &row = m_rows[size_t(call)];
    const QString text = row.input ? row.input->text().trimmed() : QString();
    const QString proto = row.protocol ? row.protocol->currentData().toString() : QString();
    std::function<Text()> work;
    switch (call) {
    case GetHostName:
        work = [] { return Resolver::gethostname(); };
        break;
    case GetFqdn:
        work = [text]() -> Text { return Resolver::getfqdn(text); };
        break;
    case GetHostByNameEx:
        work = [text] { return formatted(Resolver::gethostbyname_ex(text), hostEntText); };
        break;
    case GetHostByAddr:
        work = [text] { return formatted(Resolver::gethostbyaddr(text), hostEntText); };
        break;
    case GetServByName:
        work = [text, proto] { return formatted(Resolver::getservbyname(text, proto), servEntText); };
        break;
    case GetServByPort:
    case GetProtoByNumber: {
        bool ok = false;
        const int number = text.toInt(&ok);
        if (!ok) {
            showError(m_error, tr("%1: \"%2\" is not a number").arg(QLatin1String(kCalls[call].signature), text));
            row.input->setFocus();
            return;
        }
        if (call == GetServByPort)
            work = [number, proto] { return formatted(Resolver::getservbyport(number, proto), servEntText); };
        else
            work = [number] {
                return formatted(Resolver::getprotobynumber(number), [](const ProtoEnt &p) {
                    return QObject::tr("%1 is %2%3").arg(p.number).arg(p.name, aliases(p.aliases));
                });
            };
        break;
    }
    case GetProtoByName:
        work = [text] {
            return formatted(Resolver::getprotobyname(text), [](const ProtoEnt &p) {
                return QObject::tr("%1 is %2%3").arg(p.name).arg(p.number).arg(aliases(p.aliases));
            });
        };
        break;
    case CallCount:
        return;
    }

    showError(m_error, {});
    if (row.pending)
        m_lookups.cancel(row.pending);
    row.result->setText(tr("…"));
    row.pending = m_lookups.submit<Text>(std::move(work), this, [this, call](const LookupResult<Text> &r) {
        Row &done = m_rows[size_t(call)];
        done.pending = 0;
        if (r.value) {
            done.result->setText(*r.value);
            done.result->setCursorPosition(0);
        } else {
            done.result->clear();
            showError(m_error, QStringLiteral("%1: %2").arg(QLatin1String(kCalls[call].signature),
                                                            LookupPane::errorText(r.value.error())));
        }
        emit finished(call);
    });
}

} // namespace sockscope::ui
