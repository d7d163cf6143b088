// storage/hex.h: bytes kept as hex text in a TEXT column (the municipality's logo, evidence files),
// which reads the same in SQLite and PostgreSQL. Internal to storage; header-only.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"

namespace weefsel::storage {

inline std::string HexOf(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 15]);
  }
  return out;
}

// The bytes of `hex`, read from `table`.`column` of row `row` (named in the error).
inline Result<std::string> BytesOfHex(std::string_view hex, std::string_view table, std::string_view column,
                                      int64_t row) {
  auto digit = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  const std::string where = std::string(table) + " row " + std::to_string(row) + ": " + std::string(column);
  if (hex.size() % 2) return Status::Internal(where + " has an odd number of digits");
  std::string out(hex.size() / 2, '\0');
  for (size_t i = 0; i < out.size(); ++i) {
    int hi = digit(hex[2 * i]), lo = digit(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return Status::Internal(where + " is not hex");
    out[i] = static_cast<char>(hi * 16 + lo);
  }
  return out;
}

}  // namespace weefsel::storage
