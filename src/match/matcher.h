// match/matcher.h: ranking actors for a challenge, with the reasons for each place.
//
// A Matcher is built once from domain values (actors, ties, past work, municipal neighbours) and
// then answers Rank(challenge) many times. The score of an actor is a weighted sum of components,
// each in [0, 1] (weights in MatchWeights, documented in docs/matching.md):
//   text        BM25 of the challenge title + text against the actor's description, themes,
//               capabilities and the texts of its past challenges, on an absolute scale: divided by
//               the query's ideal score (the sum of its terms' IDF; a term no actor uses counts at
//               the highest IDF), so a weak hit stays weak even when it is the best there is
//               (Dutch and English analysis from text/, compounds split);
//   capability  share of the challenge's capability weight that the actor holds; a need that no
//               actor lists (a word outside the vocabulary) counts half for an actor whose text
//               names it;
//   theme       share of the challenge's themes that the actor works on;
//   area        1 in the challenge's municipality, 0.5 in a neighbouring one;
//   closeness   1 / hops to the challenge owner in the fabric (up to 3 hops);
//   partner     a direct tie with the owner (its strength, scaled);
//   record      past coalitions the actor was part of (log-scaled); past work for the challenge
//               being ranked counts neither here nor in text;
//   similar     past work like this challenge: each of the kSimilarWorks past challenges (or
//               projects) whose text best matches it votes for its members, (bm25 / best)^2 /
//               sqrt(members - 1); the sum, divided by the best actor's;
//   owner_similar  the owner's partners on past work like this challenge: every past work of the
//               owner votes as above for its other members (research pipeline's strongest signals,
//               docs/matching.md); divided by the best actor's.
//   near_similar  past work like this challenge in the owner's circle: each of the kSimilarWorks
//               best-matching past works votes as in similar, times its nearness to the owner (1
//               when the owner took part, else up to 0.5 by the strongest tie of the owner with one
//               of its members, log-scaled); divided by the best actor's (the research pipeline's
//               text_near feature, docs/matching.md).
//   Ninth session (docs/matching.md), recency counted from the newest dated past work the matcher
//   holds, each work's weight halving every 2 years (undated work: 0):
//   recent_partner  the owner's recent partners: every past work of the owner votes for its other
//               members by its recency / sqrt(members - 1); divided by the best actor's;
//   active      the actor's recent activity: log(1 + the sum of its past works' recency), divided
//               by that of the most active actor;
//   recent_similar  as similar, each vote times the work's recency;
//   partners2   partners of the owner's partners: resource allocation from the owner's 50
//               strongest ties (each passes on its share of the owner's tie strength to its own
//               partners in proportion to their ties); divided by the best actor's;
//   kind_fit    the share of the most similar past works' votes that went to the actor's kind of
//               organisation, divided by the largest kind's share.
//   Tenth session (docs/matching.md):
//   walk        a random walk with restart on the ties (personalised PageRank): the walk restarts at
//               the owner (half) and at the actors of the most similar past works (half, by their
//               similar votes), and moves along ties in proportion to their strength; an actor's
//               value is the share of the time the walk spends on it, divided by the best actor's
//               (RankOptions::walk_restart, walk_owner_share, walk_degree_power).
//               Partners of partners and the neighbourhood of similar projects in one score.
//               Approximated by pushes (Andersen, Chung and Lang 2006) down to a residual of
//               kWalkEpsilon per unit of tie strength; it scores only actors another component
//               reached (it adds no candidates of its own).
//   The challenge's own past work counts in none of them. A past work's date is read at Build
//   (PastWork::date); a changed date alone waits for the next whole build.
// A component at weight 0 is not computed (its value and feature stay 0) unless a learned stage is
// given or RankOptions::all_features asks for every feature (the callers that collect training
// rows: match/outcomes.h, eval/product_cordis.h); the ranking is the same either way.
// Cost: the query's most common words (held by an eighth of the actors or more, adding at most 2%
// of the ideal text score) are scored only for the actors that their bound leaves near the pool's
// edge; the ranking is the same, bit for bit (RankOptions::prune, docs/matching.md).
// Capability gate: when the challenge names capabilities, an actor holding none of them keeps only
// RankOptions::capability_gate of its text and theme contributions.
// Then a diversity re-ranking (maximal marginal relevance over group and sector) lets good actors
// from other groups and sectors into the top, and a sector floor makes the owner and the first 10
// hold at least 3 sectors (RankOptions::mix_sectors). Groups are the fabric's communities by weighted label
// propagation (linear time; Leiden on request or communities passed in). Each result says which
// reasons carried it, with their contributions, and whether it comes "from an unexpected corner":
// its group is none of the owner's and the 5 best-scored actors' groups, it is not within 2 steps
// of the owner, and its own content (text or capability) is at least RankOptions::unexpected_min.
//
// Learned second stage (RankOptions::learned, match/learned.h): when a model is given, the best
// candidates by the linear score (5 x limit, at most 100 or limit: what the model is trained on) are
// scored again by the model on their features (the components above before weighting, and the
// actor's invitations accepted and declined for other challenges); the score is then the model's, and the reasons are
// each feature's contribution to it (TreeSHAP: up or down, adding up to the score with the model's base, reason
// "model_base").
//
// Kept current in place (Update): an actor edited or added, a tie added or removed, an invitation
// answered changes the matcher in milliseconds instead of a rebuild (issue 16): the text index
// takes the actor's new document (text::TermIndex::Replace), the capability, theme and
// municipality lists move it, and a tie rebuilds the fabric's adjacency from the matcher's own tie
// list (no store read). Ranks after an Update equal those of a matcher built afresh from the same
// data, except for the groups: an Update keeps every actor's group and gives a new actor none,
// until the next whole build (the caller rebuilds now and then; service/matches.h).
//
// Ownership: a Matcher owns copies of its inputs and its fabric. Thread-safety: Rank and Update are
// safe to call from many threads (Rank takes the matcher's lock shared, Update exclusive). A caller
// that reads actors(), fabric(), IndexOf() or CommunityOf() of a matcher that others may Update
// holds ReadLock() meanwhile (and calls Rank outside it).
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "base/ids.h"
#include "base/shared_mutex.h"
#include "base/status.h"
#include "domain/model.h"
#include "fabric/fabric.h"
#include "match/learned.h"
#include "text/analyzer.h"
#include "text/search_index.h"

