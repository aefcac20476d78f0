// The Reader and the readers of scalar values.
#include "reader.h"

#include "compose.h"
#include "text.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>

namespace cmasim::scenario::detail {

Reader::Reader(std::string file, LoadOptions options, const Provenance* sources)
    : file_(std::move(file)), options_(std::move(options)), sources_(sources) {}

SourceRef Reader::where_at(const YAML::Node& node, const std::string& canonical) const {
    if (auto at = read_located_tag(node.Tag())) {
        SourceRef ref{at->file, at->line, at->column};
        if (!at->note.empty()) notes_.emplace(std::tuple(ref.file, ref.line, ref.column), at->note);
        return ref;
    }
    std::string label = file_;
    bool marks = true;
    if (sources_) {
        const NodeSource& source = sources_->lookup(canonical);
        if (!source.label.empty()) {
            label = source.label;
            marks = source.marks;
        }
    }
    const YAML::Mark mark = node.Mark();
    if (!marks || mark.is_null()) return SourceRef{label, 0, 0};
    return SourceRef{label, mark.line + 1, mark.column + 1};
}

SourceRef Reader::where(const YAML::Node& node) const {
    return where_at(node, canonical_path());
}

void Reader::error(const YAML::Node& at, std::string message, std::string hint) {
    report(where(at), path(), std::move(message), std::move(hint));
}

void Reader::error_at_key(const YAML::Node& key_node, const std::string& key, std::string message,
                          std::string hint) {
    report(where_at(key_node, child_path(canonical_path(), key)), path(), std::move(message),
           std::move(hint));
}

void Reader::report(const SourceRef& at, std::string key_path, std::string message,
                    std::string hint) {
    auto note = notes_.find(std::tuple(at.file, at.line, at.column));
    if (note != notes_.end())
        key_path += (key_path.empty() ? "" : " ") + ("(" + note->second + ")");
    diagnostics_.push_back(Diagnostic{at.file.empty() ? file_ : at.file, at.line, at.column,
                                      std::move(key_path), std::move(message), std::move(hint)});
}

void Reader::note_location(const YAML::Node& node) {
    SourceRef ref = where(node);
    // Values from an override have no line; remember them anyway, so that later messages name
    // the override rather than an enclosing record of a file.
    if (ref.line > 0 || ref.file != file_) locations_.emplace(canonical_path(), ref);
}

SourceRef Reader::locate(const std::string& canonical, const SourceRef& fallback) const {
    std::string p = canonical;
    while (true) {
        if (auto it = locations_.find(p); it != locations_.end()) return it->second;
        if (p.empty()) return fallback;
        auto cut = p.find_last_of(".[");
        p = cut == std::string::npos ? std::string{} : p.substr(0, cut);
    }
}

Reader::Scope::Scope(Reader& reader, std::string shown, std::string canonical) : reader_(reader) {
    reader_.path_.emplace_back(std::move(shown), std::move(canonical));
}

Reader::Scope::~Scope() {
    reader_.path_.pop_back();
}

namespace {
template <class Pick>
std::string join_path(const std::vector<std::pair<std::string, std::string>>& parts, Pick pick) {
    std::string out;
    for (const auto& part : parts) {
        const std::string& s = pick(part);
        if (!out.empty() && s.front() != '[') out += '.';
        out += s;
    }
    return out;
}
}  // namespace

std::string Reader::path() const {
    return join_path(path_, [](const auto& p) -> const std::string& { return p.first; });
}

std::string Reader::canonical_path() const {
    return join_path(path_, [](const auto& p) -> const std::string& { return p.second; });
}

std::string format_number(double value) {
    // Whole numbers in plain digits ("100000", not to_chars' shortest "1e+05").
    if (std::trunc(value) == value && std::fabs(value) < 1e15) {
        return std::to_string(static_cast<std::int64_t>(value));
    }
    char buf[64];
    auto res = std::to_chars(buf, buf + sizeof buf, value);
    return std::string(buf, res.ptr);
}

std::string format_yuan(Fen fen) {
    return format_number(static_cast<double>(fen) / 100.0);
}

std::string format_time_of_day(sim::SimTime seconds) {
    const auto minutes = seconds / sim::kMinute;
    char buf[16];
    std::snprintf(buf, sizeof buf, "%02d:%02d", static_cast<int>(minutes / 60),
                  static_cast<int>(minutes % 60));
    return buf;
}

namespace {
std::string shown_value(const YAML::Node& node) {
    if (node.IsNull()) return "nothing";
    if (node.IsMap()) return "a map";
    if (node.IsSequence()) return "a list";
    return "'" + node.Scalar() + "'";
}

bool expect_scalar(const YAML::Node& node, Reader& r, const std::string& expected) {
    if (node.IsScalar()) return true;
    r.error(node, "expected " + expected + ", got " + shown_value(node));
    return false;
}

std::string hint_of(const SchemaKey& doc) {
    return doc.hint.empty() ? doc.description : doc.hint;
}

/// The hint for a value that did not read: a full-width mark in it, else the key's own hint.
std::string hint_for(const std::string& value, const SchemaKey& doc) {
    std::string wide = full_width_hint(value);
    return wide.empty() ? hint_of(doc) : wide;
}

/// "0.136 or 13.6%" for a share written in percent (13.6).
std::string share_hint(double value) {
    const std::string percent = format_number(value);
    return "a share is a number from 0 to 1: write " +
           format_number(std::round(value * 1e6) / 1e8) + " or " + percent + "%";
}

/// A number written as text, with a trailing '%' for a share.
std::optional<double> parse_number(const std::string& s, bool share) {
    std::string_view digits = s;
    const bool percent = share && digits.size() > 1 && digits.back() == '%';
    if (percent) digits.remove_suffix(1);
    if (digits.size() > 1 && digits.front() == '+') digits.remove_prefix(1);
    double v = 0;
    auto res = std::from_chars(digits.data(), digits.data() + digits.size(), v);
    if (digits.empty() || res.ec != std::errc{} || res.ptr != digits.data() + digits.size() ||
        !std::isfinite(v)) {
        return std::nullopt;
    }
    return percent ? v / 100.0 : v;
}
}  // namespace

bool is_share(const SchemaKey& doc) {
    return doc.min && doc.max && doc.min->value >= 0 && doc.max->value == 1 && doc.max->inclusive;
}

bool check_bounds(double value, const YAML::Node& node, Reader& r, const SchemaKey& doc) {
    auto fails = [&](const std::optional<Bound>& b, bool is_min) {
        if (!b) return false;
        if (is_min) return b->inclusive ? value < b->value : value <= b->value;
        return b->inclusive ? value > b->value : value >= b->value;
    };
    for (bool is_min : {true, false}) {
        const auto& b = is_min ? doc.min : doc.max;
        if (!fails(b, is_min)) continue;
        const std::string op = is_min ? (b->inclusive ? ">=" : ">") : (b->inclusive ? "<=" : "<");
        const bool percent = !is_min && is_share(doc) && value > 1 && value <= 100 &&
                             node.IsScalar() && node.Scalar().back() != '%';
        r.error(node,
                "must be " + op + " " + format_number(b->value) + ", got " + format_number(value),
                percent ? share_hint(value) : hint_of(doc));
        return false;
    }
    return true;
}

std::optional<std::int64_t> read_integer(const YAML::Node& node, Reader& r, const SchemaKey& doc) {
    if (!expect_scalar(node, r, "a whole number")) return std::nullopt;
    const std::string& s = node.Scalar();
    std::int64_t v = 0;
    const char* begin = s.data() + (s.size() > 1 && s[0] == '+' ? 1 : 0);
    auto res = std::from_chars(begin, s.data() + s.size(), v);
    if (s.empty() || res.ec != std::errc{} || res.ptr != s.data() + s.size()) {
        r.error(node, "expected a whole number, got '" + s + "'", hint_for(s, doc));
        return std::nullopt;
    }
    if (!check_bounds(static_cast<double>(v), node, r, doc)) return std::nullopt;
    return v;
}

std::optional<std::uint64_t> read_unsigned(const YAML::Node& node, Reader& r,
                                           const SchemaKey& doc) {
    if (!expect_scalar(node, r, "a whole number")) return std::nullopt;
    const std::string& s = node.Scalar();
    std::uint64_t v = 0;
    auto res = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty() || res.ec != std::errc{} || res.ptr != s.data() + s.size()) {
        r.error(node, "expected a whole number 0 or more, got '" + s + "'", hint_for(s, doc));
        return std::nullopt;
    }
    return v;
}

