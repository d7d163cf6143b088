// service/appearance.h: a municipality's theme, name and logo (domain/appearance.h), with rights.
//
// Anyone reads a municipality's appearance (its pages need it before anyone signs in) and its logo.
// Officers of the municipality and platform admins change it. The Utrecht theme's tokens are not
// under an open licence: they may be applied to the Municipality of Utrecht's pages only (CBS code
// GM0344; docs/ui.md), so choosing it for another municipality is refused. Every change is audited
// (entity "municipality", action "appearance"; the logo by its type and size, not its bytes).
//
// Ownership: a slice of the Platform (service/core/context.h), which owns it; it holds no state.
// Thread-safety: as thread-safe as Platform (every call runs under the platform's store lock).
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "base/status.h"
#include "domain/appearance.h"
#include "service/core/context.h"

namespace weefsel::service {

// A change: sets the fields a request names on the stored appearance and leaves the others (http/
// decodes the request with the appearance's field table, which writes the theme and the name).
using AppearanceEdit = std::function<Status(domain::Appearance&)>;

// The largest base64 text of a logo of domain::kMaxLogoBytes (with padding).
inline constexpr size_t kMaxLogoBase64 = (domain::kMaxLogoBytes + 2) / 3 * 4;

// The bytes of a logo sent as standard base64 (padding optional); "" stays "" (no logo).
// InvalidArgument naming field "image" when it is not base64.
Result<std::string> DecodeLogoBase64(std::string_view base64);

class Appearances : private core::Slice {
 public:
  explicit Appearances(core::Context& context) : Slice(context) {}

  // NotFound for an unknown municipality.
  Result<domain::Appearance> Get(MunicipalityId m);
  // The theme ("" for the default) and the name ("" for the municipality's own) that `edit` sets;
  // its error is returned as it is.
  Result<domain::Appearance> Change(const Principal& p, MunicipalityId m, const AppearanceEdit& edit);
  // `bytes` must be a PNG, JPEG or WebP image of at most domain::kMaxLogoBytes (its type is read
  // from its bytes); empty `bytes` removes the logo.
  Result<domain::Appearance> SetLogo(const Principal& p, MunicipalityId m, const std::string& bytes);
};

}  // namespace weefsel::service
