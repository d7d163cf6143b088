// domain/appearance.h: how a municipality's pages look (NL Design System theme, logo, name).
//
// A municipality's admin (or one of its officers) chooses the theme its pages are drawn in (one of
// the themes the UI ships, web/src/theme.ts), the name its pages show ("Gemeente Utrecht") and a
// logo. The logo is an image the server keeps and serves itself (PNG, JPEG or WebP, at most
// kMaxLogoBytes, its type checked from its first bytes, not from what the uploader claims). SVG is
// refused: it can carry script.
// Thread-safety: value types.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "base/ids.h"
#include "base/status.h"

namespace weefsel::domain {

inline constexpr size_t kMaxLogoBytes = 256 * 1024;

struct Appearance {
  MunicipalityId municipality;
  std::string theme;         // a theme id of the UI ("voorbeeld", "denhaag", "utrecht"); empty: the default
  std::string display_name;  // empty: the municipality's name
  std::string logo_type;     // "image/png", "image/jpeg", "image/webp"; empty: no logo
  std::string logo;          // the image's bytes
  std::string updated_at;
};

// The theme ids the UI ships (web/src/theme.ts THEMES).
bool IsKnownTheme(std::string_view id);

// The image type of `bytes` from its signature: "image/png", "image/jpeg" or "image/webp";
// InvalidArgument (field "logo") for anything else, an empty image or one over kMaxLogoBytes.
Result<std::string> SniffLogoType(std::string_view bytes);

// InvalidArgument naming the field: unknown theme, a name over 120 bytes or with control
// characters, a logo whose bytes are not of its type.
Status Validate(const Appearance& a);

}  // namespace weefsel::domain