std::optional<double> read_number(const YAML::Node& node, Reader& r, const SchemaKey& doc) {
    if (!expect_scalar(node, r, "a number")) return std::nullopt;
    const std::string& s = node.Scalar();
    const auto v = parse_number(s, is_share(doc));
    if (!v) {
        const bool percent = !s.empty() && s.back() == '%';
        r.error(node, "expected a number, got '" + s + "'",
                percent ? "only a share (0 to 1) may be written in percent; write the number "
                          "without '%'"
                        : hint_for(s, doc));
        return std::nullopt;
    }
    if (!check_bounds(*v, node, r, doc)) return std::nullopt;
    return *v;
}

std::optional<Fen> read_money(const YAML::Node& node, Reader& r, const SchemaKey& doc) {
    auto yuan = read_number(node, r, doc);
    if (!yuan) return std::nullopt;
    if (std::fabs(*yuan) > 1e15) {
        r.error(node, "amount too large: " + format_number(*yuan) + " yuan", hint_of(doc));
        return std::nullopt;
    }
    return static_cast<Fen>(std::llround(*yuan * 100.0));
}

std::optional<bool> read_flag(const YAML::Node& node, Reader& r) {
    if (!expect_scalar(node, r, "true or false")) return std::nullopt;
    const std::string& s = node.Scalar();
    if (s == "true" || s == "yes" || s == "是") return true;
    if (s == "false" || s == "no" || s == "否") return false;
    r.error(node, "expected true or false, got '" + s + "'", full_width_hint(s));
    return std::nullopt;
}

