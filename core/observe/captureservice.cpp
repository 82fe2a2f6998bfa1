#include "captureservice.h"

#include <QPointer>
#include <QTimer>

namespace sockscope::core {

namespace {

bool isRunning(const Capture &capture)
{
    return capture.status() == Capture::Status::Starting || capture.status() == Capture::Status::Capturing;
}

} // namespace

CaptureService::CaptureService(QObject *parent) : QObject(parent) {}

// Retiring captures are children: they go with the service, and ~Capture kills and reaps
// a helper still running, which takes no time to speak of.
CaptureService::~CaptureService() = default;

std::shared_ptr<Capture> CaptureService::open(const CaptureFilter &filter, const QString &program,
                                              const QStringList &leadingArguments)
{
    const QString helper = program.isEmpty() ? Capture::defaultHelperPath() : program;
    const QString key = QStringList{helper, leadingArguments.join(u'\x1f'), filter.arguments().join(u'\x1f')}.join(u'\x1e');
    if (const auto it = m_open.find(key); it != m_open.end()) {
        if (auto shared = it->second.lock(); shared && isRunning(*shared))
            return shared;
    }
    // Not a child while held: a holder that outlives the service deletes it itself.
    auto *capture = new Capture;
    capture->setHelper(helper, leadingArguments);
    (void)capture->start(filter); // a failure is the capture's status and error()
    std::shared_ptr<Capture> handle(capture, [service = QPointer<CaptureService>(this)](Capture *c) {
        if (service)
            service->retire(c);
        else
            delete c;
    });
    m_open[key] = handle;
    return handle;
}

void CaptureService::retire(Capture *capture)
{
    std::erase_if(m_open, [](const auto &entry) { return entry.second.expired(); });
    capture->disconnect(); // its views are gone or going
    capture->setParent(this);
    if (!isRunning(*capture)) {
        capture->deleteLater();
        return;
    }
    ++m_retiring;
    connect(capture, &Capture::finished, this, [this, capture] {
        --m_retiring;
        capture->deleteLater();
    });
    // A helper that does not answer SIGTERM (stopped, stuck in the kernel) is killed.
    QTimer::singleShot(kKillAfterMs, capture, [capture] { capture->kill(); });
    capture->stop();
}

qsizetype CaptureService::running() const
{
    qsizetype n = 0;
    for (const Capture *c : findChildren<Capture *>(Qt::FindDirectChildrenOnly))
        n += c->isHelperRunning() ? 1 : 0;
    for (const auto &[key, weak] : m_open) {
        if (const auto held = weak.lock(); held && held->isHelperRunning())
            ++n;
    }
    return n;
}

qsizetype CaptureService::retiring() const
{
    return m_retiring;
}

} // namespace sockscope::core
