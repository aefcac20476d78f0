// Counter-based random streams: Philox4x64-10 (Random123) keyed by (seed, replication), with the
// counter (purpose, entity, block). A stream is two words of key and three of counter, so creating
// one costs nothing, streams never overlap, and a replication's numbers do not depend on how many
// threads or processes ran it. Draw d of a stream is lane d % 4 of block d / 4.
#pragma once

#include <Random123/philox.h>

#include <array>
#include <cstddef>
#include <cstdint>

namespace cmasim::sim {

struct StreamKey {
    std::uint64_t seed = 0;
    std::uint64_t replication = 0;
};

class RandomStream {
  public:
    /// Stream for one (purpose, entity) under a key; first_draw lets a caller resume a stream
    /// exactly where an earlier RandomStream of the same identity stopped (see draws()).
    RandomStream(StreamKey key, std::uint64_t purpose, std::uint64_t entity,
                 std::uint64_t first_draw = 0)
        : key_{key.seed, key.replication}, purpose_(purpose), entity_(entity), draw_(first_draw) {}

    /// Next 64 random bits. Inline because it is on every model's hot path: three draws in four
    /// are a load from the cached block; the fourth runs one Philox block. The model creates a
    /// stream for nearly every draw, so the block computation is inline too.
    std::uint64_t next_u64() {
        const std::uint64_t block = draw_ >> 2;
        if (block != block_index_) {
            refill();
        }
        return block_[draw_++ & 3];
    }
    /// Uniform on the open interval (0, 1), 53-bit resolution; never returns 0 or 1. One draw.
    double uniform() {
        // k/2^53 for k = top 53 bits is exact for every k; only k = 0 would give 0, and it is
        // mapped to 2^-54 instead. The tempting (k + 0.5) * 2^-53 is not exact above 0.5 (the
        // half steps need 54 bits) and rounds to exactly 1.0 for the largest k.
        const std::uint64_t k = next_u64() >> 11;
        return k != 0 ? static_cast<double>(k) * 0x1p-53 : 0x1p-54;
    }
    /// Uniform integer in [0, n), unbiased; n > 0 (throws std::invalid_argument for 0). Lemire's
    /// multiply-and-reject: usually one draw, more only with probability < n / 2^64.
    std::uint64_t below(std::uint64_t n);
    /// Number of 64-bit draws consumed so far (including first_draw).
    std::uint64_t draws() const { return draw_; }

  private:
    /// Computes block draw_ / 4 into block_ (one Philox4x64-10 call). Counter = (purpose,
    /// entity, block, 0) and key = (seed, replication): every stream identity owns a disjoint
    /// slice of the counter space, so streams cannot overlap, whatever the order in which they
    /// are created or used.
    void refill() {
        const std::uint64_t block = draw_ >> 2;
        const r123::Philox4x64::ctr_type ctr = {{purpose_, entity_, block, 0}};
        const r123::Philox4x64::key_type key = {{key_[0], key_[1]}};
        const r123::Philox4x64::ctr_type out = r123::Philox4x64{}(ctr, key);
        for (std::size_t lane = 0; lane < 4; ++lane) {
            block_[lane] = out.v[lane];
        }
        block_index_ = block;
    }
    std::array<std::uint64_t, 2> key_;
    std::uint64_t purpose_;
    std::uint64_t entity_;
    std::uint64_t draw_;
    std::array<std::uint64_t, 4> block_{};
    std::uint64_t block_index_ = ~std::uint64_t{0};
};

}  // namespace cmasim::sim
