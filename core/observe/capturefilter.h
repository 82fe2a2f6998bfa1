#pragma once

#include "../net/address.h"
#include "../net/syserror.h"

#include <QList>
#include <QStringList>

#include <expected>
#include <optional>

namespace sockscope::core {

// What sockscope-capture is asked to capture, validated field by field. The BPF program
// text is built from these typed fields only (port numbers, addresses formatted by
// inet_ntop), never from a string the user typed, so nothing can inject filter syntax into
// the helper that holds CAP_NET_RAW. The helper parses its command line with the same
// class, so the GUI, the CLI and the helper agree on what is valid.
class CaptureFilter
{
public:
    static constexpr int kMaxPorts = 2;  // a flow has two ends
    static constexpr int kMaxHosts = 2;
    static constexpr int kDefaultSnaplen = 262144; // whole loopback segments (64 KiB + headers)
    static constexpr int kMinSnaplen = 128;        // IPv6 + extension headers + full TCP header

    // Every TCP segment to or from `port` on `lo`.
    static std::expected<CaptureFilter, SysError> forPort(quint16 port);
    // Where a connection between these ends crosses: "lo" when the peer is a loopback
    // address or this host's own address (Linux routes both through lo), else "any". An
    // unknown or wildcard peer (a listener) counts as this host's when `local` is loopback.
    static QString interfaceFor(const Address &local, const std::optional<Address> &peer);
    // The helper's command line: --interface IF --port P [--port Q] [--host A] [--host B]
    // [--snaplen N] [--count N].
    static std::expected<CaptureFilter, SysError> fromArguments(const QStringList &arguments);

    // Interface names as the kernel allows them (1-15 bytes, no '/', ':' or whitespace), or "any".
    std::expected<void, SysError> setInterface(QStringView name);
    std::expected<void, SysError> addPort(quint16 port);     // 1-65535
    std::expected<void, SysError> addHost(const Address &host); // IPv4/IPv6, the port ignored
    std::expected<void, SysError> setSnaplen(int bytes);
    std::expected<void, SysError> setCount(qint64 packets);  // 0: until stopped

    const QString &interfaceName() const { return m_interface; }
    const QList<quint16> &ports() const { return m_ports; }
    const QList<Address> &hosts() const { return m_hosts; }
    int snaplen() const { return m_snaplen; }
    qint64 count() const { return m_count; }

    // "tcp and port 5000 and host 127.0.0.1": every listed field must match.
    QString bpf() const;
    // What fromArguments() takes back.
    QStringList arguments() const;

private:
    QString m_interface = QStringLiteral("lo");
    QList<quint16> m_ports;
    QList<Address> m_hosts;
    int m_snaplen = kDefaultSnaplen;
    qint64 m_count = 0;
};

} // namespace sockscope::core
