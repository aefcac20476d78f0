#include "cmasim/check/baseline.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "cmasim/report/summary.h"
#include "cmasim/report/writers.h"
#include "cmasim/util/hash.h"

namespace cmasim::check {
namespace {

constexpr const char* kFormat = "cmasim-baseline";
constexpr int kVersion = 1;

std::string number_or_null(double v) {
    return std::isfinite(v) ? report::round_trip_number(v) : std::string("null");
}

std::string quoted(const std::string& s) {
    return nlohmann::json(s).dump();
}

}  // namespace

std::vector<IndicatorSeries> county_series(
    const std::vector<indicators::ReplicationResult>& results) {
    const auto ordered = report::in_replication_order(results);
    std::vector<IndicatorSeries> series;
    for (std::size_t r = 0; r < ordered.size(); ++r) {
        for (const auto& row : ordered[r]->county) {
            auto it = std::find_if(series.begin(), series.end(), [&](const IndicatorSeries& s) {
                return s.indicator == row.indicator;
            });
            if (it == series.end()) {
                series.push_back(
                    {row.indicator, std::vector<double>(ordered.size(),
                                                        std::numeric_limits<double>::quiet_NaN())});
                it = series.end() - 1;
            }
            it->values[r] = row.value;
        }
    }
    return series;
}

namespace {

/// Calls emit(output, line) for every line fingerprint() hashes, in its order: replication by
/// replication, the county values ("county") then the group values (their dimension).
template <class Emit>
void for_each_line(const std::vector<indicators::ReplicationResult>& results, Emit emit) {
    for (const auto* r : report::in_replication_order(results)) {
        const std::string rep = std::to_string(r->replication);
        for (const auto& v : r->county)
            emit("county",
                 rep + ",county,," + v.indicator + "," + report::round_trip_number(v.value) + "\n");
        for (const auto& g : r->groups)
            emit(g.dimension, rep + "," + g.dimension + "," + g.group + "," + g.indicator + "," +
                                  report::round_trip_number(g.value) + "\n");
    }
}

}  // namespace

std::string fingerprint(const std::vector<indicators::ReplicationResult>& results) {
    std::string text;
    for_each_line(results, [&](const std::string&, const std::string& line) { text += line; });
    return util::sha256_hex(text);
}

std::vector<std::pair<std::string, std::string>> output_fingerprints(
    const std::vector<indicators::ReplicationResult>& results) {
    std::vector<std::pair<std::string, std::string>> outputs{{"county", ""}};
    for_each_line(results, [&](const std::string& output, const std::string& line) {
        auto it = std::find_if(outputs.begin(), outputs.end(),
                               [&](const auto& o) { return o.first == output; });
        if (it == outputs.end()) it = outputs.insert(outputs.end(), {output, ""});
        it->second += line;
    });
    for (auto& [name, text] : outputs) text = util::sha256_hex(text);
    return outputs;
}

std::string baseline_json(const Baseline& b) {
    std::string out = "{\n";
    out += "  \"format\": " + quoted(kFormat) + ",\n";
    out += "  \"version\": " + std::to_string(kVersion) + ",\n";
    out += "  \"scenario\": " + quoted(b.scenario) + ",\n";
    out += "  \"seed\": " + std::to_string(b.seed) + ",\n";
    out += "  \"replications\": " + std::to_string(b.replications) + ",\n";
    out += "  \"horizon_days\": " + number_or_null(b.horizon_days) + ",\n";
    out += "  \"fingerprint\": " + quoted(b.fingerprint) + ",\n";
    if (!b.outputs.empty()) {
        out += "  \"outputs\": {";
        for (std::size_t i = 0; i < b.outputs.size(); ++i)
            out += (i > 0 ? ", " : "") + quoted(b.outputs[i].first) + ": " +
                   quoted(b.outputs[i].second);
        out += "},\n";
    }
    out += "  \"indicators\": {\n";
    for (std::size_t i = 0; i < b.indicators.size(); ++i) {
        out += "    " + quoted(b.indicators[i].indicator) + ": [";
        for (std::size_t k = 0; k < b.indicators[i].values.size(); ++k) {
            if (k > 0) out += ", ";
            out += number_or_null(b.indicators[i].values[k]);
        }
        out += i + 1 < b.indicators.size() ? "],\n" : "]\n";
    }
    out += "  }\n}\n";
    return out;
}

Baseline parse_baseline(const std::string& text, const std::string& label) {
    // ordered_json keeps the indicators in the file's order.
    nlohmann::ordered_json j;
    try {
        j = nlohmann::ordered_json::parse(text);
    } catch (const nlohmann::json::exception& e) {
        throw std::runtime_error(label + ": not valid JSON: " + e.what());
    }
    try {
        if (!j.is_object() || j.value("format", "") != kFormat)
            throw std::runtime_error(
                "not a cmasim baseline (\"format\" is not \"cmasim-baseline\")");
        if (j.at("version").get<int>() != kVersion)
            throw std::runtime_error("unsupported baseline version " + j.at("version").dump());
        Baseline b;
        b.scenario = j.at("scenario").get<std::string>();
        b.seed = j.at("seed").get<std::uint64_t>();
        b.replications = j.at("replications").get<int>();
        b.horizon_days = j.at("horizon_days").get<double>();
        b.fingerprint = j.at("fingerprint").get<std::string>();
        if (j.contains("outputs")) {
            for (const auto& [name, hash] : j.at("outputs").items())
                b.outputs.emplace_back(name, hash.get<std::string>());
        }
        for (const auto& [key, values] : j.at("indicators").items()) {
            IndicatorSeries s{key, {}};
            for (const auto& v : values)
                s.values.push_back(v.is_null() ? std::numeric_limits<double>::quiet_NaN()
                                               : v.get<double>());
            b.indicators.push_back(std::move(s));
        }
        return b;
    } catch (const nlohmann::json::exception& e) {
        throw std::runtime_error(label + ": malformed baseline: " + e.what());
    } catch (const std::runtime_error& e) {
        throw std::runtime_error(label + ": " + e.what());
    }
}

std::string baseline_file_name(const std::filesystem::path& scenario_file) {
    namespace fs = std::filesystem;
    const fs::path file = fs::weakly_canonical(fs::absolute(scenario_file));
    fs::path rel = file.filename();
    for (fs::path dir = file.parent_path(); !dir.empty(); dir = dir.parent_path()) {
        std::error_code ec;
        if (fs::exists(dir / ".git", ec)) {
            rel = file.lexically_relative(dir);
            break;
        }
        if (dir == dir.parent_path()) break;
    }
    std::string name = rel.generic_string();
    if (name.size() > 5 && name.ends_with(".yaml"))
        name.resize(name.size() - 5);
    else if (name.size() > 4 && name.ends_with(".yml"))
        name.resize(name.size() - 4);
    std::string out;
    for (char c : name) out += c == '/' ? std::string("__") : std::string(1, c);
    return out + ".json";
}

}  // namespace cmasim::check
