// Not a test: shows the Lookup pane filled with a real lookup and saves a PNG, to look at
// the pane as a user would. Run under Xvfb:
//   xvfb-run -a -s "-screen 0 1280x800x24" ./shoot_lookuppane lookuppane.png [tab]
// tab: 0 getnameinfo (default), 1 names and services, 2 inet_* converters, 3 byte order.

#include "shotsupport.h"

#include "../common/widgetlookup.h"

#include "panes/hostdbform.h"
#include "panes/lookuppane.h"
#include "panes/nameinfoform.h"

#include "engine/lookupservice.h"

#include <QApplication>
#include <QEventLoop>
#include <QLineEdit>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>

#include <cstdio>

using namespace sockscope;

using tests::waitForSignal;
using sockscope::tests::named;

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    if (argc < 2) {
        std::fprintf(stderr, "usage: shoot_lookuppane OUT.png [tab]\n");
        return 1;
    }
    const int tab = argc > 2 ? QString::fromLocal8Bit(argv[2]).toInt() : 0;

    core::LookupService lookups;
    ui::LookupPane pane(lookups);
    pane.setWindowTitle(QStringLiteral("sockscope — Lookup"));
    pane.resize(1000, 700);
    pane.show();

    // Only names /etc/hosts answers: taking a screenshot must not query DNS.
    pane.resolve(QStringLiteral("localhost"), QStringLiteral("domain"), {AF_UNSPEC, 0, 0, AI_CANONNAME});
    waitForSignal(&pane, &ui::LookupPane::lookupFinished);

    if (tab == 0) {
        pane.nameInfoForSelection();
        waitForSignal(named<ui::NameInfoForm>(pane, u"nameInfoForm"), &ui::NameInfoForm::finished);
    } else if (tab == 1) {
        named<QTabWidget>(pane, u"tabs")->setCurrentIndex(1);
        ui::HostDbForm *db = named<ui::HostDbForm>(pane, u"hostDbForm");
        for (int c = 0; c < ui::HostDbForm::CallCount; ++c) {
            if (c == ui::HostDbForm::GetFqdn) // this host's name may not be in /etc/hosts: no DNS
                db->input(ui::HostDbForm::GetFqdn)->setText(QStringLiteral("localhost"));
            db->run(ui::HostDbForm::Call(c));
            waitForSignal(db, &ui::HostDbForm::finished);
        }
    } else {
        named<QTabWidget>(pane, u"tabs")->setCurrentIndex(tab);
    }
    QApplication::processEvents();

    if (!pane.grab().save(QString::fromLocal8Bit(argv[1]))) {
        std::fprintf(stderr, "shoot_lookuppane: cannot write %s\n", argv[1]);
        return 1;
    }
    std::printf("%s\n", argv[1]);
    return 0;
}
