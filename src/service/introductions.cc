#include "service/introductions.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <utility>

#include "base/clock.h"
#include "service/core/policy.h"
#include "storage/store.h"

namespace weefsel::service {

namespace {

using J = nlohmann::json;

std::string Id(int64_t v) { return std::to_string(v); }

// Members of `a` with an account, less the acting user (who is not told about their own act).
Result<int64_t> Told(storage::Store& store, ActorId a, UserId acting) {
  WEEFSEL_ASSIGN_OR_RETURN(auto users, store.MembersOf(a));
  return static_cast<int64_t>(std::count_if(users.begin(), users.end(), [&](UserId u) { return u != acting; }));
}

}  // namespace

Result<Introduction> Introductions::Introduce(const Principal& p, MunicipalityId m, ActorId a, ActorId b,
                                              std::string note) {
  WEEFSEL_RETURN_IF_ERROR(NeedUser(p));
  if (!a.valid() || !b.valid()) return Status::InvalidArgument("introduction: a and b must be actor ids");
  if (a == b) return Status::InvalidArgument("introduction: a and b must be two different actors");
  if (note.size() > kMaxIntroductionNote)
    return Status::InvalidArgument("introduction.note: at most " + Id(kMaxIntroductionNote) + " bytes");
  if (b < a) std::swap(a, b);
  WriteLock lock(*this);
  auto& store = *store_;
  WEEFSEL_ASSIGN_OR_RETURN(domain::Municipality muni, store.GetMunicipality(m));
  WEEFSEL_RETURN_IF_ERROR(core::Can(p, core::Action::kIntroduce, {.municipalities = {m}}));
  WEEFSEL_ASSIGN_OR_RETURN(domain::Actor actor_a, store.GetActor(a));
  WEEFSEL_ASSIGN_OR_RETURN(domain::Actor actor_b, store.GetActor(b));
  if (actor_a.municipality != m && actor_b.municipality != m)
    return Status::InvalidArgument("introduction: neither actor " + Id(a.value()) + " nor actor " + Id(b.value()) +
                                   " is at home in municipality " + Id(m.value()));

  // The same pair once per quiet period: the audit log is the record of introductions.
  Introduction out;
  out.at = Now();
  auto now = ParseTimestamp(out.at);
  WEEFSEL_ASSIGN_OR_RETURN(auto earlier, store.AuditOf("introduction", a.value()));
  for (const auto& e : earlier) {
    J after = J::parse(e.after, nullptr, false);
    if (after.is_discarded() || after.value("b", J::object()).value("id", int64_t{0}) != b.value()) continue;
    auto then = ParseTimestamp(e.at);
    if (now && then && *now - *then < std::chrono::hours(24 * kIntroductionQuietDays))
      return Status::Conflict(actor_a.name + " and " + actor_b.name + " were introduced on " + e.at.substr(0, 10) +
                              "; the same two can be introduced again " + Id(kIntroductionQuietDays) +
                              " days after that");
  }

  out.municipality = m;
  out.note = std::move(note);
  out.a = {a, actor_a.name, 0};
  out.b = {b, actor_b.name, 0};
  WEEFSEL_ASSIGN_OR_RETURN(out.a.notified, Told(store, a, p.user));
  WEEFSEL_ASSIGN_OR_RETURN(out.b.notified, Told(store, b, p.user));
  J snap = {{"municipality", m.value()},
            {"municipality_name", muni.name},
            {"a", {{"id", a.value()}, {"name", actor_a.name}}},
            {"b", {{"id", b.value()}, {"name", actor_b.name}}},
            {"note", out.note}};
  // The notifications are written with the audit entry (Logged calls NotifyFromAudit).
  WEEFSEL_RETURN_IF_ERROR(Logged(
      p, m, "introduction", "create", "", [] { return Status::Ok(); },
      [&] { return std::make_pair(a.value(), snap.dump(-1, ' ', false, J::error_handler_t::replace)); }));
  return out;
}

}  // namespace weefsel::service
