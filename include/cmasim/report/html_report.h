// `cmasim report DIR`: one self-contained HTML page from the output directory of `cmasim run`,
// `cmasim compare` or `cmasim sweep` (docs/report.md). The page holds its charts as inline SVG,
// its style inline and no script; it names fonts installed on the reader's machine and loads
// nothing, so it opens from a USB stick. The same directory gives the same bytes.
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>

namespace cmasim::report {

/// The language of the page's labels. Chinese uses the indicator table's official names, and a
/// plain translation (marked as such in docs/report.md) where the documents name none.
enum class Language { English, Chinese };

/// The directory is not the output of run, compare or sweep, or a file in it cannot be read;
/// the message names the file and what is wrong.
class ReportInputError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

/// Which command wrote `dir`: "run", "compare" or "sweep" (from manifest.json, else from the
/// files present). Throws ReportInputError when none fits.
std::string report_kind(const std::filesystem::path& dir);

/// The whole HTML page for `dir`.
std::string render_report(const std::filesystem::path& dir, Language language);

}  // namespace cmasim::report
