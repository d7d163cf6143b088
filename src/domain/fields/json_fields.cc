// domain/fields/json_fields.cc: the reader of JSON objects (contract in json_fields.h).
#include "domain/fields/json_fields.h"

#include <algorithm>

#include "base/strings.h"

namespace weefsel::domain::fields {

const Json* Fields::Find(const char* name) const {
  if (!j_.is_object()) return nullptr;
  const auto& object = j_.get_ref<const Json::object_t&>();
  const size_t n = object.size();
  for (size_t k = 0; k < n; ++k) {
    const size_t i = hint_ + k < n ? hint_ + k : hint_ + k - n;
    const auto& entry = *(object.begin() + static_cast<std::ptrdiff_t>(i));
    if (entry.first == name) {
      hint_ = i;
      return &entry.second;
    }
  }
  return nullptr;
}

Status Fields::Error(const std::string& field, const std::string& what) const {
  return Status::InvalidArgument(entity_ + "." + field + ": " + what);
}

Status Fields::Str(const char* name, std::string& out, size_t max) {
  const Json* found = Find(name);
  if (!found) return Status::Ok();
  Seen(name);
  const Json& v = *found;
  if (v.is_null()) {
    out.clear();
    return Status::Ok();
  }
  if (!v.is_string()) return Error(name, "must be a string");
  const auto& s = v.get_ref<const std::string&>();
  if (source_ == Source::kRequest && s.size() > max)
    return Error(name, "at most " + std::to_string(max) + " characters");
  out = s;
  return Status::Ok();
}

Status Fields::Int(const char* name, int64_t& out) {
  const Json* found = Find(name);
  if (!found) return Status::Ok();
  Seen(name);
  const Json& v = *found;
  if (v.is_number_integer()) {
    out = v.get<int64_t>();
    return Status::Ok();
  }
  if (v.is_number_float()) {
    // Within ±9e15, where a double is still exact (1e+23 is refused: found by UBSan).
    if (auto w = WholeNumber(v.get<double>()); w && *w > -9'000'000'000'000'000 && *w < 9'000'000'000'000'000) {
      out = *w;
      return Status::Ok();
    }
  }
  return Error(name, "must be an integer");
}

Status Fields::Int(const char* name, int& out) {
  int64_t v = out;
  WEEFSEL_RETURN_IF_ERROR(Int(name, v));
  if (v < -1000000000 || v > 1000000000) return Error(name, "out of range");
  out = static_cast<int>(v);
  return Status::Ok();
}

Status Fields::Dbl(const char* name, double& out) {
  const Json* found = Find(name);
  if (!found) return Status::Ok();
  Seen(name);
  const Json& v = *found;
  if (!v.is_number()) return Error(name, "must be a number");
  out = v.get<double>();
  return Status::Ok();
}

Status Fields::Bool(const char* name, bool& out) {
  const Json* found = Find(name);
  if (!found) return Status::Ok();
  Seen(name);
  const Json& v = *found;
  if (!v.is_boolean()) return Error(name, "must be true or false");
  out = v.get<bool>();
  return Status::Ok();
}

Status Fields::StrList(const char* name, std::vector<std::string>& out, size_t max_len) {
  const Json* found = Find(name);
  if (!found) return Status::Ok();
  Seen(name);
  const Json& v = *found;
  if (!v.is_array()) return Error(name, "must be a list of strings");
  const bool checked = source_ == Source::kRequest;
  if (checked && v.size() > kMaxListItems) return Error(name, "at most " + std::to_string(kMaxListItems) + " items");
  std::vector<std::string> r;
  r.reserve(v.size());
  for (const auto& e : v) {
    if (!e.is_string()) return Error(name, "must be a list of strings");
    if (checked && e.get_ref<const std::string&>().size() > max_len)
      return Error(name, "items of at most " + std::to_string(max_len) + " characters");
    r.push_back(e.get<std::string>());
  }
  out = std::move(r);
  return Status::Ok();
}

Status Fields::Done() const {
  for (auto it = j_.begin(); it != j_.end(); ++it)
    if (std::find(seen_.begin(), seen_.end(), it.key()) == seen_.end()) return Error(it.key(), "unknown field");
  return Status::Ok();
}

}  // namespace weefsel::domain::fields
