#include "kernelsettings.h"

#include <QDir>
#include <QFile>

#include <cerrno>

namespace sockscope::core {

namespace {

const KernelSetting kSettings[] = {
    {.key = "net.core.somaxconn", .unit = "connections",
     .summary = "the largest backlog listen() may ask for",
     .explanation = "listen(fd, backlog) silently caps the backlog at this value: the accept queue of "
                    "fully established connections waiting for accept() holds at most min(backlog, "
                    "somaxconn) of them (plus one). When it is full, new handshakes are not completed "
                    "and clients retry their SYN. The default was 128 until Linux 5.4 and is 4096 since.",
     .obsoleteAdvice = "\"Raise somaxconn from 128\" dates from kernels before 5.4; and raising it does "
                       "nothing unless the program's own listen() backlog is raised too (Python's "
                       "socketserver uses 5, the tutorials listen(1))."},
    {.key = "net.ipv4.tcp_max_syn_backlog", .unit = "connections",
     .summary = "half-open connections (SYN received) remembered per listener",
     .explanation = "How many connection requests that have sent a SYN but not yet completed the "
                    "handshake a listener keeps. This is a different queue from the accept queue that "
                    "listen()'s backlog and somaxconn bound. When it overflows and tcp_syncookies is on, "
                    "the kernel answers with SYN cookies instead of dropping.",
     .obsoleteAdvice = "Raising it only helps under a SYN flood or a very high connection rate; a server "
                       "that is slow to accept() needs a larger listen() backlog instead."},
    {.key = "net.ipv4.tcp_syncookies",
     .summary = "answer with SYN cookies when the SYN queue overflows (0 off, 1 on overflow, 2 always)",
     .explanation = "With SYN cookies the server encodes the connection's state in the sequence number of "
                    "its SYN-ACK and keeps nothing until the final ACK arrives, so a SYN flood cannot "
                    "fill its memory. They are used only when the SYN queue is full (1, the default); "
                    "some TCP options are lost for those connections.",
     .obsoleteAdvice = "Advice to turn them off \"for performance\" is obsolete: at 1 they cost nothing "
                       "until the queue overflows."},
    {.key = "net.ipv4.tcp_fin_timeout", .unit = "seconds", .relatedOption = "TCP_LINGER2",
     .summary = "how long an orphaned connection waits in FIN_WAIT2 for the peer's FIN",
     .explanation = "After the application closed the socket and its FIN was acknowledged, the kernel "
                    "waits this long for the peer's FIN before dropping the connection (default 60). "
                    "TCP_LINGER2 overrides it per socket.",
     .obsoleteAdvice = "It does not shorten TIME_WAIT, whatever many tuning guides say: TIME_WAIT lasts "
                       "a fixed 60 s (TCP_TIMEWAIT_LEN, compiled into the kernel). Use SO_REUSEADDR to "
                       "rebind a port with connections in TIME_WAIT."},
    {.key = "net.ipv4.tcp_tw_reuse",
     .summary = "let new outgoing connections reuse a port in TIME_WAIT (0 off, 1 on, 2 loopback only)",
     .explanation = "When a client runs out of local ports because its closed connections sit in "
                    "TIME_WAIT, this lets connect() reuse such a port if TCP timestamps show it is safe. "
                    "It applies only to outgoing connections; since Linux 4.20 the default 2 enables it "
                    "for loopback only.",
     .obsoleteAdvice = "It does nothing for a server: the TIME_WAIT entries of accepted connections are "
                       "never reused by it. A server that cannot bind() after a restart needs "
                       "SO_REUSEADDR."},
    {.key = "net.ipv4.tcp_tw_recycle",
     .summary = "removed in Linux 4.12",
     .explanation = "It made the kernel drop TIME_WAIT entries early, based on TCP timestamps; this "
                    "broke every client behind NAT (their timestamps do not increase together) and, from "
                    "Linux 4.10, timestamps are randomised per connection, so it was removed in 4.12. "
                    "On this kernel the file is normally absent.",
     .obsoleteAdvice = "Guides that tell you to set net.ipv4.tcp_tw_recycle=1 are obsolete: the setting "
                       "no longer exists, and where it did it dropped connections from NAT'd clients."},
    {.key = "net.ipv4.ip_local_port_range", .unit = "ports",
     .summary = "the ephemeral ports: the range bind(port 0) and connect() pick from",
     .explanation = "A socket bound to port 0, or connected without bind(), gets a port from this range "
                    "(default 32768 60999, about 28 000 ports). A client making many short connections "
                    "to one server can run out, since each closed connection holds its port in "
                    "TIME_WAIT for 60 s; connect() then fails with EADDRNOTAVAIL.",
     .obsoleteAdvice = "Widening it helps a busy client, but connections to different servers (or ports) "
                       "may share a local port anyway: only the whole 4-tuple must be unique."},
    {.key = "net.ipv4.tcp_keepalive_time", .unit = "seconds", .relatedOption = "TCP_KEEPIDLE",
     .summary = "idle time before the first keepalive probe (for sockets with SO_KEEPALIVE)",
     .explanation = "Applies only to sockets that turned SO_KEEPALIVE on; the default is 7200 s, two "
                    "hours. TCP_KEEPIDLE overrides it for one socket.",
     .obsoleteAdvice = "Lowering it system-wide is the old way; setting TCP_KEEPIDLE, TCP_KEEPINTVL and "
                       "TCP_KEEPCNT on the socket needs no root and affects only that program."},
    {.key = "net.ipv4.tcp_keepalive_intvl", .unit = "seconds", .relatedOption = "TCP_KEEPINTVL",
     .summary = "time between unanswered keepalive probes",
     .explanation = "Default 75 s. TCP_KEEPINTVL overrides it per socket."},
    {.key = "net.ipv4.tcp_keepalive_probes", .unit = "probes", .relatedOption = "TCP_KEEPCNT",
     .summary = "unanswered keepalive probes before the connection is dropped",
     .explanation = "Default 9. TCP_KEEPCNT overrides it per socket."},
    {.key = "net.core.rmem_max", .unit = "bytes", .relatedOption = "SO_RCVBUF",
     .summary = "the largest SO_RCVBUF an unprivileged program may ask for",
     .explanation = "setsockopt(SO_RCVBUF) requests above this are silently cut to it (and then "
                    "doubled). SO_RCVBUFFORCE, with CAP_NET_ADMIN, ignores it. TCP's automatic tuning "
                    "is bounded by net.ipv4.tcp_rmem instead."},
    {.key = "net.core.wmem_max", .unit = "bytes", .relatedOption = "SO_SNDBUF",
     .summary = "the largest SO_SNDBUF an unprivileged program may ask for",
     .explanation = "setsockopt(SO_SNDBUF) requests above this are cut to it (and then doubled). "
                    "SO_SNDBUFFORCE ignores it; TCP auto-tuning is bounded by net.ipv4.tcp_wmem."},
    {.key = "net.ipv4.tcp_rmem", .unit = "bytes",
     .summary = "TCP receive buffer: minimum, initial and auto-tuning maximum",
     .explanation = "Three numbers. A TCP socket starts with the middle one and the kernel grows it up to "
                    "the third as the connection's bandwidth-delay product requires, unless the "
                    "program set SO_RCVBUF, which turns the tuning off.",
     .obsoleteAdvice = "Setting SO_RCVBUF \"for speed\" often makes things slower: it disables "
                       "auto-tuning, which would have gone higher."},
    {.key = "net.ipv4.tcp_wmem", .unit = "bytes",
     .summary = "TCP send buffer: minimum, initial and auto-tuning maximum",
     .explanation = "As tcp_rmem, for the send side; SO_SNDBUF turns the tuning off."},
    {.key = "net.ipv4.tcp_syn_retries", .unit = "retransmissions", .relatedOption = "TCP_SYNCNT",
     .summary = "SYN retransmissions before connect() fails with ETIMEDOUT",
     .explanation = "Default 6: the waits double from 1 s, so an unanswered connect() fails after about "
                    "127 s. TCP_SYNCNT overrides it per socket."},
    {.key = "net.ipv4.tcp_fastopen",
     .summary = "TCP Fast Open: bit 1 client, bit 2 server",
     .explanation = "1 (the default) lets clients use Fast Open; servers also need bit 2 (value 3) and "
                    "the TCP_FASTOPEN option on the listening socket."},
    {.key = "net.ipv4.tcp_congestion_control", .relatedOption = "TCP_CONGESTION",
     .summary = "the congestion control algorithm new connections use",
     .explanation = "TCP_CONGESTION chooses another one per socket, among "
                    "net.ipv4.tcp_available_congestion_control."},
    {.key = "net.ipv4.tcp_available_congestion_control",
     .summary = "the congestion control algorithms loaded in this kernel",
     .explanation = "The names TCP_CONGESTION accepts; loading a module (tcp_bbr...) adds to it."},
    {.key = "net.ipv4.tcp_allowed_congestion_control",
     .summary = "the algorithms an unprivileged program may choose",
     .explanation = "TCP_CONGESTION with a name outside this list needs CAP_NET_ADMIN (EPERM "
                    "otherwise)."},
};

QString readText(const QString &path, std::optional<SysError> *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        // QFile keeps no errno; the two causes that happen under /proc/sys are these.
        *error = SysError::fromErrno(QFile::exists(path) ? EACCES : ENOENT);
        return {};
    }
    return QString::fromLocal8Bit(file.readAll()).simplified();
}

} // namespace

