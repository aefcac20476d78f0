// The two-tier design the event calendar did not adopt (hold/NearFarHeaps): a near and a far
// 4-ary heap split at a moving boundary.
#pragma once

#include <cstddef>
#include <cstdint>

#include "reference_heaps.h"
#include "workload.h"

namespace hold {

/// Two 4-ary heaps (the QuaternaryHeapPrefetchReference code, on ready-made nodes): events
/// before a boundary T in the near heap, the rest in the far heap. When the near heap runs dry,
/// T = (earliest far time rounded down to the window) + window, and every far event before T
/// moves over (in order, so appending keeps the near heap a heap). Every far event pays a pop
/// from the large far heap: what the calendar's ring of unsorted buckets avoids.
template <unsigned WindowShift>
class NearFarHeaps {
  public:
    void push(SimTime time, std::int32_t priority, const Payload& p) {
        const Node node{pack(time, priority, seq_++), p};
        if (static_cast<std::uint64_t>(node.key >> 64) < boundary_) {
            near_.push(node);
        } else {
            far_.push(node);
        }
    }
    Popped pop() {
        if (near_.empty()) {
            boundary_ = ((static_cast<std::uint64_t>(far_.top().key >> 64) >> WindowShift) + 1)
                        << WindowShift;
            while (!far_.empty() && static_cast<std::uint64_t>(far_.top().key >> 64) < boundary_) {
                near_.append(far_.pop());
            }
        }
        const Node n = near_.pop();
        return {time_of(n.key), n.payload};
    }

  private:
    struct Node {
        Key key;
        Payload payload;
    };
    class Heap {
      public:
        Heap() { v_.resize(kRoot); }
        bool empty() const { return v_.size() == kRoot; }
        const Node& top() const { return v_[kRoot]; }
        void append(const Node& node) { v_.push_back(node); }  // no later than any entry
        void push(const Node& node) {
            std::size_t hole = v_.size();
            v_.push_back(node);
            Node* v = v_.data();
            while (hole > kRoot && node.key < v[parent(hole)].key) {
                v[hole] = v[parent(hole)];
                hole = parent(hole);
            }
            v[hole] = node;
        }
        Node pop() {
            Node* v = v_.data();
            const Node top = v[kRoot];
            const Node last = v_.back();
            v_.pop_back();
            const std::size_t n = v_.size();
            const auto key = [v](std::size_t i) { return v[i].key; };
            std::size_t hole = kRoot;
            for (std::size_t c = first_child(hole); c < n; c = first_child(hole)) {
                if (c + 4 <= n) {
                    const std::size_t g = first_child(c);
                    if (g >= 1024 && g + 16 <= n) {
                        const auto* bytes = reinterpret_cast<const char*>(v + g);
                        for (std::size_t b = 0; b < 16 * sizeof(Node); b += kLine) {
                            __builtin_prefetch(bytes + b);
                        }
                    }
                    c = smallest<4>(key, c);
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
        static constexpr std::size_t kRoot = 3;
        static std::size_t parent(std::size_t s) { return s / 4 + 2; }
        static std::size_t first_child(std::size_t s) { return 4 * (s - 2); }
        std::vector<Node, LineAllocator<Node>> v_;
    };
    Heap near_;
    Heap far_;
    std::uint64_t boundary_ = 0;  // time bits (sign flipped); 0: everything starts far
    std::uint64_t seq_ = 0;
};

}  // namespace hold
