#pragma once

#include "net/syserror.h"

#include <QByteArrayView>
#include <QJsonObject>
#include <QJsonValue>

namespace sockscope::cli {

// Exit codes shared by every subcommand.
enum ExitCode { ExitOk = 0, ExitUsage = 1, ExitCallFailed = 2 };

QJsonValue errorJson(const core::SysError &error); // {"code","name","message","hint"}
// Peer bytes as JSON: "text" (UTF-8, invalid sequences replaced) and "hex" (exact).
void putBytes(QJsonObject &object, QByteArrayView bytes);
void printJsonLine(const QJsonObject &object); // one compact object per line, flushed
// Control characters and invalid UTF-8 escaped, so peer bytes cannot drive the terminal.
QString escapedText(QByteArrayView bytes);
// Prints "sockscope-cli: <field>: <message>" to stderr and returns ExitUsage.
int usageError(const QString &message);

} // namespace sockscope::cli
