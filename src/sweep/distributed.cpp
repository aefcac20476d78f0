// The distributed sweep protocol. Rank 0 (the coordinator, on the thread that owns the
// messenger) answers requests; its own worker threads take tasks from the same dispenser
// directly. Other ranks' worker threads each loop "send REQUEST (carrying the previous result,
// if any), wait for TASK (a task number, or empty = stop)", one exchange at a time per rank.
#include <spdlog/spdlog.h>
#include <chrono>
#include <thread>

#include "cmasim/sweep/directory.h"
#include "cmasim/sweep/driver.h"
#include "cmasim/sweep/progress.h"
#include "cmasim/sweep/runner.h"
#include "run_parts.h"

namespace cmasim::sweep {

namespace {

enum Tag : int { kStart = 1, kJoin = 2, kRequest = 3, kTask = 4 };

std::string encode_task(std::uint64_t task) {
    return std::to_string(task);
}

/// Hands out the tasks still to run, to local threads and remote requests alike.
class Dispenser {
  public:
    explicit Dispenser(const std::vector<std::uint64_t>& todo) : todo_(todo) {}
    std::optional<std::uint64_t> next() {
        std::lock_guard<std::mutex> g(mutex_);
        if (closed_ || next_ >= todo_.size()) return std::nullopt;
        return todo_[next_++];
    }
    void close() {
        std::lock_guard<std::mutex> g(mutex_);
        closed_ = true;
    }

  private:
    std::mutex mutex_;
    const std::vector<std::uint64_t>& todo_;
    std::size_t next_ = 0;
    bool closed_ = false;
};

/// Opens (or resumes) the sweep directory and tells the other ranks to start, or, when it
/// cannot be opened, to stop.
std::unique_ptr<SweepDirectory> open_and_start(const SweepRunOptions& options,
                                               const SweepPlan& plan, Messenger& m) {
    std::unique_ptr<SweepDirectory> dir;
    try {
        dir = std::make_unique<SweepDirectory>(plan, options.out, options.resume, options.shard);
    } catch (...) {
        for (int r = 1; r < m.size(); ++r) m.send(r, kStart, "stop");
        throw;
    }
    for (int r = 1; r < m.size(); ++r) m.send(r, kStart, "");
    return dir;
}

/// Answers the other ranks until every rank has joined, every remote thread has been told to
/// stop and the local threads are done: journals the result a request carries, and answers with
/// the next task (none: stop).
void serve_ranks(Messenger& m, const SweepDirectory& dir, Dispenser& dispenser, Progress& progress,
                 const std::atomic<bool>& local_done) {
    std::unique_ptr<JournalWriter> remote_journal;
    int joined = 0, remote_threads = 0, stopped = 0;
    while (!(joined == m.size() - 1 && stopped == remote_threads && local_done)) {
        auto msg = m.poll();
        if (!msg) {
            std::this_thread::sleep_for(std::chrono::microseconds(200));
            continue;
        }
        if (msg->tag == kJoin) {
            ++joined;
            remote_threads += std::stoi(msg->body);
        } else if (msg->tag == kRequest) {
            if (!msg->body.empty()) {
                decode_record(msg->body);  // refuse to journal a garbled message
                if (!remote_journal) remote_journal = dir.open_journal("remote");
                remote_journal->append(msg->body);
                progress.tick();
            }
            const auto task = dispenser.next();
            m.send(msg->source, kTask, task ? encode_task(*task) : std::string());
            stopped += task ? 0 : 1;
        }
    }
}

SweepRunReport coordinate(const SweepRunOptions& options, const SweepPlan& plan, Messenger& m) {
    const auto t0 = std::chrono::steady_clock::now();
    const std::unique_ptr<SweepDirectory> dir = open_and_start(options, plan, m);
    const auto& todo = dir->todo();
    const int threads = std::max(1, options.threads);
    spdlog::info("sweep {}: {} tasks to run on {} ranks", plan.spec.name, todo.size(), m.size());
    Progress progress(dir->shard_tasks(), dir->shard_tasks() - todo.size(), options.progress,
                      options.progress_interval);
    Dispenser dispenser(todo);
    CountyCache cache(plan, static_cast<std::size_t>(2 * threads + 2));
    std::vector<std::unique_ptr<JournalWriter>> journals(static_cast<std::size_t>(threads));
    TaskFlow flow;
    flow.next = [&](int) { return dispenser.next(); };
    flow.finished = detail::journal_each(*dir, journals, progress, "r0t");
    std::atomic<bool> local_done{false};
    std::exception_ptr local_error;
    std::thread local([&] {
        try {
            run_pool(plan, cache, threads, flow);
        } catch (...) {
            local_error = std::current_exception();
            dispenser.close();
        }
        local_done = true;
    });
    try {
        serve_ranks(m, *dir, dispenser, progress, local_done);
    } catch (...) {
        dispenser.close();
        local.join();
        progress.finish();
        throw;
    }
    local.join();
    progress.finish();
    if (local_error) std::rethrow_exception(local_error);
    dir->finish(plan, options.provenance, options.csv_bom);
    return detail::session_report(plan, *dir, todo.size(), t0);
}

void work(const SweepRunOptions& options, const SweepPlan& plan, Messenger& m) {
    if (!m.receive(0, kStart).empty()) throw PeerStopped("rank 0 could not start the sweep");
    const int threads = std::max(1, options.threads);
    m.send(0, kJoin, std::to_string(threads));
    CountyCache cache(plan, static_cast<std::size_t>(2 * threads + 2));
    std::mutex exchange;  // one request/answer exchange at a time per rank
    std::vector<std::string> pending(static_cast<std::size_t>(threads));
    TaskFlow flow;
    flow.next = [&](int worker) -> std::optional<std::uint64_t> {
        std::lock_guard<std::mutex> g(exchange);
        auto& result = pending[static_cast<std::size_t>(worker)];
        m.send(0, kRequest, result);
        result.clear();
        const std::string answer = m.receive(0, kTask);
        if (answer.empty()) return std::nullopt;
        return std::stoull(answer);
    };
    flow.finished = [&](const TaskRecord& record, int worker) {
        pending[static_cast<std::size_t>(worker)] = encode_record(record);
    };
    run_pool(plan, cache, threads, flow);
}

}  // namespace

SweepRunReport run_sweep_distributed(const SweepRunOptions& options, Messenger& messenger) {
    // Every rank reads the sweep and checks its points; bad input fails identically everywhere
    // before any message is sent.
    const SweepPlan plan = make_plan(load_sweep_file(options.sweep_file));
    if (messenger.rank() == 0) return coordinate(options, plan, messenger);
    work(options, plan, messenger);
    return {};
}

}  // namespace cmasim::sweep
