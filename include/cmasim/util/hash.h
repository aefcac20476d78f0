// Hashes: SHA-256 identifies a sweep file (the same digest `sha256sum`
// prints), FNV-1a guards each journal record against a torn or corrupted write.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace cmasim::util {

/// SHA-256 of `bytes` as 64 lowercase hex digits.
std::string sha256_hex(std::string_view bytes);

/// 64-bit FNV-1a of `bytes`.
std::uint64_t fnv1a64(std::string_view bytes);

}  // namespace cmasim::util