namespace weefsel::match {

// Work an actor did before: a challenge (or project) text it took part in.
// Only work that happened counts (a formed coalition, not a mere proposal: the caller filters).
// Work on the challenge being ranked never counts for it: Rank leaves it out of the record and of
// the text (no feedback loop from a coalition proposed or formed for this very challenge).
struct PastWork {
  ActorId actor;
  std::string text;       // title + description of the challenge or project
  ChallengeId challenge;  // the challenge it was for, when known: never counted when ranking that challenge
  // When it happened (ISO date, "2018-03-01" or a timestamp; the coalition's created_at), or empty:
  // undated work counts as old in the recency components (recent_partner, active, recent_similar).
  std::string date;
};

// Track record from coalitions: one PastWork per accepted member of a *formed* coalition. A
// coalition that was only proposed or is still forming (members not accepted) is no track record,
// and neither is a declined member. The challenge is kept, so that Rank leaves it out for itself.
std::vector<PastWork> PastWorkFromCoalitions(const domain::Challenge& challenge,
                                             const std::vector<domain::Coalition>& coalitions);

// An invitation's outcome: the actor, a member of a coalition for the challenge, accepted or
// declined. Input of the learned stage's history features; invitations not answered are none.
struct Outcome {
  ActorId actor;
  ChallengeId challenge;
  bool accepted = false;
};
std::vector<Outcome> OutcomesFromCoalitions(const std::vector<domain::Coalition>& coalitions);

// Municipal neighbours (CBS adjacency, e.g. ../shared/data/nl/gemeenten_buren_2025.csv).
using Neighbours = std::unordered_map<MunicipalityId, std::unordered_set<MunicipalityId>>;

struct MatchWeights {
  double text = 0.30;
  double capability = 0.25;
  double theme = 0.10;
  double area = 0.10;
  double closeness = 0.10;
  double partner = 0.15;  // 0.05 until the seventh session (docs/matching.md)
  // 0.20 paid on the CORDIS validation years (+0.007 MRR on 2018), but on the fixture city it put a
  // sport club with one past coalition above the elderly-care organisation for a loneliness
  // challenge (Matcher.TheChallengesOwnCoalitionIsNoEvidenceForIt): kept at 0.10.
  double record = 0.10;
  // Chosen on the CORDIS validation year 2018 (docs/matching.md, "Fifth session"); added to the
  // seven above, so a score can exceed 1.
  double similar = 0.3;
  double owner_similar = 0.3;
  // Measured on the CORDIS validation years 2018 and 2017 (docs/matching.md): it did not pay in the
  // linear score (-0.001 and -0.002 MRR at 0.15), so 0 there; it is a feature of the learned stage.
  double near_similar = 0;
  // Ninth session (docs/matching.md): signals the matcher lacked, each computed at any weight (a
  // feature of the learned stage) and weighted 0 unless it paid on both validation years (CORDIS
  // 2018 and 2017: recent_partner 0.15 with active 0.05, +0.007 and +0.011 MRR).
  double recent_partner = 0.15;  // the owner's partners, recent work counting more
  double active = 0.05;          // the actor's own recent activity (past work, recent counting more)
  double recent_similar = 0;     // similar past work, recent counting more
  double partners2 = 0;          // partners of the owner's partners (resource allocation on the ties)
  double kind_fit = 0;           // its kind of organisation took part in the most similar past work
  // Tenth session (docs/matching.md): a random walk with restart at the owner and at the actors of
  // the most similar past work.
  double walk = 0;
};

// What a ranking did, for tests and benchmarks (RankOptions::stats).
struct RankStats {
  size_t reached = 0;   // actors the first pass scored
  bool pruned = false;  // common words were left out of the first pass, and the pool was found without them
  size_t rescored = 0;  // then: the actors near the pool's edge scored again with every word
};

struct RankOptions {
  int limit = 20;
  double diversity = 0.05;  // 0 = pure score order; penalty per earlier pick in the same community/sector
  // The diversity re-ranking picks only the first this many places; the rest of the list follows
  // in score order (the re-ranking over a whole long list pushed good actors far down).
  int diversity_places = 10;
  // A sector floor on those places, part of the re-ranking (none with diversity 0): while the
  // owner (when the challenge has one) and the first diversity_places actors hold fewer than this
  // many sectors, the best-scored actor of a missing sector takes the last of those places and the
  // lowest-placed actor of a sector held twice moves one place down, out of them (its "diversity"
  // reason says so). 0: no floor. With the floor, the penalty can be light (diversity 0.05, chosen
  // on the validation years with it; docs/matching.md, eleventh session).
  int mix_sectors = 3;
  MatchWeights weights;
  // The learned second stage (nullptr: the linear score only). Its features must be
  // Matcher::FeatureNames() (LearnedRanker::Load checks them when given those).
  const LearnedRanker* learned = nullptr;
  // Compute every component, also those at weight 0, so that Match::features holds them all: for
  // the callers that collect the learned stage's training rows (match::TrainingCandidates). Without
  // it (and without `learned`), a component at weight 0 is skipped and its feature is 0; the
  // scores, places and reasons are the same either way.
  bool all_features = false;
  // The learned stage re-scores at most this many of the best candidates by the linear score (or
  // `limit`, if larger): the candidates it is trained on (match/outcomes.h, eval/product_cordis.h)
  // are drawn from as many, and a model asked about candidates far below them scores them out of
  // what it has seen.
  int learned_pool = 100;
  double capability_gate = 0.5;  // share of text and theme kept by an actor with none of the needed capabilities
  double unexpected_min = 0.3;   // content (max of text and capability) an "unexpected corner" actor needs
  // Leave the query's most common words out of the first pass and score them only for the actors
  // near the pool's edge (the same ranking, bit for bit; false: every word for every actor, to
  // check that).
  bool prune = true;
  // The walk component (tenth session, docs/matching.md): the chance that the walk restarts at each
  // step (at least 0.05; the mean walk is 1 / walk_restart steps), the share of the restarts at the
  // owner (the rest at the actors of the most similar past work), and the power of an actor's tie
  // strength its value is divided by (0: the time the walk spends on it; 1: per unit of strength).
  double walk_restart = 0.2;
  double walk_owner_share = 0.5;
  double walk_degree_power = 0;
  RankStats* stats = nullptr;  // filled in when given
};

struct Reason {
  std::string code;         // "text", "capability", "theme", "area", "closeness", "partner", "record", "diversity"
  std::string detail;       // "has zorg, ict (2 of 3 needed, 67% of the weight)"
  double contribution = 0;  // weight * component value
  // Additive, for callers that localise reasons: the component's value in [0, 1] before weighting
  // (for "diversity" and "unexpected": 0), and the items it names (the capabilities held).
  double value = 0;
  std::vector<std::string> items;
  // "capability": needs no actor lists as a capability that this actor names in its text (words
  // outside the vocabulary, e.g. "huisarts"); they count for half their weight.
  std::vector<std::string> named_in_text;
  // One of the two or three reasons that matter most for this place (the largest contributions,
  // and "diversity" when the re-ranking moved the actor up); the rest are detail on request.
  bool primary = false;
  // From the learned stage: the contribution is the feature's share of the model's score (up when
  // positive, down when negative), not weight * value.
  bool learned = false;
};

struct Match {
  ActorId actor;
  std::string name;
  domain::Sector sector = domain::Sector::kBusiness;
  double score = 0;      // sum of the contributions
  bool learned = false;  // scored by the learned stage (else the linear score)
  // The learned stage's features for this actor and challenge (in Matcher::FeatureNames() order).
  // A component at weight 0 is 0 here unless RankOptions::learned or all_features was set.
  std::vector<float> features;
  // The list order is not the score order: the diversity re-ranking moves actors of other groups
  // and sectors up. rank = place in the returned list (1-based); score_rank = place by score alone;
  // moved_up = placed ahead of a higher-scored actor (then a "diversity" reason says so).
  int rank = 0;
  int score_rank = 0;
  bool moved_up = false;
  int community = -1;           // fabric community (-1: not in the fabric)
  bool unexpected = false;      // from an unexpected corner (definition above and in docs/matching.md)
  std::vector<Reason> reasons;  // largest contribution first
};

// How the Matcher groups actors for diversity and the "unexpected corner" flag.
enum class Grouping { kLabelPropagation, kLeiden };
struct BuildOptions {
  Grouping grouping = Grouping::kLabelPropagation;
  // Precomputed groups (e.g. the fabric report's communities); when non-empty they are used as
  // given and no grouping is computed. Actors absent from the map have no group (-1).
  std::unordered_map<ActorId, int> communities;
  // Invitation outcomes, for the learned stage's history features.
  std::vector<Outcome> outcomes;
};

// What changed since a matcher was built, for Matcher::Update. Past work is not among it (a
// coalition formed or a challenge's text edited needs a whole build).
struct MatcherChanges {
  std::vector<domain::Actor> actors;  // edited (by id) or new, whole
  std::vector<domain::Tie> ties_added;
  std::vector<TieId> ties_removed;
  // Per challenge, all of its invitation outcomes as they are now (replacing the matcher's).
  std::unordered_map<ChallengeId, std::vector<Outcome>> outcomes;
  bool empty() const { return actors.empty() && ties_added.empty() && ties_removed.empty() && outcomes.empty(); }
};

class Matcher {
 public:
  // Reads the neighbours file (gm_code_a, gm_code_b, ...) against the municipalities' CBS codes.
  static Result<Neighbours> ReadNeighbours(const std::string& path,
                                           const std::vector<domain::Municipality>& municipalities);

