// Not a test: shows the options pane on a real listening session, after one Apply, and
// saves a PNG to look at it as a user would. Run under Xvfb:
//   xvfb-run -a -s "-screen 0 1280x800x24" ./shoot_optionspane optionspane.png [kernel]
// "kernel" shows the kernel settings tab instead.

#include "shotsupport.h"

#include "../common/widgetlookup.h"
#include "../common/sessionwaits.h"

#include "panes/optionspane.h"
#include "widgets/kernelsettingsview.h"
#include "widgets/optioneditor.h"

#include "engine/sessionmanager.h"

#include <QApplication>
#include <QEventLoop>
#include <QTabWidget>
#include <QTimer>

#include <chrono>
#include <cstdio>

using namespace sockscope;

using tests::waitForSignal;
using sockscope::tests::named;

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    if (argc < 2) {
        std::fprintf(stderr, "usage: shoot_optionspane OUT.png [kernel]\n");
        return 1;
    }
    const bool kernel = argc > 2 && QByteArray(argv[2]) == "kernel";

    core::SessionManager sessions;
    core::ListenSpec spec;
    spec.bind = core::Address::loopback(AF_INET, 0);
    spec.options = {{QStringLiteral("TCP_DEFER_ACCEPT"), QStringLiteral("5")}};
    const core::SessionId id = sessions.listen(spec);
    tests::waitUntilOpened(sessions, id);

    ui::OptionsPane pane(sessions);
    pane.setWindowTitle(QStringLiteral("sockscope — Socket options"));
    pane.resize(1000, 700);
    pane.show();
    pane.setSession(id);
    waitForSignal(&pane, &ui::OptionsPane::optionsRead);
    if (!pane.hasHostContext())
        waitForSignal(&pane, &ui::OptionsPane::hostContextRead);

    if (kernel) {
        pane.findChild<QTabWidget *>()->setCurrentWidget(named<ui::KernelSettingsView>(pane, u"kernelSettings"));
        named<ui::KernelSettingsView>(pane, u"kernelSettings")->select(QStringLiteral("net.core.somaxconn"));
    } else {
        pane.selectOption(QStringLiteral("SO_RCVBUF"));
        named<ui::OptionEditor>(pane, u"editor")->setText(QStringLiteral("65536"));
        named<ui::OptionEditor>(pane, u"editor")->apply();
        waitForSignal(&pane, &ui::OptionsPane::applied);
        waitForSignal(&pane, &ui::OptionsPane::optionsRead);
    }
    QTimer::singleShot(300, &app, &QApplication::quit);
    app.exec();
    if (!pane.grab().save(QString::fromLocal8Bit(argv[1]))) {
        std::fprintf(stderr, "shoot_optionspane: cannot write %s\n", argv[1]);
        return 1;
    }
    return 0;
}
