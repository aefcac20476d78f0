// `cmasim report DIR [--lang zh|en] [--out FILE.html]`: one self-contained HTML page from the
// output directory of run, compare or sweep (docs/report.md). The page is written atomically;
// without --out it goes to DIR/report-<lang>.html.
#include <spdlog/spdlog.h>

#include <iostream>
#include <memory>
#include <string>

#include "cmasim/report/html_report.h"
#include "cmasim/util/atomic_file.h"
#include "commands.h"

namespace cmasim::cli {

namespace {

constexpr int kExitBadInput = 2;

struct ReportArgs {
    std::string dir;
    std::string lang = "zh";
    std::string out;
};

int run_report(const ReportArgs& a) {
    const std::filesystem::path dir(a.dir);
    if (!std::filesystem::is_directory(dir)) {
        std::cerr << "error: '" << a.dir
                  << "' is not a directory; give the --out directory of cmasim run, compare or "
                     "sweep\n";
        return kExitBadInput;
    }
    const report::Language language =
        a.lang == "en" ? report::Language::English : report::Language::Chinese;
    std::string html;
    try {
        html = report::render_report(dir, language);
    } catch (const report::ReportInputError& e) {
        std::cerr << "error: " << e.what() << "\n";
        return kExitBadInput;
    }
    const std::filesystem::path out =
        a.out.empty() ? dir / ("report-" + a.lang + ".html") : std::filesystem::path(a.out);
    util::write_file_atomically(out, html);
    std::cout << "wrote " << out.string() << " (" << report::report_kind(dir) << " report, "
              << (language == report::Language::Chinese ? "Chinese" : "English") << ")\n";
    return 0;
}

}  // namespace

Command add_report(CLI::App& parent) {
    auto args = std::make_shared<ReportArgs>();
    Command c;
    c.app = parent.add_subcommand(
        "report", "Write one self-contained HTML report of a run, compare or sweep directory");
    c.app->add_option("dir", args->dir, "Output directory of cmasim run, compare or sweep")
        ->required();
    c.app->add_option("--lang", args->lang, "Language of the labels: zh (default) or en")
        ->check(CLI::IsMember({"zh", "en"}));
    c.app->add_option("--out,-o", args->out,
                      "HTML file to write (default: DIR/report-<lang>.html)");
    c.run = [args] { return run_report(*args); };
    return c;
}

}  // namespace cmasim::cli
