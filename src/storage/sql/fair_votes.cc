// sql/fair_votes.cc: fair votes (store/fair_votes.h, and
// docs/decisions/0004-secret-ballot.md for the design). Codes, census lines and the marks of who
// voted are written without a time; a sealed ballot's entries are JSON text in its row, read and
// written whole. Only sealed ballots change a public answer (the round's results), so only they go
// through Write; the rest is a plain transaction, like account state.
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "storage/sql/sql_store.h"
#include "storage/sql/sql_util.h"

namespace weefsel::storage::sql {

namespace {

using Json = nlohmann::json;

// Rows go in batches of this many (one fixed statement text, so the connection's statement cache
// holds one more statement, not one per size); the rest one at a time.
constexpr size_t kBatch = 100;

// INSERT INTO <table> (<cols>) VALUES (...), (...): `rows` tuples of `width` placeholders.
std::string InsertSql(const std::string& head, size_t rows, size_t width) {
  std::string sql = head + " VALUES ";
  size_t n = 0;
  for (size_t r = 0; r < rows; ++r) {
    sql += r ? ", (" : "(";
    for (size_t c = 0; c < width; ++c) sql += (c ? ", $" : "$") + std::to_string(++n);
    sql += ")";
  }
  return sql;
}

std::vector<VoteTally> Tally(const SqlRows& r) {
  std::vector<VoteTally> out;
  for (size_t i = 0; i < r.size(); ++i) out.push_back({r.Str(i, 0), r.Int(i, 1), r.Int(i, 2)});
  return out;
}

}  // namespace

Result<std::string> SqlStore::GetRoundSalt(RoundId round) {
  WEEFSEL_ASSIGN_OR_RETURN(SqlRows r, Q("SELECT salt FROM round_secrets WHERE round_id = $1", {Int(round.value())}));
  return r.empty() ? std::string() : r.Str(0, 0);
}

Status SqlStore::PutRoundSalt(RoundId round, const std::string& salt) {
  if (salt.empty()) return Status::InvalidArgument("round.salt: must not be empty");
  Status s = Transaction([&]() -> Status {
    return Q("INSERT INTO round_secrets (round_id, salt) VALUES ($1, $2)", {Int(round.value()), Text(salt)}).status();
  });
  return Explain(s, "round_secret", {{"round_secret.round", "rounds", round.value()}});
}

Status SqlStore::InsertVotingCodes(RoundId round, const std::vector<VotingCode>& codes) {
  Status s = Transaction([&]() -> Status {
    const std::string head = "INSERT INTO voting_codes (round_id, code_hash, wijk, used)";
    size_t i = 0;
    for (; i + kBatch <= codes.size(); i += kBatch) {
      Params p;
      for (size_t k = i; k < i + kBatch; ++k) {
        p.push_back(Int(round.value()));
        p.push_back(Text(codes[k].hash));
        p.push_back(Text(codes[k].wijk));
        p.push_back(Int(codes[k].used ? 1 : 0));
      }
      WEEFSEL_RETURN_IF_ERROR(Q(InsertSql(head, kBatch, 4), p).status());
    }
    for (; i < codes.size(); ++i)
      WEEFSEL_RETURN_IF_ERROR(Q(InsertSql(head, 1, 4), {Int(round.value()), Text(codes[i].hash), Text(codes[i].wijk),
                                                        Int(codes[i].used ? 1 : 0)})
                                  .status());
    return Status::Ok();
  });
  return Explain(s, "voting_code", {{"voting_code.round", "rounds", round.value()}});
}

Result<VotingCode> SqlStore::GetVotingCode(RoundId round, const std::string& hash) {
  WEEFSEL_ASSIGN_OR_RETURN(SqlRows r, Q("SELECT code_hash, wijk, used FROM voting_codes WHERE round_id = $1 AND "
                                        "code_hash = $2",
                                        {Int(round.value()), Text(hash)}));
  if (r.empty()) return Status::NotFound("voting code: not a code of round " + std::to_string(round.value()));
  return VotingCode{r.Str(0, 0), r.Str(0, 1), r.Int(0, 2) != 0};
}

Result<bool> SqlStore::UseVotingCode(RoundId round, const std::string& hash) {
  bool changed = false;
  WEEFSEL_RETURN_IF_ERROR(Transaction([&]() -> Status {
    WEEFSEL_ASSIGN_OR_RETURN(SqlRows r, Q("UPDATE voting_codes SET used = 1 WHERE round_id = $1 AND code_hash = $2 "
                                          "AND used = 0 RETURNING code_hash",
                                          {Int(round.value()), Text(hash)}));
    changed = !r.empty();
    return Status::Ok();
  }));
  return changed;
}

Result<std::vector<VoteTally>> SqlStore::VotingCodeTally(RoundId round) {
  WEEFSEL_ASSIGN_OR_RETURN(SqlRows r, Q("SELECT wijk, COUNT(*), SUM(used) FROM voting_codes WHERE round_id = $1 "
                                        "GROUP BY wijk ORDER BY wijk",
                                        {Int(round.value())}));
  return Tally(r);
}

Status SqlStore::ReplaceCensus(RoundId round, const std::vector<CensusEntry>& entries) {
  Status s = Transaction([&]() -> Status {
    WEEFSEL_RETURN_IF_ERROR(Q("DELETE FROM census_entries WHERE round_id = $1", {Int(round.value())}).status());
    const std::string head = "INSERT INTO census_entries (round_id, entry_hash, wijk, birth_year, voted)";
    auto add = [&](Params& p, const CensusEntry& e) {
      p.push_back(Int(round.value()));
      p.push_back(Text(e.hash));
      p.push_back(Text(e.wijk));
      p.push_back(Int(e.birth_year));
      p.push_back(Int(e.voted ? 1 : 0));
    };
    size_t i = 0;
    for (; i + kBatch <= entries.size(); i += kBatch) {
      Params p;
      for (size_t k = i; k < i + kBatch; ++k) add(p, entries[k]);
      WEEFSEL_RETURN_IF_ERROR(Q(InsertSql(head, kBatch, 5), p).status());
    }
    for (; i < entries.size(); ++i) {
      Params p;
      add(p, entries[i]);
      WEEFSEL_RETURN_IF_ERROR(Q(InsertSql(head, 1, 5), p).status());
    }
    return Status::Ok();
  });
  return Explain(s, "census_entry", {{"census_entry.round", "rounds", round.value()}});
}

Result<CensusEntry> SqlStore::GetCensusEntry(RoundId round, const std::string& hash) {
  WEEFSEL_ASSIGN_OR_RETURN(SqlRows r, Q("SELECT entry_hash, wijk, birth_year, voted FROM census_entries WHERE "
                                        "round_id = $1 AND entry_hash = $2",
                                        {Int(round.value()), Text(hash)}));
  if (r.empty())
    return Status::NotFound("census: no such line in the census of round " + std::to_string(round.value()));
  return CensusEntry{r.Str(0, 0), r.Str(0, 1), static_cast<int>(r.Int(0, 2)), r.Int(0, 3) != 0};
}

Result<bool> SqlStore::MarkCensusVoted(RoundId round, const std::string& hash) {
  bool changed = false;
  WEEFSEL_RETURN_IF_ERROR(Transaction([&]() -> Status {
    WEEFSEL_ASSIGN_OR_RETURN(SqlRows r, Q("UPDATE census_entries SET voted = 1 WHERE round_id = $1 AND "
                                          "entry_hash = $2 AND voted = 0 RETURNING entry_hash",
                                          {Int(round.value()), Text(hash)}));
    changed = !r.empty();
    return Status::Ok();
  }));
  return changed;
}

Result<std::vector<VoteTally>> SqlStore::CensusTally(RoundId round) {
  WEEFSEL_ASSIGN_OR_RETURN(SqlRows r, Q("SELECT wijk, COUNT(*), SUM(voted) FROM census_entries WHERE round_id = $1 "
                                        "GROUP BY wijk ORDER BY wijk",
                                        {Int(round.value())}));
  return Tally(r);
}

Result<bool> SqlStore::MarkVerifiedVoter(RoundId round, UserId user) {
  bool added = false;
  Status s = Transaction([&]() -> Status {
    WEEFSEL_ASSIGN_OR_RETURN(SqlRows seen, Q("SELECT 1 FROM round_verified_voters WHERE round_id = $1 AND "
                                             "user_id = $2",
                                             {Int(round.value()), Int(user.value())}));
    if (!seen.empty()) return Status::Ok();
    WEEFSEL_RETURN_IF_ERROR(Q("INSERT INTO round_verified_voters (round_id, user_id) VALUES ($1, $2)",
                              {Int(round.value()), Int(user.value())})
                                .status());
    added = true;
    return Status::Ok();
  });
  WEEFSEL_RETURN_IF_ERROR(
      Explain(s, "verified_voter",
              {{"verified_voter.round", "rounds", round.value()}, {"verified_voter.user", "users", user.value()}}));
  return added;
}

Status SqlStore::PutSealedBallot(const SealedBallot& b) {
  if (b.token_hash.empty()) return Status::InvalidArgument("ballot.token: must not be empty");
  auto round = GetRound(b.round);
  if (!round.ok()) {
    if (round.status().code() == StatusCode::kNotFound)
      return Status::InvalidArgument("ballot.round: round " + std::to_string(b.round.value()) + " does not exist");
    return round.status();
  }
  domain::Ballot as_ballot;
  as_ballot.round = b.round;
  as_ballot.kind = b.kind;
  as_ballot.entries = b.entries;
  WEEFSEL_RETURN_IF_ERROR(domain::Validate(as_ballot, *round));
  Json entries = Json::array();
  for (const auto& e : b.entries) entries.push_back({{"project_id", e.project_id}, {"points", e.points}});
  const std::string text = entries.dump(-1, ' ', false, Json::error_handler_t::replace);
  return Write([&]() -> Status {
    Touch(scope::Round(b.round));
    WEEFSEL_ASSIGN_OR_RETURN(
        SqlRows r, Q("UPDATE sealed_ballots SET kind = $1, entries = $2 WHERE round_id = $3 "
                     "AND token_hash = $4 RETURNING token_hash",
                     {Text(domain::BallotKindCode(b.kind)), Text(text), Int(b.round.value()), Text(b.token_hash)}));
    if (!r.empty()) return Status::Ok();
    return Q("INSERT INTO sealed_ballots (round_id, token_hash, kind, entries) VALUES ($1, $2, $3, $4)",
             {Int(b.round.value()), Text(b.token_hash), Text(domain::BallotKindCode(b.kind)), Text(text)})
        .status();
  });
}

namespace {
Result<std::vector<domain::BallotEntry>> EntriesOf(const std::string& text) {
  Json j = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_array()) return Status::Internal("sealed_ballots: entries are not a JSON list");
  std::vector<domain::BallotEntry> out;
  for (const auto& e : j) {
    if (!e.is_object()) return Status::Internal("sealed_ballots: an entry is not an object");
    out.push_back({e.value("project_id", std::string()), e.value("points", int64_t{1})});
  }
  return out;
}
}  // namespace