  static Result<Matcher> Build(std::vector<domain::Actor> actors, const std::vector<domain::Tie>& ties,
                               const std::vector<PastWork>& past, Neighbours neighbours = {},
                               std::shared_ptr<const text::Analyzer> analyzer = nullptr,
                               const BuildOptions& options = {});

  // The learned stage's features, in order: the sixteen components (text ... kind_fit, walk) and
  // invitations_accepted, invitations_declined (for other challenges than the one ranked).
  static const std::vector<std::string>& FeatureNames();

  // InvalidArgument for a challenge with no searchable text and no capabilities or themes, or an
  // owner that is not an actor; the message says what is missing.
  Result<std::vector<Match>> Rank(const domain::Challenge& challenge, const RankOptions& options = {}) const;

  // Applies `changes` in place (see the header comment). InvalidArgument, and nothing changed,
  // when they cannot be applied: an actor without an id, a tie to an actor the matcher does not
  // hold, a tie of an actor to itself or with a weight that is not > 0.
  Status Update(const MatcherChanges& changes);
  // The past work the matcher holds for `challenge` (one per accepted member of its formed
  // coalitions), sorted by actor and text: to tell whether a change needs a whole build.
  std::vector<PastWork> PastWorkFor(ChallengeId challenge) const;
  // Holds off Update while the caller reads actors(), fabric(), IndexOf() or CommunityOf().
  std::shared_lock<WriterFirstSharedMutex> ReadLock() const { return std::shared_lock(lock_.mu); }

