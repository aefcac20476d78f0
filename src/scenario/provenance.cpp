// Provenance: which file or override each value of the composed document came from
// (compose.h), and the key path joins it is indexed by.
#include "compose.h"

#include <iterator>

namespace cmasim::scenario::detail {

std::string child_path(const std::string& parent, const std::string& key) {
    return parent.empty() ? key : parent + "." + key;
}

std::string item_path(const std::string& parent, std::size_t index) {
    return parent + "[" + std::to_string(index) + "]";
}

namespace {

bool is_under(const std::string& path, const std::string& root) {
    if (root.empty()) return true;
    if (path.size() < root.size() || path.compare(0, root.size(), root) != 0) return false;
    return path.size() == root.size() || path[root.size()] == '.' || path[root.size()] == '[';
}

std::string parent_of(const std::string& path) {
    const auto cut = path.find_last_of(".[");
    return cut == std::string::npos ? std::string{} : path.substr(0, cut);
}

}  // namespace

const NodeSource& Provenance::lookup(const std::string& path) const {
    std::string p = path;
    while (true) {
        if (auto it = entries_.find(p); it != entries_.end()) return it->second;
        if (p.empty()) break;
        p = parent_of(p);
    }
    static const NodeSource unknown{};
    return unknown;
}

void Provenance::erase(const std::string& path) {
    for (auto it = entries_.begin(); it != entries_.end();) {
        it = is_under(it->first, path) ? entries_.erase(it) : std::next(it);
    }
}

void Provenance::assign(const std::string& path, NodeSource source) {
    erase(path);
    entries_[path] = std::move(source);
}

void Provenance::pin(const std::string& path) {
    NodeSource current = lookup(path);
    entries_.emplace(path, std::move(current));
}

void Provenance::remove_item(const std::string& list, std::size_t index) {
    std::map<std::string, NodeSource> moved;
    const std::string prefix = list + "[";
    for (auto it = entries_.begin(); it != entries_.end();) {
        const std::string& p = it->first;
        const auto close = p.find(']', prefix.size());
        if (p.compare(0, prefix.size(), prefix) != 0 || close == std::string::npos ||
            p.find_first_not_of("0123456789", prefix.size()) != close) {
            ++it;
            continue;
        }
        const std::size_t i = std::stoul(p.substr(prefix.size(), close - prefix.size()));
        if (i > index) moved.emplace(item_path(list, i - 1) + p.substr(close + 1), it->second);
        it = i >= index ? entries_.erase(it) : std::next(it);
    }
    entries_.merge(moved);
}

}  // namespace cmasim::scenario::detail