QString KernelSetting::procPath(const QString &root) const
{
    return root + u'/' + keyText().replace(u'.', u'/');
}

std::span<const KernelSetting> KernelSettings::all()
{
    return kSettings;
}

const KernelSetting *KernelSettings::find(QStringView key)
{
    for (const KernelSetting &s : kSettings) {
        if (key == QLatin1String(s.key))
            return &s;
    }
    return nullptr;
}

std::expected<QString, SysError> KernelSettings::read(const KernelSetting &setting, const QString &root)
{
    std::optional<SysError> error;
    QString text = readText(setting.procPath(root), &error);
    if (error)
        return std::unexpected(*error);
    return text;
}

QList<KernelSettingReading> KernelSettings::readAll(const QString &root)
{
    QList<KernelSettingReading> readings;
    for (const KernelSetting &s : kSettings) {
        KernelSettingReading r{&s, std::nullopt, std::nullopt};
        if (auto value = read(s, root))
            r.value = *value;
        else
            r.error = value.error();
        readings.append(r);
    }
    return readings;
}

QStringList KernelSettings::availableCongestionControl(const QString &root)
{
    const auto *setting = find(u"net.ipv4.tcp_available_congestion_control");
    auto text = read(*setting, root);
    return text ? text->split(u' ', Qt::SkipEmptyParts) : QStringList();
}

QStringList KernelSettings::interfaceNames(const QString &sysClassNet)
{
    return QDir(sysClassNet).entryList(QDir::Dirs | QDir::System | QDir::NoDotAndDotDot, QDir::Name);
}

OptionContext KernelSettings::optionContext()
{
    return OptionContext{availableCongestionControl(), interfaceNames()};
}

} // namespace sockscope::core
