#include "cmasim/report/manifest.h"

#include <chrono>
#include <cmath>
#include <ctime>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace cmasim::report {

namespace {

using Json = nlohmann::ordered_json;

constexpr const char* kFormat = "cmasim-manifest";
constexpr const char* kSweepFormat = "cmasim sweep manifest";

Json build_json(const Provenance& p) {
    Json j;
    j["cmasim_version"] = p.build.version;
    j["git_commit"] = p.build.commit;
    j["compiler"] = p.build.compiler;
    j["build_type"] = p.build.build_type;
    j["command_line"] = p.command_line;
    j["threads"] = p.threads;
    return j;
}

}  // namespace

const char* const kRandomScheme =
    "Philox4x64-10 counter-based streams (Random123), keyed by (seed, replication), counter "
    "(purpose, entity, block): one stream per random purpose and entity, so a replication's "
    "numbers depend on neither the thread count nor the order replications run in";

const char* const kScenarioHashRecipe =
    "SHA-256 of what `cmasim resolve FILE` prints with the same --set options (the extends: "
    "chain and the overrides merged), without its leading comment lines";

std::string version_text(const BuildInfo& build) {
    return "cmasim " + build.version + "\ncommit: " + build.commit +
           "\ncompiler: " + build.compiler + "\nbuild type: " + build.build_type + "\n";
}

std::string manifest_json(const RunRecord& r) {
    Json j;
    j["format"] = kFormat;
    j["manifest_version"] = 1;
    j["command"] = r.command;
    j.update(build_json(r.provenance));
    Json scenarios = Json::array();
    for (const auto& s : r.scenarios) scenarios.push_back({{"file", s.file}, {"sha256", s.sha256}});
    j["scenarios"] = std::move(scenarios);
    j["scenario_hash_recipe"] = kScenarioHashRecipe;
    j["seed"] = r.seed;
    j["replications"] = r.replications;
    j["rng_scheme"] = kRandomScheme;
    j["started_at"] = r.started_at;
    j["wall_seconds"] = std::round(r.wall_seconds * 1000) / 1000;
    return j.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

std::string manifest_command(const std::filesystem::path& dir) {
    std::ifstream in(dir / "manifest.json", std::ios::binary);
    if (!in) return {};
    std::ostringstream text;
    text << in.rdbuf();
    const Json j = Json::parse(text.str(), nullptr, false);
    if (!j.is_object()) return {};
    const std::string format = j.value("format", "");
    if (format == kSweepFormat) return "sweep";
    if (format != kFormat) return {};
    const auto command = j.find("command");
    return command != j.end() && command->is_string() ? command->get<std::string>() : std::string();
}

std::string utc_timestamp() {
    const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm tm{};
    gmtime_r(&now, &tm);
    char buffer[32];
    std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buffer;
}

}  // namespace cmasim::report
