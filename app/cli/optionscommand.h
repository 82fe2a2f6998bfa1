#pragma once

#include "engine/sessionmanager.h"

#include <QCommandLineOption>
#include <QStringList>

#include <cstdio>
#include <expected>

class QCommandLineParser;

namespace sockscope::cli {

// sockscope-cli options [--family inet|inet6|unix] [--type stream|dgram|seqpacket] [--json]
int runOptions(const QStringList &arguments);

// The --opt NAME=VALUE option that serve and connect share.
QCommandLineOption optOption();
// Every --opt value checked against the table for a socket of `type`: the name known, the
// option settable and meant for that type, the value in range. The error is ready for
// usageError().
std::expected<QList<core::OptionSetting>, QString> optSettings(const QCommandLineParser &parser, int type);
// After the session opened: what the kernel kept for each --opt, one line (or JSON object)
// per setting, to `text` (stderr for connect, which keeps stdout for the peer's bytes).
void printOptionReadback(core::SessionManager &sessions, core::SessionId id, const QList<core::OptionSetting> &settings,
                         bool json, std::FILE *text);

} // namespace sockscope::cli