std::optional<std::string> read_text(const YAML::Node& node, Reader& r) {
    if (!expect_scalar(node, r, "text")) return std::nullopt;
    return node.Scalar();
}

std::optional<std::vector<std::string>> read_text_list(const YAML::Node& node, Reader& r) {
    if (!expect_list(node, r)) return std::nullopt;
    std::vector<std::string> out;
    bool ok = true;
    for (std::size_t i = 0; i < node.size(); ++i) {
        Reader::Scope scope(r, "[" + std::to_string(i) + "]");
        r.note_location(node[i]);
        auto v = read_text(node[i], r);
        ok = ok && v.has_value();
        if (v) out.push_back(*v);
    }
    if (!ok) return std::nullopt;
    return out;
}

std::optional<std::size_t> read_choice(const YAML::Node& node, Reader& r,
                                       const std::vector<std::string>& allowed) {
    if (!expect_scalar(node, r, "one of the names listed")) return std::nullopt;
    auto it = std::find(allowed.begin(), allowed.end(), node.Scalar());
    if (it != allowed.end()) return static_cast<std::size_t>(it - allowed.begin());
    std::string list;
    for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
    r.error(node, "'" + node.Scalar() + "' is not one of: " + list,
            util::did_you_mean(node.Scalar(), allowed, false));
    return std::nullopt;
}

namespace {
/// A key read under the wrong parent, by its indentation: where it belongs instead.
std::string indentation_hint(const std::string& key, const std::string& under) {
    // Where each key name belongs, built once: a file with an unknown key on each of many lines
    // would otherwise rebuild the whole schema's key list for each of them.
    static const std::map<std::string, std::string> places_of_key = [] {
        std::map<std::string, std::string> out;
        for (const SchemaKey& k : schema_keys()) {
            const auto cut = k.path.size() > k.key.size() ? k.path.size() - k.key.size() - 1 : 0;
            const std::string parent =
                cut == 0 ? "the top level" : "'" + k.path.substr(0, cut) + "'";
            std::string& places = out[k.key];
            places += (places.empty() ? "" : " or ") + parent;
        }
        return out;
    }();
    const auto found = places_of_key.find(key);
    if (found == places_of_key.end()) return {};
    const std::string& places = found->second;
    return "this line is read under " + (under.empty() ? "the top level" : "'" + under + "'") +
           " because of its indentation, but '" + key + "' belongs under " + places +
           ": indent it like the other keys there, with spaces";
}

std::string unknown_key_hint(const std::string& key, const std::vector<std::string>& allowed,
                             const std::string& under) {
    std::string hint = full_width_hint(key);
    if (hint.empty()) hint = util::did_you_mean(key, allowed, false);
    if (hint.empty()) hint = indentation_hint(key, under);
    return hint.empty() ? util::did_you_mean(key, allowed) : hint;
}
}  // namespace

std::optional<std::vector<MapEntry>> map_entries(const YAML::Node& node, Reader& r,
                                                 const std::vector<std::string>& allowed,
                                                 const std::string& what) {
    if (!node.IsMap()) {
        r.error(node, "expected " + what + ", got " + shown_value(node));
        return std::nullopt;
    }
    std::vector<MapEntry> out;
    std::set<std::string> seen;
    for (auto it = node.begin(); it != node.end(); ++it) {
        if (!it->first.IsScalar()) {
            r.error(it->first, "a key must be a plain name");
            continue;
        }
        const std::string key = it->first.Scalar();
        if (!allowed.empty() && std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
            r.error_at_key(it->first, key, "unknown key '" + key + "'",
                           unknown_key_hint(key, allowed, r.path()));
        } else if (!seen.insert(key).second) {
            r.error_at_key(it->first, key, "key '" + key + "' is given twice", "keep one of them");
        } else {
            out.push_back(MapEntry{key, it->first, it->second});
        }
    }
    return out;
}

std::string element_label(const YAML::Node& item, std::size_t index) {
    if (item.IsMap()) {
        const YAML::Node id = item["id"];
        if (id.IsDefined() && id.IsScalar() && !id.Scalar().empty()) return "[" + id.Scalar() + "]";
    }
    return "[" + std::to_string(index) + "]";
}

bool expect_list(const YAML::Node& node, Reader& r) {
    if (node.IsSequence()) return true;
    r.error(node, "expected a list, got " + shown_value(node), "write one item per '- ' line");
    return false;
}

}  // namespace cmasim::scenario::detail
