#pragma once

#include "net/payloadcodec.h"

#include <QStringList>
#include <QWidget>

class QComboBox;
class QLabel;
class QMenu;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QTimer;
class QToolButton;

namespace sockscope::ui {

// What the user types to send, in every pane: text with escapes or hex, a line ending,
// Send (Ctrl+Return), repeat N times every T ms, history on Up/Down, snippets saved in
// QSettings, and "Send file…". A parse error shows inline, names the field and selects
// the offending characters; nothing is sent and nothing typed is lost. The composer never
// touches a socket: it emits the bytes (or a file path) and the pane sends them.
class Composer : public QWidget
{
    Q_OBJECT
public:
    static constexpr int kHistoryLimit = 100;

    explicit Composer(QWidget *parent = nullptr);
    ~Composer() override;

    QString text() const;
    void setText(const QString &text);
    core::PayloadMode mode() const;
    void setMode(core::PayloadMode mode);
    core::LineEnding lineEnding() const;
    void setLineEnding(core::LineEnding ending);
    // count 0 repeats until stopped; 1 sends once.
    void setRepeat(int count, int intervalMs);
    int repeatCount() const;
    int repeatInterval() const;
    bool isRepeating() const { return m_repeating; }
    int repeatsSent() const { return m_sentInSeries; }
    // Hidden where sendfile() does not apply (datagram panes).
    void setFileSendingEnabled(bool enabled);

    // What Send would send now (input parsed, line ending appended).
    core::PayloadResult payload() const;
    QString errorText() const;      // the inline error, empty when none is shown
    QString byteCountText() const;  // "7 bytes"
    QStringList history() const;    // oldest first

    QStringList snippetNames() const;
    void saveSnippet(const QString &name); // replaces one of the same name
    bool loadSnippet(const QString &name);
    void removeSnippet(const QString &name);

public slots:
    bool send();         // false (and the error shown) if the input does not parse
    void stopRepeat();
    void requestSendFile(const QString &path);
    void chooseFile();   // a file dialog, then requestSendFile
    bool historyPrevious();
    bool historyNext();

signals:
    void sendRequested(const QByteArray &bytes);
    void sendFileRequested(const QString &path);
    void repeatingChanged(bool repeating);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    struct Entry
    {
        QString text;
        core::PayloadMode mode = core::PayloadMode::Text;
    };

    void buildUi();
    void validate();
    void showParseError(const core::PayloadError &error, bool moveCursor);
    void clearParseError();
    void addToHistory();
    void recall(const Entry &entry);
    void repeatTick();
    void setRepeating(bool on);
    void updateRepeatStatus();
    void updatePlaceholder();
    void rebuildSnippetMenu();
    void promptSaveSnippet();

    QComboBox *m_modeBox = nullptr;
    QComboBox *m_endingBox = nullptr;
    QToolButton *m_snippets = nullptr;
    QMenu *m_snippetMenu = nullptr;
    QPushButton *m_sendFile = nullptr;
    QPlainTextEdit *m_input = nullptr;
    QLabel *m_error = nullptr;
    QLabel *m_count = nullptr;
    QSpinBox *m_repeatBox = nullptr;
    QSpinBox *m_intervalBox = nullptr;
    QPushButton *m_stop = nullptr;
    QPushButton *m_send = nullptr;
    QLabel *m_repeatStatus = nullptr;
    // The user's send pacing ("repeat every N ms"), not a refresh: it is the one timer
    // besides the window's UiTick, and runs only while a repeat is under way.
    QTimer *m_repeatTimer = nullptr;

    bool m_showErrors = false;   // live errors only after a failed Send, until fixed
    bool m_repeating = false;
    QByteArray m_repeatPayload;  // parsed once when the series starts
    int m_sentInSeries = 0;
    int m_seriesLength = 0;      // 0: until stopped
    QList<Entry> m_history;
    qsizetype m_historyPos = -1; // -1: the draft is showing
    Entry m_draft;
    bool m_recalling = false;
};

} // namespace sockscope::ui