Result<SealedBallot> SqlStore::GetSealedBallot(RoundId round, const std::string& token_hash) {
  WEEFSEL_ASSIGN_OR_RETURN(SqlRows r, Q("SELECT kind, entries FROM sealed_ballots WHERE round_id = $1 AND "
                                        "token_hash = $2",
                                        {Int(round.value()), Text(token_hash)}));
  if (r.empty())
    return Status::NotFound("ballot: no ballot of round " + std::to_string(round.value()) + " has this token");
  SealedBallot b;
  b.round = round;
  b.token_hash = token_hash;
  auto kind = domain::ParseBallotKind(r.Str(0, 0));
  if (!kind.ok()) return Status::Internal("sealed_ballots: " + kind.status().message());
  b.kind = *kind;
  WEEFSEL_ASSIGN_OR_RETURN(b.entries, EntriesOf(r.Str(0, 1)));
  return b;
}

Result<std::vector<domain::Ballot>> SqlStore::ReadSealedBallots(RoundId round) {
  WEEFSEL_ASSIGN_OR_RETURN(SqlRows r, Q("SELECT kind, entries FROM sealed_ballots WHERE round_id = $1 "
                                        "ORDER BY token_hash",
                                        {Int(round.value())}));
  std::vector<domain::Ballot> out(r.size());
  for (size_t i = 0; i < r.size(); ++i) {
    out[i].round = round;
    auto kind = domain::ParseBallotKind(r.Str(i, 0));
    if (!kind.ok()) return Status::Internal("sealed_ballots: " + kind.status().message());
    out[i].kind = *kind;
    WEEFSEL_ASSIGN_OR_RETURN(out[i].entries, EntriesOf(r.Str(i, 1)));
  }
  return out;
}

