#include "domain/appearance.h"

#include <array>

#include "base/strings.h"

namespace weefsel::domain {

namespace {

Status Field(std::string_view field, const std::string& what) {
  return Status::InvalidArgument("appearance." + std::string(field) + ": " + what);
}

bool Begins(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

}  // namespace

bool IsKnownTheme(std::string_view id) {
  static constexpr std::array<std::string_view, 3> kThemes = {"voorbeeld", "denhaag", "utrecht"};
  for (auto t : kThemes)
    if (t == id) return true;
  return false;
}

Result<std::string> SniffLogoType(std::string_view b) {
  if (b.empty()) return Field("logo", "is empty");
  if (b.size() > kMaxLogoBytes)
    return Field("logo", "is " + std::to_string(b.size()) + " bytes; at most " + std::to_string(kMaxLogoBytes));
  if (Begins(b, "\x89PNG\r\n\x1a\n")) return std::string("image/png");
  if (Begins(b, "\xff\xd8\xff")) return std::string("image/jpeg");
  if (b.size() >= 12 && Begins(b, "RIFF") && b.substr(8, 4) == "WEBP") return std::string("image/webp");
  return Field("logo", "must be a PNG, JPEG or WebP image (SVG and other types are refused)");
}

Status Validate(const Appearance& a) {
  if (!a.municipality.valid()) return Field("municipality", "must name a municipality");
  if (!a.theme.empty() && !IsKnownTheme(a.theme))
    return Field("theme", "unknown theme '" + a.theme + "'; one of voorbeeld, denhaag, utrecht");
  if (a.display_name.size() > 120) return Field("display_name", "at most 120 bytes");
  if (!IsUtf8(a.display_name)) return Field("display_name", "must be UTF-8 text");
  for (unsigned char c : a.display_name)
    if (c < 0x20 || c == 0x7f) return Field("display_name", "must not contain control characters");
  if (a.logo.empty() != a.logo_type.empty()) return Field("logo", "an image needs its type and a type its image");
  if (!a.logo.empty()) {
    WEEFSEL_ASSIGN_OR_RETURN(std::string type, SniffLogoType(a.logo));
    if (type != a.logo_type) return Field("logo", "is " + type + ", not " + a.logo_type);
  }
  return Status::Ok();
}

}  // namespace weefsel::domain
