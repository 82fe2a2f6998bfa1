#pragma once

// The plain C peers of sockscope-bench: what a user would write instead of using
// sockscope — blocking send()/recv() loops and an epoll accept loop, on raw descriptors,
// with no Qt and none of our code on the data path.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <atomic>
#include <functional>
#include <thread>

namespace sockscope::bench {

using Clock = std::chrono::steady_clock;

// socket/bind(127.0.0.1:0)/listen; returns the fd (-1 on failure) and sets *port.
int plainListen(int type, uint16_t *port, int backlog = 128);

struct PlainTransfer
{
    long long bytes = -1;       // -1: a call failed
    Clock::time_point start;    // just before the first write / when the first byte could arrive
    Clock::time_point end;      // after the last write / at EOF
    double seconds() const { return std::chrono::duration<double>(end - start).count(); }
};

// Connects to 127.0.0.1:port, calls `connected()` (the caller's "go" barrier), then sends
// `total` bytes in blocking writes of `writeSize`, shuts down its side and closes.
PlainTransfer plainSend(uint16_t port, long long total, size_t writeSize, const std::function<void()> &connected = {});

// accept()s one connection on `listenFd` and reads it with `readSize` reads to EOF.
// `start` is the moment the caller let the sender go.
PlainTransfer plainDiscard(int listenFd, size_t readSize);

// The plain epoll accept loop: non-blocking listener in epoll, accept4 until EAGAIN, each
// connection read until EOF or reset, then closed. Returns when `count` connections were
// accepted and closed; false on a failed call.
bool plainEpollAcceptLoop(int listenFd, int count);

// `count` cycles of socket/connect/close(SO_LINGER 0) to 127.0.0.1:port, one after the
// other (the RST keeps the ephemeral ports out of TIME_WAIT over many rounds).
bool connectCloseCycles(uint16_t port, int count);

// Flat out for `seconds`: one sendto() of a `size`-byte datagram per call to
// 127.0.0.1:port from a fresh unconnected socket, as a hand-written sender would. The
// socket is left open in *fd (the caller may send one more) unless fd is null.
struct PlainUdpSent
{
    long long datagrams = 0;
    long long errors = 0;
    Clock::time_point start, end;
    double seconds() const { return std::chrono::duration<double>(end - start).count(); }
};
PlainUdpSent plainUdpSend(uint16_t port, int size, double seconds, int *fd = nullptr);

// A plain recv() loop on 127.0.0.1:<port> counting datagrams on its own thread until
// stop(): the receiving end for a sender under test.
class PlainUdpSink
{
public:
    PlainUdpSink();
    ~PlainUdpSink();
    uint16_t port() const { return m_port; }
    bool ok() const { return m_fd >= 0; }
    void stop();
    long long datagrams() const { return m_count; }
    // Datagrams per second between the first and the last arrival.
    double arrivalRate() const;

private:
    int m_fd = -1;
    uint16_t m_port = 0;
    std::atomic<bool> m_stop{false};
    std::atomic<long long> m_count{0};
    Clock::time_point m_first, m_last;
    std::thread m_thread;
};

} // namespace sockscope::bench