Result<std::vector<UserId>> SqlStore::VerifiedVotersOf(RoundId round) {
  WEEFSEL_ASSIGN_OR_RETURN(SqlRows r, Q("SELECT user_id FROM round_verified_voters WHERE round_id = $1 "
                                        "ORDER BY user_id",
                                        {Int(round.value())}));
  return UserIds(r);
}

// Voiding the ballots of accounts registered in bulk.
Result<int64_t> SqlStore::VoidBallots(RoundId round, const std::vector<UserId>& users) {
  int64_t deleted = 0;
  Status s = Write([&]() -> Status {
    Touch(scope::Round(round));
    for (UserId u : users) {
      WEEFSEL_ASSIGN_OR_RETURN(SqlRows seen, Q("SELECT 1 FROM voided_voters WHERE round_id = $1 AND user_id = $2",
                                               {Int(round.value()), Int(u.value())}));
      if (seen.empty())
        WEEFSEL_RETURN_IF_ERROR(
            Q("INSERT INTO voided_voters (round_id, user_id) VALUES ($1, $2)", {Int(round.value()), Int(u.value())})
                .status());
      WEEFSEL_ASSIGN_OR_RETURN(SqlRows gone, Q("DELETE FROM ballots WHERE round_id = $1 AND voter_user_id = $2 "
                                               "RETURNING id",
                                               {Int(round.value()), Int(u.value())}));
      deleted += static_cast<int64_t>(gone.size());
    }
    return Status::Ok();
  });
  WEEFSEL_RETURN_IF_ERROR(Explain(s, "void", {{"void.round", "rounds", round.value()}}));
  return deleted;
}

Result<std::vector<UserId>> SqlStore::VoidedVotersOf(RoundId round) {
  WEEFSEL_ASSIGN_OR_RETURN(
      SqlRows r, Q("SELECT user_id FROM voided_voters WHERE round_id = $1 ORDER BY user_id", {Int(round.value())}));
  return UserIds(r);
}

}  // namespace weefsel::storage::sql
