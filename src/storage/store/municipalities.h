// storage/store/municipalities.h: municipalities and how their pages look.
//
// A municipality is the root of nearly everything else (actors, challenges, rounds); its record
// and its appearance (domain/appearance.h) are kept here. Thread-safety: as Store.
#pragma once

#include <string>
#include <vector>
#include "base/status.h"
#include "domain/appearance.h"
#include "domain/model.h"
#include "storage/store/list_query.h"

namespace weefsel::storage {

// Municipalities and their appearance.
class MunicipalityStore {
 public:
  virtual ~MunicipalityStore() = default;

  // Municipalities: cbs_code is unique.
  virtual Result<MunicipalityId> Insert(domain::Municipality& m) = 0;
  virtual Status Update(const domain::Municipality& m) = 0;
  virtual Result<domain::Municipality> GetMunicipality(MunicipalityId id) = 0;
  virtual Result<domain::Municipality> GetMunicipalityByCode(const std::string& cbs_code) = 0;
  virtual Result<std::vector<domain::Municipality>> ListMunicipalities(const ListQuery& q = {}) = 0;
  // The municipality's appearance (every field empty when none was set; NotFound for no municipality
  // is not checked here: the caller reads the municipality first).
  virtual Result<domain::Appearance> GetAppearance(MunicipalityId m) = 0;
  // Replaces it whole (Validate first); InvalidArgument naming the field, NotFound-like foreign key
  // error for an unknown municipality.
  virtual Status PutAppearance(const domain::Appearance& a) = 0;
};

}  // namespace weefsel::storage
