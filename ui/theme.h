#pragma once

#include "net/tcpstate.h"

#include <QColor>
#include <QList>
#include <QObject>
#include <QPalette>

#include <optional>

class QWidget;

namespace sockscope::ui {

// The one source of colours in ui/: every painter, model and label asks for a named role
// here instead of writing a colour. A role is a hue (or a palette colour) fitted to the
// palette it is drawn on, so light and dark themes both read:
// - ink roles (text and lines) keep their hue and move their lightness away from the
//   palette's Base, Window and AlternateBase until the contrast reaches WCAG's 4.5:1 for text (3:1 for
//   lines and borders, as WCAG 1.4.11 asks of graphics);
// - tint roles (fills behind text in palette Text) are the hue blended into Base: a pale
//   wash on a light palette, a deep one on a dark palette.
// Cheap to make (a palette copy): build one per paint from the widget's palette().
class Theme
{
    Q_GADGET
public:
    enum class Role {
        // Text
        Error,
        Warning,
        Success,
        Muted, // secondary text: captions, labels of facts, columns that cannot change
        Client,
        Server,
        Received, // traffic coming in (recv, recvfrom)
        Sent,     // traffic going out (send, sendto)
        Accent,   // a neutral emphasis: the filled places of the accept queue
        ArrowSyn,
        ArrowData,
        ArrowAck,
        ArrowFin,
        ArrowRst,
        // TCP states grouped as the ladder shows them: text and the lifeline band.
        StateOpening, // LISTEN, SYN_SENT, SYN_RECEIVED
        StateEstablished,
        StateClosing, // FIN_WAIT_1/2, CLOSE_WAIT, CLOSING, LAST_ACK
        StateTimeWait,
        StateClosed,
        // Lines (3:1)
        Line,   // the arrows of the state machine, empty places, grids
        Border, // box outlines
        // Tints: fills behind palette Text
        ClientTint,
        ServerTint,
        ErrorTint,   // the span of a parse error
        WarningTint, // a banner that something was left out
        OwnTint,     // rows of this app's own sessions among the system's sockets
        StateOpeningTint,
        StateEstablishedTint,
        StateClosingTint,
        StateTimeWaitTint,
        StateClosedTint,
    };
    Q_ENUM(Role)
    enum class Kind { Text, Line, Tint };
    static constexpr double kTextContrast = 4.5;
    static constexpr double kLineContrast = 3.0;

    explicit Theme(const QPalette &palette);
    static Theme ofApp(); // QGuiApplication::palette(): for models, which know no widget

    QColor color(Role role) const;
    QColor operator()(Role role) const { return color(role); }
    static Kind kind(Role role);
    static QList<Role> roles(); // all of them, for tests
    static QString roleName(Role role);

    static Role end(bool client) { return client ? Role::Client : Role::Server; }
    static Role endTint(bool client) { return client ? Role::ClientTint : Role::ServerTint; }
    static Role state(core::TcpState state);
    static Role stateTint(core::TcpState state);

    // Text drawn on a fill of an ink colour (a tag, a token): Base or Text, whichever reads.
    QColor textOn(const QColor &fill) const;
    bool isDark() const;
    const QPalette &palette() const { return m_palette; }

    // A label's text in a role, through its palette (WindowText and Text), not a style
    // sheet; nullopt: back to the inherited colour.
    static void setTextRole(QWidget *widget, std::optional<Role> role);
    // A widget filled with a tint role (its Window colour), its text in palette Text.
    static void setFillRole(QWidget *widget, Role tint);

    // WCAG 2 relative luminance (0 black .. 1 white) and contrast ratio (1 .. 21).
    static double luminance(const QColor &c);
    static double contrast(const QColor &a, const QColor &b);
    static QColor blend(const QColor &from, const QColor &to, qreal amount); // amount 0: from, 1: to

private:
    QColor compute(Role role) const;
    QColor ink(const QColor &hue, double ratio) const;
    QColor tint(const QColor &hue) const;

    QPalette m_palette;
};

} // namespace sockscope::ui
