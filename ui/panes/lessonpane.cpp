#include "lessonpane.h"

#include "widgets/accessiblelabel.h"
#include "theme.h"
#include "widgets/backlogview.h"
#include "widgets/formhelpers.h"
#include "widgets/itemviewaccess.h"
#include "widgets/ladderdiagram.h"
#include "widgets/ladderpanel.h"
#include "widgets/statediagram.h"
#include "uitick.h"

#include "appservices.h"
#include "engine/sessionmanager.h"
#include "net/pycode.h"
#include "lessons/lessoncatalog.h"
#include "lessons/lessoncheck.h"

#include <QComboBox>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSplitter>
#include <QStyle>
#include <QTabWidget>
#include <QVBoxLayout>

namespace sockscope::ui {

using End = StateDiagram::End;

namespace {

QList<StateDiagram::PathPoint> diagramPath(const QList<core::LessonPathPoint> &path)
{
    QList<StateDiagram::PathPoint> out;
    for (const core::LessonPathPoint &p : path)
        out.append(StateDiagram::PathPoint{p.state, p.observed});
    return out;
}

QPlainTextEdit *readOnlyText(QWidget *parent, bool code)
{
    auto *edit = new QPlainTextEdit(parent);
    edit->setReadOnly(true);
    // Code wraps too: the column is narrow, and a cut-off line hides the interesting part.
    edit->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    if (code)
        edit->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    return edit;
}

} // namespace

LessonPane::LessonPane(core::AppServices &services, QWidget *parent)
    : Pane(services.sessions, parent)
    , m_kernel(services.kernel)
    , m_captures(services.captures)
    , m_runner(services.lessons)
{
    // The lesson waits after a listen() until the ladder's capture of the new port runs
    // (or cannot), for at most kCaptureWaitMs: the gate is the runner's.
    m_runner.setPortWatcher(this, [this](quint16 port) { watchPort(port); },
                             std::chrono::milliseconds(kCaptureWaitMs));
    auto loaded = core::LessonCatalog::load(QLocale().name());
    if (loaded)
        m_lessons = *loaded;
    else
        m_loadError = loaded.error().toString();
    buildUi();
    // Pulled when the lesson's progress or its sessions move.
    UiTick::Subscription *tick = UiTick::subscribe(this, kRefreshMs, [this] {
        refresh();
        return false;
    });
    tick->listen(m_runner.doorbells());
    tick->listen(m_sessions.doorbells());
    if (!m_lessons.isEmpty())
        selectLesson(m_lessons.first().id);
    else
        m_narration->setPlainText(tr("No lessons could be loaded: %1").arg(m_loadError));
}

LessonPane::~LessonPane()
{
    m_runner.setPortWatcher(nullptr, {}); // a waiting lesson goes on without us
    m_runner.reset();                     // and its sockets close with the pane
}

void LessonPane::releaseLesson()
{
    m_runner.portWatched();
}

void LessonPane::watchPort(quint16 port)
{
    if (port != m_port) {
        m_port = port;
        m_flowClient = 0;
        m_ladder->setFlow(std::nullopt);
    }
    m_ladder->watchPort(port);
    updateLadderTab();
    const core::Capture *capture = m_ladder->capture();
    if (!capture || capture->status() != core::Capture::Status::Starting) {
        releaseLesson(); // running already, switched off, or failed at once
        return;
    }
    // Only this capture's word counts: a retired one still says finished() a moment later.
    const auto ifCurrent = [this, capture] {
        if (m_ladder->capture() == capture)
            releaseLesson();
    };
    connect(capture, &core::Capture::ready, this, ifCurrent);
    connect(capture, &core::Capture::finished, this, ifCurrent);
}

void LessonPane::buildUi()
{
    auto *layout = new QVBoxLayout(this);
    auto *bar = new QHBoxLayout;
    m_picker = new QComboBox(this);
    for (int i = 0; i < m_lessons.size(); ++i)
        m_picker->addItem(QStringLiteral("%1. %2").arg(i + 1).arg(m_lessons[i].title), m_lessons[i].id);
    describe(m_picker, tr("Lesson"), tr("The lesson to follow"));
    connect(m_picker, &QComboBox::activated, this, [this](int i) { selectLesson(m_picker->itemData(i).toString()); });
    bar->addWidget(buddyLabel(tr("&Lesson:"), m_picker));
    bar->addWidget(m_picker, 1);
    m_familyBox = new QComboBox(this);
    m_familyBox->addItem(tr("IPv4 (127.0.0.1)"), AF_INET);
    m_familyBox->addItem(tr("IPv6 (::1)"), AF_INET6);
    describe(m_familyBox, tr("Address family"), tr("Run the lesson over IPv4 or IPv6 loopback"));
    connect(m_familyBox, &QComboBox::activated, this, [this](int i) { setFamily(m_familyBox->itemData(i).toInt()); });
    bar->addWidget(m_familyBox);
    m_restart = new QPushButton(tr("&Restart"), this);
    describe(m_restart, tr("Restart"), tr("Close the lesson's sockets and start it over"));
    connect(m_restart, &QPushButton::clicked, this, &LessonPane::restart);
    bar->addWidget(m_restart);
    layout->addLayout(bar);

    auto *split = new QSplitter(Qt::Horizontal, this);
    m_split = split;
    connect(split, &QSplitter::splitterMoved, this, [this] { m_splitMoved = true; });
    auto *left = new QWidget(split);
    auto *text = new QVBoxLayout(left);
    text->setContentsMargins(0, 0, 0, 0);
    m_lessonTitle = new QLabel(left);
    m_lessonTitle->setTextFormat(Qt::PlainText);
    QFont big = m_lessonTitle->font();
    big.setPointSizeF(big.pointSizeF() * 1.25);
    big.setBold(true);
    m_lessonTitle->setFont(big);
    m_lessonTitle->setWordWrap(true);
    text->addWidget(m_lessonTitle);
    m_stepTitle = new QLabel(left);
    nameStatusLabel(m_stepTitle, tr("Lesson step"));
    m_stepTitle->setTextFormat(Qt::PlainText);
    m_stepTitle->setWordWrap(true);
    QFont bold = m_stepTitle->font();
    bold.setBold(true);
    m_stepTitle->setFont(bold);
    text->addWidget(m_stepTitle);
    m_stepStatus = new QLabel(left);
    nameStatusLabel(m_stepStatus, tr("Lesson status"));
    m_stepStatus->setTextFormat(Qt::PlainText);
    m_stepStatus->setWordWrap(true);
    text->addWidget(m_stepStatus);
    m_narration = readOnlyText(left, false);
    describe(m_narration, tr("Narration"), tr("What happens in this step"));
    text->addWidget(m_narration, 4);
    auto *pyLabel = new QLabel(tr("The same in Python:"), left);
    text->addWidget(pyLabel);
    m_python = readOnlyText(left, true);
    describe(m_python, tr("Python code"), tr("The calls of this step, as a Python script would make them"));
    text->addWidget(m_python, 3);
    m_tabs = new QTabWidget(left);
    m_tabs->setObjectName(QStringLiteral("detailTabs"));
    m_checks = new QListWidget(m_tabs);
    makeItemViewAccessible(m_checks);
    m_checks->setWordWrap(true);
    describe(m_checks, tr("What the kernel says"), tr("Each expectation of the step, checked against the kernel"));
    m_tabs->addTab(m_checks, tr("What the kernel says"));
    m_calls = readOnlyText(m_tabs, true);
    describe(m_calls, tr("Calls made"), tr("The calls this step really made, and what they returned"));
    m_tabs->addTab(m_calls, tr("Calls made"));
    text->addWidget(m_tabs, 3);
    auto *nav = new QHBoxLayout;
    nav->addStretch(1);
    m_back = new QPushButton(tr("◀ &Back"), left);
    describe(m_back, tr("Back"), tr("Look at the previous step again"));
    connect(m_back, &QPushButton::clicked, this, &LessonPane::back);
    m_next = new QPushButton(tr("&Next ▶"), left);
    m_next->setDefault(true);
    describe(m_next, tr("Next"), tr("Run the next step"));
    connect(m_next, &QPushButton::clicked, this, &LessonPane::next);
    nav->addWidget(m_back);
    nav->addWidget(m_next);
    text->addLayout(nav);

    // The diagram and the ladder take turns: at 1280x800 either needs the whole column to
    // be readable (the diagram scales its 1000x762 canvas down to fit).
    m_right = new QSplitter(Qt::Vertical, split);
    m_views = new QTabWidget(m_right);
    m_views->setObjectName(QStringLiteral("viewTabs"));
    m_views->setDocumentMode(true);
    m_diagram = new StateDiagram(m_views);
    // It scales to fit; its own minimum, with the tab bar and the backlog view below it,
    // would make the window taller than a 1280x800 screen.
    m_diagram->setMinimumSize(320, 240);
    m_views->addTab(m_diagram, tr("State &diagram"));
    m_ladder = new LadderPanel(m_captures, m_views);
    m_ladder->setObjectName(QStringLiteral("ladderPanel"));
    m_views->addTab(m_ladder, tr("P&acket ladder"));
    connect(m_ladder, &LadderPanel::segmentsChanged, this, [this] {
        updateLadderTab();
        fitColumns();
    });
    connect(m_views, &QTabWidget::currentChanged, this, &LessonPane::fitColumns);
    m_right->addWidget(m_views);
    m_backlog = new BacklogView(m_sessions, m_kernel, m_right);
    m_backlog->setObjectName(QStringLiteral("backlogView"));
    m_backlog->hide();
    m_right->addWidget(m_backlog);
    m_right->setStretchFactor(0, 1);
    m_right->setStretchFactor(1, 0);
    split->addWidget(left);
    split->addWidget(m_right);
    split->setStretchFactor(0, 2);
    split->setStretchFactor(1, 3);
    split->setSizes({350, 650});
    layout->addWidget(split, 1);
}

QString LessonPane::lessonId() const
{
    return m_picker->currentData().toString();
}

QString LessonPane::title() const
{
    return tr("Lesson: %1").arg(m_picker->currentText());
}

QString LessonPane::status() const
{
    if (isBusy())
        return tr("running step %1").arg(m_requested + 1);
    return tr("step %1 of %2").arg(m_progress.stepsRun).arg(m_progress.stepCount);
}

bool LessonPane::isBusy() const
{
    return m_requested >= 0 && (m_progress.busy || m_progress.stepsRun <= m_requested);
}

void LessonPane::selectLesson(const QString &id)
{
    const auto it = std::ranges::find_if(m_lessons, [&](const core::Lesson &l) { return l.id == id; });
    if (it == m_lessons.end())
        return;
    m_picker->setCurrentIndex(m_picker->findData(id));
    m_runner.load(*it, m_family);
    m_progress = core::LessonProgress{};
    m_progress.lessonId = id;
    m_progress.stepCount = int(it->steps.size());
    m_requested = -1;
    // A fresh ladder for every run: the next listener's port starts a new capture.
    releaseLesson();
    watchPort(0);
    m_backlog->setListener(0);
    m_backlog->setVisible(it->showBacklog);
    if (it->showBacklog)
        m_right->setSizes({m_right->height() - 190, 190});
    updateLadderTab();
    showIntroduction();
    emit lessonChanged(id);
    emit currentSessionChanged(0);
}

void LessonPane::setFamily(int family)
{
    m_family = family;
    m_familyBox->setCurrentIndex(m_familyBox->findData(family));
    restart();
}

void LessonPane::restart()
{
    selectLesson(lessonId());
}

void LessonPane::next()
{
    if (isBusy() || m_lessons.isEmpty())
        return;
    if (m_view + 1 < m_progress.stepsRun) {
        showStep(m_view + 1);
        return;
    }
    if (m_progress.stepsRun >= m_progress.stepCount)
        return;
    m_requested = m_progress.stepsRun;
    m_runner.next();
    showStep(m_requested); // its text at once; the outcome follows
}

void LessonPane::back()
{
    if (m_view <= 0)
        showIntroduction();
    else
        showStep(m_view - 1);
}

void LessonPane::refresh()
{
    const quint64 generation = m_runner.generation();
    if (generation == m_generation)
        return;
    m_generation = generation;
    const core::LessonProgress p = m_runner.progress();
    if (p.lessonId != lessonId())
        return; // still the previous lesson's last words
    const core::SessionId before = m_progress.clientSession;
    m_progress = p;
    if (m_view >= 0)
        showStep(m_view);
    else
        updateButtons();
    if (p.serverPort != m_port)
        watchPort(p.serverPort); // the hook has normally done it already
    followFlow();
    if (p.clientSession != before)
        emit currentSessionChanged(p.clientSession);
    if (!m_backlog->isHidden())
        m_backlog->setListener(p.listenerSession);
}

void LessonPane::shutdownSessions()
{
    m_runner.reset(); // closes the lesson's sockets (on the lesson's thread)
}

QString LessonPane::substituted(const QString &text, int step) const
{
    QList<std::pair<QString, QString>> vars;
    if (step >= 0 && step < m_progress.steps.size())
        vars = m_progress.steps[step].vars;
    else if (!m_progress.steps.isEmpty())
        vars = m_progress.steps.last().vars;
    const core::Address loopback = core::Address::loopback(m_family);
    vars.append({QStringLiteral("host"), loopback.host()});
    vars.append({QStringLiteral("family"), core::pycode::family(m_family)});
    static const QRegularExpression unknown(QStringLiteral("\\{[A-Za-z0-9_]+\\.[A-Za-z0-9_]+\\}"));
    return core::Lesson::substitute(text, vars).replace(unknown, QStringLiteral("…"));
}

void LessonPane::showIntroduction()
{
    m_view = -1;
    const auto it = std::ranges::find_if(m_lessons, [&](const core::Lesson &l) { return l.id == lessonId(); });
    if (it == m_lessons.end())
        return;
    m_lessonTitle->setText(it->title);
    setStatusText(m_stepTitle, tr("Introduction"));
    setStatusText(m_stepStatus, tr("%n step(s). Press Next to run the first one.", nullptr, int(it->steps.size())));
    QStringList outline{it->summary, QString()};
    for (int i = 0; i < it->steps.size(); ++i)
        outline.append(QStringLiteral("%1. %2").arg(i + 1).arg(it->steps[i].title));
    m_narration->setPlainText(outline.join(QLatin1Char('\n')));
    m_python->setPlainText(substituted(QStringLiteral("import socket\n\n# this lesson runs on {host}, the loopback address"), -1));
    m_checks->clear();
    m_calls->clear();
    m_diagram->clear();
    m_diagram->setEndTitle(End::Client, {});
    m_diagram->setEndTitle(End::Server, {});
    followFlow();
    updateButtons();
}

void LessonPane::showStep(int index)
{
    const auto it = std::ranges::find_if(m_lessons, [&](const core::Lesson &l) { return l.id == lessonId(); });
    if (it == m_lessons.end() || index < 0 || index >= it->steps.size())
        return;
    m_view = index;
    const core::LessonStep &step = it->steps[index];
    m_lessonTitle->setText(it->title);
    setStatusText(m_stepTitle, tr("Step %1 of %2: %3").arg(index + 1).arg(it->steps.size()).arg(step.title));
    m_narration->setPlainText(substituted(step.narration, index));
    m_python->setPlainText(substituted(step.python, index));

    const bool have = index < m_progress.steps.size();
    const core::StepOutcome outcome = have ? m_progress.steps[index] : core::StepOutcome{};
    const auto vars = outcome.vars;
    m_checks->clear();
    for (int i = 0; i < step.expectations.size(); ++i) {
        auto *item = new QListWidgetItem(m_checks);
        if (outcome.finished && i < outcome.checks.size()) {
            const core::ExpectationOutcome &c = outcome.checks[i];
            item->setText(tr("%1 %2 (saw: %3)").arg(c.passed ? QStringLiteral("✓") : QStringLiteral("✗"), c.text, c.observed));
            item->setForeground(Theme(palette()).color(c.passed ? Theme::Role::Success : Theme::Role::Error));
        } else {
            item->setText(tr("… %1").arg(core::LessonCheck::describe(step.expectations[i], vars)));
            item->setForeground(palette().color(QPalette::PlaceholderText));
        }
    }
    QStringList calls;
    for (const core::LessonCall &c : outcome.calls) {
        const QString result = c.error ? c.error->toString() : c.result;
        calls.append(QStringLiteral("%1\n    → %2").arg(c.code, result.isEmpty() ? QStringLiteral("None") : result));
    }
    m_calls->setPlainText(calls.join(QLatin1Char('\n')));

    if (!outcome.finished)
        setStatusText(m_stepStatus, tr("Running… the app is making the calls."));
    else if (outcome.failure)
        setStatusText(m_stepStatus, tr("✗ The step could not run: %1").arg(outcome.failure->toString()));
    else if (outcome.passed())
        setStatusText(m_stepStatus, tr("✓ The kernel did what the lesson says."));
    else
        setStatusText(m_stepStatus, tr("✗ Not everything went as the lesson says: see below."));

    if (have) {
        m_diagram->setEndTitle(End::Client, outcome.clientTitle);
        m_diagram->setEndTitle(End::Server, outcome.serverTitle);
        m_diagram->setPath(End::Client, diagramPath(outcome.clientPath));
        m_diagram->setPath(End::Server, diagramPath(outcome.serverPath));
    }
    followFlow();
    updateButtons();
}

void LessonPane::followFlow()
{
    // The ladder draws the connection the diagram follows at the step on screen (a lesson
    // may open a second one, e.g. with TCP_NODELAY); before its port is known, the first.
    const auto it = std::ranges::find_if(m_lessons, [&](const core::Lesson &l) { return l.id == lessonId(); });
    quint16 client = 0;
    if (it != m_lessons.end() && m_port != 0 && !m_progress.steps.isEmpty()) {
        core::LessonFocus focus = it->focus;
        for (int i = 0; i <= m_view && i < it->steps.size(); ++i) {
            if (it->steps[i].focus)
                focus = *it->steps[i].focus;
        }
        const QString key = focus.client + QStringLiteral(".port");
        for (const auto &[name, value] : m_progress.steps.last().vars) {
            if (name == key)
                client = value.toUShort();
        }
    }
    if (client == m_flowClient)
        return;
    m_flowClient = client;
    if (client == 0)
        m_ladder->setFlow(std::nullopt);
    else
        m_ladder->setFlow(core::SegmentStates::Flow{core::Address::loopback(m_family, client),
                                                    core::Address::loopback(m_family, m_port)});
}

void LessonPane::updateLadderTab()
{
    // The count tells a student on the diagram's tab that packets came.
    const auto shown = m_ladder->diagram()->shownSegments().size();
    m_views->setTabText(1, shown ? tr("P&acket ladder (%1)").arg(shown) : tr("P&acket ladder"));
}

void LessonPane::fitColumns()
{
    // The text column gets what the view in front leaves: the diagram is limited by the
    // column's height at 1280x800, so it leaves the text ~350 px; the ladder is as wide as
    // its texts (~730 px), so while it is in front the text column narrows to let both
    // lifelines and their states show. A splitter the user dragged stays where it is.
    if (m_splitMoved)
        return;
    const QList<int> sizes = m_split->sizes();
    const int total = sizes.value(0) + sizes.value(1);
    if (total <= 0)
        return;
    int left = std::clamp(total * 35 / 100, kMinTextWidth, kMaxTextWidth);
    const LadderDiagram *ladder = m_ladder->diagram();
    if (m_views->currentWidget() == m_ladder && !ladder->ladderLayout().times().isEmpty()) {
        const int scroll = style()->pixelMetric(QStyle::PM_ScrollBarExtent) + 8; // its frame and margins
        const int needed = int(ladder->ladderLayout().size().width()) + scroll;
        left = std::clamp(total - needed, kMinTextWidth, std::max(left, kMinTextWidth));
    }
    if (left != sizes.value(0))
        m_split->setSizes({left, total - left});
}

void LessonPane::resizeEvent(QResizeEvent *event)
{
    Pane::resizeEvent(event);
    fitColumns();
}

void LessonPane::updateButtons()
{
    const bool busy = isBusy();
    m_back->setEnabled(m_view >= 0 && !busy);
    const bool more = m_view + 1 < m_progress.stepsRun || m_progress.stepsRun < m_progress.stepCount;
    m_next->setEnabled(!busy && more && !m_lessons.isEmpty());
    m_next->setText(m_view + 1 < m_progress.stepsRun ? tr("&Next ▶") : tr("Run &next step ▶"));
    m_restart->setEnabled(!m_lessons.isEmpty());
}

QString LessonPane::narrationText() const
{
    return m_narration->toPlainText();
}

QString LessonPane::pythonText() const
{
    return m_python->toPlainText();
}

QStringList LessonPane::checkLines() const
{
    QStringList out;
    for (int i = 0; i < m_checks->count(); ++i)
        out.append(m_checks->item(i)->text());
    return out;
}

QStringList LessonPane::callLines() const
{
    return m_calls->toPlainText().split(QLatin1Char('\n'), Qt::SkipEmptyParts);
}

} // namespace sockscope::ui
