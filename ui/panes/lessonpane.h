#pragma once

#include "pane.h"

#include "lessons/lesson.h"
#include "lessons/lessonrunner.h"

#include <memory>

namespace sockscope::core {
struct AppServices;
class CaptureService;
class KernelWatch;
}

class QComboBox;
class QLabel;
class QListWidget;
class QPlainTextEdit;
class QPushButton;
class QSplitter;
class QTabWidget;
class QVBoxLayout;

namespace sockscope::ui {

class BacklogView;
class LadderPanel;
class StateDiagram;

// Guided lessons: pick one, step through it with Next while the app makes the calls on
// loopback (the app's core::LessonRunner, on its own thread) and the state diagram follows the
// connection; every step shows its narration, the same calls in Python, what the kernel
// said about each expectation, and the calls really made. Back reviews earlier steps as
// they were (sockets cannot be un-closed; Restart runs the lesson again). On a tab beside
// the diagram, a packet ladder captures the lesson's listener port and draws the followed
// connection; every run of a lesson starts a fresh ladder. The lesson waits (briefly,
// on its own thread) for that capture to be in place before it goes on after listen(), so
// the handshake is on the ladder even when one step listens and connects.
class LessonPane : public Pane
{
    Q_OBJECT
public:
    static constexpr int kRefreshMs = 50;
    static constexpr int kCaptureWaitMs = 2000; // the lesson waits at most this for the capture
    static constexpr int kMinTextWidth = 255;   // the text column, however wide the ladder
    static constexpr int kMaxTextWidth = 420;

    explicit LessonPane(core::AppServices &services, QWidget *parent = nullptr);
    ~LessonPane() override;

    QString kindName() const override { return tr("Lesson"); }
    QString title() const override;
    QString status() const override;
    QString iconName() const override { return QStringLiteral("help-contents"); }
    core::SessionId currentSession() const override { return m_progress.clientSession; }
    void refresh() override;
    void shutdownSessions() override;

    QList<core::Lesson> lessons() const { return m_lessons; }
    QString loadError() const { return m_loadError; }
    void selectLesson(const QString &id); // and start it over
    QString lessonId() const;
    void setFamily(int family);           // AF_INET or AF_INET6; restarts the lesson
    int family() const { return m_family; }
    void next();    // review the next step, or run it
    void back();    // review the previous step
    void restart(); // close the lesson's sockets, back to the introduction

    int viewedStep() const { return m_view; } // -1: the introduction
    bool isBusy() const; // a step is running, or Next asked for one that has not started
    const core::LessonProgress &progress() const { return m_progress; }
    StateDiagram *diagram() const { return m_diagram; }
    QString narrationText() const;
    QString pythonText() const;
    QStringList checkLines() const; // "✓ client is in ESTABLISHED (saw ESTABLISHED)"
    QStringList callLines() const;


signals:
    void lessonChanged(const QString &id);

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    void buildUi();
    void showStep(int step);
    void showIntroduction();
    QString substituted(const QString &text, int step) const;
    void updateButtons();
    void followFlow();
    void updateLadderTab();
    void fitColumns();
    void watchPort(quint16 port);
    void releaseLesson(); // the capture is ready (or cannot be): the lesson goes on

    core::KernelWatch &m_kernel;
    core::CaptureService &m_captures;
    core::LessonRunner &m_runner;
    QList<core::Lesson> m_lessons;
    QString m_loadError;
    int m_family = AF_INET;
    core::LessonProgress m_progress;
    quint64 m_generation = ~quint64(0);
    int m_view = -1;
    int m_requested = -1; // the last step Next asked the runner for
    quint16 m_port = 0;
    quint16 m_flowClient = 0;         // the client port of the connection the ladder draws

    QComboBox *m_picker = nullptr;
    QComboBox *m_familyBox = nullptr;
    QPushButton *m_restart = nullptr;
    QLabel *m_lessonTitle = nullptr;
    QLabel *m_stepTitle = nullptr;
    QLabel *m_stepStatus = nullptr;
    QPlainTextEdit *m_narration = nullptr;
    QPlainTextEdit *m_python = nullptr;
    QTabWidget *m_tabs = nullptr;
    QListWidget *m_checks = nullptr;
    QPlainTextEdit *m_calls = nullptr;
    QPushButton *m_back = nullptr;
    QPushButton *m_next = nullptr;
    StateDiagram *m_diagram = nullptr;
    BacklogView *m_backlog = nullptr;
    QSplitter *m_split = nullptr; // the text column | the views
    bool m_splitMoved = false;    // by the user: fitColumns() leaves it alone
    QSplitter *m_right = nullptr;
    QTabWidget *m_views = nullptr;
    LadderPanel *m_ladder = nullptr;
};

} // namespace sockscope::ui
