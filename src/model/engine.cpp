// simulate_replication: the county engine, or the queueing-network engine when the scenario
// declares stations.
#include "cmasim/model/engine.h"

#include "county_engine.h"
#include "network_engine.h"

namespace cmasim::model {

ReplicationStats simulate_replication(const County& county, std::uint64_t replication,
                                      ModelObserver& observer) {
    if (!county.stations.empty()) return detail::NetworkEngine(county, replication, observer).run();
    return detail::CountyEngine(county, replication, observer).run();
}

}  // namespace cmasim::model
