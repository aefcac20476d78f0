// The county's medical alliances (docs/model.md, "More than one alliance"): each alliance
// facility and township is given its alliance, the implicit one when the scenario lists none.
#include <algorithm>

#include "cmasim/model/county.h"

namespace cmasim::model {

std::uint32_t facility_index(const County& c, const std::string& id) {
    for (std::uint32_t f = 0; f < c.facilities.size(); ++f)
        if (c.facilities[f].id == id) return f;
    return kNone;
}

namespace {

/// Without `alliances:`: one alliance of every in-county alliance facility and every township.
void implicit_alliance(County& c) {
    AllianceInfo a{"alliance", "County medical alliance", kNone, kNone};
    for (std::uint32_t f = 0; f < c.facilities.size(); ++f) {
        auto& fi = c.facilities[f];
        if (!fi.alliance || !fi.in_county) continue;
        fi.alliance_index = 0;
        if (fi.lead) a.lead = f;
    }
    for (auto& t : c.townships) t.alliance = 0;
    c.alliances.push_back(a);
}

}  // namespace

void compile_alliances(const scenario::Scenario& s, County& c) {
    if (s.alliances.empty()) {
        implicit_alliance(c);
    } else {
        for (std::uint32_t a = 0; a < s.alliances.size(); ++a) {
            const auto& spec = s.alliances[a];
            c.alliances.push_back({spec.id, spec.name, facility_index(c, spec.lead), kNone});
            c.facilities[c.alliances.back().lead].alliance_index = a;
            for (const auto& id : spec.members)
                c.facilities[facility_index(c, id)].alliance_index = a;
            for (auto& t : c.townships) {
                if (std::find(spec.townships.begin(), spec.townships.end(), t.id) ==
                    spec.townships.end())
                    continue;
                t.alliance = a;
                const auto ti = static_cast<std::uint32_t>(&t - c.townships.data());
                for (auto& fi : c.facilities)
                    if (fi.alliance && fi.level <= Level::Township && fi.township == ti)
                        fi.alliance_index = a;
            }
        }
    }
    for (std::uint32_t f = 0; f < c.facilities.size(); ++f) {
        const auto& fi = c.facilities[f];
        if (fi.sub_center && fi.level == Level::County && fi.alliance_index != kNone)
            c.alliances[fi.alliance_index].sub_center = f;
    }
}

std::uint32_t via_sub_center(const County& c, std::uint32_t from, std::uint32_t to) {
    const FacilityInfo& fi = c.facilities[from];
    if (to == kNone || fi.level != Level::Township || fi.alliance_index == kNone) return to;
    const std::uint32_t sub = c.alliances[fi.alliance_index].sub_center;
    return sub != kNone && c.facilities[to].level == Level::County ? sub : to;
}

}  // namespace cmasim::model
