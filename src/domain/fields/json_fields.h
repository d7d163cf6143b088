// domain/fields/json_fields.h: the JSON form of the field tables: the Json type, the limits every
// table's fields share, and Fields, the reader that decodes one JSON object field by field.
//
// Fields' getters leave `out` alone when the field is absent and refuse wrong types and over-long
// strings or lists with InvalidArgument naming the field ("actor.themes: at most 200 items");
// Done() refuses the first field no getter asked for. The field tables (field_table.h) call them,
// for the API's request bodies (http/json_codec.h) and for the records of imported files
// (service/transfer.cc). Thread-safety: a Fields object is used by one thread; the rest is constant.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "base/ids.h"
#include "base/status.h"

namespace weefsel::domain::fields {

using Json = nlohmann::ordered_json;

inline constexpr size_t kMaxStringLength = 20000;  // long texts (plans, descriptions)
inline constexpr size_t kMaxNameLength = 500;      // names, titles, short fields
inline constexpr size_t kMaxListItems = 200;

// What a Fields reads. A request's or a file's object is held to the limits and Done() refuses
// what no getter asked for. A row the store wrote (storage/sql/row_map.h) is not held to limits
// (it was checked on the way in, and the store does not refuse to read what it wrote), and Done()
// does not apply (the fields asked for are not kept track of).
enum class Source { kRequest, kStoredRow };

// A small reader for request objects: each getter leaves `out` alone when the field is absent.
class Fields {
 public:
  Fields(const Json& j, std::string entity, Source source = Source::kRequest)
      : j_(j), entity_(std::move(entity)), source_(source) {}
  Status Str(const char* name, std::string& out, size_t max = kMaxNameLength);
  Status Int(const char* name, int64_t& out);
  Status Int(const char* name, int& out);
  Status Dbl(const char* name, double& out);
  Status Bool(const char* name, bool& out);
  Status StrList(const char* name, std::vector<std::string>& out, size_t max_len = kMaxNameLength);
  template <typename Tag>
  Status IdField(const char* name, Id<Tag>& out) {
    int64_t v = out.value();
    if (const Json* v = Find(name); v && v->is_null()) {
      out = Id<Tag>();
      Seen(name);
      return Status::Ok();
    }
    WEEFSEL_RETURN_IF_ERROR(Int(name, v));
    out = Id<Tag>(v);
    return Status::Ok();
  }
  bool Has(const char* name) const { return Find(name) != nullptr; }
  const Json& At(const char* name) {
    Seen(name);
    const Json* v = Find(name);
    return v ? *v : j_.at(name);  // at() throws for an absent field, a programmer's error
  }
  Status Error(const std::string& field, const std::string& what) const;
  const std::string& entity() const { return entity_; }
  // InvalidArgument naming the first field that no getter asked for.
  Status Done() const;

 private:
  void Seen(const char* name) {
    if (source_ == Source::kRequest) seen_.push_back(name);
  }
  // The value of `name`, or null when absent. The search starts where the last one found its key,
  // so that fields read in the order of the object's keys (a stored row's, most requests') are
  // found at once.
  const Json* Find(const char* name) const;
  const Json& j_;
  std::string entity_;
  Source source_;
  mutable size_t hint_ = 0;
  std::vector<std::string> seen_;
};

}  // namespace weefsel::domain::fields
