// Road network: shortest travel times between places (Boost.Graph lives here and nowhere else).
#pragma once

#include <cstdint>
#include <limits>
#include <vector>

namespace cmasim::model {

struct RoadEdge {
    std::uint32_t from = 0;
    std::uint32_t to = 0;
    double minutes = 0;  ///< > 0; roads are two-way
};

inline constexpr double kUnreachable = std::numeric_limits<double>::infinity();

/// All-pairs shortest travel minutes over two-way roads (Dijkstra from every place).
/// Unreachable pairs are kUnreachable.
std::vector<std::vector<double>> shortest_travel_minutes(std::size_t places,
                                                         const std::vector<RoadEdge>& roads);

}  // namespace cmasim::model
