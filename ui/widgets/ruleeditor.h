#pragma once

#include "engine/responder.h"

#include <QWidget>

#include <memory>

class QComboBox;
class QLabel;
class QPushButton;
class QTableWidget;

namespace sockscope::ui {

// A pane's responder rules as the user edits them: how the stream is cut into messages
// (TCP only) and the rules in order — what to match, the pattern, the reply (escapes,
// \1..\9, {{macros}}), options (once, times=N, delay=MS, then=close|shutdown) — each with
// its hit count while it serves. Checked as typed: a wrong field is named inline ("rule
// 2, reply: ...") and nothing typed is lost.
class RuleEditor : public QWidget
{
    Q_OBJECT
public:
    enum Column { Match, Pattern, Reply, Options, Hits, ColumnCount };

    explicit RuleEditor(bool stream, QWidget *parent = nullptr);

    // A rule in the CLI's syntax ([OPTIONS]KIND:PATTERN=>REPLY); false (and the error
    // shown) when it does not parse.
    bool addRule(const QString &spec);
    int ruleCount() const;
    void setFraming(const QString &spec);

    // The rules as typed, ready to serve; nullptr (and the error shown) when one is wrong
    // or there is none.
    std::shared_ptr<core::ResponderRules> build();
    // The set now serving: hit counts come from it (nullptr: none shown).
    void setServing(std::shared_ptr<core::ResponderRules> rules);
    void refreshHits();
    QString errorText() const;

signals:
    void edited(); // a rule or the framing changed, and the whole set is valid

private:
    void insertRow(int row, core::ResponderRule::Match match, const QString &pattern, const QString &reply,
                   const QString &options);
    void moveSelected(int by);
    void check();

    bool m_stream;
    bool m_filling = false;
    QComboBox *m_framing = nullptr;
    QTableWidget *m_table = nullptr;
    QPushButton *m_add = nullptr;
    QPushButton *m_remove = nullptr;
    QPushButton *m_up = nullptr;
    QPushButton *m_down = nullptr;
    QLabel *m_error = nullptr;
    std::shared_ptr<core::ResponderRules> m_serving;
};

} // namespace sockscope::ui
