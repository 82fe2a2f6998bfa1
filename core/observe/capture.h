#pragma once

#include "../net/syserror.h"
#include "capturefilter.h"
#include "capturestream.h"
#include "segment.h"
#include "sequencetracker.h"

#include <QList>
#include <QObject>
#include <QProcess>

#include <expected>
#include <optional>

namespace sockscope::core {

// Everything one capture holds, copied out for a viewer or an export.
struct CaptureSnapshot
{
    QString interfaceName;
    int linkType = -1;           // LINKTYPE_* (packetdecoder.h)
    int snaplen = 0;
    QString filter;              // the BPF program the helper compiled
    QList<CapturedPacket> packets;
    QList<Segment> segments;     // in capture order; Segment::packet indexes `packets`
    quint64 kernelDropped = 0;   // pcap_stats, once the helper has stopped
    quint64 notKept = 0;         // packets past kMaxPackets, counted but not kept
};

// Runs sockscope-capture (the only program that needs CAP_NET_RAW) and turns its stream
// into segments numbered per flow. Lives on the thread that creates it (the GUI's, or the
// CLI's main thread): a QProcess pipe is read only when the event loop says it is
// readable, so nothing here blocks.
//
// Without permission the helper fails at pcap_activate() and says so on its first lines;
// failed() then carries PCAP_ERROR_PERM_DENIED (isPermissionError() decides by the code,
// never by the text) well within a second of start().
class Capture : public QObject
{
    Q_OBJECT
public:
    enum class Status { Idle, Starting, Capturing, Finished, Failed };
    static constexpr qsizetype kMaxPackets = 100'000;

    explicit Capture(QObject *parent = nullptr);
    ~Capture() override; // kills a running helper (SIGKILL) and reaps it

    // $SOCKSCOPE_CAPTURE, else sockscope-capture beside the running program (or in the
    // build tree's app/capture), else from PATH; empty if none is found.
    static QString defaultHelperPath();
    static bool isPermissionError(const SysError &error); // PCAP_ERROR_PERM_DENIED / _PROMISC_PERM_DENIED

    // The program to run, and arguments to put before the filter's (for a wrapper such as
    // setpriv). Default: defaultHelperPath().
    void setHelper(const QString &program, const QStringList &leadingArguments = {});
    QString helperProgram() const { return m_program; }

    std::expected<void, SysError> start(const CaptureFilter &filter);
    void stop(); // the helper prints its statistics and exits; finished() follows
    void kill(); // SIGKILL, for a helper that does not answer stop(); finished() follows
    // Decodes a piece of the helper's stream as if it came from the pipe, signals and all:
    // what readOutput() does with each read, open for recorded streams (tests, replays).
    void feed(QByteArrayView bytes);

    Status status() const { return m_status; }
    bool isReady() const { return m_status == Status::Capturing; }
    bool isHelperRunning() const { return m_process.state() != QProcess::NotRunning; }
    std::optional<SysError> error() const { return m_error; }

    qsizetype segmentCount() const { return m_snapshot.segments.size(); }
    const QList<Segment> &segments() const { return m_snapshot.segments; }
    const CaptureSnapshot &snapshot() const { return m_snapshot; }
    quint64 malformedLines() const { return m_malformed; }

signals:
    void ready();                                        // the filter is in place
    void segmentsAdded(qsizetype first, qsizetype count); // one signal per pipe read
    void failed(const sockscope::core::SysError &error);
    void finished();                                     // the helper exited (after failed() too)

private:
    void readOutput();
    void handle(const CaptureEvent &event);
    void fail(const SysError &error);
    void processFinished(int exitCode, QProcess::ExitStatus status);
    static QString helperEndedText(int signal, const QString &said);

    QProcess m_process;
    QString m_program;
    QStringList m_leading;
    CaptureStream m_stream;
    SequenceTracker m_tracker;
    CaptureSnapshot m_snapshot;
    Status m_status = Status::Idle;
    std::optional<SysError> m_error;
    bool m_greeted = false;
    bool m_starting = false;
    bool m_stopRequested = false;
    quint64 m_malformed = 0;
    qint64 m_wallToMonotonic = 0;
    QByteArray m_stderr;
};

} // namespace sockscope::core
