#include "capabilities.h"

#include <cerrno>
#include <cstdint>
#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace sockscope::capture {

namespace {

// Version 3 splits each 64-bit set over two 32-bit words.
struct CapSets
{
    std::uint64_t effective = 0;
    std::uint64_t permitted = 0;
    std::uint64_t inheritable = 0;
};

constexpr std::uint64_t bit(int cap)
{
    return std::uint64_t(1) << cap;
}

std::expected<CapSets, CapabilityError> readSets()
{
    __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
    __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = {};
    if (syscall(SYS_capget, &header, data) != 0)
        return std::unexpected(CapabilityError{"capget", errno});
    CapSets s;
    s.effective = data[0].effective | (std::uint64_t(data[1].effective) << 32);
    s.permitted = data[0].permitted | (std::uint64_t(data[1].permitted) << 32);
    s.inheritable = data[0].inheritable | (std::uint64_t(data[1].inheritable) << 32);
    return s;
}

std::expected<void, CapabilityError> writeSets(const CapSets &s)
{
    __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
    __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = {};
    data[0] = {std::uint32_t(s.effective), std::uint32_t(s.permitted), std::uint32_t(s.inheritable)};
    data[1] = {std::uint32_t(s.effective >> 32), std::uint32_t(s.permitted >> 32), std::uint32_t(s.inheritable >> 32)};
    if (syscall(SYS_capset, &header, data) != 0)
        return std::unexpected(CapabilityError{"capset", errno});
    return {};
}

// capset() succeeding is the kernel's word already; reading back costs one call and
// catches a set we did not mean (a helper must never run with more than it says).
std::expected<void, CapabilityError> setExactly(const CapSets &wanted)
{
    if (auto written = writeSets(wanted); !written)
        return written;
    const auto now = readSets();
    if (!now)
        return std::unexpected(now.error());
    if (now->effective != wanted.effective || now->permitted != wanted.permitted || now->inheritable != wanted.inheritable)
        return std::unexpected(CapabilityError{"capget after capset", EPERM});
    return {};
}

// Walks up to whatever the running kernel knows (PR_CAPBSET_READ fails with EINVAL past
// its last capability), not to the CAP_LAST_CAP of the headers we were built with.
std::expected<void, CapabilityError> emptyBoundingSet()
{
    for (int cap = 0;; ++cap) {
        const int held = prctl(PR_CAPBSET_READ, cap, 0, 0, 0);
        if (held < 0 && errno == EINVAL)
            return {};
        if (held < 0)
            return std::unexpected(CapabilityError{"PR_CAPBSET_READ", errno});
        if (held == 1 && prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0)
            return std::unexpected(CapabilityError{"PR_CAPBSET_DROP", errno});
    }
}

} // namespace

std::expected<void, CapabilityError> keepOnlyNetRaw()
{
    auto sets = readSets();
    if (!sets)
        return std::unexpected(sets.error());
    // Dropping from the bounding set needs CAP_SETPCAP in the effective set: raise it
    // from the permitted set for that, before it goes with everything else. Without it
    // (a file capability of cap_net_raw only) the bounding set stays as it is.
    if (sets->permitted & bit(CAP_SETPCAP)) {
        if (auto raised = writeSets({sets->effective | bit(CAP_SETPCAP), sets->permitted, sets->inheritable}); !raised)
            return raised;
        if (auto emptied = emptyBoundingSet(); !emptied)
            return emptied;
    }
    // Kernels before 4.3 have no ambient set and say EINVAL: nothing to clear there.
    if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0 && errno != EINVAL)
        return std::unexpected(CapabilityError{"PR_CAP_AMBIENT_CLEAR_ALL", errno});
    // Without CAP_NET_RAW to keep, keep nothing: pcap_activate() then reports
    // PCAP_ERROR_PERM_DENIED with its setcap hint, as it always did.
    const std::uint64_t keep = sets->permitted & bit(CAP_NET_RAW);
    if (auto kept = setExactly({keep, keep, 0}); !kept)
        return kept;
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
        return std::unexpected(CapabilityError{"PR_SET_NO_NEW_PRIVS", errno});
    return {};
}

std::expected<void, CapabilityError> dropAllCapabilities()
{
    return setExactly({0, 0, 0});
}

} // namespace sockscope::capture
