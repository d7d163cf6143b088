// service/base64.h: the bytes of a base64 text sent in a JSON body (a logo, an evidence file), in
// RFC 4648's alphabet with or without padding, through libsodium. Internal to service; header-only.
#pragma once

#include <sodium.h>

#include <optional>
#include <string>
#include <string_view>

namespace weefsel::service {

// The decoded bytes, or nothing when `base64` is not base64. The caller bounds its length first.
inline std::optional<std::string> BytesOfBase64(std::string_view base64) {
  if (sodium_init() < 0) return std::nullopt;
  std::string out(base64.size() / 4 * 3 + 3, '\0');
  size_t len = 0;
  for (int variant : {sodium_base64_VARIANT_ORIGINAL, sodium_base64_VARIANT_ORIGINAL_NO_PADDING}) {
    if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), base64.data(), base64.size(),
                          nullptr, &len, nullptr, variant) == 0) {
      out.resize(len);
      return out;
    }
  }
  return std::nullopt;
}

}  // namespace weefsel::service
