#pragma once

#include <QObject>

class QSocketNotifier;

namespace sockscope::cli {

// Turns SIGINT and SIGTERM into a Qt signal (self-pipe), so the CLI can close its
// sessions cleanly instead of dying mid-write.
class SignalWatcher : public QObject
{
    Q_OBJECT
public:
    explicit SignalWatcher(QObject *parent = nullptr);
    ~SignalWatcher() override;

signals:
    void terminationRequested(int signal);

private:
    QSocketNotifier *m_notifier = nullptr;
};

} // namespace sockscope::cli
