#pragma once

#include "responder.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <chrono>
#include <expected>
#include <optional>

namespace sockscope::core {

// One step of a send script, as the composer lists it and the CLI's --step takes it.
struct ScriptStep
{
    enum class Kind { Send, SendHex, Expect, Sleep, Shutdown, Close, Repeat, End };
    static constexpr std::chrono::milliseconds kDefaultExpectTimeout{5000};

    Kind kind = Kind::Send;
    QString text;                       // as typed (what toString() gives back)
    std::optional<ReplyTemplate> send;  // Send: escapes and macros, rendered when the step runs
    QByteArray bytes;                   // SendHex
    std::optional<ResponderRule> match; // Expect: the responder's matcher (its reply unused)
    std::chrono::milliseconds wait{0};  // Expect: timeout; Sleep: how long
    int count = 0;                      // Repeat: how many times the block runs
    int partner = -1;                   // Repeat: index of its End; End: of its Repeat

    // send:TEXT, sendhex:HEX, expect:KIND:PATTERN[@SECONDS], sleep:MS, shutdown, close,
    // repeat:N, end. KIND as --rule's: equals, prefix, contains, regex, hex. An error names
    // `field` and says what is accepted.
    static std::expected<ScriptStep, SysError> parse(QStringView spec, const QString &field = QStringLiteral("step"));
    QString toString() const { return text; }
};

// The steps of a script in order, repeat blocks paired with their ends.
class SendScript
{
public:
    // field(i) names step i in errors ("--step 3").
    static std::expected<SendScript, SysError> parse(const QStringList &specs, const QString &fieldPrefix = QStringLiteral("step"));

    const QList<ScriptStep> &steps() const { return m_steps; }
    bool isEmpty() const { return m_steps.isEmpty(); }

    static QString syntaxHelp(); // the accepted forms, for --help and errors

private:
    QList<ScriptStep> m_steps;
};

} // namespace sockscope::core
