// service/actors/actors.cc: actors and ties (contract in actors.h).
#include "service/actors/actors.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "base/log.h"
#include "base/strings.h"
#include "service/core/audit_snap.h"
#include "service/core/policy.h"
#include "storage/store.h"

namespace weefsel::service {

using core::Action;
using core::Can;
using core::Dump;
using core::IdOrNull;
using core::Snap;
using domain::Role;
using J = nlohmann::json;

Result<std::vector<domain::Actor>> Actors::ListActors(const storage::ListQuery& q) {
  ReadLock lock(*this);
  return store_->ListActors(q);
}

Result<domain::Actor> Actors::GetActor(ActorId id) {
  ReadLock lock(*this);
  return store_->GetActor(id);
}

Result<domain::Actor> Actors::CreateActor(const Principal& p, domain::Actor a) {
  WEEFSEL_RETURN_IF_ERROR(Can(p, Action::kAddActor, {.municipalities = {a.municipality}}));
  a.id = ActorId();
  a.generated = false;
  if (a.source.empty()) a.source = "api";
  WEEFSEL_RETURN_IF_ERROR(domain::NormalizeTags(a.themes, a.capabilities));
  WEEFSEL_RETURN_IF_ERROR(domain::Validate(a));
  WriteLock lock(*this);
  if (a.municipality.valid())
    WEEFSEL_RETURN_IF_ERROR(store_->GetMunicipality(a.municipality).status().WithContext("actor.municipality"));
  WEEFSEL_RETURN_IF_ERROR(Logged(
      p, a.municipality, "actor", "create", "", [&] { return store_->Insert(a).status(); },
      [&] { return std::make_pair(a.id.value(), Snap(a)); }));
  return a;
}

Result<domain::Actor> Actors::UpdateActor(const Principal& p, ActorId id, const Patch<domain::Actor>& patch) {
  WEEFSEL_RETURN_IF_ERROR(NeedUser(p));
  WriteLock lock(*this);
  WEEFSEL_ASSIGN_OR_RETURN(domain::Actor a, store_->GetActor(id));
  WEEFSEL_RETURN_IF_ERROR(Can(p, Action::kChangeActor, {.municipalities = {a.municipality}, .actors = {id}}));
  MunicipalityId before = a.municipality;
  std::string was = Snap(a);
  WEEFSEL_RETURN_IF_ERROR(patch(a));
  a.id = id;
  if (a.municipality != before)
    WEEFSEL_RETURN_IF_ERROR(Can(p, Action::kMoveActor, {.municipalities = {a.municipality}}));
  WEEFSEL_RETURN_IF_ERROR(domain::NormalizeTags(a.themes, a.capabilities));
  WEEFSEL_RETURN_IF_ERROR(domain::Validate(a));
  if (a.municipality.valid())
    WEEFSEL_RETURN_IF_ERROR(store_->GetMunicipality(a.municipality).status().WithContext("actor.municipality"));
  WEEFSEL_RETURN_IF_ERROR(Logged(
      p, a.municipality, "actor", "update", was, [&] { return store_->Update(a); },
      [&] { return std::make_pair(id.value(), Snap(a)); }));
  return a;
}

Status Actors::DeleteActor(const Principal& p, ActorId id) {
  WEEFSEL_RETURN_IF_ERROR(NeedUser(p));
  WriteLock lock(*this);
  WEEFSEL_ASSIGN_OR_RETURN(domain::Actor a, store_->GetActor(id));
  WEEFSEL_RETURN_IF_ERROR(Can(p, Action::kRemoveActor, {.municipalities = {a.municipality}}));
  return Logged(
      p, a.municipality, "actor", "delete", Snap(a), [&] { return store_->DeleteActor(id); },
      [&] { return std::make_pair(id.value(), std::string()); });
}

Result<std::vector<domain::Tie>> Actors::ListTies(const storage::ListQuery& q) {
  ReadLock lock(*this);
  return store_->ListTies(q);
}

Result<std::vector<domain::Tie>> Actors::TiesOf(ActorId actor) {
  ReadLock lock(*this);
  WEEFSEL_RETURN_IF_ERROR(store_->GetActor(actor).status());
  return store_->TiesOf(actor);
}

Result<domain::Tie> Actors::CreateTie(const Principal& p, domain::Tie t) {
  WEEFSEL_RETURN_IF_ERROR(NeedUser(p));
  t.id = TieId();
  domain::Normalize(t);
  WEEFSEL_RETURN_IF_ERROR(domain::Validate(t));
  WriteLock lock(*this);
  WEEFSEL_ASSIGN_OR_RETURN(domain::Actor a, store_->GetActor(t.a));
  WEEFSEL_ASSIGN_OR_RETURN(domain::Actor b, store_->GetActor(t.b));
  WEEFSEL_RETURN_IF_ERROR(
      Can(p, Action::kAddTie, {.municipalities = {a.municipality, b.municipality}, .actors = {a.id, b.id}}));
  WEEFSEL_RETURN_IF_ERROR(Logged(
      p, a.municipality.valid() ? a.municipality : b.municipality, "tie", "create", "",
      [&] { return store_->Insert(t).status(); }, [&] { return std::make_pair(t.id.value(), Snap(t)); }));
  return t;
}

Status Actors::DeleteTie(const Principal& p, ActorId actor, TieId tie) {
  WEEFSEL_RETURN_IF_ERROR(NeedUser(p));
  WriteLock lock(*this);
  WEEFSEL_ASSIGN_OR_RETURN(auto ties, store_->TiesOf(actor));
  auto it = std::find_if(ties.begin(), ties.end(), [tie](const auto& t) { return t.id == tie; });
  if (it == ties.end())
    return Status::NotFound("tie " + std::to_string(tie.value()) + " of actor " + std::to_string(actor.value()));
  WEEFSEL_ASSIGN_OR_RETURN(domain::Actor a, store_->GetActor(it->a));
  WEEFSEL_ASSIGN_OR_RETURN(domain::Actor b, store_->GetActor(it->b));
  WEEFSEL_RETURN_IF_ERROR(
      Can(p, Action::kRemoveTie, {.municipalities = {a.municipality, b.municipality}, .actors = {a.id, b.id}}));
  return Logged(
      p, a.municipality.valid() ? a.municipality : b.municipality, "tie", "delete", Snap(*it),
      [&] { return store_->DeleteTie(tie); }, [&] { return std::make_pair(tie.value(), std::string()); });
}

}  // namespace weefsel::service
