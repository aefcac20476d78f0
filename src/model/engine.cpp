// simulate_replication: the county engine, or the queueing-network engine when the scenario
// declares stations.
#include "cmasim/model/engine.h"

#include "county_engine.h"
#include "network_engine.h"

namespace cmasim::model {

ReplicationStats simulate_replication(const County& county, std::uint64_t replication,
                                      const ObserverList& observers) {
    if (!county.stations.empty()) return detail::NetworkEngine(county, replication, observers).run();
    return detail::CountyEngine(county, replication, observers).run();
}

ReplicationStats simulate_replication(const County& county, std::uint64_t replication,
                                      ModelObserver& observer) {
    return simulate_replication(county, replication, ObserverList(observer));
}

}  // namespace cmasim::model
