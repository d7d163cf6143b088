// storage/sql/sql_connection.cc: the SqlRows accessors (sql_connection.h).
#include "storage/sql/sql_connection.h"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>

namespace weefsel::storage {

int64_t SqlRows::Int(size_t r, size_t c) const {
  const SqlValue& v = rows_[r][c];
  if (auto* i = std::get_if<int64_t>(&v)) return *i;
  if (auto* d = std::get_if<double>(&v)) {
    // Saturate: casting a double outside int64 (or NaN) is undefined behaviour.
    if (std::isnan(*d)) return 0;
    if (*d >= 9.2e18) return INT64_MAX;
    if (*d <= -9.2e18) return INT64_MIN;
    return static_cast<int64_t>(*d);
  }
  if (auto* s = std::get_if<std::string>(&v)) return std::strtoll(s->c_str(), nullptr, 10);
  return 0;
}

double SqlRows::Dbl(size_t r, size_t c) const {
  const SqlValue& v = rows_[r][c];
  if (auto* d = std::get_if<double>(&v)) return *d;
  if (auto* i = std::get_if<int64_t>(&v)) return static_cast<double>(*i);
  if (auto* s = std::get_if<std::string>(&v)) return std::strtod(s->c_str(), nullptr);
  return 0;
}

std::string SqlRows::Str(size_t r, size_t c) const {
  const SqlValue& v = rows_[r][c];
  if (auto* s = std::get_if<std::string>(&v)) return *s;
  if (auto* i = std::get_if<int64_t>(&v)) return std::to_string(*i);
  if (auto* d = std::get_if<double>(&v)) {
    char buf[32];
    auto res = std::to_chars(buf, buf + sizeof buf, *d);
    return std::string(buf, res.ptr);
  }
  return "";
}

}  // namespace weefsel::storage
