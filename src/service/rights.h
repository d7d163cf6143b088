// service/rights.h: the two first checks of every use case (a signed-in caller; a rule that admins
// pass), shared by the platform, the Right to Challenge and self-service. The one rights table of
// issue 22 (service/core/policy) is to replace the rules themselves.
// Thread-safety: pure functions.
#pragma once

#include <string>

#include "base/status.h"
#include "service/platform.h"

namespace weefsel::service {

// Unauthenticated for anonymous callers.
inline Status NeedUser(const Principal& p) {
  if (!p.authenticated()) return Status::Unauthenticated("sign in (session cookie or API token) first");
  return Status::Ok();
}

// Unauthenticated for anonymous callers, PermissionDenied(why) when `allowed` is false (admins pass).
inline Status Require(const Principal& p, bool allowed, const std::string& why) {
  WEEFSEL_RETURN_IF_ERROR(NeedUser(p));
  if (!allowed && !p.IsAdmin()) return Status::PermissionDenied(why);
  return Status::Ok();
}

}  // namespace weefsel::service
