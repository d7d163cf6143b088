// The published schema (issue 19 item 4): every route declares its request and response schema,
// every $ref names a component, and the components come from the field tables.
#include <gtest/gtest.h>

#include <fstream>
#include <functional>
#include <set>
#include <sstream>
#include <string>

#include "http/api.h"
#include "http/fields/entity_fields.h"
#include "storage/store.h"

namespace weefsel::http {
namespace {

class OpenApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = storage::Store::Open(":memory:");
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    platform_ = std::make_unique<service::Platform>(std::move(store).value(), service::PlatformOptions{});
    api_ = std::make_unique<Api>(*platform_);
  }
  std::unique_ptr<service::Platform> platform_;
  std::unique_ptr<Api> api_;
};

// The routes whose answer has no fixed shape, each marked FreeForm with its reason: raw files, an
// HTML page, redirects, this document itself and the open-data package. A new one must be added
// here on purpose.
const std::set<std::string> kFreeForm = {"GET /api/v1/rounds/{id}/export.pb",
                                         "GET /api/v1/municipalities/{id}/fabric/graphml",
                                         "GET /api/v1/auth/oidc/login",
                                         "GET /api/v1/auth/oidc/callback",
                                         "GET /toegankelijkheid",
                                         "GET /api/v1/openapi.json",
                                         "GET /api/v1/open-data",
                                         "GET /api/v1/open-data/file",
                                         "POST /api/v1/rounds/{id}/voting-codes",       // a CSV mail merge
                                         "GET /api/v1/municipalities/{id}/logo",        // an image
                                         "GET /api/v1/experiments/{id}/files/{file}"};  // a PDF or an image

TEST_F(OpenApiTest, EveryRouteDeclaresItsRequestAndResponseSchema) {
  std::set<std::string> free_form;
  for (const Route& r : api_->routes()) {
    std::string name = r.method + " " + r.path;
    EXPECT_EQ(r.has_body, !r.request.is_null()) << name << ": a request schema exactly when it takes a body";
    if (r.success != 204) {
      EXPECT_FALSE(r.response.is_null()) << name << ": no response schema";
    }
    if (r.response.is_object() && r.response.contains("x-free-form")) {
      free_form.insert(name);
      EXPECT_FALSE(r.response["x-free-form"].get<std::string>().empty()) << name << ": free-form without a reason";
    }
  }
  EXPECT_EQ(free_form, kFreeForm);
}

TEST_F(OpenApiTest, EveryReferenceNamesAComponent) {
  Json doc = api_->OpenApi();
  const Json& components = doc["components"]["schemas"];
  int refs = 0;
  std::function<void(const Json&)> walk = [&](const Json& j) {
    if (j.is_object()) {
      for (auto it = j.begin(); it != j.end(); ++it) {
        if (it.key() == "$ref" && it.value().is_string()) {
          std::string ref = it.value().get<std::string>();
          const std::string prefix = "#/components/schemas/";
          ASSERT_EQ(ref.rfind(prefix, 0), 0u) << ref;
          EXPECT_TRUE(components.contains(ref.substr(prefix.size()))) << ref;
          ++refs;
        }
        walk(it.value());
      }
    } else if (j.is_array()) {
      for (const auto& e : j) walk(e);
    }
  };
  walk(doc);
  EXPECT_GT(refs, 100);
}

