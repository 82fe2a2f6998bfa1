#pragma once

#include "framing.h"
#include "replytemplate.h"
#include "services.h"

#include <QRegularExpression>

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <vector>

namespace sockscope::core {

// One auto-reply: when a framed message matches, send the reply (rendered with the
// message's captures and the macros), optionally after a delay, then optionally shut
// down writing or close.
struct ResponderRule
{
    enum class Match { Equals, Prefix, Contains, Regex, Hex };
    enum class After { Nothing, ShutdownWrite, Close };

    Match match = Match::Equals;
    QString pattern;          // as typed
    QByteArray bytes;         // Equals/Prefix/Contains: the pattern's bytes (escapes decoded); Hex: the bytes
    QByteArray hexMask;       // Hex: 0 where the pattern said ?? (any byte), else 0xff
    QRegularExpression regex; // Regex: on the message as UTF-8 text (Latin-1 when it is not UTF-8)
    ReplyTemplate reply;
    std::chrono::milliseconds delay{0};
    quint64 times = 0;        // fire at most this often (0: always)
    After after = After::Nothing;

    // [OPTIONS]KIND:PATTERN=>REPLY, as the CLI takes it. KIND: equals, prefix, contains,
    // regex, hex (pairs of hex digits, ?? for any byte, matching the message's start).
    // OPTIONS, comma-separated: delay=MS, times=N (once = times=1), then=close|shutdown.
    // PATTERN and REPLY take the composer's escapes; REPLY takes macros and \1..\9.
    static std::expected<ResponderRule, SysError> parse(QStringView spec, const QString &field = QStringLiteral("rule"));
    static std::expected<ResponderRule, SysError> make(Match match, QStringView pattern, QStringView reply,
                                                      const QString &field = QStringLiteral("rule"));
    // Comma-separated options onto a rule: once, times=N, delay=MS, then=close|shutdown.
    std::expected<void, SysError> applyOptions(QStringView options, const QString &field);
    QString optionsText() const; // what applyOptions() takes back ("" when none)
    QString toString() const; // what parse() takes back
    QString summary() const;  // "regex ^PING (\d+)$"

    // Captures (\1..) into *captures when it matches.
    bool matches(QByteArrayView message, QList<QByteArray> *captures) const;
};

QString responderMatchName(ResponderRule::Match match); // "equals", ...
std::optional<ResponderRule::Match> responderMatchFromName(QStringView name); // the inverse

// The rules of one pane, shared by every connection it serves (a listener's accepted
// connections, one UDP socket's peers): hit counts and fire limits are the pane's, the
// counter too. Any thread.
class ResponderRules
{
public:
    ResponderRules(Framing framing, QList<ResponderRule> rules, quint64 counterStart = 1);

    const Framing &framing() const { return m_framing; }
    const QList<ResponderRule> &rules() const { return m_rules; }
    quint64 hits(qsizetype rule) const { return m_hits[size_t(rule)].load(std::memory_order_relaxed); }

    // The first rule that matches and may still fire (its hit counted), or -1; *why says
    // what happened, for the call trace.
    qsizetype claim(QByteArrayView message, QList<QByteArray> *captures, QString *why);
    quint64 nextCounter() { return m_counter.fetch_add(1, std::memory_order_relaxed); }

private:
    Framing m_framing;
    QList<ResponderRule> m_rules;
    std::unique_ptr<std::atomic<quint64>[]> m_hits;
    std::atomic<quint64> m_counter;
};

// The service a session runs when its pane has rules: frames what arrives and answers
// each message by the first rule that matches. Nothing matched: nothing is sent, and the
// trace says which rules were tried.
class Responder final : public Service
{
public:
    explicit Responder(std::shared_ptr<ResponderRules> rules);

    Reply onData(QByteArrayView data) override; // all replies of the data merged (no peer)
    std::vector<Reply> replies(QByteArrayView data, const Address &peer) override;

private:
    std::shared_ptr<ResponderRules> m_rules;
    Framer m_framer;
};

} // namespace sockscope::core
