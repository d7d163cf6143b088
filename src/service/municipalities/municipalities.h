// service/municipalities/municipalities.h: the municipalities on the platform.
//
// Public reads; admins add a municipality, its officers change it.
//
// Ownership: Municipalities borrows the core::Context (service/core/context.h) of the Platform that holds it.
// Thread-safety: thread-safe; each use case takes the context's ReadLock or WriteLock.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "domain/list_query.h"
#include "domain/model.h"
#include "service/core/context.h"

namespace weefsel::service {

class Municipalities : private core::Slice {
 public:
  explicit Municipalities(core::Context& context) : Slice(context) {}

  Result<std::vector<domain::Municipality>> ListMunicipalities(const domain::ListQuery& q);
  Result<domain::Municipality> GetMunicipality(MunicipalityId id);
  // By CBS code ("GM0344"); NotFound when the platform has none.
  Result<domain::Municipality> GetMunicipalityByCode(const std::string& cbs_code);
  Result<domain::Municipality> CreateMunicipality(const Principal& p, domain::Municipality m);
  Result<domain::Municipality> UpdateMunicipality(const Principal& p, MunicipalityId id,
                                                  const Patch<domain::Municipality>& patch);
};

}  // namespace weefsel::service
