#include "theme.h"

#include <QApplication>
#include <QEvent>
#include <QHash>
#include <QMetaEnum>
#include <QPointer>
#include <QWidget>

#include <algorithm>
#include <cmath>

namespace sockscope::ui {

namespace {

using Role = Theme::Role;

// The hues, as they look on a white page; ink() and tint() fit them to the palette.
// Roles missing here take their hue from the palette (see Theme::color).
struct Hue
{
    Role role;
    QRgb rgb;
};
constexpr Hue kHues[] = {
    {Role::Error, 0xb3261e},       {Role::Warning, 0x9a6700},       {Role::Success, 0x1b7a2e},
    {Role::Client, 0x1f6fc5},      {Role::Server, 0xe06c00},        {Role::Received, 0x1a5fb4},
    {Role::Sent, 0x1e7d32},        {Role::ArrowSyn, 0x1565c0},      {Role::ArrowData, 0x2e7d32},
    {Role::ArrowFin, 0x8e24aa},    {Role::ArrowRst, 0xc62828},      {Role::StateOpening, 0x1565c0},
    {Role::StateEstablished, 0x2e7d32}, {Role::StateClosing, 0xe06c00}, {Role::StateTimeWait, 0x8e24aa},
    {Role::ClientTint, 0x1f6fc5},  {Role::ServerTint, 0xe06c00},    {Role::ErrorTint, 0xe53935},
    {Role::WarningTint, 0xffc400}, {Role::OwnTint, 0xffc400},       {Role::StateOpeningTint, 0x1f6fc5},
    {Role::StateEstablishedTint, 0x43a047}, {Role::StateClosingTint, 0xe06c00},
    {Role::StateTimeWaitTint, 0x8e24aa},
};

std::optional<QColor> fixedHue(Role role)
{
    for (const Hue &h : kHues) {
        if (h.role == role)
            return QColor::fromRgb(h.rgb);
    }
    return std::nullopt;
}

double channel(double c)
{
    return c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
}

// Keeps a widget's colours fitted to its palette when the application's palette changes
// (a desktop switching to its dark theme while the app runs).
class RoleKeeper : public QObject
{
public:
    static constexpr auto kName = "sockscope-theme-roles";
    explicit RoleKeeper(QWidget *widget) : QObject(widget)
    {
        setObjectName(QLatin1String(kName));
        widget->installEventFilter(this);
    }
    static RoleKeeper *of(QWidget *widget)
    {
        // Not a Q_OBJECT: found by name, the only child so named.
        return static_cast<RoleKeeper *>(widget->findChild<QObject *>(QLatin1String(kName), Qt::FindDirectChildrenOnly));
    }
    std::optional<Role> text;
    std::optional<Role> fill;
    void apply(QWidget *widget) const;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        // A new application palette reaches a child as PaletteChange (propagated from its
        // window); ours too, after apply(), which then finds nothing to change.
        if (event->type() == QEvent::PaletteChange || event->type() == QEvent::ApplicationPaletteChange
            || event->type() == QEvent::ParentChange) {
            // Queued: the parent may get the new palette after this widget does.
            QMetaObject::invokeMethod(this, [this, w = QPointer<QWidget>(static_cast<QWidget *>(watched))] {
                if (w)
                    apply(w);
            }, Qt::QueuedConnection);
        }
        return false;
    }
};

void RoleKeeper::apply(QWidget *widget) const
{
    // The palette the widget would have without our colours.
    const QPalette natural = widget->parentWidget() ? widget->parentWidget()->palette() : QApplication::palette(widget);
    const Theme theme(natural);
    const QColor ink = text ? theme.color(*text) : natural.color(QPalette::Text);
    const QPalette &now = widget->palette();
    if (now.color(QPalette::WindowText) == ink && now.color(QPalette::Text) == ink
        && (!fill || now.color(QPalette::Window) == theme.color(*fill)))
        return;
    // Only our roles are set: every other one keeps following the parent's palette.
    QPalette pal;
    pal.setColor(QPalette::WindowText, ink);
    pal.setColor(QPalette::Text, ink);
    if (fill)
        pal.setColor(QPalette::Window, theme.color(*fill));
    widget->setPalette(pal);
}

RoleKeeper *keeperFor(QWidget *widget)
{
    RoleKeeper *keeper = RoleKeeper::of(widget);
    return keeper ? keeper : new RoleKeeper(widget);
}

} // namespace

Theme::Theme(const QPalette &palette) : m_palette(palette) {}

Theme Theme::ofApp()
{
    return Theme(QGuiApplication::palette());
}

Theme::Kind Theme::kind(Role role)
{
    if (role >= Role::ClientTint)
        return Kind::Tint;
    if (role >= Role::StateOpening || role == Role::Accent)
        return Kind::Line;
    return Kind::Text;
}

QList<Theme::Role> Theme::roles()
{
    const QMetaEnum e = QMetaEnum::fromType<Role>();
    QList<Role> all;
    for (int i = 0; i < e.keyCount(); ++i)
        all.append(Role(e.value(i)));
    return all;
}

QString Theme::roleName(Role role)
{
    return QString::fromLatin1(QMetaEnum::fromType<Role>().valueToKey(int(role)));
}

