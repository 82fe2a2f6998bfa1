#pragma once

#include "ladderlayout.h"

#include "net/syserror.h"
#include "observe/capture.h"
#include "observe/segmentstates.h"
#include "observe/statetimeline.h"

#include <QImage>
#include <QWidget>

#include <expected>
#include <memory>
#include <optional>

class QPainter;

namespace sockscope::ui {

// The packet ladder of one TCP connection: the client's and the server's lifelines, an
// arrow per segment labelled with its flags (SYN, SYN-ACK, ACK, PSH, FIN, RST and
// tcpdump's letters), relative seq and ack, window, length and time, and, boxed beside
// each lifeline, the state that end is in between arrows. The states come from the
// segments themselves (core::SegmentStates) unless kernel timelines are given; with
// timelines and no segments (no permission to capture) the ladder shows the states alone.
// Everything drawn is plain text made here (numbers, flag and state names): no peer
// bytes. Put it in a QScrollArea: its minimum size is the whole ladder.
class LadderDiagram : public QWidget
{
    Q_OBJECT
public:
    explicit LadderDiagram(QWidget *parent = nullptr);

    // A capture's segments, with its packets for exportPcapng(). Only one connection is
    // drawn: the one setFlow() names, else the first segment's.
    void setCapture(const core::CaptureSnapshot &snapshot);
    // Segments alone (exportPcapng() then has nothing to write).
    void setSegments(const QList<core::Segment> &segments);
    void setFlow(std::optional<core::SegmentStates::Flow> flow);
    // States as the kernel showed them (TCP_INFO, sock_diag) instead of those read off the
    // segments. Null pointers: back to the segments. Call refresh() when they change.
    void setStateTimelines(std::shared_ptr<const core::StateTimeline> client,
                           std::shared_ptr<const core::StateTimeline> server);
    // Shown when there is nothing to draw, e.g. why the capture could not start.
    void setPlaceholderText(const QString &text);
    void refresh();
    void clear();

    // The connection drawn, its segments (in order) and the states around them.
    std::optional<core::SegmentStates::Flow> flow() const { return m_flow; }
    const QList<core::Segment> &shownSegments() const { return m_shown; }
    // Layout coordinates; in the widget they are shifted by contentOffset() (the ladder
    // is centred when the widget is wider).
    const LadderLayout &ladderLayout() const { return m_layout; }
    QPointF contentOffset() const;
    QString placeholderText() const { return m_placeholder; }

    // Fit to width: drawn smaller (down to kMinFitScale) rather than scrolled sideways when
    // the widget is narrower than the ladder, as in the Watch TCP dock. Off: full size.
    static constexpr qreal kMinFitScale = 0.6;
    void setFitToWidth(bool on);
    bool fitToWidth() const { return m_fit; }
    qreal viewScale() const; // how the widget draws the layout now (exports are full size)
    bool hasHeightForWidth() const override { return m_fit && !m_layout.times().isEmpty(); }
    int heightForWidth(int width) const override;

    QImage toImage(qreal scale = 1.0) const;
    std::expected<void, core::SysError> exportPng(const QString &path, qreal scale = 2.0) const;
    std::expected<void, core::SysError> exportSvg(const QString &path) const;
    // The packets of the connection drawn (not the whole capture), as pcapng.
    std::expected<void, core::SysError> exportPcapng(const QString &path) const;

    QSize sizeHint() const override;

    QColor kindColor(LadderArrowKind kind) const; // from ui/theme, for this widget's palette

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    void rebuild();
    qreal scaleFor(qreal width) const;
    LadderLayout::Input rowsFromSegments() const;
    LadderLayout::Input rowsFromTimelines() const;
    void paint(QPainter &p, QSize area) const;
    void paintArrow(QPainter &p, const LadderArrow &a) const;

    core::CaptureSnapshot m_capture;
    std::optional<core::SegmentStates::Flow> m_chosenFlow;
    std::optional<core::SegmentStates::Flow> m_flow;
    QList<core::Segment> m_shown;
    std::shared_ptr<const core::StateTimeline> m_clientTimeline;
    std::shared_ptr<const core::StateTimeline> m_serverTimeline;
    QString m_placeholder;
    LadderLayout m_layout;
    bool m_fit = false;
};

} // namespace sockscope::ui
