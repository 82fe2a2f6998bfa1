// sockscope-capture: captures the TCP segments of one flow with libpcap and writes them
// to stdout. It is the only sockscope program that links libpcap and the only one that
// needs CAP_NET_RAW (like Wireshark's dumpcap), so the GUI and the CLI never run as root:
//
//     sudo setcap cap_net_raw+ep build/app/capture/sockscope-capture
//
// Command line (validated by core::CaptureFilter, which also builds the BPF program from
// the typed fields; no user text reaches pcap_compile):
//
//     sockscope-capture [--interface IF] --port P [--port Q] [--host ADDR] [--host ADDR]
//                       [--snaplen N] [--count N]
//
// Output: text lines, '\n'-terminated, fields separated by one space, flushed after each
// batch of packets (immediate mode: a segment is on the pipe microseconds after the wire).
//
//     sockscope-capture 1                 always first: the format and its version
//     ready IF LINKTYPE SNAPLEN PREC BPF  the capture is active and filtered. LINKTYPE is the
//                                         pcap/pcapng LINKTYPE_* number (1 Ethernet, as on
//                                         Linux lo; 113/276 Linux cooked; 101 raw IP), PREC is
//                                         "ns" or "us" (the time stamp precision the device
//                                         gave), BPF the filter text (the rest of the line)
//     pkt T_NS ORIGLEN HEX                one packet: pcap's time stamp in nanoseconds since
//                                         1970 (CLOCK_REALTIME), its length on the wire, and
//                                         the captured bytes (at most SNAPLEN) in lower-case hex
//     stats RECEIVED DROPPED IFDROPPED    pcap_stats() when the capture stops
//     error CODE TEXT                     a libpcap failure: CODE is the negative PCAP_ERROR_*
//                                         status (-8 PCAP_ERROR_PERM_DENIED: no CAP_NET_RAW),
//                                         TEXT libpcap's message; the helper then exits 2
//     end                                 the last line of a clean stop
//
// Exit status: 0 stopped (SIGTERM, SIGINT, --count reached, the parent died), 1 bad command
// line (the reason on stderr), 2 a capture error (the error line says which).
//
// Privileges (see capabilities.h). Once the command line is valid the helper keeps
// CAP_NET_RAW alone, and only if it was given it: effective and permitted hold just that,
// inheritable and ambient nothing, the bounding set is emptied when CAP_SETPCAP allows it
// (as root; a cap_net_raw file capability does not, and needs it not), and no_new_privs is
// set. Once pcap_activate() and pcap_setfilter() have succeeded, before the `ready` line,
// it drops every capability: the open handle needs none. A failure of either step is an
// `error -1 ...` line naming the call and its errno, and exit 2: it never captures with
// more privilege than this. It also stops when its parent dies (PR_SET_PDEATHSIG), even
// one that died before the helper asked to be told.
// core::CaptureStream reads this format; core::Capture runs the helper.

#include "capabilities.h"

#include "net/syserror.h"
#include "observe/capturefilter.h"

#include <QStringList>

#include <pcap/pcap.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <poll.h>
#include <sys/prctl.h>
#include <unistd.h>

namespace {

constexpr int kStreamVersion = 1;
constexpr int kLinkTypeRaw = 101; // LINKTYPE_RAW; libpcap's DLT_RAW differs per OS
constexpr int kExitUsage = 1;
constexpr int kExitCapture = 2;
constexpr int kRingBytes = 32 * 1024 * 1024; // ~500 loopback-sized slots

volatile std::sig_atomic_t g_stop = 0;

void onSignal(int)
{
    g_stop = 1;
}

// No SA_RESTART: poll() returns EINTR and the loop sees the flag at once.
void installHandlers()
{
    struct sigaction sa{};
    sa.sa_handler = onSignal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, nullptr);
    sigaction(SIGINT, &sa, nullptr);
    sigaction(SIGHUP, &sa, nullptr);
    std::signal(SIGPIPE, SIG_IGN); // a reader that went away shows up as a write error
    // The parent (GUI or CLI) may die without stopping us: the kernel tells us then.
    prctl(PR_SET_PDEATHSIG, SIGTERM);
}

// libpcap's text is one line of ASCII in practice; keep it so whatever it holds.
void printError(int code, const char *text)
{
    std::printf("error %d ", code);
    for (const char *c = text; c && *c; ++c)
        std::putchar((*c >= ' ' && *c < 0x7f) ? *c : '?');
    std::putchar('\n');
    std::fflush(stdout);
}

struct Loop
{
    bool nanoseconds = false;
    long long count = 0; // 0: no limit
    long long seen = 0;
};

void onPacket(u_char *user, const pcap_pkthdr *h, const u_char *bytes)
{
    auto *loop = reinterpret_cast<Loop *>(user);
    static const char kHex[] = "0123456789abcdef";
    const long long ns = (long long)h->ts.tv_sec * 1000000000LL + (long long)h->ts.tv_usec * (loop->nanoseconds ? 1 : 1000);
    std::printf("pkt %lld %u ", ns, h->len);
    char chunk[512];
    size_t used = 0;
    for (bpf_u_int32 i = 0; i < h->caplen; ++i) {
        chunk[used++] = kHex[bytes[i] >> 4];
        chunk[used++] = kHex[bytes[i] & 0x0f];
        if (used == sizeof chunk) {
            std::fwrite(chunk, 1, used, stdout);
            used = 0;
        }
    }
    chunk[used++] = '\n';
    std::fwrite(chunk, 1, used, stdout);
    ++loop->seen;
}

