// Counter-based random streams: Philox4x64-10 (Random123) keyed by (seed, replication), with the
// counter (purpose, entity, block). A stream is two words of key and three of counter, so creating
// one costs nothing, streams never overlap, and a replication's numbers do not depend on how many
// threads or processes ran it. Draw d of a stream is lane d % 4 of block d / 4, except that a
// caller may hand a stream its first few draws: lanes of one block shared by several purposes of
// the same entity (share_first(); the county engine's episodes do, docs/model.md says why).
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

/// Block `block` of the stream (purpose, entity) under `key`: one Philox4x64-10 call with counter
/// (purpose, entity, block, 0) and key (seed, replication). Every stream identity owns a disjoint
/// slice of the counter space, so streams cannot overlap, whatever the order in which they are
/// created or used.
inline std::array<std::uint64_t, 4> philox_block(StreamKey key, std::uint64_t purpose,
                                                 std::uint64_t entity, std::uint64_t block) {
    const r123::Philox4x64::ctr_type ctr = {{purpose, entity, block, 0}};
    const r123::Philox4x64::key_type k = {{key.seed, key.replication}};
    const r123::Philox4x64::ctr_type out = r123::Philox4x64{}(ctr, k);
    return {out.v[0], out.v[1], out.v[2], out.v[3]};
}

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
        if (draw_ < shared_count_) {
            return shared_[draw_++];
        }
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
    /// The stream's draws 0 .. count - 1 are words[0 .. count - 1] (count <= 4; words must outlive
    /// the stream) instead of lanes of its own block 0: lanes of a block that several purposes of
    /// one entity share. Draw d >= count is still lane d % 4 of the stream's own block d / 4, so
    /// each purpose's draws stay a function of (key, purpose, entity, d) alone, whatever the other
    /// purposes draw.
    void share_first(const std::uint64_t* words, std::uint32_t count) {
        shared_ = words;
        shared_count_ = count;
    }

  private:
    /// Computes block draw_ / 4 into block_ (philox_block()).
    void refill() {
        const std::uint64_t block = draw_ >> 2;
        block_ = philox_block({key_[0], key_[1]}, purpose_, entity_, block);
        block_index_ = block;
    }
    std::array<std::uint64_t, 2> key_;
    std::uint64_t purpose_;
    std::uint64_t entity_;
    std::uint64_t draw_;
    std::array<std::uint64_t, 4> block_{};
    std::uint64_t block_index_ = ~std::uint64_t{0};
    const std::uint64_t* shared_ = nullptr;
    std::uint64_t shared_count_ = 0;
};

}  // namespace cmasim::sim
