#include "ladderpanel.h"

#include "accessiblelabel.h"
#include "theme.h"
#include "formhelpers.h"
#include "ladderdiagram.h"
#include "uitick.h"

#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenu>
#include <QScrollArea>
#include <QScrollBar>
#include <QStandardPaths>
#include <QToolButton>
#include <QVBoxLayout>

namespace sockscope::ui {

using namespace sockscope::core;

LadderPanel::LadderPanel(CaptureService &captures, QWidget *parent)
    : QWidget(parent)
    , m_captures(captures)
    , m_helper(Capture::defaultHelperPath())
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *bar = new QHBoxLayout;
    m_captureButton = new QToolButton(this);
    m_captureButton->setObjectName(QStringLiteral("captureButton"));
    m_captureButton->setText(tr("Capture packets"));
    m_captureButton->setCheckable(true);
    m_captureButton->setChecked(true);
    m_captureButton->setToolButtonStyle(Qt::ToolButtonTextOnly);
    describe(m_captureButton, tr("Capture packets"),
             tr("Capture this connection's TCP segments with sockscope-capture (needs CAP_NET_RAW)"));
    connect(m_captureButton, &QToolButton::toggled, this, &LadderPanel::setCaptureEnabled);
    bar->addWidget(m_captureButton);
    m_status = new QLabel(this);
    nameStatusLabel(m_status, tr("Packet ladder status"));
    m_status->setTextFormat(Qt::PlainText);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse); // the setcap command can be copied
    bar->addWidget(m_status, 1);
    m_fitButton = new QToolButton(this);
    m_fitButton->setObjectName(QStringLiteral("fitButton"));
    m_fitButton->setText(tr("Fit"));
    m_fitButton->setCheckable(true);
    m_fitButton->setChecked(true);
    describe(m_fitButton, tr("Fit to width"),
             tr("Draw the ladder smaller rather than scroll sideways when the panel is narrow; off: full size"));
    bar->addWidget(m_fitButton);
    m_exportButton = new QToolButton(this);
    m_exportButton->setObjectName(QStringLiteral("exportButton"));
    m_exportButton->setText(tr("Export"));
    m_exportButton->setPopupMode(QToolButton::InstantPopup);
    describe(m_exportButton, tr("Export"), tr("Save the ladder as PNG or SVG, or its packets as pcapng for Wireshark"));
    auto *menu = new QMenu(m_exportButton);
    menu->addAction(tr("Ladder as &PNG…"), this, [this] { exportAs(QStringLiteral("png")); });
    menu->addAction(tr("Ladder as &SVG…"), this, [this] { exportAs(QStringLiteral("svg")); });
    menu->addAction(tr("Packets as p&capng…"), this, [this] { exportAs(QStringLiteral("pcapng")); });
    m_exportButton->setMenu(menu);
    bar->addWidget(m_exportButton);
    layout->addLayout(bar);

    m_diagram = new LadderDiagram(this);
    m_diagram->setFitToWidth(true);
    connect(m_fitButton, &QToolButton::toggled, m_diagram, &LadderDiagram::setFitToWidth);
    m_scroll = new QScrollArea(this);
    m_scroll->setWidgetResizable(true);
    m_scroll->setWidget(m_diagram);
    describe(m_scroll, tr("Packet ladder"),
             tr("Client and server lifelines, an arrow per segment with its flags, relative seq/ack, window, length and time"));
    layout->addWidget(m_scroll, 1);
    // A live ladder keeps its newest arrow in view, unless the user scrolled up to read.
    QScrollBar *vertical = m_scroll->verticalScrollBar();
    connect(vertical, &QScrollBar::valueChanged, this, [this, vertical](int value) { m_followEnd = value == vertical->maximum(); });
    connect(vertical, &QScrollBar::rangeChanged, this, [this, vertical](int, int maximum) {
        if (m_followEnd)
            vertical->setValue(maximum);
    });

    // New segments are drawn at most every kRedrawMs, on the window's tick; also while the
    // panel is hidden (a lesson's ladder tab not in front): its status and segment count are
    // read from outside, and it is poked only when segments came.
    m_redraw = UiTick::subscribe(this, kRedrawMs, [this] {
        if (m_redrawPending) {
            m_redrawPending = false;
            redraw();
        }
        return false;
    });
    m_redraw->setWhileHidden(true);
    watchPort(0);
}

LadderPanel::~LadderPanel() = default;

void LadderPanel::watchPort(quint16 port, const QString &interfaceName)
{
    if (port == m_port && interfaceName == m_interface && port != 0 && (m_capture || !captureEnabled()))
        return;
    retireCapture();
    m_permissionDenied = false;
    m_port = port;
    m_interface = interfaceName;
    m_diagram->setSegments({});
    if (port == 0) {
        m_diagram->setPlaceholderText(tr("No TCP connection to draw yet."));
        setStatus(tr("Waiting for a connection."));
        return;
    }
    m_diagram->setPlaceholderText(tr("No segments yet on port %1.").arg(port));
    if (captureEnabled())
        startCapture();
    else
        setStatus(tr("Capture is off: press Capture packets to record port %1.").arg(port));
}

void LadderPanel::setFlow(std::optional<SegmentStates::Flow> flow)
{
    m_diagram->setFlow(std::move(flow));
}

void LadderPanel::setStateTimelines(std::shared_ptr<const StateTimeline> client, std::shared_ptr<const StateTimeline> server)
{
    m_hasTimelines = client || server;
    m_diagram->setStateTimelines(std::move(client), std::move(server));
}

void LadderPanel::refreshStates()
{
    m_diagram->refresh();
}

bool LadderPanel::captureEnabled() const
{
    return m_captureButton->isChecked();
}

