#include "diagruns.h"

#include "plainpeers.h"

#include "../../common/loopbackpair.h"

#include "observe/sockdiag.h"

#include <algorithm>
#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

extern char **environ;

namespace sockscope::bench {

using namespace sockscope::core;
using namespace sockscope::tests;

struct SocketCrowd::Held
{
    Socket listener;
    std::vector<TcpPair> pairs;
};

std::unique_ptr<SocketCrowd> SocketCrowd::make(int pairs, QString *error)
{
    // Two descriptors per pair; the default soft limit is often 1,024.
    rlimit lim{};
    if (::getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur < rlim_t(2 * pairs + 256)) {
        lim.rlim_cur = std::min<rlim_t>(lim.rlim_max, rlim_t(2 * pairs + 256));
        ::setrlimit(RLIMIT_NOFILE, &lim);
    }
    auto listener = tcpListener(AF_INET, 4096);
    if (!listener) {
        *error = listener.error().toString();
        return nullptr;
    }
    std::unique_ptr<SocketCrowd> crowd(new SocketCrowd);
    crowd->m_held = std::make_unique<Held>();
    crowd->m_held->listener = std::move(*listener);
    crowd->m_held->pairs.reserve(size_t(pairs));
    for (int i = 0; i < pairs; ++i) {
        auto pair = tcpPair(crowd->m_held->listener);
        if (!pair) {
            *error = QStringLiteral("pair %1: %2").arg(i).arg(pair.error().toString());
            return nullptr;
        }
        crowd->m_held->pairs.push_back(std::move(*pair));
    }
    crowd->m_sockets = 2 * pairs + 1;
    return crowd;
}

SocketCrowd::~SocketCrowd() = default;

namespace {

double msSince(Clock::time_point start)
{
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[v.size() / 2];
}

} // namespace

bool runSsTan()
{
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    char arg0[] = "ss", arg1[] = "-tan";
    char *argv[] = {arg0, arg1, nullptr};
    pid_t pid = 0;
    const int rc = posix_spawnp(&pid, "ss", &actions, nullptr, argv, environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0)
        return false;
    int status = 0;
    return ::waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

Measured sockDiagDumpMs(int repeat)
{
    auto diag = SockDiag::open();
    if (!diag)
        return Measured{0, diag.error().toString()};
    DiagQuery all;
    all.protocols = int(DiagProtocol::Tcp);
    std::vector<double> ms;
    for (int i = 0; i < repeat; ++i) {
        const Clock::time_point start = Clock::now();
        const auto entries = diag->dump(all);
        ms.push_back(msSince(start));
        if (!entries)
            return Measured{0, entries.error().toString()};
    }
    return Measured{median(ms), {}};
}

Measured ssTanMs(int repeat)
{
    std::vector<double> ms;
    for (int i = 0; i < repeat; ++i) {
        const Clock::time_point start = Clock::now();
        if (!runSsTan())
            return Measured{0, QStringLiteral("ss -tan failed")};
        ms.push_back(msSince(start));
    }
    return Measured{median(ms), {}};
}

} // namespace sockscope::bench
