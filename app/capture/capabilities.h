#pragma once

// The capture helper's capability handling: what it may hold while it opens the capture
// handle (CAP_NET_RAW, nothing else) and what it holds afterwards (nothing). Raw
// capget/capset on <linux/capability.h> version 3: two calls and a mask do not justify
// a dependency on libcap.

#include <expected>

namespace sockscope::capture {

// Which step failed and its errno, for the helper's `error` line.
struct CapabilityError
{
    const char *step;
    int code;
};

// Keeps CAP_NET_RAW (if held at all) in the effective and permitted sets and nothing
// else; empties the inheritable and ambient sets, empties the bounding set when this
// process holds CAP_SETPCAP (a process without it may not change the bounding set, and
// nothing is lost then: no_new_privs below makes the bounding set irrelevant to us), and
// sets no_new_privs so no exec can ever add a capability.
std::expected<void, CapabilityError> keepOnlyNetRaw();

// Empties the effective, permitted and inheritable sets: once the capture handle is open
// and filtered, reading it needs no privilege at all.
std::expected<void, CapabilityError> dropAllCapabilities();

} // namespace sockscope::capture
