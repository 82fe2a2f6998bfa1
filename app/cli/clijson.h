#pragma once

#include "net/syserror.h"

#include <QByteArrayView>
#include <QJsonObject>
#include <QJsonValue>
#include <QStringList>

namespace sockscope::cli {

// Exit codes shared by every subcommand.
enum ExitCode { ExitOk = 0, ExitUsage = 1, ExitCallFailed = 2, ExitScriptFailed = 3 };

QJsonValue errorJson(const core::SysError &error); // {"code","name","message","hint"}
// Peer bytes as JSON: "text" (UTF-8, invalid sequences replaced) and "hex" (exact).
void putBytes(QJsonObject &object, QByteArrayView bytes);
void printJsonLine(const QJsonObject &object); // one compact object per line, flushed
void writeJsonLine(const QJsonObject &object); // the same unflushed: event streams flush once per batch
// The same, with object keys (at every depth) in the order of `keyOrder`, unlisted keys
// after them alphabetically: for formats documented with a key order (resolve, nameinfo).
void printJsonLine(const QJsonObject &object, const QStringList &keyOrder);
// Control characters and invalid UTF-8 escaped, so peer bytes cannot drive the terminal.
QString escapedText(QByteArrayView bytes);
// Prints "sockscope-cli: <field>: <message>" to stderr, always one line (a line break in
// what the user typed is shown as \n), and returns ExitUsage.
int usageError(const QString &message);
// A failed call of `command`: {"event":"error",...} on stdout with json, else
// "sockscope-cli: <command>: <error>" and its hint on stderr. Returns ExitCallFailed.
int reportCallError(const char *command, const core::SysError &error, bool json);

} // namespace sockscope::cli
