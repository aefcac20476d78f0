// The queueing-network validation mode's section (docs/model.md §9): stations with Poisson
// arrivals, exponential service and fixed routing.
#include "fields.h"
#include "schemas.h"

namespace cmasim::scenario::detail {
namespace {

FieldBuilder<NetworkStation> routes() {
    auto parse = [](const YAML::Node& n, NetworkStation& st, Reader& r, const SchemaKey& doc) {
        auto entries = map_entries(n, r, {}, "a map of facility id: probability");
        if (!entries) return;
        double total = 0;
        for (const auto& e : *entries) {
            Reader::Scope scope(r, e.key);
            const auto p = read_number(e.value, r, doc);
            if (!p) continue;
            total += *p;
            st.routes.emplace_back(e.key, *p);
        }
        if (total > 1.0 + 1e-9) {
            r.error(n, "routing probabilities add up to " + format_number(total) + ", more than 1",
                    "the rest of 1 is the probability of leaving the network; lower them");
        }
    };
    return FieldBuilder<NetworkStation>("routes", "map of facility id to probability",
                                        "none (every customer leaves)", parse)
        .numeric()
        .min(0)
        .max(1);
}

}  // namespace

const RecordSchema<QueueingNetwork>& network_schema() {
    using N = NetworkStation;
    static const RecordSchema<N> station{
        {text("facility", &N::facility)
             .required()
             .describe("facility id of the station; its doctors are the station's servers"),
         number("arrivals_per_minute", &N::arrivals_per_minute)
             .min(0)
             .max(1e6)
             .unit("per minute")
             .describe("external Poisson arrival rate at the station"),
         number("service_minutes", &N::service_minutes)
             .above(0)
             .max(1e6)
             .unit("minutes")
             .describe("mean of the exponential service time"),
         routes().describe(
             "where a served customer goes next, with probabilities; the rest leave")},
        [](const YAML::Node& map, N& st, Reader& r) { st.source = r.where(map); }};
    static const RecordSchema<QueueingNetwork> schema{
        {records("stations", &QueueingNetwork::stations, station)
             .describe("the network's stations; when given, choice, referral, demand and money "
                       "are switched off")},
        {}};
    return schema;
}

}  // namespace cmasim::scenario::detail
