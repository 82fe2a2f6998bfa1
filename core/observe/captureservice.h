#pragma once

#include "capture.h"

#include <QObject>

#include <map>
#include <memory>

namespace sockscope::core {

// Every packet capture of the app, created once (app/main.cpp) and handed to the views
// that draw packets, like SessionManager. A view asks for the capture of its flow (the
// helper's filter: interface and port) and holds it as a shared handle; two views of the
// same flow share one running helper. When the last holder lets go, the helper is asked to
// stop (SIGTERM: it prints its statistics and exits) and the Capture is deleted once it
// has exited, or killed after kKillAfter: nothing here waits on the caller's thread.
class CaptureService : public QObject
{
    Q_OBJECT
public:
    static constexpr int kKillAfterMs = 1000;

    explicit CaptureService(QObject *parent = nullptr);
    ~CaptureService() override; // kills what still runs (the app is quitting)

    // A capture of `filter` run by `program` (with `leadingArguments` before the filter's;
    // empty program: Capture::defaultHelperPath()). A running capture of the same flow and
    // helper is shared; otherwise a new one is started. Its start error, if any, is in the
    // capture's error() (status Failed), the same as a failure reported later.
    std::shared_ptr<Capture> open(const CaptureFilter &filter, const QString &program = {},
                                  const QStringList &leadingArguments = {});

    qsizetype running() const;  // helpers not yet exited, held or retiring
    qsizetype retiring() const; // let go, waiting for the helper to exit

private:
    void retire(Capture *capture);

    // Held captures by flow key; weak, so that the last holder's release retires them.
    std::map<QString, std::weak_ptr<Capture>> m_open;
    qsizetype m_retiring = 0;
};

} // namespace sockscope::core
