#include "capture.h"

#include "../engine/monotonic.h"
#include "../logging.h"
#include "packetdecoder.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>

#include <cstring>
#include <time.h>

namespace sockscope::core {

namespace {

constexpr int kPcapError = -1;          // PCAP_ERROR
constexpr int kPcapPermDenied = -8;     // PCAP_ERROR_PERM_DENIED
constexpr int kPcapPromiscDenied = -11; // PCAP_ERROR_PROMISC_PERM_DENIED
constexpr int kHelperUsageExit = 1;     // the helper's exit status for a bad command line

qint64 realtimeNs()
{
    timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return qint64(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

bool isExecutable(const QString &path)
{
    const QFileInfo info(path);
    return info.isFile() && info.isExecutable();
}

} // namespace

Capture::Capture(QObject *parent)
    : QObject(parent)
    , m_program(defaultHelperPath())
{
    m_process.setProcessChannelMode(QProcess::SeparateChannels);
    connect(&m_process, &QProcess::readyReadStandardOutput, this, &Capture::readOutput);
    connect(&m_process, &QProcess::readyReadStandardError, this, [this] {
        m_stderr.append(m_process.readAllStandardError());
        m_stderr = m_stderr.right(4096);
    });
    connect(&m_process, &QProcess::finished, this, &Capture::processFinished);
    connect(&m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError e) {
        if (e == QProcess::FailedToStart)
            fail(SysError::fromPcap(kPcapError, QStringLiteral("could not run %1: %2").arg(m_program, m_process.errorString())));
    });
}

Capture::~Capture()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    // Whoever wanted its statistics called stop() and waited for finished(); here the
    // helper is killed, which ends it at once, and reaped (CaptureService retires captures
    // that way, so no view's destructor waits for a helper).
    m_process.blockSignals(true);
    m_process.kill();
    m_process.waitForFinished(1000);
}

QString Capture::defaultHelperPath()
{
    const QString fromEnv = qEnvironmentVariable("SOCKSCOPE_CAPTURE");
    if (!fromEnv.isEmpty())
        return fromEnv;
    const QString name = QStringLiteral("sockscope-capture");
    if (QCoreApplication::instance()) {
        const QDir dir(QCoreApplication::applicationDirPath());
        // Installed side by side; in the build tree the GUI is in app/, the CLI in app/cli/.
        for (const QString &relative : {name, QStringLiteral("capture/") + name, QStringLiteral("../capture/") + name}) {
            const QString path = QDir::cleanPath(dir.filePath(relative));
            if (isExecutable(path))
                return path;
        }
    }
    return QStandardPaths::findExecutable(name);
}

bool Capture::isPermissionError(const SysError &error)
{
    return error.domain() == SysError::Domain::Pcap && (error.code() == kPcapPermDenied || error.code() == kPcapPromiscDenied);
}

void Capture::setHelper(const QString &program, const QStringList &leadingArguments)
{
    m_program = program;
    m_leading = leadingArguments;
}

std::expected<void, SysError> Capture::start(const CaptureFilter &filter)
{
    if (m_process.state() != QProcess::NotRunning)
        return std::unexpected(SysError::input(QStringLiteral("capture"), QStringLiteral("a capture is already running")));
    if (m_program.isEmpty()) {
        return std::unexpected(SysError::fromPcap(
            kPcapError, QStringLiteral("sockscope-capture was not found (set SOCKSCOPE_CAPTURE to its path)")));
    }
    const bool found = m_program.contains(u'/') ? isExecutable(m_program) : !QStandardPaths::findExecutable(m_program).isEmpty();
    if (!found)
        return std::unexpected(SysError::fromPcap(kPcapError, QStringLiteral("could not run %1: no such executable").arg(m_program)));
    m_stream = CaptureStream();
    m_tracker.clear();
    m_snapshot = CaptureSnapshot();
    m_error.reset();
    m_greeted = false;
    m_stopRequested = false;
    m_malformed = 0;
    m_stderr.clear();
    m_status = Status::Starting;
    m_starting = true;
    m_process.start(m_program, m_leading + filter.arguments());
    m_starting = false;
    if (m_status == Status::Failed)
        return std::unexpected(*m_error); // errorOccurred(FailedToStart) came during start()
    return {};
}

void Capture::stop()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    m_stopRequested = true;
    m_process.terminate();
}

void Capture::kill()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    m_stopRequested = true;
    m_process.kill();
}

void Capture::readOutput()
{
    feed(m_process.readAllStandardOutput());
}

