// Philox4x64-10 block generation and unbiased bounded integers for RandomStream.
#include "cmasim/sim/random.h"

#include <Random123/philox.h>

#include <stdexcept>

namespace cmasim::sim {

RandomStream::RandomStream(StreamKey key, std::uint64_t purpose, std::uint64_t entity,
                           std::uint64_t first_draw)
    : key_{key.seed, key.replication}, purpose_(purpose), entity_(entity), draw_(first_draw) {}

void RandomStream::refill() {
    // Counter = (purpose, entity, block, 0) and key = (seed, replication): every stream identity
    // owns a disjoint slice of the counter space, so streams cannot overlap, whatever the order
    // in which they are created or used.
    const std::uint64_t block = draw_ >> 2;
    const r123::Philox4x64::ctr_type ctr = {{purpose_, entity_, block, 0}};
    const r123::Philox4x64::key_type key = {{key_[0], key_[1]}};
    const r123::Philox4x64::ctr_type out = r123::Philox4x64{}(ctr, key);
    for (std::size_t lane = 0; lane < 4; ++lane) {
        block_[lane] = out.v[lane];
    }
    block_index_ = block;
}

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
