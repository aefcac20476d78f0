// Text checks before parsing, and character columns (text.h).
#include "text.h"

#include <algorithm>
#include <array>
#include <fstream>
#include <map>
#include <sstream>
#include <utility>
#include <vector>

namespace cmasim::scenario::detail {

namespace {

/// The length of the UTF-8 sequence starting at `pos`, or 0 when it is not valid UTF-8
/// (overlong forms and surrogates included).
std::size_t utf8_length(std::string_view s, std::size_t pos) {
    const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
    const unsigned char b = byte(pos);
    if (b < 0x80) return 1;
    std::size_t n = 0;
    unsigned char lo = 0x80, hi = 0xBF;
    if (b >= 0xC2 && b <= 0xDF)
        n = 2;
    else if (b >= 0xE0 && b <= 0xEF)
        n = 3, lo = b == 0xE0 ? 0xA0 : 0x80, hi = b == 0xED ? 0x9F : 0xBF;
    else if (b >= 0xF0 && b <= 0xF4)
        n = 4, lo = b == 0xF0 ? 0x90 : 0x80, hi = b == 0xF4 ? 0x8F : 0xBF;
    if (n == 0 || pos + n > s.size()) return 0;
    if (byte(pos + 1) < lo || byte(pos + 1) > hi) return 0;
    for (std::size_t i = 2; i < n; ++i) {
        if (byte(pos + i) < 0x80 || byte(pos + i) > 0xBF) return 0;
    }
    return n;
}

/// Whether every byte above ASCII pairs up as a GBK (GB2312, GB18030 two-byte) character.
bool reads_as_gbk(std::string_view s) {
    for (std::size_t i = 0; i < s.size(); ++i) {
        const auto b = static_cast<unsigned char>(s[i]);
        if (b < 0x80) continue;
        if (b == 0x80 || b == 0xFF || i + 1 >= s.size()) return false;
        const auto t = static_cast<unsigned char>(s[++i]);
        if (t < 0x40 || t == 0x7F || t == 0xFF) return false;
    }
    return true;
}

}  // namespace

std::string read_file_text(const std::string& path, bool& ok) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    ok = static_cast<bool>(in);
    return text.str();
}

std::string_view without_bom(std::string_view text) {
    return text.substr(0, kUtf8Bom.size()) == kUtf8Bom ? text.substr(kUtf8Bom.size()) : text;
}

std::optional<Diagnostic> encoding_problem(std::string_view text, const std::string& label) {
    int line = 1;
    std::size_t line_start = 0;
    for (std::size_t pos = 0; pos < text.size();) {
        const std::size_t n = utf8_length(text, pos);
        if (n == 0) {
            // A byte column, as every other message has until character_columns() converts it.
            const int column = static_cast<int>(pos - line_start) + 1;
            const std::string guess =
                reads_as_gbk(text) ? " (it looks like GBK/GB18030, which Excel and Notepad write "
                                     "on a Chinese Windows)"
                                   : "";
            return Diagnostic{label,
                              line,
                              column,
                              "",
                              "the file is not UTF-8 text" + guess,
                              "save it as UTF-8: in Excel 'Save As' > 'CSV UTF-8 (Comma "
                              "delimited)'; in Notepad or WPS choose the encoding UTF-8"};
        }
        if (text[pos] == '\n') ++line, line_start = pos + 1;
        pos += n;
    }
    return std::nullopt;
}

std::string_view line_of(std::string_view text, int line) {
    return LineStarts(text).line(line);
}

LineStarts::LineStarts(std::string_view text) : text_(text) {
    starts_.push_back(0);
    for (std::size_t at = text.find('\n'); at != std::string_view::npos;
         at = text.find('\n', at + 1)) {
        starts_.push_back(at + 1);
    }
}

std::string_view LineStarts::line(int line) const {
    if (line < 1 || static_cast<std::size_t>(line) > starts_.size()) return {};
    const std::size_t start = starts_[static_cast<std::size_t>(line) - 1];
    if (start > text_.size()) return {};
    std::size_t end = static_cast<std::size_t>(line) < starts_.size()
                          ? starts_[static_cast<std::size_t>(line)] - 1
                          : text_.size();
    if (end > start && text_[end - 1] == '\r') --end;
    return text_.substr(start, end - start);
}

int character_column(const LineStarts& lines, int line, int byte_column) {
    std::string_view row = lines.line(line);
    int skipped = 0;
    if (line == 1 && row.substr(0, kUtf8Bom.size()) == kUtf8Bom) {
        row.remove_prefix(kUtf8Bom.size());
        skipped = static_cast<int>(kUtf8Bom.size());
    }
    const auto bytes = static_cast<std::size_t>(std::max(byte_column - 1 - skipped, 0));
    int characters = 1;
    for (std::size_t pos = 0; pos < bytes && pos < row.size(); ++characters) {
        const std::size_t n = utf8_length(row, pos);
        pos += n == 0 ? 1 : n;
    }
    return bytes > row.size() ? characters + static_cast<int>(bytes - row.size()) : characters;
}

std::string full_width_hint(std::string_view text) {
    static const std::array<std::pair<std::string_view, std::string_view>, 12> marks{{
        {"，", ","},
        {"：", ":"},
        {"；", ";"},
        {"（", "("},
        {"）", ")"},
        {"“", "\""},
        {"”", "\""},
        {"‘", "'"},
        {"’", "'"},
        {"【", "["},
        {"】", "]"},
        {"\u3000", " "},
    }};
    std::size_t first = std::string_view::npos;
    std::string hint;
    for (const auto& [wide, narrow] : marks) {
        const std::size_t at = text.find(wide);
        if (at == std::string_view::npos || at >= first) continue;
        first = at;
        const std::string shown =
            wide == "\u3000" ? "the full-width space" : "'" + std::string(wide) + "'";
        hint = "replace " + shown + " with '" + std::string(narrow) +
               "': a Chinese input method typed a full-width mark";
    }
    return hint;
}

ScenarioError character_columns(const ScenarioError& error, const std::string& label,
                                std::string_view text) {
    // Each file's lines are indexed once, however many diagnostics point into it. The map's
    // nodes do not move, so each index keeps viewing its own text.
    std::map<std::string, std::pair<std::string, std::optional<LineStarts>>> files;
    std::optional<LineStarts> main_lines;
    std::vector<Diagnostic> out = error.diagnostics();
    for (Diagnostic& d : out) {
        if (d.line <= 0 || d.column <= 0) continue;
        const LineStarts* lines = nullptr;
        if (d.file == label) {
            if (!main_lines) main_lines.emplace(text);
            lines = &*main_lines;
        } else {
            auto it = files.find(d.file);
            if (it == files.end()) {
                bool ok = false;
                std::string read = read_file_text(d.file, ok);
                it = files.try_emplace(d.file, ok ? std::move(read) : std::string{}, std::nullopt)
                         .first;
                it->second.second.emplace(it->second.first);
            }
            if (!it->second.first.empty()) lines = &*it->second.second;
        }
        if (lines && !(d.file == label && text.empty()))
            d.column = character_column(*lines, d.line, d.column);
    }
    return ScenarioError(std::move(out));
}

}  // namespace cmasim::scenario::detail