Theme::Role Theme::state(core::TcpState state)
{
    switch (core::rfcState(state)) {
    case core::TcpState::Listen:
    case core::TcpState::SynSent:
    case core::TcpState::SynReceived: return Role::StateOpening;
    case core::TcpState::Established: return Role::StateEstablished;
    case core::TcpState::FinWait1:
    case core::TcpState::FinWait2:
    case core::TcpState::CloseWait:
    case core::TcpState::Closing:
    case core::TcpState::LastAck: return Role::StateClosing;
    case core::TcpState::TimeWait: return Role::StateTimeWait;
    default: return Role::StateClosed;
    }
}

Theme::Role Theme::stateTint(core::TcpState state)
{
    // The tints follow the inks in the same order.
    return Role(int(Role::StateOpeningTint) + (int(Theme::state(state)) - int(Role::StateOpening)));
}

QColor Theme::color(Role role) const
{
    // Models ask per cell and per repaint; the search in ink() is worth keeping. Widgets
    // sharing a palette share its cacheKey, so one entry serves nearly every call.
    struct Cache
    {
        qint64 key = 0;
        QHash<int, QColor> colors;
    };
    static Cache cache; // GUI thread only, as every palette is
    if (cache.key != m_palette.cacheKey()) {
        cache.key = m_palette.cacheKey();
        cache.colors.clear();
    }
    auto it = cache.colors.find(int(role));
    if (it == cache.colors.end())
        it = cache.colors.insert(int(role), compute(role));
    return *it;
}

QColor Theme::compute(Role role) const
{
    const QColor text = m_palette.color(QPalette::Text);
    const QColor base = m_palette.color(QPalette::Base);
    const double ratio = kind(role) == Kind::Text ? kTextContrast : kLineContrast;
    switch (role) {
    case Role::Muted: return ink(blend(text, base, 0.45), ratio);
    case Role::ArrowAck: return ink(blend(text, base, 0.4), ratio);
    case Role::StateClosed: return ink(blend(text, base, 0.5), ratio);
    case Role::Line: return ink(blend(text, base, 0.55), ratio);
    case Role::Border: return ink(blend(text, base, 0.3), ratio);
    case Role::Accent: return ink(m_palette.color(QPalette::Highlight), ratio);
    case Role::StateClosedTint: return blend(base, text, isDark() ? 0.2 : 0.12);
    default: break;
    }
    const QColor hue = fixedHue(role).value_or(text);
    return kind(role) == Kind::Tint ? tint(hue) : ink(hue, ratio);
}

QColor Theme::ink(const QColor &hue, double ratio) const
{
    const QColor base = m_palette.color(QPalette::Base);
    const QColor window = m_palette.color(QPalette::Window);
    const QColor striped = m_palette.color(QPalette::AlternateBase); // every other row of a table
    const auto reads = [&](const QColor &c) {
        return std::min({contrast(c, base), contrast(c, window), contrast(c, striped)});
    };
    if (reads(hue) >= ratio)
        return hue;
    // Keep hue and saturation; find the lightness nearest the hue's own that reads,
    // towards black on a light palette and towards white on a dark one.
    float h = 0, s = 0, l = 0, a = 1;
    hue.getHslF(&h, &s, &l, &a);
    const float far = isDark() ? 1.0f : 0.0f;
    const auto at = [&](float lightness) { return QColor::fromHslF(h, s, lightness, a); };
    if (reads(at(far)) < ratio)
        return at(far);
    float near = l;
    float enough = far;
    for (int i = 0; i < 20; ++i) {
        const float mid = (near + enough) / 2;
        (reads(at(mid)) >= ratio ? enough : near) = mid;
    }
    return at(enough);
}

QColor Theme::tint(const QColor &hue) const
{
    // A dark Base needs more of the hue for the wash to show.
    return blend(m_palette.color(QPalette::Base), hue, isDark() ? 0.3 : 0.22);
}

QColor Theme::textOn(const QColor &fill) const
{
    const QColor base = m_palette.color(QPalette::Base);
    const QColor text = m_palette.color(QPalette::Text);
    return contrast(base, fill) >= contrast(text, fill) ? base : text;
}

bool Theme::isDark() const
{
    return luminance(m_palette.color(QPalette::Base)) < luminance(m_palette.color(QPalette::Text));
}

void Theme::setTextRole(QWidget *widget, std::optional<Role> role)
{
    RoleKeeper *keeper = RoleKeeper::of(widget);
    if (!role && (!keeper || !keeper->fill)) {
        if (keeper) {
            delete keeper;
            widget->setPalette(QPalette()); // inherit again
        }
        return;
    }
    keeper = keeperFor(widget);
    keeper->text = role;
    keeper->apply(widget);
}

void Theme::setFillRole(QWidget *widget, Role tint)
{
    RoleKeeper *keeper = keeperFor(widget);
    keeper->fill = tint;
    widget->setAutoFillBackground(true);
    keeper->apply(widget);
}

double Theme::luminance(const QColor &c)
{
    const QColor rgb = c.toRgb();
    return 0.2126 * channel(rgb.redF()) + 0.7152 * channel(rgb.greenF()) + 0.0722 * channel(rgb.blueF());
}

double Theme::contrast(const QColor &a, const QColor &b)
{
    const double la = luminance(a), lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

QColor Theme::blend(const QColor &from, const QColor &to, qreal amount)
{
    const QColor f = from.toRgb(), t = to.toRgb();
    const auto mix = [amount](float x, float y) { return x + (y - x) * float(amount); };
    return QColor::fromRgbF(mix(f.redF(), t.redF()), mix(f.greenF(), t.greenF()), mix(f.blueF(), t.blueF()),
                            mix(f.alphaF(), t.alphaF()));
}

} // namespace sockscope::ui
