// Space-filling designs on the unit cube for sampled sweep parameters. Both are deterministic in
// their seed and use the project's fully specified random streams, never std:: distributions.
#pragma once

#include <cstdint>
#include <vector>

namespace cmasim::sweep {

/// `n` points in [0, 1)^dims, one row per point: a Latin hypercube (each dimension's n strata
/// hit exactly once, in an independent random order, at a uniform position inside the stratum).
/// n >= 1, dims >= 1.
std::vector<std::vector<double>> latin_hypercube(int n, int dims, std::uint64_t seed);

/// The first `n` points of the Sobol sequence in [0, 1)^dims (Joe-Kuo direction numbers, 32-bit),
/// randomised by a digital shift (an XOR of each coordinate with a random 32-bit word drawn from
/// `seed`); seed 0 gives the unshifted sequence, starting at the origin. A digital shift keeps the
/// net properties: for n a power of two each coordinate still hits each of n strata once.
/// 1 <= dims <= sobol_max_dimensions(), n >= 1.
std::vector<std::vector<double>> sobol_points(int n, int dims, std::uint64_t seed);

/// Dimensions sobol_points supports.
int sobol_max_dimensions();

}  // namespace cmasim::sweep
