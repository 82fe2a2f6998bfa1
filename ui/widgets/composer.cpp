#include "composer.h"

#include "accessiblelabel.h"
#include "theme.h"
#include "formhelpers.h"

#include "models/snippetstore.h"

#include <QAction>
#include <QComboBox>
#include <QEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QKeyEvent>
#include <QLabel>
#include <QLocale>
#include <QMenu>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTextBlock>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

namespace sockscope::ui {

using namespace sockscope::core;

Composer::Composer(QWidget *parent)
    : QWidget(parent)
    , m_repeatTimer(new QTimer(this))
{
    buildUi();
    connect(m_repeatTimer, &QTimer::timeout, this, &Composer::repeatTick);
    validate();
}

Composer::~Composer() = default;

void Composer::buildUi()
{
    auto *modeLabel = new QLabel(tr("Format:"), this);
    m_modeBox = new QComboBox(this);
    m_modeBox->addItem(tr("Text with escapes"));
    m_modeBox->addItem(tr("Hex"));
    modeLabel->setBuddy(m_modeBox);
    describe(m_modeBox, tr("Input format"),
             tr("Text: sent as UTF-8, with escapes \\n \\r \\t \\\\ \\0 \\xHH.\n"
                "Hex: pairs of hex digits; spaces and colons may separate bytes (48 69 or 48:69)."));

    auto *endingLabel = new QLabel(tr("Line ending:"), this);
    m_endingBox = new QComboBox(this);
    for (const LineEnding e : {LineEnding::None, LineEnding::Lf, LineEnding::CrLf, LineEnding::Cr})
        m_endingBox->addItem(PayloadCodec::lineEndingLabel(e));
    endingLabel->setBuddy(m_endingBox);
    describe(m_endingBox, tr("Line ending"),
             tr("Appended after your bytes on every send. Line-based servers (the classic upper server, HTTP, SMTP) "
                "wait for \\n or \\r\\n before they answer."));

    m_snippetMenu = new QMenu(this);
    m_snippets = new QToolButton(this);
    m_snippets->setText(tr("Snippets"));
    m_snippets->setPopupMode(QToolButton::InstantPopup);
    m_snippets->setMenu(m_snippetMenu);
    m_snippets->setFocusPolicy(Qt::StrongFocus);
    describe(m_snippets, tr("Snippets"), tr("Load a saved input, save the current one, or delete one. Saved for next time."));
    connect(m_snippetMenu, &QMenu::aboutToShow, this, &Composer::rebuildSnippetMenu);

    m_sendFile = new QPushButton(tr("Send file…"), this);
    describe(m_sendFile, tr("Send file"),
             tr("sendfile(): the kernel copies a file's bytes into the socket; the app never reads the file."));
    connect(m_sendFile, &QPushButton::clicked, this, &Composer::chooseFile);

    m_input = new QPlainTextEdit(this);
    m_input->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_input->setTabChangesFocus(true);
    m_input->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    m_input->setMinimumHeight(m_input->fontMetrics().lineSpacing() * 2 + 12);
    m_input->installEventFilter(this);
    describe(m_input, tr("Bytes to send"),
             tr("Ctrl+Return sends. Up on the first line / Down on the last line recall earlier sends."));
    connect(m_input, &QPlainTextEdit::textChanged, this, [this] {
        if (!m_recalling)
            m_historyPos = -1; // an edited entry becomes the draft, so Up never loses it
        validate();
    });
    connect(m_modeBox, &QComboBox::currentIndexChanged, this, [this] {
        updatePlaceholder();
        validate();
    });
    connect(m_endingBox, &QComboBox::currentIndexChanged, this, &Composer::validate);

    m_error = makeErrorLabel(this);

    auto *repeatLabel = new QLabel(tr("Repeat:"), this);
    m_repeatBox = new QSpinBox(this);
    m_repeatBox->setRange(0, 1'000'000);
    m_repeatBox->setValue(1);
    m_repeatBox->setSuffix(tr(" ×"));
    m_repeatBox->setSpecialValueText(tr("until stopped"));
    repeatLabel->setBuddy(m_repeatBox);
    describe(m_repeatBox, tr("Repeat count"), tr("How many times Send sends the bytes; 1 sends once, 0 until you press Stop."));
    auto *everyLabel = new QLabel(tr("every"), this);
    m_intervalBox = new QSpinBox(this);
    m_intervalBox->setRange(1, 3'600'000);
    m_intervalBox->setValue(1000);
    m_intervalBox->setSuffix(tr(" ms"));
    m_intervalBox->setSingleStep(100);
    everyLabel->setBuddy(m_intervalBox);
    describe(m_intervalBox, tr("Repeat interval"), tr("Time between repeated sends, in milliseconds"));
    connect(m_repeatBox, &QSpinBox::valueChanged, this, [this](int n) { m_intervalBox->setEnabled(n != 1 && !m_repeating); });
    m_intervalBox->setEnabled(false);

    m_stop = new QPushButton(tr("Stop"), this);
    describe(m_stop, tr("Stop repeating"), tr("Stop the repeated sends"));
    m_stop->setEnabled(false);
    connect(m_stop, &QPushButton::clicked, this, &Composer::stopRepeat);
    m_repeatStatus = new QLabel(this);
    m_repeatStatus->setTextFormat(Qt::PlainText);
    nameStatusLabel(m_repeatStatus, tr("Repeat progress"));

    m_count = new QLabel(this);
    m_count->setTextFormat(Qt::PlainText);
    nameStatusLabel(m_count, tr("Bytes to send"));
    m_count->setToolTip(tr("How many bytes one Send sends, line ending included"));
    m_send = new QPushButton(tr("Sen&d"), this);
    m_send->setDefault(false);
    describe(m_send, tr("Send"), tr("Send the bytes (Ctrl+Return)"));
    connect(m_send, &QPushButton::clicked, this, &Composer::send);

    // Ctrl+Return anywhere in this composer, never in a sibling pane's: a window-wide
    // shortcut would be ambiguous as soon as a server shows two connections.
    auto *sendAction = new QAction(this);
    sendAction->setShortcuts({QKeySequence(Qt::CTRL | Qt::Key_Return), QKeySequence(Qt::CTRL | Qt::Key_Enter)});
    sendAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(sendAction, &QAction::triggered, this, &Composer::send);
    addAction(sendAction);

    auto *top = new QHBoxLayout;
    top->addWidget(modeLabel);
    top->addWidget(m_modeBox);
    top->addSpacing(8);
    top->addWidget(endingLabel);
    top->addWidget(m_endingBox);
    top->addStretch(1);
    top->addWidget(m_snippets);
    top->addWidget(m_sendFile);

    auto *bottom = new QHBoxLayout;
    bottom->addWidget(repeatLabel);
    bottom->addWidget(m_repeatBox);
    bottom->addWidget(everyLabel);
    bottom->addWidget(m_intervalBox);
    bottom->addWidget(m_stop);
    bottom->addWidget(m_repeatStatus, 1);
    bottom->addWidget(m_count);
    bottom->addWidget(m_send);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(top);
    layout->addWidget(m_input, 1);
    layout->addWidget(m_error);
    layout->addLayout(bottom);
    updatePlaceholder();
}

QString Composer::text() const { return m_input->toPlainText(); }
void Composer::setText(const QString &text) { m_input->setPlainText(text); }
PayloadMode Composer::mode() const { return PayloadMode(m_modeBox->currentIndex()); }
void Composer::setMode(PayloadMode mode) { m_modeBox->setCurrentIndex(int(mode)); }
LineEnding Composer::lineEnding() const { return LineEnding(m_endingBox->currentIndex()); }
void Composer::setLineEnding(LineEnding ending) { m_endingBox->setCurrentIndex(int(ending)); }
int Composer::repeatCount() const { return m_repeatBox->value(); }
int Composer::repeatInterval() const { return m_intervalBox->value(); }
QString Composer::errorText() const { return m_error->isHidden() ? QString() : m_error->text(); }
QString Composer::byteCountText() const { return m_count->text(); }

void Composer::setRepeat(int count, int intervalMs)
{
    m_repeatBox->setValue(count);
    m_intervalBox->setValue(intervalMs);
}

void Composer::setFileSendingEnabled(bool enabled)
{
    m_sendFile->setVisible(enabled);
}

QStringList Composer::history() const
{
    QStringList list;
    for (const Entry &e : m_history)
        list << e.text;
    return list;
}

void Composer::updatePlaceholder()
{
    m_input->setPlaceholderText(mode() == PayloadMode::Hex
                                    ? tr("Hex bytes, e.g. 48 65 6c 6c 6f or de:ad:be:ef. Ctrl+Return sends.")
                                    : tr("Text to send. Escapes: \\n \\r \\t \\\\ \\0 \\xHH. Ctrl+Return sends."));
}

PayloadResult Composer::payload() const
{
    return PayloadCodec::parse(text(), mode(), lineEnding());
}

void Composer::validate()
{
    const PayloadResult p = payload();
    if (p) {
        setStatusText(m_count, p->size() == 1 ? tr("1 byte") : tr("%1 bytes").arg(QLocale().toString(p->size())));
        clearParseError();
        m_showErrors = false;
    } else {
        setStatusText(m_count, tr("not valid"));
        if (m_showErrors)
            showParseError(p.error(), false);
    }
}

void Composer::showParseError(const PayloadError &error, bool moveCursor)
{
    showError(m_error, error.toString());
    QTextCursor spot(m_input->document());
    spot.setPosition(int(std::min<qsizetype>(error.position, text().size())));
    spot.setPosition(int(std::min<qsizetype>(error.position + std::max<qsizetype>(error.length, 1), text().size())),
                     QTextCursor::KeepAnchor);
    QTextEdit::ExtraSelection mark;
    mark.cursor = spot;
    const Theme theme(m_input->palette());
    mark.format.setBackground(theme.color(Theme::Role::ErrorTint));
    mark.format.setUnderlineStyle(QTextCharFormat::WaveUnderline);
    mark.format.setUnderlineColor(theme.color(Theme::Role::Error));
    m_input->setExtraSelections({mark});
    if (moveCursor) {
        m_input->setTextCursor(spot);
        m_input->setFocus(Qt::OtherFocusReason);
    }
}

void Composer::clearParseError()
{
    showError(m_error, QString());
    m_input->setExtraSelections({});
}

bool Composer::send()
{
    if (m_repeating || !isEnabled())
        return false;
    const PayloadResult p = payload();
    if (!p) {
        m_showErrors = true;
        showParseError(p.error(), true);
        return false;
    }
    addToHistory();
    m_repeatPayload = *p;
    m_seriesLength = m_repeatBox->value();
    m_sentInSeries = 0;
    if (m_seriesLength == 1) {
        setStatusText(m_repeatStatus, {});
        emit sendRequested(m_repeatPayload);
        return true;
    }
    setRepeating(true);
    repeatTick();
    if (m_repeating)
        m_repeatTimer->start(m_intervalBox->value());
    return true;
}

void Composer::repeatTick()
{
    ++m_sentInSeries;
    emit sendRequested(m_repeatPayload);
    if (m_seriesLength > 0 && m_sentInSeries >= m_seriesLength)
        stopRepeat();
    else
        updateRepeatStatus();
}

void Composer::stopRepeat()
{
    m_repeatTimer->stop();
    if (m_repeating)
        setRepeating(false);
}

void Composer::setRepeating(bool on)
{
    m_repeating = on;
    m_stop->setEnabled(on);
    m_send->setEnabled(!on);
    m_repeatBox->setEnabled(!on);
    m_intervalBox->setEnabled(!on && m_repeatBox->value() != 1);
    updateRepeatStatus();
    emit repeatingChanged(on);
}

void Composer::updateRepeatStatus()
{
    const QString sent = QLocale().toString(m_sentInSeries);
    if (m_seriesLength > 0)
        setStatusText(m_repeatStatus, tr("sent %1 of %2").arg(sent, QLocale().toString(m_seriesLength)));
    else
        setStatusText(m_repeatStatus, m_repeating ? tr("sent %1, until stopped").arg(sent) : tr("stopped after %1").arg(sent));
}

void Composer::changeEvent(QEvent *event)
{
    // A disabled composer (its connection closed) must not keep sending.
    if (event->type() == QEvent::EnabledChange && !isEnabled())
        stopRepeat();
    QWidget::changeEvent(event);
}

void Composer::requestSendFile(const QString &path)
{
    const QFileInfo info(path);
    if (!info.isFile() || !info.isReadable()) {
        showError(m_error, tr("file: %1 is not a readable file").arg(path));
        return;
    }
    clearParseError();
    setStatusText(m_repeatStatus, tr("sendfile: %1 (%2)").arg(info.fileName(), humanBytes(quint64(info.size()))));
    emit sendFileRequested(info.absoluteFilePath());
}

void Composer::chooseFile()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Send a file"));
    if (!path.isEmpty())
        requestSendFile(path);
}

