#include "optioncodec.h"

#include "tcpinfofields.h"

#include <arpa/inet.h>
#include <cerrno>
#include <climits>
#include <cstring>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>

namespace sockscope::core::optioncodec {

namespace {

template<typename T>
QByteArray bytesOf(const T &value)
{
    return QByteArray(reinterpret_cast<const char *>(&value), sizeof value);
}

template<typename T>
std::optional<T> structOf(QByteArrayView bytes)
{
    if (size_t(bytes.size()) < sizeof(T))
        return std::nullopt;
    T value{};
    std::memcpy(&value, bytes.data(), sizeof value);
    return value;
}

std::unexpected<SysError> shortAnswer(const SocketOption &row, qsizetype got)
{
    return std::unexpected(SysError::input(row.nameText(), QStringLiteral("the kernel answered %1 bytes, too few for %2")
                                                               .arg(got).arg(row.cTypeName())));
}

// The index an mreq value names: as typed, or the interface name looked up now.
std::expected<unsigned, SysError> interfaceIndex(const OptionValue &value)
{
    if (value.number >= 0)
        return unsigned(value.number);
    const unsigned index = if_nametoindex(value.interface.toLocal8Bit().constData());
    if (index == 0)
        return std::unexpected(SysError::lastErrno());
    return index;
}

bool toInAddr(const QString &text, in_addr *out)
{
    return inet_pton(AF_INET, text.toLatin1().constData(), out) == 1;
}

QString fromInAddr(const in_addr &addr)
{
    char text[INET_ADDRSTRLEN] = {};
    inet_ntop(AF_INET, &addr, text, sizeof text);
    return QString::fromLatin1(text);
}

QString cString(QByteArrayView bytes)
{
    const qsizetype end = bytes.indexOf('\0');
    return QString::fromLatin1(end < 0 ? bytes : bytes.first(end));
}

} // namespace

socklen_t bufferSize(const SocketOption &row)
{
    switch (row.type) {
    case OptionType::Linger: return sizeof(linger);
    case OptionType::Timeval: return sizeof(timeval);
    case OptionType::String: return 16;
    case OptionType::Interface: return IFNAMSIZ;
    case OptionType::InAddr: return sizeof(in_addr);
    case OptionType::IpMreq: return sizeof(ip_mreq);
    case OptionType::Ipv6Mreq: return sizeof(ipv6_mreq);
    case OptionType::Ucred: return sizeof(ucred);
    case OptionType::TcpInfo: return tcpInfoBufferSize();
    default: return sizeof(int);
    }
}

std::expected<QByteArray, SysError> encode(const SocketOption &row, const OptionValue &value)
{
    switch (row.type) {
    case OptionType::Bool:
    case OptionType::Int:
    case OptionType::Enum:
    case OptionType::Errno: {
        // SO_MARK is a u32: 4294967295 travels as the int -1.
        const int v = int(quint32(value.number));
        return bytesOf(v);
    }
    case OptionType::Linger: return bytesOf(linger{value.on ? 1 : 0, int(value.number)});
    case OptionType::Timeval:
        return bytesOf(timeval{time_t(value.number / 1'000'000), suseconds_t(value.number % 1'000'000)});
    case OptionType::String:
    case OptionType::Interface: return value.text.toLatin1(); // the kernel takes the length given
    case OptionType::InAddr: {
        in_addr addr{};
        if (!toInAddr(value.text, &addr))
            return std::unexpected(SysError::input(row.nameText(), QStringLiteral("not an IPv4 address")));
        return bytesOf(addr);
    }
    case OptionType::IpMreq: {
        if (value.number == 0) {
            ip_mreq mreq{};
            if (!toInAddr(value.text, &mreq.imr_multiaddr) || !toInAddr(value.interface, &mreq.imr_interface))
                return std::unexpected(SysError::input(row.nameText(), QStringLiteral("not an IPv4 group and interface")));
            return bytesOf(mreq);
        }
        ip_mreqn mreqn{};
        if (!toInAddr(value.text, &mreqn.imr_multiaddr))
            return std::unexpected(SysError::input(row.nameText(), QStringLiteral("not an IPv4 group")));
        const auto index = interfaceIndex(value);
        if (!index)
            return std::unexpected(index.error());
        mreqn.imr_ifindex = int(*index);
        return bytesOf(mreqn);
    }
    case OptionType::Ipv6Mreq: {
        ipv6_mreq mreq{};
        if (inet_pton(AF_INET6, value.text.toLatin1().constData(), &mreq.ipv6mr_multiaddr) != 1)
            return std::unexpected(SysError::input(row.nameText(), QStringLiteral("not an IPv6 group")));
        const auto index = interfaceIndex(value);
        if (!index)
            return std::unexpected(index.error());
        mreq.ipv6mr_interface = *index;
        return bytesOf(mreq);
    }
    case OptionType::Ucred:
    case OptionType::TcpInfo: break;
    }
    return std::unexpected(SysError::input(row.nameText(), QStringLiteral("is read-only: it cannot be set")));
}

std::expected<OptionValue, SysError> decode(const SocketOption &row, QByteArrayView bytes)
{
    switch (row.type) {
    case OptionType::Bool:
    case OptionType::Int:
    case OptionType::Enum:
    case OptionType::Errno: {
        // The kernel may answer a single byte for some IP options (IP_MULTICAST_TTL/LOOP).
        if (bytes.size() == 1)
            return OptionValue{.number = static_cast<unsigned char>(bytes[0])};
        const auto v = structOf<int>(bytes);
        if (!v)
            return shortAnswer(row, bytes.size());
        // Unsigned rows (SO_MARK) read back as they were set, not as negative ints.
        const qint64 n = row.max > INT_MAX ? qint64(quint32(*v)) : qint64(*v);
        return OptionValue{.number = row.type == OptionType::Bool ? qint64(n != 0) : n};
    }
    case OptionType::Linger: {
        const auto l = structOf<linger>(bytes);
        if (!l)
            return shortAnswer(row, bytes.size());
        return OptionValue{.number = l->l_linger, .on = l->l_onoff != 0};
    }
    case OptionType::Timeval: {
        const auto tv = structOf<timeval>(bytes);
        if (!tv)
            return shortAnswer(row, bytes.size());
        return OptionValue{.number = qint64(tv->tv_sec) * 1'000'000 + tv->tv_usec};
    }
    case OptionType::String:
    case OptionType::Interface: return OptionValue{.text = cString(bytes)};
    case OptionType::InAddr: {
        const auto addr = structOf<in_addr>(bytes);
        if (!addr)
            return shortAnswer(row, bytes.size());
        return OptionValue{.text = fromInAddr(*addr)};
    }
    case OptionType::Ucred: {
        const auto cred = structOf<ucred>(bytes);
        if (!cred)
            return shortAnswer(row, bytes.size());
        return OptionValue{.fields = {{QStringLiteral("pid"), cred->pid, {}, {}},
                                      {QStringLiteral("uid"), qint64(cred->uid), {}, {}},
                                      {QStringLiteral("gid"), qint64(cred->gid), {}, {}}}};
    }
    case OptionType::TcpInfo: {
        auto fields = decodeTcpInfoFields(bytes);
        if (!fields)
            return shortAnswer(row, bytes.size());
        return OptionValue{.fields = std::move(*fields)};
    }
    case OptionType::IpMreq:
    case OptionType::Ipv6Mreq: break;
    }
    return std::unexpected(SysError::input(row.nameText(), QStringLiteral("is set-only: the kernel cannot report it")));
}

std::expected<OptionValue, SysError> get(const Socket &socket, const SocketOption &row)
{
    if (!row.gettable())
        return std::unexpected(SysError::input(row.nameText(), QStringLiteral("is set-only: the kernel cannot report it")));
    auto raw = socket.getRawOption(row.level, row.optname, bufferSize(row));
    if (!raw)
        return std::unexpected(raw.error());
    return decode(row, *raw);
}

std::expected<void, SysError> set(Socket &socket, const SocketOption &row, const OptionValue &value)
{
    if (!row.settable())
        return std::unexpected(SysError::input(row.nameText(), QStringLiteral("is read-only: it cannot be set")));
    auto bytes = encode(row, value);
    if (!bytes)
        return std::unexpected(bytes.error());
    return socket.setRawOption(row.level, row.optname, *bytes);
}

} // namespace sockscope::core::optioncodec
