#pragma once

#include "syserror.h"

#include <QString>
#include <QStringView>

#include <expected>
#include <sys/socket.h>

namespace sockscope::core {

// A socket address as the kernel sees it (sockaddr_storage + length), for AF_INET,
// AF_INET6 (with flowinfo and scope id) and AF_UNIX (filesystem path or abstract name).
class Address
{
public:
    Address() = default;

    // Numeric host only ("127.0.0.1", "::1", "fe80::1%lo"); names go through the resolver.
    static std::expected<Address, SysError> ip(QStringView host, quint16 port);
    // "127.0.0.1:80", "[::1]:80", "[fe80::1%lo]:80", "/tmp/sock", "@abstract".
    static std::expected<Address, SysError> parse(QStringView text);
    // A leading '@' means the Linux abstract namespace (no file is created).
    static std::expected<Address, SysError> unixPath(QStringView path);
    // 0..65535, decimal; the error names the field and the range.
    static std::expected<quint16, SysError> parsePort(QStringView text);
    static Address fromSockaddr(const sockaddr *sa, socklen_t len);
    static Address any(int family, quint16 port = 0);
    static Address loopback(int family, quint16 port = 0);

    bool isValid() const { return m_len > 0; }
    int family() const { return m_storage.ss_family; }
    quint16 port() const;
    void setPort(quint16 port);
    QString host() const;      // "127.0.0.1", "::1", "fe80::1%lo", "/path", "@name"
    quint32 flowInfo() const;  // AF_INET6 only
    quint32 scopeId() const;   // AF_INET6 only
    bool isAbstract() const;
    bool isWildcard() const;   // 0.0.0.0 or ::
    bool isLoopback() const;   // 127.0.0.0/8, ::1, ::ffff:127.x.y.z
    QString toString() const;  // "127.0.0.1:80", "[::1]:80", "/path", "@name"
    // As Python's socket module writes it: ("127.0.0.1", 80), ("::1", 80, 0, 0), "/path".
    QString toPython() const;

    const sockaddr *data() const { return reinterpret_cast<const sockaddr *>(&m_storage); }
    sockaddr *data() { return reinterpret_cast<sockaddr *>(&m_storage); }
    socklen_t size() const { return m_len; }
    void setSize(socklen_t len) { m_len = len; }
    static constexpr socklen_t capacity() { return sizeof(sockaddr_storage); }

    bool operator==(const Address &other) const;

private:
    sockaddr_storage m_storage{};
    socklen_t m_len = 0;
};

QString familyName(int family); // "AF_INET"
QString socketTypeName(int type); // "SOCK_STREAM"

} // namespace sockscope::core
