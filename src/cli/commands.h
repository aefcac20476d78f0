// Subcommands that live in their own files. Each adds itself to the application and returns
// the function to run when it was selected on the command line.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <string>
#include <vector>

#include "cmasim/report/manifest.h"

namespace cmasim::cli {

/// A registered subcommand: the CLI11 subcommand and what running it does (returns the exit
/// code: 0 success, 2 bad input, 1 failure during the run; may throw like the other commands).
struct Command {
    CLI::App* app = nullptr;
    std::function<int()> run;
};

/// Remember the command line (main calls it first) for the manifests.
void record_command_line(int argc, char** argv);

/// This build, the recorded command line and `threads`, for a manifest (src/cli/provenance.cpp).
report::Provenance provenance(int threads);

/// `cmasim compare BASE WHATIF... [--independent] ...` (src/cli/compare.cpp).
Command add_compare(CLI::App& parent);

/// `cmasim report DIR [--lang zh|en] [--out FILE.html]` (src/cli/report.cpp).
Command add_report(CLI::App& parent);

/// `cmasim analyze SCENARIO [--simulate] ...` (src/cli/analyze.cpp).
Command add_analyze(CLI::App& parent);

/// `cmasim sweep SWEEP.yaml --out DIR [--threads T] [--resume] [--shard i/N]` (src/cli/sweep.cpp).
Command add_sweep(CLI::App& parent);

/// `cmasim merge DIR... --out DIR` (src/cli/sweep.cpp).
Command add_merge(CLI::App& parent);

/// `cmasim calibrate SCENARIO CALIBRATION.yaml --out DIR [--resume] ...` (src/cli/calibrate.cpp).
Command add_calibrate(CLI::App& parent);

/// `cmasim check [SCENARIO|DIR]... --baseline DIR [--update-baseline] [--exact] ...`
/// (src/cli/check.cpp).
Command add_check(CLI::App& parent);

}  // namespace cmasim::cli