void LadderPanel::setCaptureEnabled(bool on)
{
    if (m_captureButton->isChecked() != on) {
        m_captureButton->setChecked(on); // toggled() calls back here
        return;
    }
    if (!on) {
        stopCapture();
        if (m_port)
            setStatus(tr("Capture stopped: %n segment(s) kept.", nullptr, int(segments().size())));
        return;
    }
    if (m_port) {
        retireCapture();
        m_permissionDenied = false;
        m_diagram->setSegments({});
        startCapture();
    }
}

void LadderPanel::setHelper(const QString &program, const QStringList &leadingArguments)
{
    m_helper = program;
    m_helperLeading = leadingArguments;
}

const QList<Segment> &LadderPanel::segments() const
{
    static const QList<Segment> none;
    return m_capture ? m_capture->segments() : m_kept ? m_kept->segments : none;
}

QString LadderPanel::statusText() const
{
    return m_status->text();
}

void LadderPanel::startCapture()
{
    auto filter = CaptureFilter::forPort(m_port);
    if (filter) {
        if (auto named = filter->setInterface(m_interface); !named)
            filter = std::unexpected(named.error());
    }
    if (!filter) {
        onFailed(filter.error());
        return;
    }
    m_kept.reset();
    setStatus(tr("Starting the capture of TCP port %1…").arg(m_port));
    m_capture = m_captures.open(*filter, m_helper, m_helperLeading); // shared with a view of the same flow
    connect(m_capture.get(), &Capture::ready, this, [this] {
        setStatus(tr("Capturing TCP port %1 on %2: connect, send, close and watch the arrows.").arg(m_port).arg(m_interface));
    });
    connect(m_capture.get(), &Capture::segmentsAdded, this, [this] {
        m_redrawPending = true;
        m_redraw->poke();
    });
    connect(m_capture.get(), &Capture::failed, this, &LadderPanel::onFailed);
    if (m_capture->status() == Capture::Status::Failed)
        onFailed(*m_capture->error());
    else if (m_capture->isReady())
        redraw(); // joined a running capture: what it has so far
}

void LadderPanel::stopCapture()
{
    if (!m_capture)
        return;
    m_redrawPending = false;
    redraw(); // what came before the stop is drawn
    if (m_capture.use_count() == 1) {
        m_capture->stop(); // ours alone: segments still in the pipe land, then it exits
    } else {
        // Another view of the flow still captures: keep what we have and let go.
        m_kept = m_capture->snapshot();
        m_capture->disconnect(this);
        m_capture.reset();
    }
}

void LadderPanel::retireCapture()
{
    m_kept.reset();
    if (!m_capture)
        return;
    m_redrawPending = false;
    // The service stops the helper once no view holds it, without waiting on this thread.
    m_capture->disconnect(this);
    m_capture.reset();
}

void LadderPanel::onFailed(const SysError &error)
{
    m_permissionDenied = Capture::isPermissionError(error);
    const QString hint = error.hint().isEmpty() ? QString() : QStringLiteral("\n") + error.hint();
    const QString fallback = m_hasTimelines
        ? tr("Below: the states the kernel reported (TCP_INFO, sock_diag), without packets.")
        : tr("The state diagram still follows the connection through the kernel's reports.");
    if (m_permissionDenied) {
        // The command to type, with this helper's path, where the eye already is (the
        // ladder below may be busy showing the kernel's states instead).
        setStatus(tr("No permission to capture packets. Allow it once with: sudo setcap cap_net_raw+ep %1").arg(Capture::defaultHelperPath()), true);
        m_diagram->setPlaceholderText(tr("Capturing packets needs CAP_NET_RAW for sockscope-capture.%1\n%2").arg(hint, fallback));
    } else {
        setStatus(tr("The capture failed: %1").arg(error.toString()), true);
        m_diagram->setPlaceholderText(tr("The capture failed: %1%2\n%3").arg(error.toString(), hint, fallback));
    }
}

void LadderPanel::redraw()
{
    if (!m_capture)
        return;
    m_diagram->setCapture(m_capture->snapshot());
    // Segments still in the pipe when the switch went off land after stopCapture()'s
    // status: keep saying "stopped", with the count that is now kept.
    if (!captureEnabled()) {
        setStatus(tr("Capture stopped: %n segment(s) kept.", nullptr, int(m_capture->segmentCount())));
    } else if (m_capture->isReady()) {
        setStatus(tr("Capturing TCP port %1 on %2: %n segment(s).", nullptr, int(m_capture->segmentCount()))
                      .arg(m_port)
                      .arg(m_interface));
    }
    emit segmentsChanged();
}

void LadderPanel::setStatus(const QString &text, bool problem)
{
    setStatusText(m_status, text);
    Theme::setTextRole(m_status, problem ? std::optional(Theme::Role::Error) : std::nullopt);
}

void LadderPanel::exportAs(const QString &format)
{
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    const QString suggested = QStringLiteral("%1/sockscope-port%2.%3").arg(dir).arg(m_port).arg(format);
    const QString filter = format == u"pcapng" ? tr("pcapng capture (*.pcapng)")
                           : format == u"svg"  ? tr("SVG image (*.svg)")
                                               : tr("PNG image (*.png)");
    const QString path = QFileDialog::getSaveFileName(this, tr("Export the packet ladder"), suggested, filter);
    if (path.isEmpty())
        return;
    const auto done = format == u"pcapng" ? m_diagram->exportPcapng(path)
                      : format == u"svg"  ? m_diagram->exportSvg(path)
                                          : m_diagram->exportPng(path);
    if (done)
        setStatus(tr("Saved %1").arg(path));
    else
        setStatus(tr("Could not save: %1").arg(done.error().toString()), true);
}

} // namespace sockscope::ui
