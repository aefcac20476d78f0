// The hand-written reference heaps of bench/bench_calendar.cpp: the best array heaps we could
// write, independently of EventCalendar's code (hold/*Reference).
#pragma once

#include <cstddef>
#include <cstdint>
#include <new>
#include <vector>

#include "workload.h"

namespace hold {

/// (time, priority, seq) packed so that unsigned < is the event order: time with its sign bit
/// flipped in the high word, (priority + 128) << 56 | seq in the low word.
__extension__ using Key = unsigned __int128;
inline constexpr std::uint64_t kSignBit = std::uint64_t{1} << 63;

inline Key pack(SimTime time, std::int32_t priority, std::uint64_t seq) {
    const std::uint64_t lo = (static_cast<std::uint64_t>(priority + 128) << 56) | seq;
    return (Key{static_cast<std::uint64_t>(time) ^ kSignBit} << 64) | lo;
}
inline SimTime time_of(Key k) {
    return static_cast<SimTime>(static_cast<std::uint64_t>(k >> 64) ^ kSignBit);
}

inline constexpr std::size_t kLine = 64;

/// Cache-line-aligned storage for the references (they put the root at index D - 1 so that
/// every family of D children starts on a line).
template <class T>
struct LineAllocator {
    using value_type = T;
    LineAllocator() = default;
    template <class U>
    LineAllocator(const LineAllocator<U>&) noexcept {}
    T* allocate(std::size_t n) {
        return static_cast<T*>(::operator new (n * sizeof(T), std::align_val_t{kLine}));
    }
    void deallocate(T* p, std::size_t) noexcept { ::operator delete (p, std::align_val_t{kLine}); }
    friend bool operator==(const LineAllocator&, const LineAllocator&) { return true; }
};

/// Index of the smallest of the N keys starting at `first` (a branch-free knockout tournament).
template <std::size_t N, class KeyAt>
std::size_t smallest(KeyAt key, std::size_t first) {
    if constexpr (N == 2) {
        return first + static_cast<std::size_t>(key(first + 1) < key(first));
    } else {
        const std::size_t a = smallest<N / 2>(key, first);
        const std::size_t b = smallest<N / 2>(key, first + N / 2);
        return key(b) < key(a) ? b : a;
    }
}

/// D-ary heap of 32-byte (key, payload) nodes. Node i lives in slot i + D - 1, so the children
/// of slot s are the D slots from D * (s - D + 2), a multiple of D: families are line-aligned.
/// Prefetch: while choosing among a hole's children, start loading all their children (D * D
/// contiguous nodes) once the heap is deeper than PrefetchFrom slots.
template <std::size_t D, bool Prefetch, std::size_t PrefetchFrom = 1024>
class HeapReference {
  public:
    HeapReference() { v_.resize(D - 1); }

    void push(SimTime time, std::int32_t priority, const Payload& p) {
        const Node node{pack(time, priority, seq_++), p};
        std::size_t hole = v_.size();
        v_.push_back(node);
        Node* v = v_.data();
        while (hole > kRoot) {
            const std::size_t up = parent(hole);
            if (!(node.key < v[up].key)) {
                break;
            }
            v[hole] = v[up];
            hole = up;
        }
        v[hole] = node;
    }

    Popped pop() {
        Node* v = v_.data();
        const Popped top{time_of(v[kRoot].key), v[kRoot].payload};
        const Node last = v_.back();
        v_.pop_back();
        const std::size_t n = v_.size();
        const auto key = [v](std::size_t i) { return v[i].key; };
        std::size_t hole = kRoot;
        for (std::size_t c = first_child(hole); c < n; c = first_child(hole)) {
            if (c + D <= n) {
                if constexpr (Prefetch) {
                    const std::size_t g = first_child(c);
                    if (g >= PrefetchFrom && g + D * D <= n) {
                        const auto* bytes = reinterpret_cast<const char*>(v + g);
                        for (std::size_t b = 0; b < D * D * sizeof(Node); b += kLine) {
                            __builtin_prefetch(bytes + b);
                        }
                    }
                }
                c = smallest<D>(key, c);
            } else {
                for (std::size_t j = c + 1; j < n; ++j) {
                    c = v[j].key < v[c].key ? j : c;
                }
            }
            if (!(v[c].key < last.key)) {
                break;
            }
            v[hole] = v[c];
            hole = c;
        }
        if (n > kRoot) {
            v[hole] = last;
        }
        return top;
    }

  private:
    struct Node {
        Key key;
        Payload payload;
    };
    static constexpr std::size_t kRoot = D - 1;
    static std::size_t parent(std::size_t s) { return s / D + D - 2; }
    static std::size_t first_child(std::size_t s) { return D * (s - D + 2); }
    std::vector<Node, LineAllocator<Node>> v_;
    std::uint64_t seq_ = 0;
};

/// The same D-ary heap with keys and payloads in parallel arrays: the comparisons touch only
/// 16-byte keys (a 4-ary family is one cache line), and payload copies are off the critical path.
template <std::size_t D, std::size_t PrefetchFrom = 1024>
class SplitHeapReference {
  public:
    SplitHeapReference() {
        k_.resize(D - 1);
        p_.resize(D - 1);
    }

    void push(SimTime time, std::int32_t priority, const Payload& p) {
        const Key key = pack(time, priority, seq_++);
        std::size_t hole = k_.size();
        k_.push_back(key);
        p_.push_back(p);
        Key* k = k_.data();
        Payload* pl = p_.data();
        while (hole > kRoot) {
            const std::size_t up = parent(hole);
            if (!(key < k[up])) {
                break;
            }
            k[hole] = k[up];
            pl[hole] = pl[up];
            hole = up;
        }
        k[hole] = key;
        pl[hole] = p;
    }

    Popped pop() {
        Key* k = k_.data();
        Payload* pl = p_.data();
        const Popped top{time_of(k[kRoot]), pl[kRoot]};
        const Key last_key = k_.back();
        const Payload last_payload = p_.back();
        k_.pop_back();
        p_.pop_back();
        const std::size_t n = k_.size();
        const auto key = [k](std::size_t i) { return k[i]; };
        std::size_t hole = kRoot;
        for (std::size_t c = first_child(hole); c < n; c = first_child(hole)) {
            if (c + D <= n) {
                const std::size_t g = first_child(c);
                if (g >= PrefetchFrom && g + D * D <= n) {
                    const auto* bytes = reinterpret_cast<const char*>(k + g);
                    for (std::size_t b = 0; b < D * D * sizeof(Key); b += kLine) {
                        __builtin_prefetch(bytes + b);
                    }
                }
                c = smallest<D>(key, c);
            } else {
                for (std::size_t j = c + 1; j < n; ++j) {
                    c = k[j] < k[c] ? j : c;
                }
            }
            if (!(k[c] < last_key)) {
                break;
            }
            k[hole] = k[c];
            pl[hole] = pl[c];
            hole = c;
        }
        if (n > kRoot) {
            k[hole] = last_key;
            pl[hole] = last_payload;
        }
        return top;
    }

  private:
    static constexpr std::size_t kRoot = D - 1;
    static std::size_t parent(std::size_t s) { return s / D + D - 2; }
    static std::size_t first_child(std::size_t s) { return D * (s - D + 2); }
    std::vector<Key, LineAllocator<Key>> k_;
    std::vector<Payload, LineAllocator<Payload>> p_;
    std::uint64_t seq_ = 0;
};

}  // namespace hold
