#include "multicastform.h"

#include "widgets/formhelpers.h"

#include <QCheckBox>
#include <QGridLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace sockscope::ui {

using namespace sockscope::core;

namespace {

constexpr int kDefaultHops = 1; // the kernel's default for multicast: it stays on the link

bool sameInterface(const KernelGroup &kernel, const QString &interface)
{
    if (interface.isEmpty())
        return true; // the routing table chose
    bool numeric = false;
    const int index = interface.toInt(&numeric);
    return numeric ? kernel.ifindex == index : kernel.interface == interface;
}

} // namespace

MulticastForm::MulticastForm(SessionManager &sessions, QWidget *parent)
    : QWidget(parent)
    , m_sessions(sessions)
{
    m_group = new QLineEdit(this);
    m_group->setObjectName(QStringLiteral("multicastGroupEdit"));
    m_group->setPlaceholderText(QStringLiteral("239.1.2.3"));
    describe(m_group, tr("Multicast group"), tr("Group to join or leave: 224.0.0.0 to 239.255.255.255, or ff00::/8 for IPv6"));
    m_interface = new QLineEdit(this);
    m_interface->setObjectName(QStringLiteral("multicastInterfaceEdit"));
    m_interface->setPlaceholderText(tr("any"));
    describe(m_interface, tr("Multicast interface"),
             tr("Interface name or index to join on (lo, eth0, 2); empty lets the routing table choose"));
    m_join = new QPushButton(tr("&Join"), this);
    m_join->setObjectName(QStringLiteral("joinButton"));
    describe(m_join, tr("Join group"), tr("setsockopt(IP_ADD_MEMBERSHIP or IPV6_JOIN_GROUP)"));
    m_leave = new QPushButton(tr("Lea&ve"), this);
    m_leave->setObjectName(QStringLiteral("leaveButton"));
    describe(m_leave, tr("Leave group"), tr("setsockopt(IP_DROP_MEMBERSHIP or IPV6_LEAVE_GROUP)"));
    m_hops = new QSpinBox(this);
    m_hops->setObjectName(QStringLiteral("multicastHopsBox"));
    m_hops->setRange(0, 255);
    m_hops->setValue(kDefaultHops);
    describe(m_hops, tr("Multicast TTL"),
             tr("IP_MULTICAST_TTL / IPV6_MULTICAST_HOPS of what this socket sends to groups: 1 stays on the link, 0 on this host"));
    m_loop = new QCheckBox(tr("Loo&pback"), this);
    m_loop->setObjectName(QStringLiteral("multicastLoopBox"));
    m_loop->setChecked(true);
    describe(m_loop, tr("Multicast loopback"),
             tr("IP_MULTICAST_LOOP / IPV6_MULTICAST_LOOP: our own multicast also reaches this host's members"));
    m_groups = new QListWidget(this);
    m_groups->setObjectName(QStringLiteral("multicastGroupsList"));
    m_groups->setMaximumHeight(90);
    describe(m_groups, tr("Joined groups"),
             tr("Groups this socket joined, as the kernel lists them in /proc/net/igmp and /proc/net/igmp6 "
                "(members counts every socket on that interface)"));
    m_error = makeErrorLabel(this);
    m_error->setObjectName(QStringLiteral("multicastError"));

    auto *grid = new QGridLayout;
    grid->addWidget(buddyLabel(tr("Gro&up"), m_group), 0, 0);
    grid->addWidget(m_group, 0, 1);
    grid->addWidget(buddyLabel(tr("I&nterface"), m_interface), 0, 2);
    grid->addWidget(m_interface, 0, 3);
    grid->addWidget(m_join, 0, 4);
    grid->addWidget(m_leave, 0, 5);
    grid->addWidget(buddyLabel(tr("&TTL"), m_hops), 1, 0);
    grid->addWidget(m_hops, 1, 1);
    grid->addWidget(m_loop, 1, 2, 1, 2);
    grid->setColumnStretch(1, 1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(grid);
    layout->addWidget(buddyLabel(tr("Joined groups (&kernel)"), m_groups));
    layout->addWidget(m_groups);
    layout->addWidget(m_error);

    connect(m_join, &QPushButton::clicked, this, &MulticastForm::join);
    connect(m_leave, &QPushButton::clicked, this, &MulticastForm::leave);
    connect(m_hops, &QSpinBox::editingFinished, this, [this] {
        if (m_session)
            applyNow(multicast::hopsSetting(m_family, m_hops->value()));
    });
    connect(m_loop, &QCheckBox::toggled, this, [this](bool on) {
        if (m_session)
            applyNow(multicast::loopSetting(m_family, on));
    });
}

void MulticastForm::setSession(SessionId id, int family)
{
    m_session = id;
    m_family = family;
    m_joined.clear();
    m_groups->clear();
    showError(m_error, {});
}

QList<OptionSetting> MulticastForm::settingsBeforeBind(int family) const
{
    QList<OptionSetting> settings;
    if (m_hops->value() != kDefaultHops)
        settings << multicast::hopsSetting(family, m_hops->value());
    if (!m_loop->isChecked())
        settings << multicast::loopSetting(family, false);
    return settings;
}

std::optional<multicast::GroupRequest> MulticastForm::request()
{
    auto group = multicast::parseGroup(m_group->text(), tr("Multicast group"));
    if (!group) {
        showError(m_error, tr("Multicast group: %1").arg(group.error().message()));
        return std::nullopt;
    }
    if (!m_session) {
        showError(m_error, tr("Multicast group: open the socket first"));
        return std::nullopt;
    }
    if (group->family() != m_family) {
        showError(m_error, tr("Multicast group: %1 is an %2 group; this socket is %3")
                               .arg(group->host(), group->family() == AF_INET ? tr("IPv4") : tr("IPv6"),
                                    m_family == AF_INET ? tr("IPv4") : tr("IPv6")));
        return std::nullopt;
    }
    const QString interface = m_interface->text().trimmed();
    if (interface.contains(u' ') || interface.contains(u'/') || interface.contains(u',')) {
        showError(m_error, tr("Multicast interface: \"%1\" is not an interface name or index").arg(interface));
        return std::nullopt;
    }
    return multicast::GroupRequest{group->host(), interface, group->family()};
}

void MulticastForm::join()
{
    if (const auto r = request())
        applyNow(multicast::joinSetting(*r), [this, r = *r] {
            m_joined << r;
            refreshGroups();
        });
}

void MulticastForm::leave()
{
    if (const auto r = request())
        applyNow(multicast::leaveSetting(*r), [this, r = *r] {
            m_joined.removeAll(r);
            refreshGroups();
        });
}

void MulticastForm::applyNow(const OptionSetting &setting, std::function<void()> then)
{
    const SessionId session = m_session;
    m_sessions.applyOption(session, setting, this, [this, session, setting, then](const OptionApplyResult &result) {
        if (session != m_session)
            return; // the socket was replaced meanwhile
        if (!result.ok()) {
            showError(m_error, tr("%1: %2").arg(setting.name, result.error->toString()));
            return;
        }
        showError(m_error, {});
        if (then)
            then();
    });
}

void MulticastForm::refreshGroups()
{
    const SessionId session = m_session;
    m_sessions.readKernelGroups(this, [this, session](const QList<KernelGroup> &groups) {
        if (session != m_session)
            return;
        m_groups->clear();
        for (const KernelGroup &g : groups) {
            const bool ours = std::ranges::any_of(m_joined, [&](const multicast::GroupRequest &r) {
                return r.group == g.group && sameInterface(g, r.interface);
            });
            if (ours)
                m_groups->addItem(tr("%1 on %2 (%n member(s))", nullptr, g.users).arg(g.group, g.interface));
        }
    });
}

} // namespace sockscope::ui
