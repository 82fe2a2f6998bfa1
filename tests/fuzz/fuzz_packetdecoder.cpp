// Captured packets (raw wire bytes): the first byte picks the link type, the rest is the
// packet as captured; the wire length claims more or less than was captured.

#include "fuzzcheck.h"
#include "observe/packetdecoder.h"

#include <iterator>

using namespace sockscope::core;
using namespace sockscope::fuzz;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    static constexpr int kLinkTypes[] = {LinkType::Null, LinkType::Ethernet, LinkType::Raw, LinkType::Loop,
                                         LinkType::LinuxSll, LinkType::Ipv4, LinkType::Ipv6, LinkType::LinuxSll2};
    const int linkType = kLinkTypes[data[0] % std::size(kLinkTypes)];
    CapturedPacket packet;
    packet.data = bytes(data + 2, size - 2).toByteArray();
    packet.origLen = quint32(packet.data.size()) + (data[1] & 0x80 ? data[1] & 0x7f : 0);
    (void)PacketDecoder::decode(linkType, packet);
    return 0;
}
