// service/municipalities/municipalities.cc: the municipalities (contract in municipalities.h).
#include "service/municipalities/municipalities.h"

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

Result<std::vector<domain::Municipality>> Municipalities::ListMunicipalities(const storage::ListQuery& q) {
  ReadLock lock(*this);
  return store_->ListMunicipalities(q);
}

Result<domain::Municipality> Municipalities::GetMunicipality(MunicipalityId id) {
  ReadLock lock(*this);
  return store_->GetMunicipality(id);
}

Result<domain::Municipality> Municipalities::GetMunicipalityByCode(const std::string& cbs_code) {
  ReadLock lock(*this);
  return store_->GetMunicipalityByCode(cbs_code);
}

Result<domain::Municipality> Municipalities::CreateMunicipality(const Principal& p, domain::Municipality m) {
  WEEFSEL_RETURN_IF_ERROR(Can(p, Action::kAddMunicipality, {}));
  m.id = MunicipalityId();
  WEEFSEL_RETURN_IF_ERROR(domain::Validate(m));
  WriteLock lock(*this);
  WEEFSEL_RETURN_IF_ERROR(Logged(
      p, MunicipalityId(), "municipality", "create", "", [&] { return store_->Insert(m).status(); },
      [&] { return std::make_pair(m.id.value(), Snap(m)); }));
  return m;
}

Result<domain::Municipality> Municipalities::UpdateMunicipality(const Principal& p, MunicipalityId id,
                                                                const Patch<domain::Municipality>& patch) {
  WEEFSEL_RETURN_IF_ERROR(NeedUser(p));
  WriteLock lock(*this);
  WEEFSEL_ASSIGN_OR_RETURN(domain::Municipality m, store_->GetMunicipality(id));
  WEEFSEL_RETURN_IF_ERROR(Can(p, Action::kChangeMunicipality, {.municipalities = {id}}));
  std::string was = Snap(m);
  WEEFSEL_RETURN_IF_ERROR(patch(m));
  m.id = id;
  WEEFSEL_RETURN_IF_ERROR(domain::Validate(m));
  WEEFSEL_RETURN_IF_ERROR(Logged(
      p, id, "municipality", "update", was, [&] { return store_->Update(m); },
      [&] { return std::make_pair(id.value(), Snap(m)); }));
  return m;
}

}  // namespace weefsel::service
