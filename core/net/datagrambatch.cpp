#include "datagrambatch.h"

#include <cerrno>
#include <cstring>
#include <sys/socket.h>
#include <sys/uio.h>

namespace sockscope::core {

namespace {

constexpr size_t kControlBytes = CMSG_SPACE(sizeof(quint32));

} // namespace

DatagramBatch::DatagramBatch(int capacity, qsizetype bufsize)
    : m_capacity(std::max(1, capacity))
    , m_bufsize(bufsize)
    , m_buffers(new char[size_t(m_capacity) * size_t(bufsize)])
    , m_control(new char[size_t(m_capacity) * kControlBytes])
    , m_from(size_t(m_capacity))
    , m_iov(size_t(m_capacity))
    , m_msgs(new mmsghdr[size_t(m_capacity)])
{
}

DatagramBatch::~DatagramBatch() = default;

std::expected<void, SysError> DatagramBatch::enableDropCount(Socket &socket)
{
    return socket.setIntOption(SOL_SOCKET, SO_RXQ_OVFL, 1);
}

std::expected<int, SysError> DatagramBatch::receive(Socket &socket, int flags)
{
    m_count = 0;
    for (int i = 0; i < m_capacity; ++i) {
        m_iov[size_t(i)] = iovec{m_buffers.get() + size_t(i) * size_t(m_bufsize), size_t(m_bufsize)};
        msghdr &h = m_msgs[size_t(i)].msg_hdr;
        h = msghdr{};
        h.msg_name = m_from[size_t(i)].data();
        h.msg_namelen = Address::capacity();
        h.msg_iov = &m_iov[size_t(i)];
        h.msg_iovlen = 1;
        h.msg_control = m_control.get() + size_t(i) * kControlBytes;
        h.msg_controllen = kControlBytes;
        m_msgs[size_t(i)].msg_len = 0;
    }
    int n = 0;
    do {
        n = ::recvmmsg(socket.fileno(), m_msgs.get(), unsigned(m_capacity), flags, nullptr);
    } while (n < 0 && errno == EINTR);
    if (n < 0)
        return std::unexpected(SysError::fromErrno(errno));
    m_count = n;
    for (int i = 0; i < n; ++i) {
        msghdr &h = m_msgs[size_t(i)].msg_hdr;
        for (cmsghdr *c = CMSG_FIRSTHDR(&h); c; c = CMSG_NXTHDR(&h, c)) {
            if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SO_RXQ_OVFL && c->cmsg_len >= CMSG_LEN(sizeof(quint32))) {
                quint32 drops = 0;
                std::memcpy(&drops, CMSG_DATA(c), sizeof drops);
                m_dropCounter = drops;
            }
        }
    }
    return n;
}

Received DatagramBatch::take(int i)
{
    Received r;
    if (i < 0 || i >= m_count)
        return r;
    const mmsghdr &m = m_msgs[size_t(i)];
    r.length = qsizetype(m.msg_len);
    r.data = QByteArray(static_cast<const char *>(m_iov[size_t(i)].iov_base), std::min<qsizetype>(r.length, m_bufsize));
    r.msgFlags = m.msg_hdr.msg_flags;
    r.from = m_from[size_t(i)];
    r.from.setSize(m.msg_hdr.msg_namelen);
    return r;
}

} // namespace sockscope::core
