#pragma once

#include "socket.h"

#include <memory>
#include <optional>
#include <sys/socket.h>
#include <sys/uio.h>
#include <vector>

namespace sockscope::core {

// recvmmsg(2): up to `capacity` datagrams per system call into buffers kept between calls,
// so a flood of small datagrams costs one syscall per batch instead of one per datagram,
// and each datagram is copied once into a buffer of its own size.
//
// With SO_RXQ_OVFL set on the socket (enableDropCount), every datagram carries the
// socket's drop counter: the datagrams the kernel threw away because the receive queue was
// full. That is the loss the user must see beside what was received.
class DatagramBatch
{
public:
    explicit DatagramBatch(int capacity = 32, qsizetype bufsize = 64 * 1024);
    ~DatagramBatch();
    DatagramBatch(const DatagramBatch &) = delete;
    DatagramBatch &operator=(const DatagramBatch &) = delete;

    // setsockopt(SOL_SOCKET, SO_RXQ_OVFL, 1).
    static std::expected<void, SysError> enableDropCount(Socket &socket);

    // One recvmmsg(); returns how many datagrams came (>= 1), or the error (EAGAIN when
    // none was waiting and `flags` has MSG_DONTWAIT). Fewer than capacity() means the
    // queue is drained.
    std::expected<int, SysError> receive(Socket &socket, int flags);
    int capacity() const { return m_capacity; }
    // Datagram i of the last receive(), moved out (data of its exact size, from, flags).
    Received take(int i);
    // The socket's drop counter as the last datagram carrying it said; nullopt until one
    // did (SO_RXQ_OVFL off, or nothing received yet). The kernel counts from the socket's
    // creation and wraps at 2^32.
    std::optional<quint32> dropCounter() const { return m_dropCounter; }

private:
    const int m_capacity;
    const qsizetype m_bufsize;
    std::unique_ptr<char[]> m_buffers;   // capacity x bufsize
    std::unique_ptr<char[]> m_control;   // capacity x one cmsg
    std::vector<Address> m_from;
    std::vector<iovec> m_iov;
    std::unique_ptr<mmsghdr[]> m_msgs;
    int m_count = 0;
    std::optional<quint32> m_dropCounter;
};

} // namespace sockscope::core
