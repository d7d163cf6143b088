// The CORDIS data and split (eval/cordis.h), on small worlds: no real files are read here (the
// product's matcher on the real data is product_cordis_test.cc).
#include <gtest/gtest.h>

#include "eval/cordis.h"
#include "eval/product_cordis.h"

namespace weefsel::eval {
namespace {

TEST(CordisEval, BadSplitSaysWhichFilterEmptiedIt) {
  // One history project and one test project that the --test-ids list leaves out.
  CordisData data;
  data.orgs = {"a", "b", "c"};
  data.org_names = {"", "", ""};
  auto project = [](std::string id, std::string start) {
    CordisProject p;
    p.id = std::move(id);
    p.title = "Urban energy transition";
    p.topic_title = "Smart cities";
    p.start_date = std::move(start);
    p.members = {{0, "HES", "NL", true}, {1, "PRC", "DE", false}, {2, "PUB", "BE", false}};
    return p;
  };
  data.projects = {project("1", "2017-03-01"), project("2", "2019-05-01")};
  CordisSplit split;
  split.test_ids = std::unordered_set<std::string>{"no-such-project"};
  auto pc = ProductCordis::Import(data, split);
  EXPECT_EQ(pc.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(pc.status().message().find("--test-ids"), std::string::npos) << pc.status().message();
  EXPECT_NE(pc.status().message().find("1 of those >= 3 participants"), std::string::npos) << pc.status().message();
  EXPECT_EQ(LoadCordis("/nonexistent").status().code(), StatusCode::kNotFound);
}

TEST(CordisEval, ValidationStaysInsideHistory) {
  auto years = ValidationYears(2);
  ASSERT_EQ(years.size(), 2U);
  EXPECT_EQ(years[0].cutoff, "2018-01-01");
  EXPECT_EQ(years[0].test_end, "2019-01-01");
  EXPECT_EQ(years[1].cutoff, "2017-01-01");
  EXPECT_EQ(years[1].test_end, "2018-01-01");
  for (const CordisSplit& s : ValidationYears(9)) EXPECT_LE(s.test_end, "2019-01-01") << s.cutoff;
  EXPECT_EQ(ValidationYears(9).size(), 4U);  // 2015 is the first year with history before it
}

}  // namespace
}  // namespace weefsel::eval