  const fabric::Fabric& fabric() const { return *fabric_; }
  const std::vector<domain::Actor>& actors() const { return actors_; }
  std::optional<size_t> IndexOf(ActorId id) const;
  int CommunityOf(size_t actor_index) const { return community_[actor_index]; }

 private:
  // A tie as the fabric takes it (actor indices), with its id for removal.
  struct TieEdge {
    TieId id;
    int a = 0, b = 0;
    double weight = 1;
  };
  // The ties that enter the fabric (not ended), checked; messages name ties[k] and the field.
  Result<std::vector<TieEdge>> EdgesOf(const std::vector<domain::Tie>& ties) const;
  // The fabric from actors_ and edges_ (node i = actor i).
  Status RebuildFabric();
  Result<std::vector<Match>> RankLocked(const domain::Challenge& challenge, const RankOptions& options) const;
  // A mutex that a copy of the matcher does not share. Writers first (base/shared_mutex.h): an
  // Update waits for the rankings under way, not for a stream of rankings without end.
  struct Lock {
    mutable WriterFirstSharedMutex mu;
    std::mutex update;  // one Update at a time (it prepares without mu, swaps in under it)
    Lock() = default;
    Lock(const Lock&) {}
    Lock& operator=(const Lock&) { return *this; }
  };

