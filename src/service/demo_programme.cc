#include "service/demo_programme.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <iterator>
#include <string>
#include <vector>

#include "base/clock.h"
#include "storage/store.h"

namespace weefsel::service {
namespace {

struct Plan {
  const char* title;
  const char* plan;
  int64_t budget_eur;
  const char* indicator;
  const char* unit;
  double baseline, target;
};

// Proposals a coalition of a care organisation, a neighbourhood initiative and a company might
// write; the budgets are realistic for a neighbourhood fund.
const std::vector<Plan>& Plans() {
  static const std::vector<Plan> kPlans = {
      {"Huiskamer in de wijk",
       "Een vaste huiskamer in het buurthuis, vijf middagen per week, met vrijwilligers en een "
       "wijkverpleegkundige die aanschuift.",
       38000, "Bezoekers per week", "bezoekers", 40, 120},
      {"Samen aan tafel", "Wekelijkse buurtmaaltijden voor ouderen die alleen wonen, gekookt door buurtbewoners.",
       24000, "Deelnemers aan de maaltijd", "deelnemers", 15, 60},
      {"Klusbus voor energiebesparing",
       "Een klusbus die met buurtbewoners tochtstrips, radiatorfolie en ledlampen aanbrengt in huurwoningen.", 45000,
       "Woningen geholpen", "woningen", 0, 250},
      {"Schuldhulp aan de keukentafel",
       "Getrainde buurtmaatjes die samen met de schuldhulpverlening vroeg aanbellen bij achterstanden.", 52000,
       "Huishoudens in vroegsignalering", "huishoudens", 10, 90},
      {"Groene speelplek Zuid", "Een tegelplein wordt een groene speelplek, ontworpen met kinderen uit de buurt.",
       30000, "Spelende kinderen per middag", "kinderen", 5, 30},
  };
  return kPlans;
}

// A password nobody knows (the demo's accounts are not for signing in). cracklib calls some random
// hex "systematic" (a run such as "dddaea"), so draw until the weak-password check takes one.
std::string UnknownPassword() {
  for (;;) {
    std::string p = "Demo-" + RandomToken().substr(0, 24) + "-Weefsel!";
    if (CheckPasswordStrength(p, "").ok()) return p;
  }
}

}  // namespace

Result<ProgrammeSummary> StageDemoProgramme(Platform& platform, uint64_t seed, int residents) {
  Rng rng(seed * 7919 + 17);
  ProgrammeSummary out;
  auto munis = platform.ListMunicipalities({.limit = 1});
  if (!munis.ok()) return munis.status();
  if (munis->empty()) return Status::FailedPrecondition("demo programme: the database has no municipality");
  const domain::Municipality m = munis->front();
  out.municipality = m.id;
  if (auto rounds = platform.ListRounds({.limit = 1, .municipality = m.id}); !rounds.ok() || !rounds->empty())
    return rounds.ok() ? Status::FailedPrecondition("demo programme: municipality " + m.name + " already has rounds")
                       : rounds.status();
  auto challenges = platform.ListChallenges({.limit = 10, .municipality = m.id});
  if (!challenges.ok()) return challenges.status();
  if (challenges->empty()) return Status::FailedPrecondition("demo programme: " + m.name + " has no challenge");
  auto actors = platform.ListActors({.limit = 60, .municipality = m.id});
  if (!actors.ok()) return actors.status();
  const size_t plans = Plans().size();
  if (actors->size() < plans * 3)
    return Status::FailedPrecondition("demo programme: " + m.name + " has too few actors");

  // The programme team: a stored account, acting as officer of the municipality and as member of
  // the actors whose coalitions write (the demo speaks for them).
  domain::User staff_user;
  staff_user.email = "regie@demo.weefsel.test";
  staff_user.display_name = "Programmaregie (demo)";
  Principal root{UserId(1 << 30), "", "", {{UserId(), domain::Role::kPlatformAdmin, {}, {}}}};
  auto staff_stored =
      platform.CreateUser(root, staff_user, UnknownPassword(), {{UserId(), domain::Role::kOfficer, m.id, {}}});
  if (!staff_stored.ok()) return staff_stored.status();
  Principal staff{staff_stored->id, staff_stored->email, staff_stored->display_name, {}};
  staff.grants.push_back({staff.user, domain::Role::kOfficer, m.id, {}});
  staff.grants.push_back({staff.user, domain::Role::kPlatformAdmin, {}, {}});
  for (const auto& a : *actors) staff.grants.push_back({staff.user, domain::Role::kActorMember, {}, a.id});

  // Coalitions write proposals to the last challenge, which then moves on to its experiment; the
  // first stays open for a newcomer (and for scripts) to match and form coalitions on.
  const domain::Challenge challenge = challenges->back();
  std::vector<domain::Actor> pool = *actors;
  rng.Shuffle(pool);
  std::vector<domain::Proposal> proposals;
  for (size_t i = 0; i < plans; ++i) {
    const Plan& plan = Plans()[i];
    domain::Coalition c;
    c.challenge = challenge.id;
    c.explanation = "Samengesteld in de demo: drie organisaties uit " + m.name + ".";
    for (size_t k = 0; k < 3; ++k) {
      domain::CoalitionMember mem;
      mem.actor = pool[i * 3 + k].id;
      mem.role = k == 0 ? "lead" : "member";
      c.members.push_back(mem);
    }
    WEEFSEL_ASSIGN_OR_RETURN(auto coalition, platform.ProposeCoalition(staff, c));
    for (const auto& mem : coalition.members) {
      WEEFSEL_RETURN_IF_ERROR(platform.Invite(staff, coalition.id, mem.actor).status());
      WEEFSEL_RETURN_IF_ERROR(platform.Accept(staff, coalition.id, mem.actor).status());
    }
    domain::ProposalVersion v;
    v.title = plan.title;
    v.plan = plan.plan;
    v.budget_eur = plan.budget_eur;
    v.indicators = {plan.indicator};
    v.milestones = {{.title = "Start en werving", .due = "2027-03-01", .amount_eur = plan.budget_eur * 3 / 10},
                    {.title = "Halverwege: tussenmeting", .due = "2027-09-01", .amount_eur = plan.budget_eur * 4 / 10},
                    {.title = "Evaluatie met de buurt", .due = "2028-01-15", .amount_eur = plan.budget_eur * 3 / 10}};
    WEEFSEL_ASSIGN_OR_RETURN(auto proposal, platform.CreateProposal(staff, coalition.id, v));
    WEEFSEL_ASSIGN_OR_RETURN(proposal, platform.SetProposalStatus(staff, proposal.id, "submitted"));
    proposals.push_back(proposal);
  }
  out.proposals = static_cast<int>(proposals.size());
  for (int phase = static_cast<int>(challenge.phase) + 1; phase <= static_cast<int>(domain::ChallengePhase::kProposals);
       ++phase)
    WEEFSEL_RETURN_IF_ERROR(
        platform.SetChallengePhase(staff, challenge.id, static_cast<domain::ChallengePhase>(phase)).status());

  // The round: the proposals as projects, about 60% of their costs to spend.
  int64_t total = 0;
  for (const auto& p : Plans()) total += p.budget_eur;
  domain::Round round;
  round.municipality = m.id;
  round.name = "Buurtbudget " + m.name + " 2026";
  round.budget_eur = total * 6 / 10 / 1000 * 1000;
  round.ballot_kind = domain::BallotKind::kApproval;
  WEEFSEL_ASSIGN_OR_RETURN(round, platform.CreateRound(staff, round));
  for (const auto& p : proposals) WEEFSEL_RETURN_IF_ERROR(platform.AddProposalToRound(staff, round.id, p.id).status());
  WEEFSEL_ASSIGN_OR_RETURN(round, platform.SetRoundPhase(staff, round.id, domain::RoundPhase::kVoting));
  out.published = round.id;

  // Match-funding beside it: the municipality doubles what residents pledge, up to a fund.
  std::string now = FormatTimestamp(platform.clock().Now());
  storage::MatchCampaign campaign;
  campaign.municipality = m.id;
  campaign.round = round.id;
  campaign.name = "Buurt doet mee: elke euro verdubbeld";
  campaign.ratio_num = 1;
  campaign.ratio_den = 1;
  campaign.fund_eur = 15000;
  campaign.deadline = std::to_string(std::stoi(now.substr(0, 4)) + 1) + "-12-31";
  WEEFSEL_ASSIGN_OR_RETURN(campaign, platform.CreateMatchCampaign(staff, campaign));

  // Residents vote (each approves the projects they like, some more popular than others) and a
  // few pledge.
  const std::vector<double> appeal = {0.7, 0.55, 0.35, 0.45, 0.25};
  std::vector<Principal> people;
  for (int i = 0; i < residents; ++i) {
    domain::User u;
    u.email = "bewoner" + std::to_string(i + 1) + "@demo.weefsel.test";
    u.display_name = "Bewoner " + std::to_string(i + 1);
    WEEFSEL_ASSIGN_OR_RETURN(
        auto stored, platform.CreateUser(root, u, UnknownPassword(), {{UserId(), domain::Role::kResident, m.id, {}}}));
    WEEFSEL_ASSIGN_OR_RETURN(auto who, platform.PrincipalOf(stored.id));
    people.push_back(who);
    std::vector<domain::BallotEntry> entries;
    for (size_t k = 0; k < round.projects.size(); ++k)
      if (rng.Bernoulli(appeal[k % appeal.size()])) entries.push_back({round.projects[k].project_id, 1});
    if (entries.empty()) entries.push_back({round.projects[0].project_id, 1});
    WEEFSEL_RETURN_IF_ERROR(platform.CastBallot(who, round.id, entries).status());
    ++out.ballots;
    if (i % 6 == 0) {
      const auto& project = round.projects[static_cast<size_t>(rng.Uniform(0, 2))];
      WEEFSEL_RETURN_IF_ERROR(platform.Pledge(who, campaign.id, project.project_id, 25 * rng.Uniform(1, 8)).status());
      ++out.pledges;
    }
  }
  out.residents = residents;

  // Publication: the allocation under the round's rule; funded proposals are marked funded.
  WEEFSEL_ASSIGN_OR_RETURN(round, platform.SetRoundPhase(staff, round.id, domain::RoundPhase::kAllocation));
  WEEFSEL_ASSIGN_OR_RETURN(round, platform.SetRoundPhase(staff, round.id, domain::RoundPhase::kPublished));
  WEEFSEL_ASSIGN_OR_RETURN(auto allocation, platform.AllocationsOf(round.id));
  std::vector<ProposalId> funded;
  for (const auto& a : allocation)
    if (a.proposal.valid()) {
      WEEFSEL_RETURN_IF_ERROR(platform.SetProposalStatus(staff, a.proposal, "funded").status());
      funded.push_back(a.proposal);
    }
  if (funded.empty()) return Status::Internal("demo programme: the round funded no proposal");
  for (const auto& p : proposals)
    if (std::find(funded.begin(), funded.end(), p.id) == funded.end())
      WEEFSEL_RETURN_IF_ERROR(platform.SetProposalStatus(staff, p.id, "rejected").status());
  WEEFSEL_RETURN_IF_ERROR(platform.SetChallengePhase(staff, challenge.id, domain::ChallengePhase::kFunded).status());

  // The first funded proposal runs as an experiment: measurements and its first milestone paid.
  WEEFSEL_ASSIGN_OR_RETURN(auto first, platform.GetProposal(funded.front()));
  const auto& version = first.versions.back();
  const Plan* plan = &Plans().front();
  for (const auto& p : Plans())
    if (version.title == p.title) plan = &p;
  domain::Experiment e;
  e.proposal = first.id;
  e.hypotheses = {"Als er een vaste plek in de wijk is, komen meer buurtbewoners elkaar tegen."};
  domain::Indicator ind;
  ind.name = plan->indicator;
  ind.unit = plan->unit;
  ind.baseline = plan->baseline;
  ind.target = plan->target;
  e.indicators = {ind};
  e.milestones = version.milestones;
  WEEFSEL_ASSIGN_OR_RETURN(e, platform.CreateExperiment(staff, e));
  const double steps[] = {0.15, 0.3, 0.45};
  const char* dates[] = {"2026-09-30", "2026-10-31", "2026-11-30"};
  for (int k = 0; k < 3; ++k) {
    domain::Measurement meas;
    meas.date = dates[k];
    meas.value = plan->baseline + (plan->target - plan->baseline) * steps[k];
    meas.source = "Telling door de coalitie";
    WEEFSEL_RETURN_IF_ERROR(platform.AddMeasurement(staff, e.id, e.indicators[0].id, meas).status());
  }
  WEEFSEL_ASSIGN_OR_RETURN(
      auto evidence, platform.SubmitEvidence(staff, e.id, 1, "De huiskamer is open; 14 vrijwilligers geworven.", ""));
  WEEFSEL_RETURN_IF_ERROR(platform.DecideEvidence(staff, e.id, evidence.id, true, "").status());
  WEEFSEL_RETURN_IF_ERROR(
      platform.SetChallengePhase(staff, challenge.id, domain::ChallengePhase::kExperiment).status());
  out.experiment = e.id;

  // A second round, open for voting, with projects residents put forward directly.
  domain::Round next;
  next.municipality = m.id;
  next.name = "Buurtbudget " + m.name + " 2027";
  next.budget_eur = 60000;
  next.ballot_kind = domain::BallotKind::kApproval;
  next.projects = {{.project_id = "bankjes", .title = "Bankjes langs de singel", .cost_eur = 12000},
                   {.project_id = "buurtmoestuin", .title = "Buurtmoestuin bij de school", .cost_eur = 18000},
                   {.project_id = "repaircafe", .title = "Repair Café in de bibliotheek", .cost_eur = 9000},
                   {.project_id = "verlichting", .title = "Betere verlichting in het park", .cost_eur = 35000}};
  WEEFSEL_ASSIGN_OR_RETURN(next, platform.CreateRound(staff, next));
  WEEFSEL_ASSIGN_OR_RETURN(next, platform.SetRoundPhase(staff, next.id, domain::RoundPhase::kVoting));
  out.voting = next.id;
  return out;
}

LargeRoundDraw DrawLargeRound(uint64_t seed, int ballots) {
  // Twenty projects: four kinds in each of the five quarters, costs from the seed, a budget for
  // about a third of them; each project's appeal heavy-tailed, so that the vote has a shape.
  Rng rng(seed * 104729 + 31);
  struct Kind {
    const char* id;
    const char* title;
    int64_t lo, hi;  // cost range in thousands of euros
  };
  const Kind kinds[] = {{"groen", "Groene speelplek", 40, 160},
                        {"buurtkamer", "Buurtkamer", 60, 220},
                        {"fietsroute", "Veilige fietsroute", 120, 450},
                        {"repaircafe", "Repair Café en klusbus", 30, 90}};
  const char* quarters[] = {"Centrum", "Noord", "Oost", "Zuid", "West"};
  constexpr size_t kQuarters = std::size(quarters);
  LargeRoundDraw out;
  domain::Round& round = out.round;
  round.ballot_kind = domain::BallotKind::kApproval;
  std::vector<double> appeal;
  std::vector<size_t> quarter_of;
  int64_t total = 0;
  for (size_t q = 0; q < kQuarters; ++q)
    for (const Kind& k : kinds) {
      domain::RoundProject p;
      p.project_id = std::string(k.id) + "-" + quarters[q];
      std::transform(p.project_id.begin(), p.project_id.end(), p.project_id.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      p.title = std::string(k.title) + " " + quarters[q];
      p.cost_eur = rng.Uniform(k.lo, k.hi) * 1000;
      p.category = k.id;
      p.neighbourhood = quarters[q];
      total += p.cost_eur;
      round.projects.push_back(p);
      appeal.push_back(std::min(0.6, 0.08 * rng.Pareto(1, 1.5)));
      quarter_of.push_back(q);
    }
  round.budget_eur = total / 3 / 1000 * 1000;
  // Each voter has a home quarter and approves its projects more often.
  out.ballots.reserve(static_cast<size_t>(std::max(0, ballots)));
  for (int i = 0; i < ballots; ++i) {
    const size_t home = static_cast<size_t>(rng.Uniform(0, static_cast<int64_t>(kQuarters) - 1));
    domain::Ballot& b = out.ballots.emplace_back();
    b.kind = domain::BallotKind::kApproval;
    for (size_t j = 0; j < round.projects.size(); ++j)
      if (rng.Bernoulli(std::min(0.9, appeal[j] * (quarter_of[j] == home ? 2.5 : 0.6))))
        b.entries.push_back({round.projects[j].project_id, 1});
    if (b.entries.empty()) b.entries.push_back({round.projects[home * std::size(kinds)].project_id, 1});
  }
  return out;
}

Result<LargeRound> StageLargeRound(Platform& platform, uint64_t seed, int ballots) {
  if (ballots < 1) return Status::InvalidArgument("large round: needs at least one ballot");
  LargeRound out;
  WEEFSEL_ASSIGN_OR_RETURN(auto munis, platform.ListMunicipalities({.limit = 1}));
  if (munis.empty()) return Status::FailedPrecondition("large round: the database has no municipality");
  const domain::Municipality m = munis.front();
  out.municipality = m.id;

  LargeRoundDraw draw = DrawLargeRound(seed, ballots);
  domain::Round& round = draw.round;
  round.municipality = m.id;
  round.name = "Stadsbudget " + m.name + " 2026";
  round.phase = domain::RoundPhase::kVoting;
  out.projects = static_cast<int>(round.projects.size());

  Status s = platform.engine_store().Write([&](storage::Store& store) {
    return store.Transaction([&]() -> Status {
      WEEFSEL_ASSIGN_OR_RETURN(auto rounds, store.ListRounds({.limit = 1000, .municipality = m.id}));
      for (const auto& r : rounds)
        if (r.name == round.name)
          return Status::FailedPrecondition("large round: " + m.name + " already has " + round.name);
      WEEFSEL_RETURN_IF_ERROR(store.Insert(round).status());
      out.round = round.id;
      for (int i = 0; i < ballots; ++i) {
        domain::User u;
        u.email = "kiezer" + std::to_string(i + 1) + "@demo.weefsel.test";
        u.display_name = "Kiezer " + std::to_string(i + 1);
        u.created_at = "2026-10-01T09:00:00Z";  // no password_hash: nobody signs in as a demo voter
        WEEFSEL_RETURN_IF_ERROR(store.Insert(u).status());
        WEEFSEL_RETURN_IF_ERROR(store.Grant({u.id, domain::Role::kResident, m.id, {}}));
        domain::Ballot& b = draw.ballots[static_cast<size_t>(i)];
        b.round = round.id;
        b.voter = u.id;
        const int second = i % (28 * 86400);
        char at[32];
        std::snprintf(at, sizeof at, "2026-11-%02dT%02d:%02d:%02dZ", 1 + second / 86400, second / 3600 % 24,
                      second / 60 % 60, second % 60);
        b.cast_at = at;
        WEEFSEL_RETURN_IF_ERROR(store.PutBallot(b).status());
        ++out.ballots;
      }
      return Status::Ok();
    });
  });
  if (!s.ok()) return s;
  out.residents = out.ballots;
  return out;
}

}  // namespace weefsel::service