void Capture::feed(QByteArrayView bytes)
{
    const qsizetype before = m_snapshot.segments.size();
    for (const CaptureEvent &event : m_stream.feed(bytes)) {
        handle(event);
        if (m_status == Status::Failed)
            break;
    }
    const qsizetype added = m_snapshot.segments.size() - before;
    if (added > 0)
        emit segmentsAdded(before, added);
}

void Capture::handle(const CaptureEvent &event)
{
    using Kind = CaptureEvent::Kind;
    if (!m_greeted && event.kind != Kind::Hello) {
        fail(event.kind == Kind::Malformed ? event.error
                                           : SysError::input(QStringLiteral("capture stream"), QStringLiteral("the helper did not greet")));
        return;
    }
    switch (event.kind) {
    case Kind::Hello:
        m_greeted = true;
        break;
    case Kind::Ready:
        if (!PacketDecoder::supports(event.linkType)) {
            fail(SysError::fromPcap(kPcapError, QStringLiteral("link type %1 on %2 is not decoded").arg(event.linkType).arg(event.interfaceName)));
            return;
        }
        m_snapshot.interfaceName = event.interfaceName;
        m_snapshot.linkType = event.linkType;
        m_snapshot.snaplen = event.snaplen;
        m_snapshot.filter = event.filter;
        // pcap stamps packets with CLOCK_REALTIME; the rest of sockscope (traces, state
        // timelines) uses CLOCK_MONOTONIC. One offset for the whole capture keeps the
        // gaps between segments exactly as pcap measured them.
        m_wallToMonotonic = monotonicNs() - realtimeNs();
        m_status = Status::Capturing;
        emit ready();
        break;
    case Kind::Packet: {
        if (m_snapshot.packets.size() >= kMaxPackets) {
            ++m_snapshot.notKept;
            break;
        }
        auto segment = PacketDecoder::decode(m_snapshot.linkType, event.packet);
        m_snapshot.packets.append(event.packet);
        if (!segment)
            break;
        segment->tNs = segment->wallNs + m_wallToMonotonic;
        segment->packet = m_snapshot.packets.size() - 1;
        m_tracker.number(*segment);
        m_snapshot.segments.append(*segment);
        break;
    }
    case Kind::Stats:
        m_snapshot.kernelDropped = event.dropped + event.ifDropped;
        break;
    case Kind::Error:
        fail(event.error);
        break;
    case Kind::End:
        break;
    case Kind::Malformed:
        ++m_malformed;
        qCWarning(lcObserve) << "capture stream:" << event.error.message();
        break;
    }
}

void Capture::fail(const SysError &error)
{
    if (m_status == Status::Failed)
        return;
    m_status = Status::Failed;
    m_error = error;
    if (m_process.state() != QProcess::NotRunning)
        m_process.terminate();
    if (!m_starting) // start() returns it instead
        emit failed(error);
}

// What the user reads when the helper died under a running capture: which signal (SIGKILL
// from the OOM killer or a user's kill -9, SIGSEGV from a bug), and its last words if any.
QString Capture::helperEndedText(int signal, const QString &said)
{
    const char *abbrev = ::sigabbrev_np(signal);
    QString text = QStringLiteral("sockscope-capture ended during the capture: killed by signal %1").arg(signal);
    if (abbrev)
        text += QStringLiteral(" (SIG%1)").arg(QString::fromLatin1(abbrev));
    if (!said.isEmpty())
        text += QStringLiteral("; it last said: ") + said;
    return text + QStringLiteral(". What was captured is kept; start the capture again to go on.");
}

void Capture::processFinished(int exitCode, QProcess::ExitStatus status)
{
    readOutput(); // whatever came with the exit (statistics, an error line)
    if (m_status != Status::Failed) {
        const QString said = QString::fromUtf8(m_stderr).trimmed();
        // A stop() that lands before the helper set its SIGTERM handler looks like a crash.
        if (status == QProcess::CrashExit) {
            // Qt gives the terminating signal as the exit code of a crashed process.
            if (!m_stopRequested)
                fail(SysError::fromPcap(kPcapError, helperEndedText(m_process.exitCode(), said)));
        } else if (exitCode == kHelperUsageExit) {
            fail(SysError::input(QStringLiteral("capture"), said.isEmpty() ? QStringLiteral("the helper refused its arguments") : said));
        } else if (exitCode != 0) {
            fail(SysError::fromPcap(kPcapError, said.isEmpty() ? QStringLiteral("sockscope-capture exited with %1").arg(exitCode) : said));
        }
        if (m_status != Status::Failed)
            m_status = Status::Finished;
    }
    emit finished();
}

} // namespace sockscope::core
