// The column names a CSV table accepts besides the scenario keys (tables.h): the headers of the
// county statistics sheets planners keep (乡镇, 行政村, 户籍人口, ...). A header may also carry a
// unit in brackets ("距离(公里)"), which is ignored.
#include <map>

#include "tables.h"

namespace cmasim::scenario::detail {

const std::vector<std::string>& table_lists() {
    static const std::vector<std::string> lists{"places", "townships", "villages", "facilities",
                                                "roads"};
    return lists;
}

const std::vector<TableColumn>& column_aliases(const std::string& list) {
    static const std::map<std::string, std::vector<TableColumn>> tables{
        {"places", {{"id", {"编号", "地点编号"}}, {"name", {"名称", "地点", "地名"}}}},
        {"townships",
         {{"id", {"编号", "乡镇编号"}},
          {"name", {"乡镇", "名称", "乡镇名称"}},
          {"seat", {"驻地", "政府驻地"}}}},
        {"villages",
         {{"id", {"编号", "村编号", "村代码"}},
          {"name", {"行政村", "村", "村名", "村庄"}},
          {"township", {"乡镇", "所属乡镇"}},
          {"population", {"户籍人口", "人口", "常住人口", "人口数"}},
          {"aged_share", {"65岁以上占比", "65岁及以上占比", "老年人口占比", "老龄化率"}},
          {"contract_share", {"签约率", "家庭医生签约率"}},
          {"clinic", {"村卫生室", "卫生室"}}}},
        {"facilities",
         {{"id", {"编号", "机构编号"}},
          {"name", {"机构名称", "名称", "机构"}},
          {"level", {"级别", "层级", "机构级别"}},
          {"place", {"所在地", "地点"}},
          {"township", {"乡镇", "所属乡镇"}},
          {"village", {"所属村"}},
          {"doctors", {"在岗医生", "门诊医生"}},
          {"doctors_headcount", {"医生人数", "医师人数", "执业医师数"}},
          {"on_duty_share", {"在岗比例", "出诊比例"}},
          {"beds", {"床位", "床位数", "编制床位"}},
          {"alliance", {"医共体成员"}},
          {"lead", {"牵头医院"}},
          {"unlimited", {"不限容量"}},
          {"emergency", {"急诊"}},
          {"quality", {"质量"}},
          {"place_class", {"属地", "医院属地"}}}},
        {"roads",
         {{"from", {"起点", "从"}},
          {"to", {"终点", "到"}},
          {"minutes", {"分钟", "用时"}},
          {"km", {"公里", "距离", "里程"}},
          {"road_class", {"道路等级", "公路等级", "等级"}},
          {"speed_kmh", {"时速", "车速"}}}},
    };
    static const std::vector<TableColumn> none;
    auto it = tables.find(list);
    return it == tables.end() ? none : it->second;
}

std::string implied_clinic_id(const std::string& village) {
    return village + "_clinic";
}

}  // namespace cmasim::scenario::detail
