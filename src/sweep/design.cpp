#include "cmasim/sweep/design.h"

#include <array>
#include <stdexcept>
#include <string>

#include "cmasim/sim/random.h"

namespace cmasim::sweep {

namespace {

/// Stream purposes of the designs (any constants; they only keep the streams apart).
constexpr std::uint64_t kLatinPermutation = 0x5357'4545'5031ull;
constexpr std::uint64_t kLatinJitter = 0x5357'4545'5032ull;
constexpr std::uint64_t kSobolShift = 0x5357'4545'5033ull;

void check_size(int n, int dims) {
    if (n < 1)
        throw std::invalid_argument("a design needs at least one point, got " + std::to_string(n));
    if (dims < 1)
        throw std::invalid_argument("a design needs at least one dimension, got " +
                                    std::to_string(dims));
}

/// Joe and Kuo's direction numbers (new-joe-kuo-6.21201) for dimensions 2..21: the degree s
/// and coefficients a of a primitive polynomial, and the initial odd numbers m_1..m_s.
struct SobolRow {
    int s;
    std::uint32_t a;
    std::array<std::uint32_t, 7> m;
};
constexpr std::array<SobolRow, 20> kSobolRows = {{
    {1, 0, {1}},
    {2, 1, {1, 3}},
    {3, 1, {1, 3, 1}},
    {3, 2, {1, 1, 1}},
    {4, 1, {1, 1, 3, 3}},
    {4, 4, {1, 3, 5, 13}},
    {5, 2, {1, 1, 5, 5, 17}},
    {5, 4, {1, 1, 5, 5, 5}},
    {5, 7, {1, 1, 7, 11, 19}},
    {5, 11, {1, 1, 5, 1, 1}},
    {5, 13, {1, 1, 1, 3, 11}},
    {5, 14, {1, 3, 5, 5, 31}},
    {6, 1, {1, 3, 3, 9, 7, 49}},
    {6, 13, {1, 1, 1, 15, 21, 21}},
    {6, 16, {1, 3, 1, 13, 27, 49}},
    {6, 19, {1, 1, 1, 15, 7, 5}},
    {6, 22, {1, 3, 1, 15, 13, 25}},
    {6, 25, {1, 1, 5, 5, 19, 61}},
    {7, 1, {1, 3, 7, 11, 23, 15, 103}},
    {7, 4, {1, 3, 7, 13, 13, 15, 69}},
}};

constexpr int kBits = 32;

/// Direction numbers V_1..V_32 (index 0..31) of dimension `dim` (0-based).
std::array<std::uint32_t, kBits> directions(int dim) {
    std::array<std::uint32_t, kBits> v{};
    if (dim == 0) {
        for (int i = 0; i < kBits; ++i)
            v[static_cast<std::size_t>(i)] = std::uint32_t{1} << (kBits - 1 - i);
        return v;
    }
    const SobolRow& row = kSobolRows[static_cast<std::size_t>(dim - 1)];
    const auto s = static_cast<std::size_t>(row.s);
    for (std::size_t i = 0; i < s; ++i) v[i] = row.m[i] << (kBits - 1 - static_cast<int>(i));
    for (std::size_t i = s; i < kBits; ++i) {
        std::uint32_t x = v[i - s] ^ (v[i - s] >> row.s);
        for (std::size_t k = 1; k < s; ++k) {
            if ((row.a >> (s - 1 - k)) & 1u) x ^= v[i - k];
        }
        v[i] = x;
    }
    return v;
}

}  // namespace

std::vector<std::vector<double>> latin_hypercube(int n, int dims, std::uint64_t seed) {
    check_size(n, dims);
    const auto un = static_cast<std::size_t>(n);
    std::vector<std::vector<double>> points(un,
                                            std::vector<double>(static_cast<std::size_t>(dims)));
    for (int d = 0; d < dims; ++d) {
        sim::RandomStream order({seed, 0}, kLatinPermutation, static_cast<std::uint64_t>(d));
        sim::RandomStream jitter({seed, 0}, kLatinJitter, static_cast<std::uint64_t>(d));
        std::vector<std::size_t> stratum(un);
        for (std::size_t i = 0; i < un; ++i) stratum[i] = i;
        for (std::size_t i = un - 1; i > 0; --i) std::swap(stratum[i], stratum[order.below(i + 1)]);
        for (std::size_t i = 0; i < un; ++i) {
            points[i][static_cast<std::size_t>(d)] =
                (static_cast<double>(stratum[i]) + jitter.uniform()) / n;
        }
    }
    return points;
}

int sobol_max_dimensions() {
    return static_cast<int>(kSobolRows.size()) + 1;
}

std::vector<std::vector<double>> sobol_points(int n, int dims, std::uint64_t seed) {
    check_size(n, dims);
    if (dims > sobol_max_dimensions()) {
        throw std::invalid_argument("Sobol points support at most " +
                                    std::to_string(sobol_max_dimensions()) + " dimensions, got " +
                                    std::to_string(dims));
    }
    const auto un = static_cast<std::size_t>(n);
    std::vector<std::vector<double>> points(un,
                                            std::vector<double>(static_cast<std::size_t>(dims)));
    for (int d = 0; d < dims; ++d) {
        const auto v = directions(d);
        std::uint32_t shift = 0;
        if (seed != 0) {
            sim::RandomStream stream({seed, 0}, kSobolShift, static_cast<std::uint64_t>(d));
            shift = static_cast<std::uint32_t>(stream.next_u64() >> 32);
        }
        // Gray-code order: point i+1 = point i XOR the direction of i's lowest zero bit.
        std::uint32_t x = 0;
        for (std::size_t i = 0; i < un; ++i) {
            points[i][static_cast<std::size_t>(d)] = static_cast<double>(x ^ shift) * 0x1p-32;
            int c = 0;
            for (std::size_t bits = i; bits & 1u; bits >>= 1) ++c;
            if (c < kBits) x ^= v[static_cast<std::size_t>(c)];
        }
    }
    return points;
}

}  // namespace cmasim::sweep