  Lock lock_;
  std::vector<TieEdge> edges_;  // the ties in the fabric (those that have not ended)
  std::vector<domain::Actor> actors_;
  std::unordered_map<ActorId, size_t> index_;
  std::shared_ptr<const text::Analyzer> analyzer_;
  text::TermIndex text_index_;  // doc i = actor i
  std::unordered_map<std::string, std::vector<size_t>> by_capability_, by_theme_;
  std::unordered_map<MunicipalityId, std::vector<size_t>> by_municipality_;
  std::vector<int> record_;  // past works per actor
  // Past work tied to a challenge: per challenge, the actors with it, how many works and their
  // analysed document without that challenge's texts (so Rank(that challenge) ignores them).
  // The actor's analysed document is rebuilt without them at Rank time (only for the challenge
  // ranked: storing one variant per (challenge, actor) grows with the square of an actor's works).
  struct OwnPast {
    size_t actor;
    int works;
  };
  std::string DocOf(size_t actor, ChallengeId without) const;
  std::vector<std::vector<std::pair<ChallengeId, std::string>>> past_of_;  // per actor: its past work
  // Past work as documents of their own (one per challenge; work without a challenge alone), for
  // the similar and owner_similar components: text index, members, and each actor's works.
  text::TermIndex work_index_;
  std::vector<ChallengeId> work_challenge_;
  std::unordered_map<ChallengeId, int32_t> work_of_challenge_;  // the past work document of a challenge
  std::vector<std::string> work_title_;
  std::vector<std::vector<size_t>> work_members_;
  std::vector<std::vector<int32_t>> works_of_;  // per actor
  std::unordered_map<ChallengeId, std::vector<OwnPast>> own_past_;
  int max_record_ = 0;
  // Recency (ninth session): per past work document its date in years (NaN: undated), its weight
  // 0.5^((newest - date) / kRecencyHalfLife) (0 when undated), and per actor the sum of its works'.
  std::vector<double> work_year_;
  std::vector<float> work_recency_;
  std::vector<float> activity_;
  float max_activity_ = 0;
  // Each actor's kind, compact: kind_fit reads it for every actor scored, and an Actor is hundreds
  // of bytes (one cache miss each: +8 ms per ranking of 100,000 actors in bench/match).
  std::vector<uint8_t> kind_;
  std::vector<std::vector<std::pair<ChallengeId, bool>>> outcomes_of_;    // per actor: (challenge, accepted)
  std::unordered_map<ChallengeId, std::vector<size_t>> outcome_holders_;  // per challenge: the actors with its outcomes
  Neighbours neighbours_;
  std::shared_ptr<fabric::Fabric> fabric_;
  std::vector<int> node_of_;    // actor index -> fabric node
  std::vector<int> community_;  // actor index -> community
};

}  // namespace weefsel::match
