// The report page's words in English and Chinese. Two tables, kept apart on purpose:
//  - kText: the page's own headings and column names;
//  - kPlainChinese: plain Chinese labels for indicators the policy documents give no official
//    name. They are translations, not official names; the official names live only in the
//    indicator table (src/indicators/table.cpp) and are preferred whenever one exists.
#include "cmasim/indicators/table.h"
#include "html_parts.h"

namespace cmasim::report::html {

namespace {

struct Words {
    const char* key;
    const char* en;
    const char* zh;
};

constexpr Words kText[] = {
    {"report.run", "Simulation report", "模拟报告"},
    {"report.compare", "What-if comparison", "政策情景比较"},
    {"report.sweep", "Parameter sweep", "参数扫描"},
    {"headline", "Headline indicators and targets", "主要指标与目标"},
    {"headline.note",
     "Means over replications with 95% confidence intervals; a target is met when the whole "
     "interval lies inside it, missed when the whole interval lies outside, undecided otherwise.",
     "各次重复模拟的均值及95%"
     "置信区间；置信区间完全落在目标范围内为“达标”，完全落在范围外为“未达标”，否则为“不确定”。"},
    {"indicator", "Indicator", "指标"},
    {"key", "Key", "键名"},
    {"mean", "Mean", "均值"},
    {"ci", "95% CI", "95%置信区间"},
    {"unit", "Unit", "单位"},
    {"target", "Target", "目标"},
    {"verdict", "Verdict", "判定"},
    {"monthly", "Monthly series", "月度趋势"},
    {"monthly.note",
     "One point per calendar month of the horizon (after the warm-up); the shaded band is the 95% "
     "confidence interval over replications.",
     "每个模拟月一个点（预热期之后）；阴影为各次重复的95%置信区间。"},
    {"month", "Month", "月份"},
    {"flows", "Patient flows", "患者流向"},
    {"flows.note",
     "Encounters (outpatient visits and admissions) per replication, by where they happen: in or "
     "outside the county, then the level of care, then outpatient or inpatient. Band widths are "
     "proportional to the counts. Referral counts between levels are in the table below; the "
     "outputs do not break them down by origin and destination level.",
     "每次重复模拟的诊疗人次（门急诊与住院），按发生地点划分：县域内或县域外，再按机构层级，再按门"
     "诊或住院。条带宽度与人次成正比。转诊人次见下表；输出未按转出与转入层级细分。"},
    {"residents", "Residents", "居民"},
    {"in_county", "In the county", "县域内"},
    {"out_county", "Outside the county", "县域外"},
    {"level.village", "Village clinics", "村卫生室"},
    {"level.township", "Township centres", "乡镇卫生院"},
    {"level.county", "County hospitals", "县级医院"},
    {"level.external", "Outside the county", "县域外医院"},
    {"outpatient", "Outpatient visits", "门急诊"},
    {"inpatient", "Admissions", "住院"},
    {"level", "Level", "层级"},
    {"visits", "Outpatient visits", "门急诊人次"},
    {"admissions", "Admissions", "住院人次"},
    {"referrals", "Referrals", "转诊"},
    {"townships", "Townships side by side", "各乡镇对比"},
    {"township", "Township", "乡镇"},
    {"id", "Id", "编号"},
    {"name", "Name", "名称"},
    {"differences", "Paired differences from the base", "与基准情景的配对差值"},
    {"differences.note",
     "Each what-if minus the base, paired by replication (common random numbers), with its 95% "
     "confidence interval. The chart shows the difference as a percentage of the base mean; the "
     "table gives it in the indicator's unit.",
     "各情景减基准情景，按重复配对（共同随机数），附95%"
     "置信区间。图以基准均值的百分比表示差值；表以指标原单位表示。"},
    {"differences.axis", "difference, % of the base mean", "差值（占基准均值的百分比）"},
    {"difference", "Difference", "差值"},
    {"base", "Base", "基准"},
    {"scenario", "Scenario", "情景"},
    {"whatif", "What-if", "政策情景"},
    {"compare.groups",
     "A comparison writes county indicators and monthly series only; run a scenario with "
     "`cmasim run` for its townships.",
     "情景比较只输出全县指标和月度趋势；如需各乡镇结果，请对单个情景运行 `cmasim run`。"},
    {"monthly.compare",
     "Each what-if is drawn beside the base, one chart per indicator; the dashed line is the "
     "base's target where it has one.",
     "每个政策情景与基准情景画在同一图中，每个指标一图；虚线为基准情景的目标（如有）。"},
    {"sweep.plots", "Indicators against the parameters", "指标随参数变化"},
    {"sweep.note",
     "Mean over replications at each point with its 95% confidence band; the dashed line is the "
     "base scenario's target where it has one. Where the sweep varies more than one parameter, "
     "each line holds the others at one value (named in the legend).",
     "各参数点的重复均值及95%"
     "置信带；虚线为基准情景的目标（如有）。扫描多个参数时，每条线固定其他参数取值（见图例）。"},
    {"sweep.points", "Points", "参数点"},
    {"point", "Point", "点"},
    {"methods", "Methods (STRESS-DES)", "方法说明（STRESS-DES）"},
    {"methods.note", "Filled from the output directory's records.",
     "根据输出目录中的记录自动填写。"},
    {"item", "Item", "项目"},
    {"value", "Value", "内容"},
    {"m.scenario", "Scenario", "情景"},
    {"m.sha", "Scenario SHA-256", "情景文件SHA-256"},
    {"m.recipe", "What the hash covers", "哈希计算方法"},
    {"m.seed", "Seed", "随机种子"},
    {"m.replications", "Replications", "重复次数"},
    {"m.warmup", "Warm-up (days)", "预热期（天）"},
    {"m.horizon", "Horizon (days)", "模拟时长（天）"},
    {"m.confidence", "Confidence level", "置信水平"},
    {"m.rng", "Random-number scheme", "随机数方案"},
    {"m.crn", "Common random numbers", "共同随机数"},
    {"crn.yes", "yes: replication r of every scenario sees the same patients",
     "是：各情景的第r次重复使用相同的患者序列"},
    {"crn.no", "no: independent streams per scenario (Welch intervals)",
     "否：各情景使用独立随机流（Welch区间）"},
    {"m.version", "Software version", "软件版本"},
    {"m.commit", "Git commit", "Git提交"},
    {"m.command", "Command line", "命令行"},
    {"m.started", "Started at (UTC)", "开始时间（UTC）"},
};

struct PlainChinese {
    const char* key;
    const char* zh;
};

/// Plain translations, not official names (see the file comment).
constexpr PlainChinese kPlainChinese[] = {
    {"grassroots_rate", "居民基层就诊占比"},
    {"visits_per_capita", "人均门诊次数"},
    {"admissions_per_100", "每百人住院人次"},
    {"episodes", "患病人次"},
    {"episodes_no_visit", "未就诊患病人次"},
    {"no_visit_share", "未就诊比例"},
    {"visits", "门诊人次"},
    {"admissions", "住院人次"},
    {"visits_village", "村卫生室门诊人次"},
    {"visits_township", "乡镇卫生院门诊人次"},
    {"visits_county", "县级医院门诊人次"},
    {"visits_external", "县域外门诊人次"},
    {"emergency_visits", "急诊人次"},
    {"out_of_county_share", "县域外就诊占比"},
    {"self_referrals", "自行转诊人次"},
    {"bypass_rate", "越级就诊率"},
    {"bed_wait_hours_mean", "平均等床时间"},
    {"spending_total", "医疗总费用"},
    {"fund_spending", "医保基金支出"},
    {"out_of_pocket", "个人自付费用"},
    {"time_in_system_minutes", "平均就医总时长"},
    {"mean_travel_minutes", "到最近基层机构平均路程时间"},
    {"up_referrals_per_10k", "每万人上转人次"},
    {"down_referrals_per_10k", "每万人下转人次"},
    {"out_of_county_referrals_per_10k", "每万人县外转诊人次"},
    {"self_referrals_per_10k", "每万人自行转诊人次"},
    {"out_of_pocket_per_episode", "每次患病个人自付费用"},
    {"out_of_pocket_per_resident", "人均个人自付费用"},
    {"fund_spending_per_resident", "人均医保基金支出"},
};

}  // namespace

std::string text(std::string_view key, Language language) {
    for (const auto& w : kText) {
        if (key == w.key) return language == Language::Chinese ? w.zh : w.en;
    }
    return std::string(key);
}

std::string indicator_name(std::string_view key, Language language) {
    const indicators::IndicatorInfo* info = indicators::find(key);
    if (language == Language::Chinese) {
        if (info && !info->chinese.empty()) return info->chinese;
        for (const auto& p : kPlainChinese) {
            if (key == p.key) return p.zh;
        }
    }
    return indicators::label(key);
}

std::string unit_name(std::string_view key, Language language) {
    const indicators::IndicatorInfo* info = indicators::find(key);
    const std::string unit = info ? info->unit : std::string();
    if (language == Language::English) return unit;
    if (unit == "proportion") return "比例";
    if (unit == "count") return "人次";
    if (unit == "minutes") return "分钟";
    if (unit == "yuan") return "元";
    if (unit == "visits/resident/yr") return "次/人/年";
    if (unit == "per 100 residents/yr") return "每百人每年";
    if (unit == "per 10k residents") return "每万人每年";
    if (unit == "per 1,000 residents") return "每千人";
    return unit;
}

std::string verdict_name(const std::string& verdict, Language language) {
    if (language == Language::English) return verdict;
    if (verdict == "met") return "达标";
    if (verdict == "missed") return "未达标";
    if (verdict == "undecided") return "不确定";
    return verdict;
}

}  // namespace cmasim::report::html
