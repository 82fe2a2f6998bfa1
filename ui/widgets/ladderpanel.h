#pragma once

#include "observe/captureservice.h"
#include "observe/segmentstates.h"
#include "observe/statetimeline.h"
#include "uitick.h"

#include <QWidget>

#include <memory>
#include <optional>

class QLabel;
class QScrollArea;
class QToolButton;

namespace sockscope::ui {

class LadderDiagram;

// The packet ladder as the app shows it: a LadderDiagram in a scroll area, fed by a
// core::Capture of one TCP port from the app's CaptureService (the sockscope-capture
// helper, read over a pipe on this thread's event loop, shared with other views of the
// same flow and stopped by the service without waiting when let go), with a "Capture packets" switch, a status line and
// export to PNG, SVG and pcapng. The ladder is redrawn at most every kRedrawMs however
// fast segments come.
//
// When the helper may not capture (no CAP_NET_RAW: decided by Capture::isPermissionError,
// never by the message), the ladder says so with the setcap hint and falls back to the
// states alone, from the kernel timelines given by setStateTimelines().
class LadderPanel : public QWidget
{
    Q_OBJECT
public:
    static constexpr int kRedrawMs = 100;

    explicit LadderPanel(core::CaptureService &captures, QWidget *parent = nullptr);
    ~LadderPanel() override;

    // Capture TCP port `port` on this interface from now on: a new port or interface clears
    // the ladder and restarts the capture; the same leaves a running capture alone; port 0
    // stops and clears. "lo" for loopback flows, "any" for the rest (CaptureFilter::interfaceFor).
    void watchPort(quint16 port, const QString &interfaceName = QStringLiteral("lo"));
    quint16 port() const { return m_port; }
    QString interfaceName() const { return m_interface; }
    // The connection to draw when the port carries several (nullopt: the first seen).
    void setFlow(std::optional<core::SegmentStates::Flow> flow);
    // The kernel's view of each end: drawn between the arrows instead of the states read
    // off the segments, and alone when nothing could be captured.
    void setStateTimelines(std::shared_ptr<const core::StateTimeline> client,
                           std::shared_ptr<const core::StateTimeline> server);
    void refreshStates(); // the timelines changed

    // Off: the running capture stops, what was captured stays; on: a fresh capture starts.
    void setCaptureEnabled(bool on);
    bool captureEnabled() const;
    // The program that captures and the arguments before the filter's (tests run it as an
    // unprivileged user this way). Applies from the next start.
    void setHelper(const QString &program, const QStringList &leadingArguments = {});

    const core::Capture *capture() const { return m_capture.get(); }
    const QList<core::Segment> &segments() const;
    bool permissionDenied() const { return m_permissionDenied; }
    LadderDiagram *diagram() const { return m_diagram; }
    QString statusText() const;

signals:
    void segmentsChanged(); // new segments are on the ladder

private:
    void startCapture();
    void stopCapture();
    void retireCapture();
    void onFailed(const core::SysError &error);
    void redraw();
    void setStatus(const QString &text, bool problem = false);
    void exportAs(const QString &format);

    quint16 m_port = 0;
    QString m_interface = QStringLiteral("lo");
    core::CaptureService &m_captures;
    std::shared_ptr<core::Capture> m_capture;
    std::optional<core::CaptureSnapshot> m_kept; // let go of a shared capture: what it had
    QString m_helper;
    QStringList m_helperLeading;
    bool m_permissionDenied = false;
    bool m_hasTimelines = false;
    bool m_followEnd = true; // the view is at the ladder's end: it stays there as arrows come
    QToolButton *m_captureButton = nullptr;
    QToolButton *m_exportButton = nullptr;
    QToolButton *m_fitButton = nullptr;
    QLabel *m_status = nullptr;
    QScrollArea *m_scroll = nullptr;
    LadderDiagram *m_diagram = nullptr;
    UiTick::Subscription *m_redraw = nullptr;
    bool m_redrawPending = false;
};

} // namespace sockscope::ui
