#pragma once

#include "observe/segment.h"
#include "observe/segmentstates.h"

#include <QFont>
#include <QList>
#include <QPointF>
#include <QRectF>
#include <QSizeF>
#include <QString>

#include <optional>

namespace sockscope::ui {

// What an arrow carries, for its colour: the handshake, data, a bare ACK, a FIN, a RST.
enum class LadderArrowKind { Syn, Data, Ack, Fin, Rst };

// One segment drawn as an arrow between the lifelines, with its two lines of text.
struct LadderArrow
{
    qsizetype segment = -1;   // index into the segments the layout was given
    bool toServer = true;
    LadderArrowKind kind = LadderArrowKind::Ack;
    QPointF from;             // on the sender's lifeline
    QPointF to;               // on the receiver's, where the head is
    QString flags;            // tcpdump's letters: "S."
    QString title;            // "SYN-ACK [S.]  mss 65495, wscale 10, SACK"
    QString detail;           // "seq 0  ack 1  win 65483  len 0"
    QString time;             // since the first segment: "0.012 ms"
    QRectF titleRect;
    QRectF detailRect;
    QRectF timeRect;
};

// A state an end entered, boxed beside its lifeline (the client's on the left, the
// server's on the right), level with the arrow that moved it; row -1 is the state held
// before the first arrow.
struct LadderStateLabel
{
    bool client = true;
    core::TcpState state = core::TcpState::Closed;
    QString text;             // "SYN_RECEIVED"
    int row = -1;
    QRectF rect;
};

// The time of a row, since the first, in the left column.
struct LadderTime
{
    int row = 0;
    QString text;
    QRectF rect;
};

// A stretch of a lifeline spent in one state, drawn in that state's colour.
struct LadderBand
{
    bool client = true;
    core::TcpState state = core::TcpState::Closed;
    qreal top = 0;
    qreal bottom = 0;
};

// Geometry of a packet ladder, computed from the rows and the font alone so the widget,
// the PNG and the SVG draw the same picture and tests can check where things went. Rows
// are evenly spaced, not scaled by time: on loopback a handshake takes microseconds and
// a reply may come seconds later; the time column gives the real times.
class LadderLayout
{
public:
    struct Row
    {
        qint64 tNs = 0;
        std::optional<core::Segment> segment; // none: a state change seen without a segment
        core::EndStates after;                // both ends' states after this row
    };
    struct Input
    {
        core::Address client;  // arrows from here point right
        QString clientTitle;   // "127.0.0.1:41234"
        QString serverTitle;
        core::EndStates before; // before the first row
        QList<Row> rows;
        // Window scale in effect per side (both SYNs carried the option), for the window
        // a segment really offers; nullopt: shown as sent.
        std::optional<quint8> clientScale;
        std::optional<quint8> serverScale;
        QString footnote;      // under the ladder, wrapped to its width
    };

    static LadderLayout compute(const Input &input, const QFont &font);

    QSizeF size() const { return m_size; }
    qreal clientX() const { return m_clientX; }
    qreal serverX() const { return m_serverX; }
    QRectF clientHeader() const { return m_clientHeader; }
    QRectF serverHeader() const { return m_serverHeader; }
    QRectF timeHeader() const { return m_timeHeader; } // over the time column
    QString clientTitle() const { return m_clientTitle; }
    QString serverTitle() const { return m_serverTitle; }
    qreal lifelineTop() const { return m_lifelineTop; }
    qreal lifelineBottom() const { return m_lifelineBottom; }
    const QList<LadderArrow> &arrows() const { return m_arrows; }
    const QList<LadderStateLabel> &states() const { return m_states; }
    const QList<LadderBand> &bands() const { return m_bands; }
    const QList<LadderTime> &times() const { return m_times; }
    qreal lineHeight() const { return m_lineHeight; }
    QString footnote() const { return m_footnote; }
    QRectF footnoteRect() const { return m_footnoteRect; }

    static QString timeText(qint64 sinceFirstNs); // "0.012 ms", "1.250 s"
    static LadderArrowKind kindOf(const core::Segment &segment);

private:
    QSizeF m_size;
    qreal m_clientX = 0;
    qreal m_serverX = 0;
    qreal m_lineHeight = 0;
    qreal m_lifelineTop = 0;
    qreal m_lifelineBottom = 0;
    QRectF m_clientHeader;
    QRectF m_serverHeader;
    QRectF m_timeHeader;
    QString m_clientTitle;
    QString m_serverTitle;
    QString m_footnote;
    QRectF m_footnoteRect;
    QList<LadderArrow> m_arrows;
    QList<LadderStateLabel> m_states;
    QList<LadderBand> m_bands;
    QList<LadderTime> m_times;
};

} // namespace sockscope::ui
