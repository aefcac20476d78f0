#include "cmasim/model/network.h"

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/dijkstra_shortest_paths.hpp>

namespace cmasim::model {

std::vector<std::vector<double>> shortest_travel_minutes(std::size_t places,
                                                         const std::vector<RoadEdge>& roads) {
    using Graph =
        boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS, boost::no_property,
                              boost::property<boost::edge_weight_t, double>>;
    Graph g(places);
    for (const RoadEdge& r : roads) boost::add_edge(r.from, r.to, r.minutes, g);
    std::vector<std::vector<double>> minutes(places);
    for (std::size_t s = 0; s < places; ++s) {
        std::vector<double> dist(places, kUnreachable);
        boost::dijkstra_shortest_paths(
            g, boost::vertex(s, g),
            boost::distance_map(
                boost::make_iterator_property_map(dist.begin(), boost::get(boost::vertex_index, g)))
                .distance_inf(kUnreachable));
        minutes[s] = std::move(dist);
    }
    return minutes;
}

}  // namespace cmasim::model
