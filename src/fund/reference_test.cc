// Every record of ../shared/data/pabulib/expected.json (pabutools' outcomes on the visible
// instances) must be reproduced exactly, and every rule must handle every instance in the folder.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "fund/pabulib.h"
#include "fund/rules.h"
#include "tests/kit/shared_data.h"

namespace weefsel::fund {
namespace {

const Instance& Load(const std::string& file) {
  static std::map<std::string, Instance> cache;
  auto it = cache.find(file);
  if (it == cache.end()) {
    auto in = ReadPb(testkit::SharedDataPath("pabulib/" + file));
    EXPECT_TRUE(in.ok()) << in.status().ToString();
    it = cache.emplace(file, in.ok() ? std::move(in).value() : Instance{}).first;
  }
  return it->second;
}

TEST(ReferenceOutcomes, EveryRecordOfExpectedJson) {
  WEEFSEL_REQUIRE_SHARED_DATA("pabulib/expected.json");
  std::ifstream f(testkit::SharedDataPath("pabulib/expected.json"));
  nlohmann::json records = nlohmann::json::parse(f);
  ASSERT_EQ(records.size(), 41u);
  int checked = 0;
  for (const auto& rec : records) {
    std::string file = rec.at("file"), rule_field = rec.at("rule");
    std::string rule_name = rule_field.substr(0, rule_field.find(':'));
    auto rule = ParseRule(rule_name);
    ASSERT_TRUE(rule.ok()) << rule_field;
    const Instance& in = Load(file);
    auto out = RunRule(in, *rule, {.explain = false});
    ASSERT_TRUE(out.ok()) << file << " " << rule_field << ": " << out.status().ToString();
    std::vector<std::string> expected = rec.at("selected").get<std::vector<std::string>>();
    EXPECT_EQ(out->SortedIds(in), expected) << file << " " << rule_field;
    // The outcome always fits the budget.
    EXPECT_LE(out->total_cost, in.budget) << file << " " << rule_field;
    ++checked;
  }
  EXPECT_EQ(checked, 41);
}

// Every rule runs on every instance of the folder (the hidden reference set) within the budget.
TEST(ReferenceOutcomes, EveryRuleOnEveryInstanceFits) {
  WEEFSEL_REQUIRE_SHARED_DATA("pabulib/expected.json");
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(testkit::SharedDataPath("pabulib"))) {
    if (entry.path().extension() != ".pb") continue;
    ++files;
    const Instance& in = Load(entry.path().filename().string());
    for (Rule r : kAllRules) {
      if (!RuleApplies(r, in.vote_type)) continue;
      auto out = RunRule(in, r, {.explain = true});
      ASSERT_TRUE(out.ok()) << entry.path() << " " << RuleName(r);
      EXPECT_LE(out->total_cost, in.budget) << entry.path() << " " << RuleName(r);
      EXPECT_EQ(out->explanations.size(), in.projects.size());
    }
  }
  EXPECT_EQ(files, 27);
}

}  // namespace
}  // namespace weefsel::fund
