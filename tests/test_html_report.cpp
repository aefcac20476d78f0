// `cmasim report` end to end on the tiny county: the outputs of run, compare and sweep rendered
// in both languages; the page's sections, its self-containment, its determinism and its names.
// (tools/browser_report_test.sh renders the same pages in a real browser.)
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "cmasim/report/html_report.h"
#include "temp_dir.h"

namespace cmasim::report {
namespace {

namespace fs = std::filesystem;
using testing_support::TempDir;

const fs::path kSource = CMASIM_SOURCE_DIR;

int cmasim(const std::string& args) {
    const std::string command =
        "cd '" + kSource.string() + "' && '" + CMASIM_BINARY + "' " + args + " > /dev/null 2>&1";
    const int status = std::system(command.c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string read(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

bool has(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

/// The three kinds of output directory, made once for every test of this file.
class HtmlReport : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        dir_ = new TempDir("html_report");
        const std::string out = dir_->path.string();
        const std::string quick = " -t 2 -r 2 --set horizon_days=75 ";
        ASSERT_EQ(
            cmasim("run scenarios/tiny.yaml -q --csv-bom" + quick + "--out '" + out + "/run'"), 0);
        ASSERT_EQ(cmasim("compare scenarios/tiny.yaml tests/data/report/tiny_gatekeeping.yaml -t 2 "
                         "-r 2 --out '" +
                         out + "/compare'"),
                  0);
        // An absolute sweep file: the records then name the base scenario by an absolute path,
        // which this test process (run from another directory) can read back for the target line.
        ASSERT_EQ(cmasim("sweep '" + (kSource / "tests/data/report/tiny_sweep.yaml").string() +
                         "' -q -t 2 --out '" + out + "/sweep'"),
                  0);
    }
    static void TearDownTestSuite() {
        delete dir_;
        dir_ = nullptr;
    }
    static fs::path path(const char* kind) { return dir_->path / kind; }
    static TempDir* dir_;
};

TempDir* HtmlReport::dir_ = nullptr;

TEST_F(HtmlReport, KnowsWhichCommandWroteTheDirectory) {
    EXPECT_EQ(report_kind(path("run")), "run");
    EXPECT_EQ(report_kind(path("compare")), "compare");
    EXPECT_EQ(report_kind(path("sweep")), "sweep");
    const fs::path empty = dir_->path / "empty";
    fs::create_directories(empty);
    EXPECT_THROW(report_kind(empty), ReportInputError);
    EXPECT_EQ(cmasim("report '" + empty.string() + "'"), 2);
}

TEST_F(HtmlReport, EveryPageIsSelfContainedAndDeterministic) {
    for (const char* kind : {"run", "compare", "sweep"}) {
        for (const Language language : {Language::Chinese, Language::English}) {
            const std::string html = render_report(path(kind), language);
            EXPECT_EQ(html, render_report(path(kind), language)) << kind;
            EXPECT_FALSE(has(html, "<script")) << kind;
            EXPECT_FALSE(has(html, "<link")) << kind;
            EXPECT_FALSE(has(html, "@font-face")) << kind;
            // The only URL is the SVG namespace, which is a name, not a download.
            std::string rest = html;
            for (std::size_t at = 0;
                 (at = rest.find("http://www.w3.org/2000/svg", at)) != std::string::npos;)
                rest.erase(at, 26);
            EXPECT_FALSE(has(rest, "http:") || has(rest, "https:")) << kind;
            EXPECT_TRUE(has(html, "<table>")) << kind;
            EXPECT_TRUE(has(html, "<svg")) << kind;
            EXPECT_TRUE(has(html, "id=\"methods\"")) << kind;
        }
    }
}

TEST_F(HtmlReport, RunPageHasEverySection) {
    const std::string zh = render_report(path("run"), Language::Chinese);
    for (const char* id : {"headline", "monthly", "flows", "townships", "methods"})
        EXPECT_TRUE(has(zh, std::string("id=\"") + id + "\"")) << id;
    EXPECT_TRUE(has(zh, "<html lang=\"zh-CN\">"));
    EXPECT_TRUE(has(zh, "基层诊疗量占比"));  // the official name of grassroots_share
    EXPECT_TRUE(has(zh, "县域就诊率"));
    EXPECT_TRUE(has(zh, "East township"));     // the township's name next to its id
    EXPECT_TRUE(has(zh, "class=\"target\""));  // tiny.yaml's target on grassroots_share
    EXPECT_TRUE(has(zh, "9d31cb2a") || has(zh, "sha256") || has(zh, "SHA-256"));
    const std::string en = render_report(path("run"), Language::English);
    EXPECT_TRUE(has(en, "Grassroots share, in-county visits"));
    EXPECT_FALSE(has(en, "基层诊疗量占比"));
}

TEST_F(HtmlReport, ComparePageShowsThePairedDifferences) {
    const std::string zh = render_report(path("compare"), Language::Chinese);
    for (const char* id : {"headline", "differences", "monthly", "flows", "methods"})
        EXPECT_TRUE(has(zh, std::string("id=\"") + id + "\"")) << id;
    EXPECT_TRUE(has(zh, "class=\"zero\""));  // the forest plot's line of no difference
    // The monthly charts draw each what-if beside the base: its heading names both.
    EXPECT_TRUE(has(zh, "<h3>tiny_gatekeeping / tiny</h3>")) << "no monthly what-if heading";
    EXPECT_TRUE(has(zh, "月度趋势"));
    EXPECT_TRUE(has(zh, "tiny_gatekeeping"));
    EXPECT_TRUE(has(zh, "共同随机数"));
}

TEST_F(HtmlReport, SweepPageDrawsTheTargetLine) {
    const std::string en = render_report(path("sweep"), Language::English);
    EXPECT_TRUE(has(en, "id=\"plots\""));
    EXPECT_TRUE(has(en, "township_outpatient_ratio"));
    EXPECT_TRUE(has(en, "class=\"target\""));  // from the base scenario, whose hash matches
}

TEST_F(HtmlReport, CsvBomAndGroupNames) {
    const std::string csv = read(path("run") / "townships.csv");
    EXPECT_EQ(csv.rfind("\xEF\xBB\xBFreplication,township,name,", 0), 0u);
    EXPECT_EQ(read(path("run") / "summary.json").find("\xEF\xBB\xBF"), std::string::npos);
    EXPECT_EQ(read(path("compare") / "compare.csv").rfind("scenario,", 0), 0u);  // no BOM asked
    EXPECT_TRUE(has(read(path("run") / "summary.json"), "\"group_names\""));
    EXPECT_TRUE(has(read(path("run") / "summary.json"), "\"east\": \"East township\""));
}

TEST_F(HtmlReport, FilesOfAnotherVersionGiveAPageOrAMessage) {
    const fs::path dir = dir_->path / "old_run";
    fs::create_directories(dir);
    // Fewer keys than today's summary.json (no groups, no group_names): a page, no crash.
    std::ofstream(dir / "summary.json") << R"({"run": {"scenario_name": "old"}, "county": {}})";
    EXPECT_TRUE(has(render_report(dir, Language::Chinese), "id=\"methods\""));
    // A value of another type: the message names the directory and says what to do.
    std::ofstream(dir / "summary.json") << R"({"run": {}, "county": {}, "targets": [1]})";
    try {
        render_report(dir, Language::English);
        ADD_FAILURE() << "no error";
    } catch (const ReportInputError& e) {
        EXPECT_TRUE(has(e.what(), "unexpected type")) << e.what();
    }
}

TEST_F(HtmlReport, CliWritesTheFileItWasAskedFor) {
    const fs::path out = dir_->path / "page.html";
    ASSERT_EQ(
        cmasim("report '" + path("run").string() + "' --lang en --out '" + out.string() + "'"), 0);
    EXPECT_EQ(read(out), render_report(path("run"), Language::English));
    EXPECT_EQ(cmasim("report '" + path("run").string() + "' --lang fr"), 2);
}

}  // namespace
}  // namespace cmasim::report
