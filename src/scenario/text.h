// Internal to the loader: checks of a file as text before it is parsed (encoding, byte-order
// mark), and the hints that name a typing slip a parser only sees as a wrong token (full-width
// punctuation from a Chinese input method, tabs). Messages count columns in characters, as an
// editor does, while yaml-cpp counts bytes: character_columns() converts a whole error.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cmasim/scenario/diagnostics.h"

namespace cmasim::scenario::detail {

/// The UTF-8 byte-order mark Excel writes at the start of a "CSV UTF-8" file.
inline constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

/// The bytes of a file; `ok` says whether it was read whole.
std::string read_file_text(const std::string& path, bool& ok);

/// `text` without a leading UTF-8 byte-order mark.
std::string_view without_bom(std::string_view text);

/// Nothing when `text` is valid UTF-8; else a message located at the first invalid byte that
/// names the encoding to save in (and GBK, when the bytes look like it).
std::optional<Diagnostic> encoding_problem(std::string_view text, const std::string& label);

/// The line `line` (1-based) of `text`, without its end of line; empty when there is none.
std::string_view line_of(std::string_view text, int line);

/// Where every line of a text starts, found in one pass: a file with many errors has each
/// error's line looked up in constant time, not by scanning the file from its start each time
/// (which made a large file with an error on every line take quadratic time). Views `text`,
/// which must outlive it.
class LineStarts {
  public:
    explicit LineStarts(std::string_view text);
    /// The line `line` (1-based) without its end of line; empty when there is none.
    std::string_view line(int line) const;

  private:
    std::string_view text_;
    std::vector<std::size_t> starts_;
};

/// The 1-based character column of the 1-based byte column `byte_column` of line `line`
/// (a byte-order mark at the start of the file counts for nothing).
int character_column(const LineStarts& lines, int line, int byte_column);

/// "replace '，' with ','" for the first full-width punctuation mark (or ideographic space) in
/// `text`; empty when there is none.
std::string full_width_hint(std::string_view text);

/// Converts the byte columns of every diagnostic to character columns, reading each file the
/// diagnostics name (`text` is the file `label`'s text, which may not be on disk).
ScenarioError character_columns(const ScenarioError& error, const std::string& label,
                                std::string_view text);

}  // namespace cmasim::scenario::detail
