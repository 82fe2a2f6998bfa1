#pragma once

#include "engine/lookupservice.h"
#include "engine/sessionmanager.h"
#include "lessons/lessonrunner.h"
#include "observe/captureservice.h"
#include "observe/kernelwatch.h"

namespace sockscope::core {

// The app's long-lived services, created once (app/main.cpp, or a test) before any window
// and handed to windows and panes by reference: the sessions and their I/O thread, name
// lookups, the kernel's view of sockets (one sock_diag thread for every view), packet
// captures and the lesson runner. Views hold interests and handles in them, never threads of their own.
// Members go in reverse order: the lesson runner first (it closes the lesson's sockets), captures (they kill helpers still running), the
// session manager last (it closes every session on its thread).
struct AppServices
{
    SessionManager sessions;
    LookupService lookups; // never waits for a hung getaddrinfo when it goes
    KernelWatch kernel;
    CaptureService captures;
    LessonRunner lessons{sessions}; // one lesson at a time, on its own thread
};

} // namespace sockscope::core
