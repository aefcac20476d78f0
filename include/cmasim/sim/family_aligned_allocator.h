// The allocator of EventCalendar's entry vectors: blocks placed so that the 4-ary near heap's
// families of children start on cache lines.
#pragma once

#include <cstddef>
#include <new>
#include <vector>

namespace cmasim::sim::detail {

inline constexpr std::size_t kCacheLine = 64;

/// std::allocator, except that blocks start sizeof(T) bytes (mod 64) before a cache line, so
/// element 1 starts on a line. For EventCalendar's 4-ary heap (children of i at 4i+1..4i+4,
/// entries a multiple of 16 bytes) that puts every family of children on line boundaries: two
/// lines per family rather than (usually) three, and aligned blocks to prefetch.
template <class T>
class FamilyAlignedAllocator {
    static_assert(alignof(T) <= kCacheLine);

  public:
    using value_type = T;

    FamilyAlignedAllocator() = default;
    template <class U>
    FamilyAlignedAllocator(const FamilyAlignedAllocator<U>&) noexcept {}

    T* allocate(std::size_t n) {
        if (n > (static_cast<std::size_t>(-1) - kOffset) / sizeof(T)) {
            throw std::bad_array_new_length();
        }
        auto* block = static_cast<std::byte*>(
            ::operator new (n * sizeof(T) + kOffset, std::align_val_t{kCacheLine}));
        return static_cast<T*>(static_cast<void*>(block + kOffset));
    }
    // Unsized delete: Clang 14 declares the sized forms only with -fsized-deallocation.
    void deallocate(T* p, std::size_t /*n*/) noexcept {
        std::byte* block = static_cast<std::byte*>(static_cast<void*>(p)) - kOffset;
        ::operator delete (block, std::align_val_t{kCacheLine});
    }

    friend bool operator==(const FamilyAlignedAllocator&, const FamilyAlignedAllocator&) {
        return true;
    }

  private:
    // A multiple of alignof(T) (sizeof(T) is one, and 64 is one for any alignment up to 64).
    static constexpr std::size_t kOffset = (kCacheLine - sizeof(T) % kCacheLine) % kCacheLine;
};

/// A vector of calendar entries (the near heap, a bucket of the ring, the overflow).
template <class Entry>
using EntryVector = std::vector<Entry, FamilyAlignedAllocator<Entry>>;

}  // namespace cmasim::sim::detail