void Composer::addToHistory()
{
    const Entry e{text(), mode()};
    if (m_history.isEmpty() || m_history.last().text != e.text || m_history.last().mode != e.mode)
        m_history.append(e);
    while (m_history.size() > kHistoryLimit)
        m_history.removeFirst();
    m_historyPos = -1;
}

void Composer::recall(const Entry &entry)
{
    m_recalling = true;
    setMode(entry.mode);
    m_input->setPlainText(entry.text);
    m_input->moveCursor(QTextCursor::End);
    m_recalling = false;
}

bool Composer::historyPrevious()
{
    if (m_history.isEmpty())
        return false;
    if (m_historyPos < 0) {
        m_draft = {text(), mode()};
        m_historyPos = m_history.size() - 1;
    } else if (m_historyPos > 0) {
        --m_historyPos;
    }
    recall(m_history[m_historyPos]);
    return true;
}

bool Composer::historyNext()
{
    if (m_historyPos < 0)
        return false;
    if (m_historyPos + 1 < m_history.size()) {
        ++m_historyPos;
        recall(m_history[m_historyPos]);
    } else {
        m_historyPos = -1;
        recall(m_draft);
    }
    return true;
}

bool Composer::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_input && event->type() == QEvent::KeyPress) {
        auto *key = static_cast<QKeyEvent *>(event);
        const Qt::KeyboardModifiers mods = key->modifiers() & ~Qt::KeypadModifier;
        if ((key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter) && mods == Qt::ControlModifier) {
            send();
            return true;
        }
        // Up on the first visual line and Down on the last walk the history; elsewhere
        // they move the cursor as usual.
        if (mods == Qt::NoModifier && (key->key() == Qt::Key_Up || key->key() == Qt::Key_Down)) {
            const bool up = key->key() == Qt::Key_Up;
            QTextCursor probe = m_input->textCursor();
            if (!probe.movePosition(up ? QTextCursor::Up : QTextCursor::Down))
                return up ? historyPrevious() : historyNext();
        }
    }
    return QWidget::eventFilter(watched, event);
}

