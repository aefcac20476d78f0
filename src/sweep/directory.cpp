#include "cmasim/sweep/directory.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <spdlog/spdlog.h>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <tuple>

#include "cmasim/util/atomic_file.h"
#include "cmasim/util/hash.h"

namespace cmasim::sweep {

namespace fs = std::filesystem;

namespace {

using Json = nlohmann::ordered_json;

fs::path journal_dir(const fs::path& dir) {
    return dir / ".journal";
}

std::string read_text(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw InputError("cannot read " + file.string());
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

double unix_now() {
    return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

void write_header(const fs::path& dir, const RunHeader& h, double started_unix) {
    Json j;
    j["format"] = "cmasim sweep run";
    j["sweep_file"] = h.sweep_file;
    j["sweep_sha256"] = h.sweep_sha256;
    j["base_sha256"] = h.basis.base_sha256;
    j["seed"] = h.basis.seed;
    j["replications"] = h.basis.replications;
    j["points"] = h.points;
    j["shard"] = h.shard.to_string();
    j["started_at"] = h.started_at;
    j["started_unix"] = started_unix;
    util::write_file_atomically(journal_dir(dir) / "run.json", j.dump(2) + "\n");
}

double header_start_unix(const fs::path& dir) {
    return Json::parse(read_text(journal_dir(dir) / "run.json")).value("started_unix", unix_now());
}

/// Session numbers of the journals in `dir` ("s0003-t1.log" is session 3).
std::vector<int> sessions_of(const fs::path& dir) {
    std::vector<int> sessions;
    if (!fs::is_directory(journal_dir(dir))) return sessions;
    for (const auto& entry : fs::directory_iterator(journal_dir(dir))) {
        const std::string name = entry.path().filename().string();
        if (name.size() > 6 && name[0] == 's' && entry.path().extension() == ".log") {
            const int s = std::atoi(name.substr(1, 4).c_str());
            if (std::find(sessions.begin(), sessions.end(), s) == sessions.end())
                sessions.push_back(s);
        }
    }
    return sessions;
}

bool is_empty_dir(const fs::path& dir) {
    return !fs::exists(dir) || (fs::is_directory(dir) && fs::is_empty(dir));
}

/// A sweep killed while starting, before its header (run.json) was in place: the directory
/// holds only .journal/ with at most the lock, the copied sweep file and temporary files. No
/// result can be in it, so it counts as empty (a running start holds the lock: see below).
bool is_interrupted_start(const fs::path& dir) {
    if (!fs::is_directory(journal_dir(dir)) || fs::exists(journal_dir(dir) / "run.json"))
        return false;
    for (const auto& entry : fs::directory_iterator(dir)) {
        if (entry.path().filename() != ".journal") return false;
    }
    for (const auto& entry : fs::directory_iterator(journal_dir(dir))) {
        if (entry.path().extension() == ".log") return false;
    }
    return true;
}

/// The refusal for starting a sweep in a directory that is in use.
std::string occupied_message(const fs::path& dir, const SweepPlan& plan) {
    const std::string d = "'" + dir.string() + "'";
    if (!fs::exists(journal_dir(dir) / "run.json")) {
        return "output directory " + d +
               " is not empty and holds no sweep; choose a new or empty --out directory";
    }
    const RunHeader h = read_header(dir);
    if (h.sweep_sha256 == plan.sweep_sha256) {
        return "output directory " + d +
               " already holds a run of this sweep file; add --resume to continue it, "
               "or choose a new --out directory";
    }
    return "output directory " + d + " holds a run of another sweep file (" + h.sweep_file +
           ", sha256 " + h.sweep_sha256.substr(0, 12) + "...); choose a new --out directory";
}

void check_same_run(const fs::path& dir, const RunHeader& h, const SweepPlan& plan, Shard shard) {
    const std::string d = "'" + dir.string() + "'";
    if (h.sweep_sha256 != plan.sweep_sha256) {
        throw InputError("cannot resume " + d + ": it holds a run of a different sweep file (" +
                         h.sweep_file + ", sha256 " + h.sweep_sha256.substr(0, 12) +
                         "..., this file has " + plan.sweep_sha256.substr(0, 12) + "...)");
    }
    if (h.basis.base_sha256 != plan.basis.base_sha256) {
        throw InputError("cannot resume " + d + ": the base scenario " + plan.spec.base.string() +
                         " changed since the run started; start a new sweep");
    }
    if (h.basis.seed != plan.basis.seed || h.basis.replications != plan.basis.replications ||
        h.points != plan.points.size()) {
        throw InputError("cannot resume " + d +
                         ": the seed, replications or points differ from the stored run");
    }
    if (!(h.shard == shard)) {
        throw InputError("cannot resume " + d + ": it holds shard " + h.shard.to_string() +
                         ", not " + shard.to_string());
    }
}

ManifestInfo manifest_info(const report::Provenance& provenance, Shard shard, std::uint64_t tasks,
                           const std::string& started_at, double started_unix, int sessions) {
    ManifestInfo info;
    info.provenance = provenance;
    info.shard = shard;
    info.tasks_in_files = tasks;
    info.started_at = started_at;
    info.finished_at = report::utc_timestamp();
    info.elapsed_seconds = std::max(0.0, unix_now() - started_unix);
    info.sessions = sessions;
    return info;
}

}  // namespace

Shard parse_shard(const std::string& text) {
    const auto slash = text.find('/');
    Shard s;
    try {
        std::size_t used_i = 0, used_n = 0;
        if (slash == std::string::npos) throw std::invalid_argument("no slash");
        s.index = std::stoi(text.substr(0, slash), &used_i);
        s.count = std::stoi(text.substr(slash + 1), &used_n);
        if (used_i != slash || used_n != text.size() - slash - 1)
            throw std::invalid_argument("trailing text");
    } catch (const std::exception&) {
        throw InputError("--shard must be i/N (e.g. 0/3), got '" + text + "'");
    }
    if (s.count < 1 || s.index < 0 || s.index >= s.count) {
        throw InputError("--shard i/N needs 0 <= i < N, got '" + text + "'");
    }
    return s;
}

RunHeader read_header(const fs::path& dir) {
    const fs::path file = journal_dir(dir) / "run.json";
    if (!fs::exists(file))
        throw InputError("'" + dir.string() + "' holds no sweep run (no .journal/run.json)");
    try {
        const Json j = Json::parse(read_text(file));
        RunHeader h;
        h.sweep_file = j.at("sweep_file").get<std::string>();
        h.sweep_sha256 = j.at("sweep_sha256").get<std::string>();
        h.basis.base_sha256 = j.at("base_sha256").get<std::string>();
        h.basis.seed = j.at("seed").get<std::uint64_t>();
        h.basis.replications = j.at("replications").get<int>();
        h.points = j.at("points").get<std::size_t>();
        h.shard = parse_shard(j.at("shard").get<std::string>());
        h.started_at = j.at("started_at").get<std::string>();
        return h;
    } catch (const nlohmann::json::exception& e) {
        throw InputError("'" + file.string() + "' is damaged: " + e.what());
    }
}

std::vector<TaskRecord> read_records(const fs::path& dir) {
    std::vector<fs::path> files;
    if (fs::is_directory(journal_dir(dir))) {
        for (const auto& entry : fs::directory_iterator(journal_dir(dir))) {
            if (entry.path().extension() == ".log") files.push_back(entry.path());
        }
    }
    std::sort(files.begin(), files.end());
    std::map<std::pair<std::uint64_t, std::uint64_t>, TaskRecord> tasks;
    for (const auto& file : files) {
        DecodedJournal j = decode_journal(read_text(file));
        if (j.ignored_bytes > 0) {
            spdlog::warn(
                "{}: ignoring {} bytes after the last complete record (an interrupted write)",
                file.string(), j.ignored_bytes);
        }
        for (auto& r : j.records) {
            const auto key = std::make_pair(r.point, r.replication);
            auto [it, inserted] = tasks.try_emplace(key, r);
            if (!inserted && !identical(it->second, r)) {
                throw std::runtime_error(
                    "journals in '" + dir.string() + "' hold two different results for point " +
                    std::to_string(r.point) + ", replication " + std::to_string(r.replication) +
                    " (the second in " + file.filename().string() + ")");
            }
        }
    }
    std::vector<TaskRecord> out;
    out.reserve(tasks.size());
    for (auto& kv : tasks) out.push_back(std::move(kv.second));
    return out;
}

SweepDirectory::SweepDirectory(const SweepPlan& plan, fs::path dir, bool resume, Shard shard)
    : dir_(std::move(dir)) {
    const bool has_run = fs::exists(journal_dir(dir_) / "run.json");
    if (!is_empty_dir(dir_) && !is_interrupted_start(dir_) && (!resume || !has_run))
        throw InputError(occupied_message(dir_, plan));
    if (fs::exists(dir_) && !fs::is_directory(dir_))
        throw InputError("'" + dir_.string() + "' is not a directory");
    fs::create_directories(journal_dir(dir_));
    lock_fd_ = ::open((journal_dir(dir_) / "lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0666);
    if (lock_fd_ < 0 || ::flock(lock_fd_, LOCK_EX | LOCK_NB) != 0) {
        throw InputError("another cmasim sweep is running in '" + dir_.string() + "'");
    }
    if (has_run) {
        header_ = read_header(dir_);
        check_same_run(dir_, header_, plan, shard);
    } else {
        header_ = RunHeader{plan.spec.file, plan.sweep_sha256,      plan.basis, plan.points.size(),
                            shard,          report::utc_timestamp()};
        util::write_file_atomically(journal_dir(dir_) / "sweep.yaml", plan.spec.text);
        write_header(dir_, header_, unix_now());
    }
    const auto sessions = sessions_of(dir_);
    session_ = sessions.empty() ? 1 : *std::max_element(sessions.begin(), sessions.end()) + 1;
    const auto done = read_records(dir_);
    std::vector<bool> finished(plan.task_count(), false);
    for (const auto& r : done) {
        if (r.point >= plan.points.size() || r.replication >= plan.replications()) {
            throw std::runtime_error("a journal in '" + dir_.string() + "' holds point " +
                                     std::to_string(r.point) + ", replication " +
                                     std::to_string(r.replication) +
                                     ", which this sweep does not have");
        }
        finished[plan.task_of(r.point, r.replication)] = true;
    }
    for (std::uint64_t t = 0; t < plan.task_count(); ++t) {
        if (!shard.contains(t)) continue;
        ++shard_tasks_;
        if (!finished[t]) todo_.push_back(t);
    }
}

SweepDirectory::~SweepDirectory() {
    if (lock_fd_ >= 0) ::close(lock_fd_);  // closing releases the lock
}

std::unique_ptr<JournalWriter> SweepDirectory::open_journal(const std::string& worker) const {
    char name[64];
    std::snprintf(name, sizeof name, "s%04d-%s.log", session_, worker.c_str());
    return std::make_unique<JournalWriter>(journal_dir(dir_) / name);
}

void SweepDirectory::finish(const SweepPlan& plan, const report::Provenance& provenance,
                            bool csv_bom) const {
    const auto records = read_records(dir_);
    std::uint64_t present = 0;
    for (const auto& r : records)
        present += header_.shard.contains(plan.task_of(r.point, r.replication)) ? 1 : 0;
    if (present != shard_tasks_ || records.size() != present) {
        throw std::runtime_error("'" + dir_.string() + "' holds " + std::to_string(present) +
                                 " of " + std::to_string(shard_tasks_) +
                                 " tasks after the run; run again with --resume");
    }
    write_sweep_outputs(dir_, plan, records,
                        manifest_info(provenance, header_.shard, present, header_.started_at,
                                      header_start_unix(dir_), session_),
                        csv_bom);
}

namespace {

/// The inputs' run headers, after checking that no input is given twice or is the output.
std::vector<RunHeader> merge_input_headers(const std::vector<fs::path>& inputs,
                                           const fs::path& out) {
    for (std::size_t i = 0; i < inputs.size(); ++i) {
        for (std::size_t k = 0; k < i; ++k) {
            if (fs::exists(inputs[i]) && fs::exists(inputs[k]) &&
                fs::equivalent(inputs[i], inputs[k])) {
                throw InputError("'" + inputs[i].string() +
                                 "' is given twice; merge each shard once");
            }
        }
    }
    std::vector<RunHeader> headers;
    for (const auto& in : inputs) {
        if (fs::exists(out) && fs::exists(in) && fs::equivalent(in, out)) {
            throw InputError("the --out directory '" + out.string() +
                             "' is also an input; merge into a new directory");
        }
        headers.push_back(read_header(in));
    }
    return headers;
}

/// The plan of the sweep every input ran (checked to be one and the same sweep).
SweepPlan merged_plan(const std::vector<fs::path>& inputs, const std::vector<RunHeader>& headers) {
    const RunHeader& first = headers.front();
    for (std::size_t i = 1; i < headers.size(); ++i) {
        const RunHeader& h = headers[i];
        if (h.sweep_sha256 != first.sweep_sha256 ||
            h.basis.base_sha256 != first.basis.base_sha256 || h.basis.seed != first.basis.seed ||
            h.basis.replications != first.basis.replications || h.points != first.points) {
            throw InputError("'" + inputs[i].string() + "' is a run of a different sweep (file " +
                             h.sweep_file + ", sha256 " + h.sweep_sha256.substr(0, 12) +
                             "...) than '" + inputs[0].string() + "' (" + first.sweep_file +
                             ", sha256 " + first.sweep_sha256.substr(0, 12) + "...)");
        }
    }
    const std::string text = read_text(journal_dir(inputs[0]) / "sweep.yaml");
    if (util::sha256_hex(text) != first.sweep_sha256) {
        throw InputError("'" + inputs[0].string() +
                         "/.journal/sweep.yaml' does not match its recorded sha256");
    }
    return make_plan(load_sweep_string(text, first.sweep_file), first.basis);
}

/// Every input's task records, each task exactly once: no task in two inputs, none outside its
/// input's shard (else InputError). `owner[t]`: the input holding task t, -1 for none yet.
std::vector<TaskRecord> gather_tasks(const SweepPlan& plan, const std::vector<fs::path>& inputs,
                                     const std::vector<RunHeader>& headers,
                                     std::vector<int>& owner) {
    std::vector<TaskRecord> all;
    for (std::size_t i = 0; i < inputs.size(); ++i) {
        for (auto& r : read_records(inputs[i])) {
            const std::uint64_t t = plan.task_of(r.point, r.replication);
            if (r.replication >= plan.replications() || t >= plan.task_count() ||
                !headers[i].shard.contains(t)) {
                throw InputError("'" + inputs[i].string() + "' holds task " + std::to_string(t) +
                                 " outside its shard " + headers[i].shard.to_string());
            }
            if (owner[t] >= 0) {
                throw InputError("point " + std::to_string(r.point) + ", replication " +
                                 std::to_string(r.replication) + " is in both '" +
                                 inputs[static_cast<std::size_t>(owner[t])].string() + "' and '" +
                                 inputs[i].string() + "'; merge each shard once");
            }
            owner[t] = static_cast<int>(i);
            all.push_back(std::move(r));
        }
    }
    return all;
}

/// The inputs' records, every task of the plan exactly once, in (point, replication) order.
std::vector<TaskRecord> merged_tasks(const SweepPlan& plan, const std::vector<fs::path>& inputs,
                                     const std::vector<RunHeader>& headers) {
    std::vector<int> owner(plan.task_count(), -1);
    std::vector<TaskRecord> all = gather_tasks(plan, inputs, headers, owner);
    const auto missing = std::count(owner.begin(), owner.end(), -1);
    if (missing > 0) {
        const auto t =
            static_cast<std::uint64_t>(std::find(owner.begin(), owner.end(), -1) - owner.begin());
        throw InputError(
            std::to_string(missing) + " of " + std::to_string(plan.task_count()) +
            " tasks are missing, e.g. point " + std::to_string(plan.point_of(t)) +
            ", replication " + std::to_string(plan.replication_of(t)) +
            "; give every shard's directory, each run to completion (--resume finishes one)");
    }
    std::sort(all.begin(), all.end(), [](const TaskRecord& a, const TaskRecord& b) {
        return std::tie(a.point, a.replication) < std::tie(b.point, b.replication);
    });
    return all;
}

/// The output directory must be empty, or hold an earlier merge of the same sweep.
void check_merge_output(const fs::path& out, const SweepPlan& plan) {
    if (is_empty_dir(out)) return;
    const bool previous_merge =
        fs::exists(out / "manifest.json") && !fs::exists(journal_dir(out)) &&
        Json::parse(read_text(out / "manifest.json")).value("sweep_sha256", "") ==
            plan.sweep_sha256;
    if (!previous_merge) {
        throw InputError("output directory '" + out.string() +
                         "' is not empty; merge into a new directory");
    }
}

}  // namespace

void merge_directories(const std::vector<fs::path>& inputs, const fs::path& out,
                       const report::Provenance& provenance, bool csv_bom) {
    if (inputs.empty()) throw InputError("merge needs at least one sweep directory");
    const std::vector<RunHeader> headers = merge_input_headers(inputs, out);
    const SweepPlan plan = merged_plan(inputs, headers);
    const std::vector<TaskRecord> all = merged_tasks(plan, inputs, headers);
    check_merge_output(out, plan);
    fs::create_directories(out);
    std::string started_at = headers.front().started_at;
    double started_unix = unix_now();
    int sessions = 0;
    for (std::size_t i = 0; i < inputs.size(); ++i) {
        started_at = std::min(started_at, headers[i].started_at);
        started_unix = std::min(started_unix, header_start_unix(inputs[i]));
        sessions += static_cast<int>(sessions_of(inputs[i]).size());
    }
    write_sweep_outputs(
        out, plan, all,
        manifest_info(provenance, Shard{}, all.size(), started_at, started_unix, sessions),
        csv_bom);
}

}  // namespace cmasim::sweep