TEST_F(OpenApiTest, ComponentsComeFromTheFieldTables) {
  Json s = api_->OpenApi()["components"]["schemas"];
  const Json& actor = s["Actor"];
  EXPECT_EQ(actor["properties"]["themes"]["maxItems"], kMaxListItems);
  EXPECT_EQ(actor["properties"]["description"]["maxLength"], kMaxStringLength);
  EXPECT_EQ(actor["properties"]["municipality"]["type"], Json::array({"integer", "null"}));
  EXPECT_EQ(actor["properties"]["sector"]["readOnly"], true);
  // The write schema is what Apply accepts: no read-only fields, nothing else.
  const Json& write = s["ActorWrite"];
  EXPECT_FALSE(write["properties"].contains("id"));
  EXPECT_FALSE(write["properties"].contains("sector"));
  EXPECT_EQ(write["additionalProperties"], false);
  EXPECT_EQ(s["ReviewWrite"]["required"], Json::array({"project_id", "scores"}));
  EXPECT_EQ(s["User"]["properties"]["email"]["x-visibility"], "personal");
  EXPECT_FALSE(s["TiePublic"]["properties"].contains("note"));
  // Each table's write schema lists exactly the fields the decoder accepts.
  domain::Actor a;
  for (auto it = write["properties"].begin(); it != write["properties"].end(); ++it) {
    Json one = Json::object();
    one[it.key()] = nullptr;
    Status st = Apply(one, a);
    EXPECT_EQ(st.message().find("unknown field"), std::string::npos) << it.key() << ": " << st.message();
  }
  EXPECT_NE(Apply(Json{{"sector", "business"}}, a).message().find("actor.sector: unknown field"), std::string::npos);
}

TEST(FieldTables, EncodingFollowsTheTable) {
  domain::Municipality m;
  m.id = MunicipalityId(3);
  m.cbs_code = "GM0344";
  m.name = "Utrecht";
  Json j = ToJson(m);
  std::vector<std::string> keys;
  for (auto it = j.begin(); it != j.end(); ++it) keys.push_back(it.key());
  std::vector<std::string> names;
  for (const auto& f : fields::MunicipalityFields().fields) names.push_back(f.name);
  EXPECT_EQ(keys, names);
  EXPECT_EQ(j.dump(),
            R"({"id":3,"cbs_code":"GM0344","name":"Utrecht","province":"","population":0,"lat":0.0,"lon":0.0})");
}

TEST(FieldTables, DecodeErrorsNameTheField) {
  domain::Actor a;
  Json themes = Json::array();
  for (int i = 0; i < 201; ++i) themes.push_back("t");
  EXPECT_EQ(Apply(Json{{"themes", themes}}, a).message(), "actor.themes: at most 200 items");
  domain::ProposalVersion v;
  EXPECT_EQ(Apply(Json{{"title", "x"}, {"milestones", {{{"status", "bad"}}}}}, v).message(),
            "proposal.milestones.status: must be planned, submitted, approved or rejected");
  domain::Experiment e;
  EXPECT_EQ(Apply(Json{{"indicators", {{{"measurements", {{{"date", "x"}}}}}}}}, e).message(),
            "measurement.date: 'x' is not a date YYYY-MM-DD");
}

// The refusal codes (docs/api.md, "Refusal codes"): each is in the Problem schema's enum, in the
// docs' table, and worded by the web UI's table (web/src/i18n.ts, REFUSALS) or one of its variants.
TEST_F(OpenApiTest, RefusalCodesAreDocumentedAndWorded) {
  auto read = [](const std::string& rel) {
    std::ifstream in(std::string(WEEFSEL_SOURCE_DIR) + "/" + rel);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  };
  std::string docs = read("docs/api.md"), ui = read("web/src/i18n.ts");
  ASSERT_FALSE(docs.empty());
  ASSERT_FALSE(ui.empty());
  Json codes = api_->OpenApi()["components"]["schemas"]["Problem"]["properties"]["code"]["enum"];
  ASSERT_EQ(codes.size(), RefusalCodes().size());
  std::set<std::string_view> seen;
  for (const RefusalCode& c : RefusalCodes()) {
    std::string code(c.code);
    EXPECT_TRUE(seen.insert(c.code).second) << code << " is listed twice";
    EXPECT_NE(docs.find("| `" + code + "` |"), std::string::npos) << code << " is not in docs/api.md";
    bool worded =
        ui.find("\n  " + code + ": [") != std::string::npos || ui.find("\n  \"" + code + ".") != std::string::npos;
    EXPECT_TRUE(worded) << code << " has no words in web/src/i18n.ts";
  }
}

}  // namespace
}  // namespace weefsel::http
