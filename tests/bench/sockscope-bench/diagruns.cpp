#include "diagruns.h"

#include "plainpeers.h"

#include "../../common/loopbackpair.h"

#include "observe/sockdiag.h"

#include <algorithm>
#include <cstring>
#include <fcntl.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <sys/socket.h>
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

namespace {

// One NETLINK_SOCK_DIAG dump of every TCP socket of `family`, read with 32 KiB recv()s and
// counted, nothing decoded. Returns the message count, -1 on an error.
long plainDump(int fd, int family, unsigned seq)
{
    struct
    {
        nlmsghdr nlh;
        inet_diag_req_v2 req;
    } msg{};
    msg.nlh.nlmsg_len = sizeof msg;
    msg.nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
    msg.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
    msg.nlh.nlmsg_seq = seq;
    msg.req.sdiag_family = quint8(family);
    msg.req.sdiag_protocol = IPPROTO_TCP;
    msg.req.idiag_states = 0x1ffe;
    if (::send(fd, &msg, sizeof msg, 0) != ssize_t(sizeof msg))
        return -1;
    alignas(nlmsghdr) static char buf[32 * 1024];
    long count = 0;
    for (;;) {
        const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        if (n < 0)
            return -1;
        int left = int(n);
        for (auto *h = reinterpret_cast<nlmsghdr *>(buf); NLMSG_OK(h, left); h = NLMSG_NEXT(h, left)) {
            if (h->nlmsg_type == NLMSG_DONE)
                return count;
            if (h->nlmsg_type == NLMSG_ERROR)
                return -1;
            ++count;
        }
    }
}

} // namespace

Measured plainNetlinkDumpMs(int repeat)
{
    const int fd = ::socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
    if (fd < 0)
        return Measured{0, QStringLiteral("no NETLINK_SOCK_DIAG socket")};
    std::vector<double> ms;
    long sockets = 0;
    for (int i = 0; i < repeat; ++i) {
        const Clock::time_point start = Clock::now();
        const long v4 = plainDump(fd, AF_INET, unsigned(2 * i + 1));
        const long v6 = plainDump(fd, AF_INET6, unsigned(2 * i + 2));
        ms.push_back(msSince(start));
        if (v4 < 0 || v6 < 0) {
            ::close(fd);
            return Measured{0, QStringLiteral("the plain netlink dump failed")};
        }
        sockets = v4 + v6;
    }
    ::close(fd);
    return Measured{median(ms), {}, QStringLiteral("%1 sockets").arg(sockets)};
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
