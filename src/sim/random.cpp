// Unbiased bounded integers for RandomStream (the rest of it is inline in random.h).
#include "cmasim/sim/random.h"

#include <stdexcept>

namespace cmasim::sim {

std::uint64_t RandomStream::below(std::uint64_t n) {
    if (n == 0) {
        throw std::invalid_argument("RandomStream::below: n must be > 0 (got 0)");
    }
    // Lemire (2019): the high word of x * n is uniform on [0, n) once the low word is rejected
    // when it falls below 2^64 mod n, the slice that would otherwise give some results one extra
    // preimage.
    __extension__ using u128 = unsigned __int128;
    u128 m = static_cast<u128>(next_u64()) * n;
    auto low = static_cast<std::uint64_t>(m);
    if (low < n) {
        const std::uint64_t threshold = (0 - n) % n;  // 2^64 mod n
        while (low < threshold) {
            m = static_cast<u128>(next_u64()) * n;
            low = static_cast<std::uint64_t>(m);
        }
    }
    return static_cast<std::uint64_t>(m >> 64);
}

}  // namespace cmasim::sim
