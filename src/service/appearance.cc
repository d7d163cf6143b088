#include "service/appearance.h"

#include <nlohmann/json.hpp>

#include <utility>

#include "service/base64.h"
#include "service/core/audit_snap.h"
#include "service/core/policy.h"
#include "storage/store.h"

namespace weefsel::service {

namespace {

using core::Snap;

}  // namespace

Result<std::string> DecodeLogoBase64(std::string_view base64) {
  if (base64.empty()) return std::string();
  if (base64.size() > kMaxLogoBase64)
    return Status::InvalidArgument("logo.image: the image is over " + std::to_string(domain::kMaxLogoBytes / 1024) +
                                   " KiB");
  std::optional<std::string> bytes = BytesOfBase64(base64);
  if (!bytes) return Status::InvalidArgument("logo.image: must be base64 (RFC 4648) of the image's bytes");
  return std::move(*bytes);
}

Result<domain::Appearance> Appearances::Get(MunicipalityId m) {
  ReadLock lock(*this);
  auto& store = *store_;
  WEEFSEL_RETURN_IF_ERROR(store.GetMunicipality(m).status());
  return store.GetAppearance(m);
}

Result<domain::Appearance> Appearances::Change(const Principal& p, MunicipalityId m, const AppearanceEdit& edit) {
  WEEFSEL_RETURN_IF_ERROR(NeedUser(p));
  WriteLock lock(*this);
  auto& store = *store_;
  WEEFSEL_ASSIGN_OR_RETURN(domain::Municipality muni, store.GetMunicipality(m));
  WEEFSEL_RETURN_IF_ERROR(core::Can(p, core::Action::kSetAppearance, {.municipalities = {m}}));
  WEEFSEL_ASSIGN_OR_RETURN(domain::Appearance a, store.GetAppearance(m));
  std::string was = Snap(a);
  WEEFSEL_RETURN_IF_ERROR(edit(a));
  if (a.theme == "utrecht" && muni.cbs_code != "GM0344")
    return Status::InvalidArgument(
        "appearance.theme: the Utrecht theme may only be used for the Municipality of Utrecht (its licence; "
        "docs/ui.md)");
  a.updated_at = Now();
  WEEFSEL_RETURN_IF_ERROR(domain::Validate(a));
  WEEFSEL_RETURN_IF_ERROR(Logged(
      p, m, "municipality", "appearance", was, [&] { return store.PutAppearance(a); },
      [&] { return std::make_pair(m.value(), Snap(a)); }));
  return a;
}

Result<domain::Appearance> Appearances::SetLogo(const Principal& p, MunicipalityId m, const std::string& bytes) {
  WEEFSEL_RETURN_IF_ERROR(NeedUser(p));
  WriteLock lock(*this);
  auto& store = *store_;
  WEEFSEL_RETURN_IF_ERROR(store.GetMunicipality(m).status());
  WEEFSEL_RETURN_IF_ERROR(core::Can(p, core::Action::kSetAppearance, {.municipalities = {m}}));
  WEEFSEL_ASSIGN_OR_RETURN(domain::Appearance a, store.GetAppearance(m));
  std::string was = Snap(a);
  if (bytes.empty()) {
    a.logo.clear();
    a.logo_type.clear();
  } else {
    WEEFSEL_ASSIGN_OR_RETURN(a.logo_type, domain::SniffLogoType(bytes));
    a.logo = bytes;
  }
  a.updated_at = Now();
  WEEFSEL_RETURN_IF_ERROR(Logged(
      p, m, "municipality", "appearance", was, [&] { return store.PutAppearance(a); },
      [&] { return std::make_pair(m.value(), Snap(a)); }));
  return a;
}

}  // namespace weefsel::service
