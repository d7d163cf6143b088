// service/rights.h: the two first checks of every use case (a signed-in caller; a rule that admins
// pass), shared by the platform, the Right to Challenge and self-service. The one rights table of
// issue 22 (service/core/policy) is to replace the rules themselves.
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"
#include "service/platform.h"

namespace weefsel::service {

// Unauthenticated for anonymous callers.
inline Status NeedUser(const Principal& p) {
  if (!p.authenticated())
    return Status::Unauthenticated("sign in (session cookie or API token) first").WithReason("sign_in_required");
  return Status::Ok();
}

// Unauthenticated for anonymous callers, PermissionDenied(why) when `allowed` is false (admins pass).
inline Status Require(const Principal& p, bool allowed, const std::string& why) {
  WEEFSEL_RETURN_IF_ERROR(NeedUser(p));
  if (!allowed && !p.IsAdmin()) return Status::PermissionDenied(why);
  return Status::Ok();
}

// As Require, with the refusal's stable reason (docs/api.md, "Refusal codes"): admin_only,
// not_coalition_member, own_only, ...
inline Status Require(const Principal& p, bool allowed, const std::string& why, std::string reason,
                      ReasonParams params = {}) {
  WEEFSEL_RETURN_IF_ERROR(NeedUser(p));
  if (!allowed && !p.IsAdmin()) return Status::PermissionDenied(why).WithReason(std::move(reason), std::move(params));
  return Status::Ok();
}

// As Require for a rule "officers of municipality m only" (admins pass); the refusal's reason is
// not_officer_of_municipality {municipality}.
inline Status RequireOfficer(const Principal& p, MunicipalityId m, const std::string& why) {
  return Require(p, p.IsOfficerOf(m), why, "not_officer_of_municipality",
                 {{"municipality", std::to_string(m.value())}});
}

}  // namespace weefsel::service
