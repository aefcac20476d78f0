// The clinic a village implies with `clinic: true` (tables.h): a village clinic with the
// defaults of kImpliedClinic, added to the facilities of the same file before what-ifs merge, so
// that a what-if can change it by its id like any clinic written out.
#include "compose.h"
#include "tables.h"
#include "yaml_entries.h"

namespace cmasim::scenario::detail {

namespace {

bool says_yes(const YAML::Node& flag) {
    return flag.IsScalar() &&
           (flag.Scalar() == "true" || flag.Scalar() == "yes" || flag.Scalar() == "是");
}

/// A copy of `node` made of new nodes (no marks from kImpliedClinic's text), each tagged `tag`.
YAML::Node fresh_copy(const YAML::Node& node, const std::string& tag) {
    YAML::Node out;
    if (node.IsScalar()) {
        out = YAML::Node(node.Scalar());
        if (node.Tag() == "!") out.SetTag("!");  // quoted text stays quoted ("07:30")
    } else if (node.IsSequence()) {
        out = YAML::Node(YAML::NodeType::Sequence);
        for (const auto& item : node) out.push_back(fresh_copy(item, tag));
    } else if (node.IsMap()) {
        out = YAML::Node(YAML::NodeType::Map);
        for (auto it = node.begin(); it != node.end(); ++it)
            out.force_insert(fresh_copy(it->first, tag), fresh_copy(it->second, tag));
    }
    if (out.Tag() != "!") out.SetTag(tag);
    return out;
}

/// Where the village's `clinic` value stood, as a located tag.
std::string clinic_tag(const YAML::Node& flag, const std::string& village,
                       const std::string& label) {
    const std::string note = "the clinic implied by village '" + village + "'";
    if (auto at = read_located_tag(flag.Tag())) {
        return located_tag(at->file, at->line, at->column, at->note + ", " + note);
    }
    const YAML::Mark m = flag.Mark();
    return located_tag(label, m.is_null() ? 0 : m.line + 1, m.is_null() ? 0 : m.column + 1, note);
}

YAML::Node implied_clinic(const YAML::Node& village, const std::string& id,
                          const std::string& tag) {
    YAML::Node clinic = fresh_copy(YAML::Load(kImpliedClinic), tag);
    const YAML::Node name = value_of(village, "name");
    const std::string shown = name.IsScalar() ? name.Scalar() : id;
    const YAML::Node township = value_of(village, "township");
    YAML::Node out(YAML::NodeType::Map);
    out.SetTag(tag);
    auto put = [&](const std::string& key, const YAML::Node& value) {
        out.force_insert(fresh_copy(YAML::Node(key), tag), value);
    };
    put("id", fresh_copy(YAML::Node(implied_clinic_id(id)), tag));
    put("name", fresh_copy(YAML::Node(shown + "卫生室"), tag));
    put("place", fresh_copy(YAML::Node(id), tag));
    put("village", fresh_copy(YAML::Node(id), tag));
    if (township.IsScalar()) put("township", fresh_copy(township, tag));
    for (auto it = clinic.begin(); it != clinic.end(); ++it) put(it->first.Scalar(), it->second);
    return out;
}

/// Adds the keys of `defaults` that `facility` does not give.
void fill_missing(YAML::Node facility, const YAML::Node& defaults) {
    for (auto it = defaults.begin(); it != defaults.end(); ++it) {
        if (!value_of(facility, it->first.Scalar()).IsDefined())
            facility.force_insert(it->first, it->second);
    }
}

}  // namespace

void add_implied_clinics(YAML::Node root, const std::string& label) {
    const YAML::Node villages = value_of(root, "villages");
    YAML::Node facilities = value_of(root, "facilities");
    if (!villages.IsSequence() || (facilities.IsDefined() && !facilities.IsSequence())) return;
    const bool listed = facilities.IsDefined();
    if (!listed) facilities = YAML::Node(YAML::NodeType::Sequence);
    bool added = false;
    for (const auto& village : villages) {
        const auto id = id_of(village);
        const YAML::Node flag = village.IsMap() ? value_of(village, "clinic") : YAML::Node();
        if (!id || !says_yes(flag)) continue;
        const YAML::Node clinic = implied_clinic(village, *id, clinic_tag(flag, *id, label));
        bool found = false;
        for (std::size_t i = 0; i < facilities.size() && !found; ++i) {
            found = id_of(facilities[i]) == implied_clinic_id(*id);
            if (found) fill_missing(facilities[i], clinic);
        }
        if (!found) facilities.push_back(clinic);
        added = added || !found;
    }
    if (added && !listed) set_entry(root, "facilities", facilities);
}

}  // namespace cmasim::scenario::detail