QStringList Composer::snippetNames() const
{
    QStringList names;
    for (const SnippetStore::Snippet &s : SnippetStore::all())
        names << s.name;
    return names;
}

void Composer::saveSnippet(const QString &name)
{
    if (!name.trimmed().isEmpty())
        SnippetStore::save({name, text(), mode(), lineEnding()});
}

bool Composer::loadSnippet(const QString &name)
{
    const auto snippet = SnippetStore::find(name);
    if (!snippet)
        return false;
    setLineEnding(snippet->ending);
    recall({snippet->text, snippet->mode});
    m_input->setFocus(Qt::OtherFocusReason);
    return true;
}

void Composer::removeSnippet(const QString &name)
{
    SnippetStore::remove(name);
}

void Composer::rebuildSnippetMenu()
{
    m_snippetMenu->clear();
    const QStringList names = snippetNames();
    for (const QString &name : names) {
        // Snippet names are the user's own; '&' would still turn into a mnemonic.
        QAction *a = m_snippetMenu->addAction(QString(name).replace(u'&', QStringLiteral("&&")));
        connect(a, &QAction::triggered, this, [this, name] { loadSnippet(name); });
    }
    if (names.isEmpty())
        m_snippetMenu->addAction(tr("(no snippets yet)"))->setEnabled(false);
    m_snippetMenu->addSeparator();
    connect(m_snippetMenu->addAction(tr("Save current input as snippet…")), &QAction::triggered, this,
            &Composer::promptSaveSnippet);
    QMenu *remove = m_snippetMenu->addMenu(tr("Delete snippet"));
    remove->setEnabled(!names.isEmpty());
    for (const QString &name : names) {
        QAction *a = remove->addAction(QString(name).replace(u'&', QStringLiteral("&&")));
        connect(a, &QAction::triggered, this, [this, name] { removeSnippet(name); });
    }
}

void Composer::promptSaveSnippet()
{
    bool ok = false;
    const QString first = text().section(u'\n', 0, 0).left(40);
    const QString name = QInputDialog::getText(this, tr("Save snippet"), tr("Name:"), QLineEdit::Normal, first, &ok);
    if (ok)
        saveSnippet(name.trimmed());
}

} // namespace sockscope::ui
