#pragma once

#include <QString>

namespace sockscope::core {

// Every failure the core reports is one of these values. The raw code and its symbolic
// name stay visible because this is a teaching tool: a student should see ECONNREFUSED,
// not "connection failed". All code -> name/message/hint mapping lives in syserror.cpp.
class SysError
{
public:
    enum class Domain { Errno, Gai, Herrno, Pcap, Input };

    SysError() = default;

    static SysError fromErrno(int code);
    static SysError lastErrno(); // reads errno now
    // EAI_SYSTEM carries the real cause in errno; pass it so the message says it.
    static SysError fromGai(int code, int savedErrno = 0);
    // h_errno of the legacy gethostbyname/gethostbyaddr family (HOST_NOT_FOUND, TRY_AGAIN...).
    static SysError fromHerrno(int code);
    static SysError fromPcap(int code, const QString &detail = {});
    // Bad user input: `field` names what was wrong ("port", "host", "hex").
    static SysError input(const QString &field, const QString &message);

    Domain domain() const { return m_domain; }
    int code() const { return m_code; }
    const QString &field() const { return m_field; }
    const QString &detail() const { return m_detail; }

    QString name() const;    // "ECONNREFUSED", "EAI_NONAME", "PCAP_ERROR_PERM_DENIED", "EINVAL_INPUT"
    QString message() const; // the system's text for the code
    QString hint() const;    // one line for the common codes, empty otherwise
    QString toString() const; // "ECONNREFUSED (111): Connection refused"

    bool is(int errnoCode) const { return m_domain == Domain::Errno && m_code == errnoCode; }
    // getaddrinfo's EAI_SERVICE: the service (port) was refused, not the host.
    bool blamesService() const;
    bool operator==(const SysError &) const = default;

private:
    Domain m_domain = Domain::Errno;
    int m_code = 0;
    QString m_field;  // Input only
    QString m_detail; // Input message, or extra context (EAI_SYSTEM's errno text, pcap text)
};

} // namespace sockscope::core
