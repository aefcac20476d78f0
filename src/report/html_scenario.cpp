// A scenario file named in a report's records, read back for what the records lack (targets,
// warm-up, horizon) only when it is unchanged (src/report/html_parts.h).
#include <exception>

#include "cmasim/scenario/loader.h"
#include "html_parts.h"

namespace cmasim::report::html {

BaseScenario base_scenario(const std::string& file, const std::string& sha256) {
    BaseScenario base;
    std::error_code ec;
    if (file.empty() || !std::filesystem::exists(file, ec)) return base;
    try {
        if (scenario::scenario_sha256(file) != sha256) return base;
        const scenario::Scenario s = scenario::load_scenario(file);
        for (const auto& t : s.targets) {
            Json j = Json::object();
            j["min"] = t.min ? Json(*t.min) : Json(nullptr);
            j["max"] = t.max ? Json(*t.max) : Json(nullptr);
            base.targets[t.indicator] = std::move(j);
        }
        base.warmup_days = number(s.warmup_days, 1);
        base.horizon_days = number(s.horizon_days, 1);
    } catch (const std::exception&) {
        return BaseScenario{};  // an unreadable file: the page shows what the records hold
    }
    return base;
}

}  // namespace cmasim::report::html
