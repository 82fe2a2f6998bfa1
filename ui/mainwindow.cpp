#include "mainwindow.h"

#include <QApplication>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QStatusBar>
#include <QVBoxLayout>

namespace sockscope::ui {

MainWindow::MainWindow(core::SessionManager &sessions, QWidget *parent)
    : QMainWindow(parent)
    , m_sessions(sessions)
{
    setWindowTitle(QStringLiteral("%1 %2").arg(QApplication::applicationDisplayName(), QApplication::applicationVersion()));
    resize(1280, 800);

    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    auto *title = new QLabel(tr("sockscope"), central);
    title->setTextFormat(Qt::PlainText);
    title->setAlignment(Qt::AlignCenter);
    QFont big = title->font();
    big.setPointSizeF(big.pointSizeF() * 2.2);
    big.setBold(true);
    title->setFont(big);
    auto *subtitle = new QLabel(tr("A workbench for the BSD socket API — version %1").arg(QApplication::applicationVersion()), central);
    subtitle->setTextFormat(Qt::PlainText);
    subtitle->setAlignment(Qt::AlignCenter);
    layout->addStretch(1);
    layout->addWidget(title);
    layout->addWidget(subtitle);
    layout->addStretch(2);
    setCentralWidget(central);

    auto *fileMenu = menuBar()->addMenu(tr("&File"));
    QAction *quit = fileMenu->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);
    quit->setToolTip(tr("Close every session and quit"));
    auto *helpMenu = menuBar()->addMenu(tr("&Help"));
    helpMenu->addAction(tr("&About sockscope"), this, &MainWindow::showAbout);

    statusBar()->showMessage(tr("Ready"));
}

void MainWindow::showAbout()
{
    QMessageBox box(this);
    box.setWindowTitle(tr("About sockscope"));
    box.setTextFormat(Qt::PlainText);
    box.setText(tr("sockscope %1\nA Qt workbench for the BSD socket API.").arg(QApplication::applicationVersion()));
    box.exec();
}

} // namespace sockscope::ui
