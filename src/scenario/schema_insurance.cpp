// The schema of the insurance terms beyond the scheme's own (docs/levers.md, lever 1): cover by
// condition group (门诊慢特病), by the place of an external hospital (市外, 省外), the
// catastrophic layer (大病保险) and medical assistance (医疗救助).
#include "fields.h"
#include "limits.h"
#include "schemas.h"

namespace cmasim::scenario::detail {
namespace {

/// A per-level table whose levels not given stay unset (they keep the scheme's value).
template <class T, class V, class ReadOne>
FieldBuilder<T> partial_levels(std::string key, PerLevel<std::optional<V>> T::*m, std::string type,
                               ReadOne read_one) {
    auto parse = [m, read_one](const YAML::Node& n, T& out, Reader& r, const SchemaKey& doc) {
        auto one = [&](const YAML::Node& x) { return read_one(x, r, doc); };
        auto got = read_levels<V>(n, r, one, never_single);
        for (int i = 0; i < kLevels; ++i) {
            if (got.values[i]) (out.*m)[i] = got.values[i];
        }
    };
    return FieldBuilder<T>(std::move(key), std::move(type), "the scheme's", parse).numeric();
}

const RecordSchema<ConditionCover>& cover_schema() {
    using C = ConditionCover;
    auto ratio = [](const YAML::Node& n, Reader& r, const SchemaKey& d) {
        return read_number(n, r, d);
    };
    auto yuan = [](const YAML::Node& n, Reader& r, const SchemaKey& d) {
        return read_money(n, r, d);
    };
    static const RecordSchema<C> schema{
        {partial_levels("outpatient_ratio", &C::outpatient_ratio, "per-level number", ratio)
             .min(0)
             .max(1)
             .describe("share of the outpatient fee the fund pays for this condition, by level "
                       "(门诊慢特病: chronic and special-disease outpatient cover)"),
         money("outpatient_cap", &C::outpatient_cap)
             .min(0)
             .max(kMaxYearlyCapYuan)
             .describe("own yearly outpatient pot per person, shared by every condition group "
                       "that has one; 0 = the visits count against insurance.outpatient_cap"),
         partial_levels("inpatient_deductible", &C::inpatient_deductible, "per-level money", yuan)
             .unit("yuan")
             .min(0)
             .max(kMaxChargeYuan)
             .describe("deductible per admission for this condition, by level"),
         partial_levels("inpatient_ratio", &C::inpatient_ratio, "per-level number", ratio)
             .min(0)
             .max(1)
             .describe("share above the deductible the fund pays for this condition, by level")},
        {}};
    return schema;
}

/// A sum of money that stays unset when not given (it then keeps the external level's).
template <class T>
FieldBuilder<T> optional_money(std::string key, std::optional<Fen> T::*m) {
    return FieldBuilder<T>(std::move(key), "money", "the external level's",
                           [m](const YAML::Node& n, T& out, Reader& r, const SchemaKey& doc) {
                               if (auto v = read_money(n, r, doc)) out.*m = *v;
                           })
        .numeric()
        .unit("yuan");
}

const RecordSchema<PlaceCover>& place_cover_schema() {
    using P = PlaceCover;
    static const RecordSchema<P> schema{
        {optional_number("outpatient_ratio", &P::outpatient_ratio)
             .min(0)
             .max(1)
             .describe("share of the outpatient fee the fund pays at these hospitals; unset = "
                       "outpatient_ratio.external"),
         optional_money("inpatient_deductible", &P::inpatient_deductible)
             .min(0)
             .max(kMaxChargeYuan)
             .describe("deductible per admission at these hospitals; unset = "
                       "inpatient_deductible.external"),
         optional_number("inpatient_ratio", &P::inpatient_ratio)
             .min(0)
             .max(1)
             .describe("share above the deductible the fund pays at these hospitals; unset = "
                       "inpatient_ratio.external"),
         optional_number("unreferred_penalty", &P::unreferred_penalty)
             .min(0)
             .max(1)
             .describe("ratio points off unreferred care at these hospitals (未转诊备案); unset = "
                       "unreferred_penalty.external")},
        {}};
    return schema;
}

const RecordSchema<CatastrophicBand>& band_schema() {
    using B = CatastrophicBand;
    static const RecordSchema<B> schema{
        {money("above", &B::above)
             .min(0)
             .max(kMaxYearlyCapYuan)
             .required()
             .describe("yearly out-of-pocket (after the basic scheme) from which the band's "
                       "ratio applies"),
         number("ratio", &B::ratio)
             .min(0)
             .max(1)
             .required()
             .describe("share of the out-of-pocket inside the band the layer pays")},
        {}};
    return schema;
}

/// Bands must rise above the threshold and each other, or a band would pay nothing.
void check_bands(const YAML::Node& map, const Catastrophic& c, Reader& r) {
    Fen below = c.threshold;
    for (std::size_t i = 0; i < c.bands.size(); ++i) {
        if (c.bands[i].above > below) {
            below = c.bands[i].above;
            continue;
        }
        r.error(map["bands"].IsDefined() ? map["bands"] : map,
                "bands[" + std::to_string(i) + "].above must be above " +
                    (i == 0 ? std::string("the threshold") : "the band before"),
                "list the bands in ascending order of 'above', each above threshold");
        return;
    }
    if (!c.bands.empty() && c.threshold <= 0) {
        r.error(map, "catastrophic bands need a threshold above 0",
                "e.g. threshold: 15000 (yuan of yearly out-of-pocket)");
    }
}

}  // namespace

const RecordSchema<Catastrophic>& catastrophic_schema() {
    using C = Catastrophic;
    static const RecordSchema<C> schema{
        {money("threshold", &C::threshold)
             .min(0)
             .max(kMaxYearlyCapYuan)
             .describe("yearly out-of-pocket per resident (after the basic scheme) above which "
                       "the layer pays (大病保险起付线); 0 = no layer"),
         number("ratio", &C::ratio)
             .min(0)
             .max(1)
             .describe("share the layer pays from the threshold up to the first band"),
         records("bands", &C::bands, band_schema())
             .describe("higher bands: from 'above' yuan of yearly out-of-pocket on, 'ratio'"),
         money("cap", &C::cap)
             .min(0)
             .max(kMaxYearlyCapYuan)
             .describe("the layer's yearly payment per resident; 0 = no cap")},
        check_bands};
    return schema;
}

const RecordSchema<Assistance>& assistance_schema() {
    using A = Assistance;
    static const RecordSchema<A> schema{
        {number("low_income_share", &A::low_income_share)
             .min(0)
             .max(1)
             .describe("share of residents who are low-income and eligible (drawn once per "
                       "resident); 0 = no layer"),
         number("ratio", &A::ratio)
             .min(0)
             .max(1)
             .describe("share of what a low-income resident still owes after the basic scheme "
                       "and the catastrophic layer that assistance pays"),
         money("cap", &A::cap)
             .min(0)
             .max(kMaxYearlyCapYuan)
             .describe("assistance's yearly payment per resident; 0 = no cap")},
        {}};
    return schema;
}

const RecordSchema<ExternalByClass>& external_by_class_schema() {
    using E = ExternalByClass;
    static const RecordSchema<E> schema{
        {record("in_prefecture", &E::in_prefecture, place_cover_schema())
             .describe("hospitals in the prefecture outside the county (市内县外)"),
         record("out_of_prefecture", &E::out_of_prefecture, place_cover_schema())
             .describe("hospitals elsewhere in the province (市外省内)"),
         record("out_of_province", &E::out_of_province, place_cover_schema())
             .describe("hospitals outside the province (省外)")},
        {}};
    return schema;
}

FieldBuilder<Insurance> by_condition_field() {
    auto parse = [](const YAML::Node& n, Insurance& ins, Reader& r, const SchemaKey&) {
        auto entries = map_entries(n, r, {}, "a map of condition id: its cover terms");
        if (!entries) return;
        ins.by_condition.clear();
        for (const auto& e : *entries) {
            Reader::Scope scope(r, e.key);
            ConditionCover cover;
            cover.condition = e.key;
            apply_record(cover_schema(), e.value, cover, r);
            ins.by_condition.push_back(std::move(cover));
        }
    };
    return FieldBuilder<Insurance>("by_condition", "map of condition id to cover terms", "none",
                                   parse)
        .shape(KeyShape::Map, cover_schema().docs())
        .describe(
            "cover terms of condition groups (门诊慢特病): what an entry gives replaces the "
            "scheme's for that condition, a level or key not given keeps the scheme's");
}

}  // namespace cmasim::scenario::detail
