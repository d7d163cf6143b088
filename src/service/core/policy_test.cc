#include "service/core/policy.h"

#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>

namespace weefsel::service::core {
namespace {

const MunicipalityId kM{7};
const MunicipalityId kOtherM{8};
const ActorId kA{11};
const ActorId kOtherA{12};
const UserId kOwner{42};

// Words for every placeholder a message may name besides {municipality} and {actor}.
Scope TheScope() {
  return {
      .municipalities = {kM},
      .actors = {kA},
      .owner = kOwner,
      .words = {{"id", "5"}, {"role", "resident"}, {"target", "comment"}, {"entity", "actor"}, {"phase", "voting"}}};
}

Principal With(domain::Role role, UserId user = UserId(3)) {
  domain::RoleGrant g{user, role, {}, {}};
  if (role == domain::Role::kActorMember) g.actor = kA;
  if (role == domain::Role::kOfficer || role == domain::Role::kModerator || role == domain::Role::kResident)
    g.municipality = kM;
  return Principal{user, "", "", {g}};
}

// A principal that holds `r` in TheScope() (and, being signed in, kSignedIn).
Principal Holding(Role r) {
  switch (r) {
    case Role::kAdmin:
      return With(domain::Role::kPlatformAdmin);
    case Role::kOfficer:
      return With(domain::Role::kOfficer);
    case Role::kModerator:
      return With(domain::Role::kModerator);
    case Role::kMember:
      return With(domain::Role::kActorMember);
    case Role::kAnyMember:
      return Principal{UserId(3), "", "", {{UserId(3), domain::Role::kActorMember, {}, kOtherA}}};
    case Role::kResident:
      return With(domain::Role::kResident);
    case Role::kSelf:
      return Principal{kOwner, "", "", {}};
    case Role::kSignedIn:
      return Principal{UserId(3), "", "", {}};
  }
  return {};
}

// The order (one rule per Action, in the enum's order) is a static_assert in policy.cc; here what
// the compiler cannot check: unique names, and every rule allows someone and says what it is.
TEST(Policy, OneRulePerActionInOrder) {
  auto rules = Rules();
  ASSERT_FALSE(rules.empty());
  std::set<std::string_view> names;
  for (size_t i = 0; i < rules.size(); ++i) {
    EXPECT_TRUE(names.insert(rules[i].name).second) << "duplicate rule name " << rules[i].name;
    EXPECT_FALSE(rules[i].who.empty()) << rules[i].name << ": nobody may do it";
    EXPECT_FALSE(rules[i].act.empty()) << rules[i].name;
  }
}

TEST(Policy, RolesInTheScope) {
  Scope s = TheScope();
  for (int i = 0; i < kRoleCount; ++i) {
    auto r = static_cast<Role>(i);
    Roles want = Roles(r) | Role::kSignedIn;
    if (r == Role::kMember) want = want | Role::kAnyMember;
    EXPECT_EQ(RolesIn(Holding(r), s), want) << RoleName(r);
  }
  EXPECT_TRUE(RolesIn(Principal{}, s).empty());
  // A role of another municipality or actor is no role here.
  Scope elsewhere{.municipalities = {kOtherM}, .actors = {kOtherA}};
  EXPECT_EQ(RolesIn(With(domain::Role::kOfficer), elsewhere), Roles(Role::kSignedIn));
  EXPECT_EQ(RolesIn(With(domain::Role::kResident), elsewhere), Roles(Role::kSignedIn));
  // An invalid id in the scope matches no grant.
  Scope none{.municipalities = {MunicipalityId()}, .actors = {ActorId()}};
  EXPECT_EQ(RolesIn(With(domain::Role::kOfficer), none), Roles(Role::kSignedIn));
}

// The table walk: for each rule x role, Can() agrees with the table.
TEST(Policy, CanAgreesWithTheTable) {
  Scope s = TheScope();
  for (const Rule& rule : Rules()) {
    for (int i = 0; i < kRoleCount; ++i) {
      auto r = static_cast<Role>(i);
      bool want =
          rule.who.Has(r) || rule.who.Has(Role::kSignedIn) || (r == Role::kMember && rule.who.Has(Role::kAnyMember));
      Status st = Can(Holding(r), rule.action, s);
      EXPECT_EQ(st.ok(), want) << rule.name << " x " << RoleName(r);
      EXPECT_EQ(Allows(Holding(r), rule.action, s), want) << rule.name << " x " << RoleName(r);
      if (st.ok()) continue;
      EXPECT_EQ(st.code(), rule.refusal) << rule.name;
      EXPECT_EQ(st.reason(), rule.reason) << rule.name;
      EXPECT_EQ(st.message().find('{'), std::string::npos) << rule.name << ": " << st.message();
      if (rule.param == "municipality") {
        EXPECT_EQ(st.reason_params(), (ReasonParams{{"municipality", "7"}})) << rule.name;
      } else {
        EXPECT_TRUE(st.reason_params().empty()) << rule.name;
      }
    }
    // Anonymous callers are asked to sign in.
    Status anon = Can(Principal{}, rule.action, s);
    EXPECT_EQ(anon.code(), StatusCode::kUnauthenticated) << rule.name;
    EXPECT_EQ(anon.reason(), rule.sign_in_says_why ? "" : "sign_in_required") << rule.name;
  }
}

TEST(Policy, AdminsPassAllButActsOfOnesOwn) {
  Principal admin = Holding(Role::kAdmin);
  for (Action a :
       {Action::kReviewProjects, Action::kVote, Action::kSupportProposal, Action::kPledge, Action::kLinkIdentity})
    EXPECT_FALSE(Allows(admin, a, TheScope())) << RuleOf(a).name;
  EXPECT_TRUE(Allows(admin, Action::kReadReviews, TheScope()));
  EXPECT_FALSE(InRole(admin, Action::kBlockAccount, TheScope()));
  EXPECT_TRUE(InRole(Holding(Role::kModerator), Action::kBlockAccount, TheScope()));
  EXPECT_TRUE(InRole(Holding(Role::kOfficer), Action::kBlockAccount, TheScope()));
}

TEST(Policy, RefusalsKeepTheirWords) {
  Principal someone = Holding(Role::kSignedIn);
  Status st = Can(someone, Action::kChangeMunicipality, {.municipalities = {kM}});
  EXPECT_EQ(st.code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(st.message(), "only officers of municipality 7 may change it");
  EXPECT_EQ(st.reason(), "not_officer_of_municipality");
  st = Can(someone, Action::kHide, {.municipalities = {kM}, .words = {{"target", "comment"}}});
  EXPECT_EQ(st.message(), "only moderators and officers of municipality 7 may hide its comments");
  st = Can(someone, Action::kRevokeToken, {.words = {{"id", "9"}}});
  EXPECT_EQ(st.code(), StatusCode::kNotFound);
  EXPECT_EQ(st.message(), "token 9 does not exist");
  st = Can(Principal{}, Action::kSuggestCoalitions, {.municipalities = {kM}});
  EXPECT_EQ(st.message(),
            "sign in first: coalition suggestions are for officers of the challenge's municipality and actor members");
  // Ties: a member of either actor, an officer of either municipality.
  Scope tie{.municipalities = {kOtherM, kM}, .actors = {kOtherA, kA}};
  EXPECT_TRUE(Allows(With(domain::Role::kOfficer), Action::kAddTie, tie));
  EXPECT_TRUE(Allows(With(domain::Role::kActorMember), Action::kRemoveTie, tie));
}

// docs/api.md's "Who may do what" table is what `weefsel rights` prints.
TEST(Policy, DocsTableIsTheTable) {
  std::ifstream in(std::string(WEEFSEL_SOURCE_DIR) + "/docs/api.md");
  ASSERT_TRUE(in) << "docs/api.md";
  std::stringstream ss;
  ss << in.rdbuf();
  std::string docs = ss.str();
  const std::string begin = "<!-- rights table: generated by `weefsel rights` (service/core/policy.cc) -->\n";
  const std::string end = "<!-- end of rights table -->";
  size_t a = docs.find(begin);
  ASSERT_NE(a, std::string::npos) << "docs/api.md lacks the line " << begin;
  a += begin.size();
  size_t b = docs.find(end, a);
  ASSERT_NE(b, std::string::npos) << "docs/api.md lacks the line " << end;
  EXPECT_EQ(docs.substr(a, b - a), MarkdownTable())
      << "docs/api.md's rights table differs from the policy: run `build/src/cli/weefsel rights` and paste it "
         "between the two markers";
}

// Every refusal code of the table is one of docs/api.md's "Refusal codes".
TEST(Policy, RefusalCodesAreDocumented) {
  std::ifstream in(std::string(WEEFSEL_SOURCE_DIR) + "/docs/api.md");
  std::stringstream ss;
  ss << in.rdbuf();
  std::string docs = ss.str();
  for (const Rule& rule : Rules())
    if (!rule.reason.empty())
      EXPECT_NE(docs.find("| `" + std::string(rule.reason) + "` |"), std::string::npos)
          << rule.name << ": " << rule.reason << " is not in docs/api.md's refusal codes";
}

}  // namespace
}  // namespace weefsel::service::core
