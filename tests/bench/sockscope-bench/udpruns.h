#pragma once

// The UDP rows of sockscope-bench: the engine receiving a flood, `sockscope-cli blast udp`
// sending one (flat out, and paced), against iperf3 -u as receiver and sender.

#include "engineruns.h"

namespace sockscope::bench {

// A plain C sender floods `size`-byte datagrams for `seconds` into an engine datagram
// session (digest none, no service); datagrams per second the session received over the
// send time. The note gives the loss and checks the kernel's drop count: received +
// SO_RXQ_OVFL drops must equal what was sent.
Measured engineUdpReceive(double seconds, int size);
// iperf3 -u -l size -b 0 -t seconds: datagrams per second the iperf3 server received.
Measured iperfUdpReceive(double seconds, int size);

// `sockscope-cli blast udp 127.0.0.1 PORT --size size --duration seconds [--rate rate]`
// into a plain recv() loop. Flat out (rate 0): the datagrams per second blast says it
// sent. Paced: the rate the receiver saw (first to last arrival).
Measured cliBlastUdp(const QString &cli, double seconds, int size, double rate);
// iperf3 -u -l size -b 0 -t seconds: datagrams per second the iperf3 client sent.
Measured iperfUdpSend(double seconds, int size);

} // namespace sockscope::bench
