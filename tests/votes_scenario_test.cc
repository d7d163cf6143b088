// Fair votes (issue 20, part 2; docs/decisions/0004-secret-ballot.md) over real HTTP: an officer
// restricts a round to residents with a voting code from a letter (per wijk), makes the codes and
// downloads them once as a mail merge; voting opens; a ballot without a code is refused (403 naming
// the code), a code votes once (a second use: 409), and the sealed ballot counts in the results
// without naming anyone. A second round checks residents against a census file: a bad line refuses
// the file (400 naming line and field) and writes nothing; wijk and age rules refuse (403); a
// resident votes once. At every step a wrong role is refused (401/403) and so is a move the step
// does not allow. Runs on SQLite (Sqlite/, label unit) and PostgreSQL (Postgres/, pg).
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <string>
#include <vector>

#include "base/strings.h"
#include "service/accounts.h"
#include "tests/api_kit.h"

namespace weefsel::apitest {
namespace {

class FairVotes : public ApiWorld {
 protected:
  FairVotes() { register_pow_bits_ = 8; }  // low: a test solves a challenge in about 256 hashes
  // A registration with a freshly solved challenge (or `proof` when given).
  Resp Register(const std::string& email, Json proof = nullptr) {
    if (proof.is_null()) {
      Json ch = Send("GET", "/api/v1/auth/register/challenge").json;
      proof = {{"pow_challenge", ch.value("challenge", "")},
               {"pow_nonce", service::SolveProofOfWork(ch.value("salt", ""), ch.value("bits", 0))}};
    }
    Json body = {{"email", email},
                 {"display_name", "Nieuw " + email.substr(0, email.find('@'))},
                 {"password", "stem-veilig-in-utrecht"},
                 {"municipality", m1_.value()}};
    body.update(proof);
    return Send("POST", "/api/v1/auth/register", body);
  }
  // A nonce that does not solve the challenge.
  static std::string WrongNonce(const Json& ch) {
    for (int n = 0;; ++n)
      if (service::ProofOfWorkBits(ch.value("salt", ""), std::to_string(n)) < ch.value("bits", 0))
        return std::to_string(n);
  }
  void Refused(int role, const std::string& method, const std::string& path, const Json& body, const std::string& why) {
    Resp r = As(role, method, path, body);
    EXPECT_EQ(r.status, role == kAnon ? 401 : 403)
        << why << ": " << kRoleNames[role] << " " << method << " " << path << " -> " << r.body;
    EXPECT_EQ(r.Header("Content-Type"), "application/problem+json") << why;
  }
  // A refusal with this status naming `field`.
  Resp Expect(int status, const std::string& field, int role, const std::string& method, const std::string& path,
              const Json& body, const std::string& why) {
    Resp r = As(role, method, path, body);
    EXPECT_EQ(r.status, status) << why << ": " << r.body;
    EXPECT_EQ(r.json.value("field", ""), field) << why << ": " << r.body;
    return r;
  }
  Json Ok(int role, const std::string& method, const std::string& path, const Json& body, int status = 200) {
    Resp r = As(role, method, path, body);
    EXPECT_EQ(r.status, status) << kRoleNames[role] << " " << method << " " << path << ": " << r.body;
    return r.json;
  }
  void ToVoting(const std::string& round) {
    Ok(kOfficer, "POST", round + "/phase", {{"phase", "review"}});
    Ok(kOfficer, "POST", round + "/phase", {{"phase", "voting"}});
  }
  static Json Entries(const char* project) { return Json::array({{{"project_id", project}, {"points", 1}}}); }
};

TEST_P(FairVotes, ARoundForCodedResidentsRefusesAnUnverifiedVoteAndASecondUseOfACode) {
  const std::string round = "/api/v1/rounds/" + Str(MakeRound());

  // 1. Who votes: the officer restricts the round to voting codes in two wijken.
  Json rule = {{"verification", "code"}, {"wijken", {"Zuilen", "Overvecht"}}};
  EXPECT_EQ(Ok(kAnon, "GET", round + "/eligibility", nullptr)["verification"], "open") << "open until set";
  Refused(kAnon, "PUT", round + "/eligibility", rule, "setting who votes");
  Refused(kResident, "PUT", round + "/eligibility", rule, "setting who votes");
  Refused(kOtherOfficer, "PUT", round + "/eligibility", rule, "setting who votes in another municipality");
  Expect(400, "eligibility.min_age", kOfficer, "PUT", round + "/eligibility",
         {{"verification", "code"}, {"min_age", 16}}, "a minimum age with codes (a letter carries no birth date)");
  Expect(400, "eligibility.verification", kOfficer, "PUT", round + "/eligibility",
         {{"verification", "open"}, {"wijken", {"Zuilen"}}}, "wijken in an open round");
  Json set = Ok(kOfficer, "PUT", round + "/eligibility", rule);
  EXPECT_EQ(set["verification"], "code");
  EXPECT_EQ(Ok(kResident, "GET", round + "/eligibility", nullptr)["wijken"].size(), 2u);

  // 2. Codes: made for a wijk and downloaded once, as a mail merge.
  Json make = {{"count", 3}, {"wijk", "Zuilen"}};
  Refused(kAnon, "POST", round + "/voting-codes", make, "making codes");
  Refused(kResident, "POST", round + "/voting-codes", make, "making codes");
  Refused(kOtherOfficer, "POST", round + "/voting-codes", make, "making codes in another municipality");
  Expect(400, "wijk", kOfficer, "POST", round + "/voting-codes", {{"count", 3}, {"wijk", "Noord"}},
         "codes for a wijk that does not vote");
  Expect(400, "wijk", kOfficer, "POST", round + "/voting-codes", {{"count", 3}}, "codes without a wijk");
  Expect(400, "count", kOfficer, "POST", round + "/voting-codes", {{"count", 0}, {"wijk", "Zuilen"}}, "no codes");
  Expect(409, "eligibility.verification", kOfficer, "PUT", round + "/census",
         {{"csv", "identificatie;postcode;geboortedatum;wijk\n123456782;3511AB;1980-04-27;Zuilen\n"}},
         "a census for a round that uses codes");
  Resp made = As(kOfficer, "POST", round + "/voting-codes", make);
  ASSERT_EQ(made.status, 201) << made.body;
  EXPECT_EQ(made.Header("Content-Type"), "text/csv; charset=utf-8");
  EXPECT_NE(made.Header("Content-Disposition").find("attachment"), std::string::npos);
  std::vector<std::string> codes;
  for (const auto& line : Split(made.body, '\n', true)) {
    if (StartsWith(line, "code;")) continue;
    codes.emplace_back(line.substr(0, 14));
    EXPECT_NE(line.find(";Zuilen;Met deze code stemt u eenmalig in"), std::string::npos) << line;
  }
  ASSERT_EQ(codes.size(), 3u) << made.body;
  ASSERT_EQ(As(kOfficer, "POST", round + "/voting-codes", {{"count", 1}, {"wijk", "Overvecht"}}).status, 201);

  // 3. The register: counts only, for the municipality's officers.
  Refused(kResident, "GET", round + "/voting-register", nullptr, "reading the register");
  Refused(kOtherOfficer, "GET", round + "/voting-register", nullptr, "reading another municipality's register");
  Json reg = Ok(kOfficer, "GET", round + "/voting-register", nullptr);
  ASSERT_EQ(reg["codes"].size(), 2u) << reg.dump();
  EXPECT_EQ(reg["codes"][1]["wijk"], "Zuilen");
  EXPECT_EQ(reg["codes"][1]["total"], 3);
  EXPECT_EQ(reg["codes"][1]["used"], 0);
  EXPECT_EQ(reg.dump().find(codes[0]), std::string::npos) << "a code is shown after its download";

  // 4. Before voting opens a coded ballot is refused; then the officers open voting.
  Json coded = {{"entries", Entries("p1")}, {"code", codes[0]}};
  Expect(409, "phase", kResident, "POST", round + "/verified-ballot", coded, "voting before voting opens");
  ToVoting(round);
  Expect(409, "phase", kOfficer, "PUT", round + "/eligibility", {{"verification", "open"}},
         "changing who votes once voting is open");

  // 5. Voting: without a code, refused, naming what is missing; with a code, once.
  Resp plain = Expect(403, "verification", kResident, "PUT", round + "/ballot", {{"entries", Entries("p1")}},
                      "an unverified ballot in a coded round");
  EXPECT_NE(plain.json.value("detail", "").find("voting code"), std::string::npos) << plain.body;
  Resp bare = Expect(403, "code", kResident, "POST", round + "/verified-ballot", {{"entries", Entries("p1")}},
                     "a verified ballot without its code");
  EXPECT_NE(bare.json.value("detail", "").find("enter the voting code"), std::string::npos) << bare.body;
  Expect(403, "code", kResident, "POST", round + "/verified-ballot",
         {{"entries", Entries("p1")}, {"code", "2222-3333-4444"}}, "a code that is not one of the round's");
  Expect(400, "code", kResident, "POST", round + "/verified-ballot",
         {{"entries", Entries("p1")}, {"code", "0000-1111-OOOO"}}, "a code with letters codes never have");
  Refused(kAnon, "POST", round + "/verified-ballot", coded, "voting anonymously");
  Refused(kOfficer, "POST", round + "/verified-ballot", coded, "an officer (not a resident) voting");
  Refused(kOtherOfficer, "POST", round + "/verified-ballot", coded, "voting in another municipality");
  Json cast =
      Ok(kResident, "POST", round + "/verified-ballot", {{"entries", Entries("p1")}, {"code", ToLowerAscii(codes[0])}});
  const std::string token = cast.value("ballot_token", "");
  EXPECT_EQ(token.size(), 64u) << cast.dump();
  EXPECT_FALSE(cast["replaced"].get<bool>());
  Resp reuse = Expect(409, "code", kResident, "POST", round + "/verified-ballot", coded, "a second use of a code");
  EXPECT_NE(reuse.json.value("detail", "").find("used already"), std::string::npos) << reuse.body;
  // Another resident with the same code: still used.
  std::string other_token;
  AddUser(FreshEmail(), {{UserId(), domain::Role::kResident, m1_, {}}}, &other_token);
  Resp stolen = Send("POST", round + "/verified-ballot", coded, other_token);
  EXPECT_EQ(stolen.status, 409) << stolen.body;
  // One verified ballot per account: a second code does not give the same account a second ballot.
  Expect(409, "ballot", kResident, "POST", round + "/verified-ballot", {{"entries", Entries("p2")}, {"code", codes[1]}},
         "a second ballot from one account");
  // The code it tried stays unused: the other resident votes with it.
  EXPECT_EQ(
      Send("POST", round + "/verified-ballot", {{"entries", Entries("p2")}, {"code", codes[1]}}, other_token).status,
      200);
  // The voter changes the ballot with the token; a wrong token is refused.
  Json changed =
      Ok(kResident, "POST", round + "/verified-ballot", {{"entries", Entries("p3")}, {"ballot_token", token}});
  EXPECT_TRUE(changed["replaced"].get<bool>());
  Expect(403, "ballot_token", kResident, "POST", round + "/verified-ballot",
         {{"entries", Entries("p3")}, {"ballot_token", std::string(64, 'a')}}, "a made-up ballot token");
  EXPECT_EQ(As(kResident, "GET", round + "/ballot").status, 404) << "the sealed ballot is not the account's";

  // 6. Counted without anyone's name: two ballots in the results, two codes used.
  Json results = Ok(kOfficer, "GET", round + "/results", nullptr);
  EXPECT_EQ(results["ballots"], 2) << results.dump();
  reg = Ok(kOfficer, "GET", round + "/voting-register", nullptr);
  EXPECT_EQ(reg["codes"][1]["used"], 2) << reg.dump();

  // 7. The audit log has the officers' acts and no vote.
  std::vector<std::string> actions;
  Json log = Ok(kOfficer, "GET", "/api/v1/audit?entity=round&id=" + round.substr(round.rfind('/') + 1), nullptr);
  for (const auto& e : log["items"]) actions.push_back(e["action"]);
  EXPECT_EQ(actions, (std::vector<std::string>{"create", "eligibility", "codes", "codes", "phase", "phase"}));
}

TEST_P(FairVotes, ACensusRoundChecksResidentsAgainstTheFileOnce) {
  const std::string round = "/api/v1/rounds/" + Str(MakeRound());
  Ok(kOfficer, "PUT", round + "/eligibility", {{"verification", "census"}, {"wijken", {"Zuilen"}}, {"min_age", 16}});
  const std::string header = "identificatie;postcode;geboortedatum;wijk\n";
  const std::string good = header +
                           "123456782;3511 AB;1980-04-27;Zuilen\n"
                           "234567891;3511AC;2015-06-01;Zuilen\n"
                           "345678912;3572AB;1975-01-01;Overvecht\n";
  Refused(kAnon, "PUT", round + "/census", {{"csv", good}}, "uploading the census");
  Refused(kResident, "PUT", round + "/census", {{"csv", good}}, "uploading the census");
  Refused(kOtherOfficer, "PUT", round + "/census", {{"csv", good}}, "uploading another municipality's census");
  Resp bad = As(kOfficer, "PUT", round + "/census",
                {{"csv", header + "123456782;3511AB;1980-04-27;Zuilen\n999999990;35;1980-04-27;Zuilen\n"}});
  EXPECT_EQ(bad.status, 400) << bad.body;
  EXPECT_EQ(bad.json.value("detail", "").rfind("census line 3, field postcode: ", 0), 0u) << bad.body;
  Json reg = Ok(kOfficer, "GET", round + "/voting-register", nullptr);
  EXPECT_TRUE(reg["census"].empty()) << "the refused file wrote nothing: " << reg.dump();
  EXPECT_EQ(Ok(kOfficer, "PUT", round + "/census", {{"csv", good}})["residents"], 3);
  Expect(409, "eligibility.verification", kOfficer, "POST", round + "/voting-codes", {{"count", 1}, {"wijk", "Zuilen"}},
         "codes for a census round");
  ToVoting(round);
  Expect(409, "phase", kOfficer, "PUT", round + "/census", {{"csv", good}}, "replacing the census once voting is open");

  auto ballot = [](const char* id, const char* postcode, const char* born) {
    return Json{{"entries", Entries("p2")},
                {"census", {{"identifier", id}, {"postcode", postcode}, {"birth_date", born}}}};
  };
  Expect(403, "census", kResident, "POST", round + "/verified-ballot", {{"entries", Entries("p2")}},
         "a ballot without census details");
  Expect(403, "census", kResident, "POST", round + "/verified-ballot", ballot("123456782", "3511AB", "1980-04-28"),
         "a wrong birth date");
  Expect(403, "census", kResident, "POST", round + "/verified-ballot", ballot("345678912", "3572AB", "1975-01-01"),
         "a resident of a wijk that does not vote");
  Expect(403, "census.birth_date", kResident, "POST", round + "/verified-ballot",
         ballot("234567891", "3511AC", "2015-06-01"), "a resident under the minimum age");
  Expect(400, "census.postcode", kResident, "POST", round + "/verified-ballot", ballot("123456782", "35", "1980-04-27"),
         "a postcode that cannot be one");
  Refused(kMember, "POST", round + "/verified-ballot", ballot("123456782", "3511AB", "1980-04-27"),
          "voting without being a resident");
  Ok(kResident, "POST", round + "/verified-ballot", ballot("123456782", "3511 ab", "1980-04-27"));
  std::string other_token;
  AddUser(FreshEmail(), {{UserId(), domain::Role::kResident, m1_, {}}}, &other_token);
  Resp again = Send("POST", round + "/verified-ballot", ballot("123456782", "3511AB", "1980-04-27"), other_token);
  EXPECT_EQ(again.status, 409) << "the same resident twice: " << again.body;
  reg = Ok(kOfficer, "GET", round + "/voting-register", nullptr);
  ASSERT_EQ(reg["census"].size(), 2u) << reg.dump();
  EXPECT_EQ(reg["census"][1]["wijk"], "Zuilen");
  EXPECT_EQ(reg["census"][1]["total"], 2);
  EXPECT_EQ(reg["census"][1]["used"], 1);
}

TEST_P(FairVotes, RegistrationAsksASolvedChallengeOnceAndIsRateLimited) {
  Json ch = Ok(kAnon, "GET", "/api/v1/auth/register/challenge", nullptr);
  EXPECT_EQ(ch["bits"], 8);
  EXPECT_EQ(ch["algorithm"], "blake2b-256");
  EXPECT_EQ(ch.value("salt", "").size(), 32u);
  const std::string solved = service::SolveProofOfWork(ch.value("salt", ""), 8);
  auto refused = [&](const Resp& r, const std::string& field, const std::string& why) {
    EXPECT_EQ(r.status, 400) << why << ": " << r.body;
    EXPECT_EQ(r.json.value("field", ""), field) << why << ": " << r.body;
  };
  refused(Register(FreshEmail(), Json::object()), "pow_challenge", "no proof");
  refused(Register(FreshEmail(), {{"pow_challenge", ch["challenge"]}, {"pow_nonce", WrongNonce(ch)}}), "pow_nonce",
          "a nonce that does not solve it");
  std::string forged = ch.value("challenge", "");
  forged.replace(forged.rfind('.') - 1, 1, forged[forged.rfind('.') - 1] == '8' ? "9" : "8");  // another difficulty
  refused(Register(FreshEmail(), {{"pow_challenge", forged}, {"pow_nonce", solved}}), "pow_challenge",
          "a challenge changed by the client");
  refused(Register(FreshEmail(), {{"pow_challenge", "abc"}, {"pow_nonce", solved}}), "pow_challenge",
          "not a challenge");
  Json good = {{"pow_challenge", ch["challenge"]}, {"pow_nonce", solved}};
  Resp made = Register(FreshEmail(), good);
  ASSERT_EQ(made.status, 201) << made.body;
  Resp again = Register(FreshEmail(), good);
  refused(again, "pow_challenge", "a challenge used twice");
  EXPECT_NE(again.json.value("detail", "").find("used already"), std::string::npos) << again.body;
  // A challenge expires (10 minutes): solved in time or not at all.
  Json old = Ok(kAnon, "GET", "/api/v1/auth/register/challenge", nullptr);
  clock_.Advance(std::chrono::minutes(11));
  Resp late = Register(FreshEmail(), {{"pow_challenge", old["challenge"]},
                                      {"pow_nonce", service::SolveProofOfWork(old.value("salt", ""), 8)}});
  refused(late, "pow_challenge", "an expired challenge");
  EXPECT_NE(late.json.value("detail", "").find("expired"), std::string::npos) << late.body;
  // The address has tried 7 times; at 10 in the hour it must wait, and is told how long.
  EXPECT_EQ(Register(FreshEmail()).status, 201);
  EXPECT_EQ(Register(FreshEmail()).status, 201);
  EXPECT_EQ(Register(FreshEmail()).status, 201);
  Resp limited = Register(FreshEmail());
  EXPECT_EQ(limited.status, 429) << limited.body;
  EXPECT_EQ(limited.json.value("field", ""), "register") << limited.body;
  int wait = std::atoi(limited.Header("Retry-After").c_str());
  EXPECT_GT(wait, 0) << limited.Header("Retry-After");
  EXPECT_LE(wait, 3600 - 11 * 60) << "the oldest attempt of the window leaves it then";
}

// An account made at its first sign-in through an identity provider gets a registration mark from
// the address it signed in from, as a self-registered one does: it joins their cluster once it has
// a role in the municipality.
TEST_P(FairVotes, AnAccountMadeThroughOidcJoinsTheClusterOfItsAddress) {
  std::vector<int64_t> ids;
  for (int i = 0; i < 2; ++i) {
    Resp r = Register(FreshEmail());
    ASSERT_EQ(r.status, 201) << r.body;
    ids.push_back(r.json["id"].get<int64_t>());
    clock_.Advance(std::chrono::minutes(1));
  }
  service::IdClaims claims{"https://login.example.nl", "sub-4711", FreshEmail(), true, "Via de gemeente"};
  auto session = platform_->SignInWithOidc(claims, "127.0.0.1");
  ASSERT_TRUE(session.ok()) << session.status().ToString();
  ASSERT_TRUE(platform_->Grant(Root(), {session->user, domain::Role::kResident, m1_, {}}).ok());
  const std::string round = "/api/v1/rounds/" + Str(MakeRound());
  Json view = Ok(kOfficer, "GET", round + "/registration-clusters?min_accounts=2", nullptr);
  ASSERT_EQ(view["clusters"].size(), 1u) << view.dump();
  EXPECT_EQ(view["clusters"][0]["size"], 3) << view.dump();
  std::vector<int64_t> in;
  for (const auto& a : view["clusters"][0]["accounts"]) in.push_back(a["user"].get<int64_t>());
  EXPECT_NE(std::find(in.begin(), in.end(), session->user.value()), in.end()) << view.dump();
  // A second sign-in makes no second account and no second mark.
  ASSERT_TRUE(platform_->SignInWithOidc(claims, "127.0.0.1").ok());
  EXPECT_EQ(Ok(kOfficer, "GET", round + "/registration-clusters?min_accounts=2", nullptr)["clusters"][0]["size"], 3);
}

// The DigiD route (docs/oidc.md): a round restricted to "digid" takes a sealed ballot once from an
// account that signed in through the municipality's resident broker, or that linked it; a password
// resident without the link is refused with verification_required {by: digid}. The broker makes a
// resident of its municipality and nothing more; an identity linked to one account is refused for
// another (oidc_identity_taken); the last link of an account the broker made stays.
TEST_P(FairVotes, ADigidRoundTakesResidentsVerifiedThroughTheBrokerOnce) {
  const std::string round = "/api/v1/rounds/" + Str(MakeRound());
  Expect(400, "eligibility.verification", kOfficer, "PUT", round + "/eligibility",
         {{"verification", "digid"}, {"wijken", {"Zuilen"}}}, "wijken the broker cannot tell");
  EXPECT_EQ(Ok(kOfficer, "PUT", round + "/eligibility", {{"verification", "digid"}})["verification"], "digid");
  ToVoting(round);
  const Json ballot = {{"entries", Entries("p1")}};
  Resp unverified = As(kResident, "POST", round + "/verified-ballot", ballot);
  EXPECT_EQ(unverified.status, 403) << unverified.body;
  EXPECT_EQ(unverified.json.value("code", ""), "verification_required") << unverified.body;
  EXPECT_EQ(unverified.json["params"], (Json{{"by", "digid"}})) << unverified.body;
  Resp plain = As(kResident, "PUT", round + "/ballot", ballot);
  EXPECT_EQ(plain.json["params"], (Json{{"by", "digid"}})) << plain.body;

  // A resident's first sign-in through the broker: a resident of Utrecht (GM0344), no other role.
  service::IdClaims digid{"https://digid-makelaar.example", "bsn-pseudonym-1", FreshEmail(), true, "Inwoner Een"};
  digid.provider = "digid";
  digid.resident_broker = true;
  digid.municipality = "GM0344";
  auto session = platform_->SignInWithOidc(digid, "127.0.0.1");
  ASSERT_TRUE(session.ok()) << session.status().ToString();
  service::Principal made = Must(platform_->PrincipalOf(session->user));
  ASSERT_EQ(made.grants.size(), 1u);
  EXPECT_EQ(made.grants[0].role, domain::Role::kResident);
  EXPECT_EQ(made.grants[0].municipality, m1_);
  std::string token = Must(platform_->CreateToken(made, "test"));
  Resp cast = Send("POST", round + "/verified-ballot", ballot, token);
  ASSERT_EQ(cast.status, 200) << cast.body;
  EXPECT_EQ(cast.json.value("ballot_token", "").size(), 64u);
  EXPECT_EQ(Send("POST", round + "/verified-ballot", ballot, token).status, 409) << "once per account";
  // Its only link is how it signs in: it stays.
  Status last = platform_->UnlinkOidc(made, digid.issuer);
  EXPECT_EQ(last.code(), StatusCode::kConflict);
  EXPECT_EQ(last.reason(), "oidc_last_sign_in");

  // The password resident links DigiD (from its own login only), then votes.
  service::Principal resident = Must(platform_->PrincipalOf(users_[kResident]));
  service::IdClaims second = digid;
  second.subject = "bsn-pseudonym-2";
  second.link_user = users_[kOfficer].value();
  EXPECT_EQ(platform_->LinkOidc(resident, second).code(), StatusCode::kPermissionDenied) << "a login another started";
  second.link_user = users_[kResident].value();
  ASSERT_TRUE(platform_->LinkOidc(resident, second).ok());
  EXPECT_TRUE(platform_->LinkOidc(resident, second).ok()) << "linking twice changes nothing";
  auto links = Must(platform_->OidcIdentitiesOf(resident));
  ASSERT_EQ(links.size(), 1u);
  EXPECT_TRUE(links[0].verified_resident);
  EXPECT_FALSE(links[0].made_account);
  EXPECT_EQ(links[0].provider, "digid");
  Ok(kResident, "POST", round + "/verified-ballot", ballot);
  // The officers' register counts the accounts that voted, never who.
  EXPECT_EQ(Ok(kOfficer, "GET", round + "/voting-register", nullptr)["digid_voters"], 2);
  // A later sign-in through the broker lands in the password account.
  EXPECT_EQ(Must(platform_->SignInWithOidc(second, "127.0.0.1")).user, users_[kResident]);

  // The identity the broker made an account for cannot be linked to another.
  service::IdClaims taken = digid;
  taken.link_user = users_[kResident].value();
  Status refused = platform_->LinkOidc(resident, taken);
  EXPECT_EQ(refused.code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(refused.reason(), "oidc_identity_taken");
  // Unlinking: the password account may; then it is no longer verified (a new round refuses it).
  EXPECT_EQ(platform_->UnlinkOidc(resident, "https://elders.example").code(), StatusCode::kNotFound);
  ASSERT_TRUE(platform_->UnlinkOidc(resident, digid.issuer).ok());
  EXPECT_TRUE(Must(platform_->OidcIdentitiesOf(resident)).empty());
  const std::string next = "/api/v1/rounds/" + Str(MakeRound());
  Ok(kOfficer, "PUT", next + "/eligibility", {{"verification", "digid"}});
  ToVoting(next);
  EXPECT_EQ(As(kResident, "POST", next + "/verified-ballot", ballot).status, 403);

  // Linking DigiD makes an account that was no resident of the broker's municipality one of it.
  service::Principal member = Must(platform_->PrincipalOf(users_[kMember]));
  ASSERT_FALSE(member.IsResidentOf(m1_));
  service::IdClaims fourth = digid;
  fourth.subject = "bsn-pseudonym-4";
  fourth.link_user = users_[kMember].value();
  ASSERT_TRUE(platform_->LinkOidc(member, fourth).ok());
  EXPECT_TRUE(Must(platform_->PrincipalOf(users_[kMember])).IsResidentOf(m1_));

  // A broker for a municipality the platform does not have: the operator's mistake, said so.
  service::IdClaims elsewhere = digid;
  elsewhere.subject = "bsn-pseudonym-3";
  elsewhere.email = FreshEmail();
  elsewhere.municipality = "GM9999";
  EXPECT_EQ(platform_->SignInWithOidc(elsewhere, "127.0.0.1").status().code(), StatusCode::kUnavailable);
}

TEST_P(FairVotes, OfficersSeeClustersOfRegistrationsAndVoidTheirBallotsBeforePublication) {
  // Four accounts in four minutes from one network (all tests speak from 127.0.0.1), and a fifth
  // hours later: one cluster of four.
  std::vector<std::string> tokens;
  std::vector<int64_t> ids;
  for (int i = 0; i < 5; ++i) {
    if (i == 4) clock_.Advance(std::chrono::hours(3));
    std::string email = FreshEmail();
    Resp r = Register(email);
    ASSERT_EQ(r.status, 201) << r.body;
    ids.push_back(r.json["id"].get<int64_t>());
    tokens.push_back(Must(platform_->CreateToken({UserId(ids.back()), email, "", {}}, "test")));
    clock_.Advance(std::chrono::minutes(1));
  }
  const std::string round = "/api/v1/rounds/" + Str(MakeRound());
  ToVoting(round);
  // Three of the cluster vote for p3, the resident of the world for p1: p3 has most supporters.
  for (int i = 0; i < 3; ++i)
    ASSERT_EQ(Send("PUT", round + "/ballot", {{"entries", Entries("p3")}}, tokens[i]).status, 200);
  Ok(kResident, "PUT", round + "/ballot", {{"entries", Entries("p1")}});
  auto supporters = [&](const char* project) {
    Json res = Ok(kOfficer, "GET", round + "/results", nullptr);
    for (const auto& p : res["projects"])
      if (p["project_id"] == project) return p["supporters"].get<int64_t>();
    ADD_FAILURE() << res.dump();
    return int64_t{-1};
  };
  EXPECT_EQ(supporters("p3"), 3);

  // The cluster view: officers of the municipality only; who voted, never what.
  Refused(kAnon, "GET", round + "/registration-clusters", nullptr, "the cluster view");
  Refused(kResident, "GET", round + "/registration-clusters", nullptr, "the cluster view");
  Refused(kOtherOfficer, "GET", round + "/registration-clusters", nullptr, "another municipality's clusters");
  Expect(400, "min_accounts", kOfficer, "GET", round + "/registration-clusters?min_accounts=1", nullptr,
         "a cluster of one");
  Json view = Ok(kOfficer, "GET", round + "/registration-clusters", nullptr);
  ASSERT_EQ(view["clusters"].size(), 1u) << view.dump();
  const Json& k = view["clusters"][0];
  EXPECT_EQ(k["size"], 4);
  EXPECT_EQ(k["voted"], 3);
  EXPECT_EQ(k["voided"], 0);
  EXPECT_EQ(k["accounts"][0]["user"], ids[0]);
  EXPECT_EQ(view.dump().find("p3"), std::string::npos) << "the view shows what someone voted";
  EXPECT_EQ(
      Ok(kOfficer, "GET", round + "/registration-clusters?window_minutes=1&min_accounts=2", nullptr)["clusters"].size(),
      1u);
  EXPECT_TRUE(Ok(kOfficer, "GET", round + "/registration-clusters?min_accounts=5", nullptr)["clusters"].empty());

  // Voiding: officers of the municipality, with a reason, before publication.
  Json cluster = Json::array({ids[0], ids[1], ids[2], ids[3]});
  Json voiding = {{"users", cluster}, {"reason", "Vier accounts binnen vier minuten vanaf één adres"}};
  Refused(kAnon, "POST", round + "/void-ballots", voiding, "voiding");
  Refused(kResident, "POST", round + "/void-ballots", voiding, "voiding");
  Refused(kOtherOfficer, "POST", round + "/void-ballots", voiding, "voiding in another municipality");
  Expect(400, "reason", kOfficer, "POST", round + "/void-ballots", {{"users", cluster}, {"reason", " "}},
         "voiding without a reason");
  Expect(400, "users", kOfficer, "POST", round + "/void-ballots", {{"users", Json::array()}, {"reason", "x"}},
         "voiding nobody");
  Expect(400, "users", kOfficer, "POST", round + "/void-ballots",
         {{"users", Json::array({users_[kOfficer].value()})}, {"reason", "x"}}, "voiding a non-resident");
  Json voided = Ok(kOfficer, "POST", round + "/void-ballots", voiding);
  EXPECT_EQ(voided["accounts"], 4);
  EXPECT_EQ(voided["ballots"], 3);
  // The results are recomputed; the voided accounts cannot vote again; the view shows them voided.
  EXPECT_EQ(Ok(kOfficer, "GET", round + "/results", nullptr)["ballots"], 1);
  EXPECT_EQ(supporters("p3"), 0);
  Resp back = Send("PUT", round + "/ballot", {{"entries", Entries("p3")}}, tokens[0]);
  EXPECT_EQ(back.status, 403) << back.body;
  EXPECT_EQ(back.json.value("field", ""), "ballot") << back.body;
  EXPECT_EQ(Ok(kOfficer, "GET", round + "/registration-clusters", nullptr)["clusters"][0]["voided"], 4);
  // The audit trail has who voided whom, why, and no ballot's content.
  Json log = Ok(kOfficer, "GET", "/api/v1/audit?entity=round&id=" + round.substr(round.rfind('/') + 1), nullptr);
  const Json& last = log["items"].back();
  EXPECT_EQ(last["action"], "void") << log.dump();
  EXPECT_NE(last.dump().find("vanaf"), std::string::npos) << last.dump();

  // After publication: refused.
  Ok(kOfficer, "POST", round + "/phase", {{"phase", "allocation"}});
  Ok(kOfficer, "POST", round + "/phase", {{"phase", "published"}});
  Expect(409, "phase", kOfficer, "POST", round + "/void-ballots",
         {{"users", Json::array({ids[4]})}, {"reason", "te laat"}}, "voiding after publication");

  // A round of sealed ballots cannot void one: nothing links a ballot to an account.
  const std::string coded = "/api/v1/rounds/" + Str(MakeRound());
  Ok(kOfficer, "PUT", coded + "/eligibility", {{"verification", "code"}});
  Expect(409, "eligibility.verification", kOfficer, "POST", coded + "/void-ballots", voiding, "voiding sealed ballots");
}

// A receipt after voting (issue 18; docs/decisions/0007-ballot-receipt.md): the voter gets what the
// ballot chose, its total, its time and a code; once voting has closed the round lists the codes of
// the ballots it counts, and nothing more, so the voter can find theirs and nobody else learns what
// it says. A replaced ballot gets a new code and the old one is not counted.
TEST_P(FairVotes, AReceiptCodeIsCountedOnceVotingHasClosedAndSaysNothingElse) {
  const std::string round = "/api/v1/rounds/" + Str(MakeRound(domain::RoundPhase::kVoting));
  Refused(kAnon, "GET", round + "/ballot/receipt", nullptr, "a receipt without an account");
  EXPECT_EQ(As(kResident, "GET", round + "/ballot/receipt").status, 404) << "no ballot yet";
  Ok(kResident, "PUT", round + "/ballot", {{"entries", Entries("p1")}});
  Json first = Ok(kResident, "GET", round + "/ballot/receipt", nullptr);
  EXPECT_EQ(first["total_eur"], 40000) << first.dump();
  EXPECT_EQ(first["entries"].size(), 1u);
  EXPECT_FALSE(first.value("cast_at", "").empty());
  const std::string code1 = first.value("code", "");
  ASSERT_EQ(code1.size(), 19u) << first.dump();  // XXXX-XXXX-XXXX-XXXX
  EXPECT_EQ(code1[4], '-');
  EXPECT_EQ(Ok(kResident, "GET", round + "/ballot/receipt", nullptr)["code"], code1)
      << "the same ballot, the same code";
  EXPECT_EQ(As(kOfficer, "GET", round + "/ballot/receipt").status, 404) << "only one's own ballot";
  Expect(409, "round.phase", kAnon, "GET", round + "/receipts", nullptr, "no list while voting is open");

  // Replacing the ballot: a new code, a new total.
  Json body = {
      {"entries", Json::array({{{"project_id", "p2"}, {"points", 1}}, {{"project_id", "p3"}, {"points", 1}}})}};
  Ok(kResident, "PUT", round + "/ballot", body);
  Json second = Ok(kResident, "GET", round + "/ballot/receipt", nullptr);
  EXPECT_EQ(second["total_eur"], 50000);
  const std::string code2 = second.value("code", "");
  EXPECT_NE(code2, code1);

  Ok(kOfficer, "POST", round + "/phase", {{"phase", "allocation"}});
  Json list = Ok(kAnon, "GET", round + "/receipts", nullptr);
  EXPECT_EQ(list["codes"], Json::array({code2})) << "the counted ballot, not the replaced one: " << list.dump();
  EXPECT_EQ(list.size(), 2u) << "round and codes, nothing else: " << list.dump();
  EXPECT_EQ(list.dump().find("p2"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Sqlite, FairVotes, ::testing::Values(Backend::kSqlite), BackendName);
INSTANTIATE_TEST_SUITE_P(Postgres, FairVotes, ::testing::Values(Backend::kPostgres), BackendName);

}  // namespace
}  // namespace weefsel::apitest