int fail(int code, const char *text, pcap_t *p)
{
    printError(code, text);
    if (p)
        pcap_close(p);
    return kExitCapture;
}

int failCapabilities(const char *what, const sockscope::capture::CapabilityError &e, pcap_t *p)
{
    const QByteArray text = QByteArray(what) + ": " + e.step + ": " + sockscope::core::SysError::fromErrno(e.code).toString().toUtf8();
    return fail(PCAP_ERROR, text.constData(), p);
}

} // namespace

int main(int argc, char *argv[])
{
    const pid_t parent = getppid();
    QStringList args;
    for (int i = 1; i < argc; ++i)
        args << QString::fromLocal8Bit(argv[i]);
    if (args.contains(QStringLiteral("--help")) || args.contains(QStringLiteral("-h"))) {
        std::printf("Usage: sockscope-capture [--interface IF] --port P [--port Q] [--host ADDR] [--host ADDR] "
                    "[--snaplen N] [--count N]\nWrites the flow's packets to stdout (format: see app/capture/main.cpp). "
                    "Needs CAP_NET_RAW: setcap cap_net_raw+ep sockscope-capture\n");
        return 0;
    }
    const auto filter = sockscope::core::CaptureFilter::fromArguments(args);
    if (!filter) {
        std::fprintf(stderr, "sockscope-capture: %s: %s\n", qPrintable(filter.error().field()), qPrintable(filter.error().detail()));
        return kExitUsage;
    }
    installHandlers();
    // A parent that died before PR_SET_PDEATHSIG was set will never be signalled for.
    if (getppid() != parent)
        return 0;
    std::printf("sockscope-capture %d\n", kStreamVersion);
    std::fflush(stdout);
    if (auto kept = sockscope::capture::keepOnlyNetRaw(); !kept)
        return failCapabilities("keeping only CAP_NET_RAW", kept.error(), nullptr);

    const QByteArray device = filter->interfaceName().toUtf8();
    char errbuf[PCAP_ERRBUF_SIZE] = {};
    pcap_t *p = pcap_create(device.constData(), errbuf);
    if (!p)
        return fail(PCAP_ERROR, errbuf, nullptr);
    pcap_set_snaplen(p, filter->snaplen());
    // Immediate mode gives every packet a ring slot as big as the snap length (the MTU on
    // lo: 64 KiB): libpcap's default 2 MiB held ~30, and a burst of small writes with
    // TCP_NODELAY overflowed it before the first read (pcap_stats counted the drops).
    pcap_set_buffer_size(p, kRingBytes);
    pcap_set_promisc(p, 0); // one flow of this host: its own packets need no promiscuous mode
    pcap_set_immediate_mode(p, 1);
    pcap_set_timeout(p, 100);
    pcap_set_tstamp_precision(p, PCAP_TSTAMP_PRECISION_NANO); // falls back to us if refused
    const int activated = pcap_activate(p);
    if (activated < 0) {
        // PCAP_ERROR_PERM_DENIED and friends: the code decides, the text is for people. The
        // reader names the code itself; libpcap's own detail is what it adds.
        const char *detail = pcap_geterr(p);
        return fail(activated, detail && *detail ? detail : pcap_statustostr(activated), p);
    }

    const QByteArray program = filter->bpf().toUtf8();
    bpf_program code{};
    if (pcap_compile(p, &code, program.constData(), 1, PCAP_NETMASK_UNKNOWN) != 0)
        return fail(PCAP_ERROR, pcap_geterr(p), p);
    const int set = pcap_setfilter(p, &code);
    pcap_freecode(&code);
    if (set != 0)
        return fail(PCAP_ERROR, pcap_geterr(p), p);
    if (pcap_setnonblock(p, 1, errbuf) != 0)
        return fail(PCAP_ERROR, errbuf, p);
    if (auto dropped = sockscope::capture::dropAllCapabilities(); !dropped)
        return failCapabilities("dropping all capabilities", dropped.error(), p);

    Loop loop;
    loop.nanoseconds = pcap_get_tstamp_precision(p) == PCAP_TSTAMP_PRECISION_NANO;
    loop.count = filter->count();
    const int dlt = pcap_datalink(p);
    std::printf("ready %s %d %d %s %s\n", device.constData(), dlt == DLT_RAW ? kLinkTypeRaw : dlt, pcap_snapshot(p),
                loop.nanoseconds ? "ns" : "us", program.constData());
    std::fflush(stdout);

    pollfd fd{pcap_get_selectable_fd(p), POLLIN, 0};
    while (!g_stop && (loop.count == 0 || loop.seen < loop.count)) {
        const int ready = poll(&fd, 1, 100);
        if (ready < 0 && errno != EINTR)
            return fail(PCAP_ERROR, std::strerror(errno), p);
        const int limit = loop.count == 0 ? -1 : int(std::min<long long>(loop.count - loop.seen, 1 << 20));
        const int n = pcap_dispatch(p, limit, onPacket, reinterpret_cast<u_char *>(&loop));
        if (n == PCAP_ERROR)
            return fail(PCAP_ERROR, pcap_geterr(p), p);
        if (std::fflush(stdout) != 0)
            break; // the reader is gone: nobody to report to
    }

    pcap_stat stats{};
    if (pcap_stats(p, &stats) == 0)
        std::printf("stats %u %u %u\n", stats.ps_recv, stats.ps_drop, stats.ps_ifdrop);
    std::printf("end\n");
    std::fflush(stdout);
    pcap_close(p);
    return 0;
}
