// service/core/principal.h: who is acting, as every use case of the service receives it.
//
// A Principal is a signed-in user with their role grants, or nobody (anonymous). What the grants
// allow is not decided here but in the one rights table, service/core/policy.h; the two questions
// kept here (is this a platform admin, a resident of m) are about the account itself.
// Thread-safety: a plain value.
#pragma once

#include <string>
#include <vector>

#include "domain/model.h"

namespace weefsel::service {

// Who is acting: a user with their role grants, or nobody (anonymous).
struct Principal {
  UserId user;  // invalid = anonymous
  std::string email;
  std::string display_name;
  std::vector<domain::RoleGrant> grants;
  // How the caller signed in: empty for a session (or inside the platform), else the scope of the
  // API token it used ("read" or "write").
  std::string token_scope;

  bool authenticated() const { return user.valid(); }
  bool IsAdmin() const;
  bool IsResidentOf(MunicipalityId m) const;
};

}  // namespace weefsel::service
