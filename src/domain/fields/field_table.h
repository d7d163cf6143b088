// domain/fields/field_table.h: one field table per entity, and what reads it.
//
// A FieldTable<T> lists the fields of one entity in output order: each with its name, its type
// (integer, number, string, boolean, enum with its codes, id, list of strings, list of objects of
// another table, object map, free JSON), its limits (max length, max items), whether it may be
// null, whether a request may write it (what Apply accepts) and its visibility. Each field
// carries its encoder and its decoders (Fields getters, json_fields.h), built from a member
// pointer or a small lambda.
//
// The readers of a table, each taking the fields its visibility class allows:
//   - the API's JSON codecs (http/json_codec.h) and OpenAPI component schemas: every field,
//     `decode` for what a request may write; personal and audit-only fields are marked
//     (x-visibility) and the routes decide who sees them;
//   - the audit snapshots (service/core/audit_snap.h): InAudit, every field but the personal ones;
//   - the export and import of files (service/transfer.h): InExport, the stored fields (those
//     with `load`) that are not audit-only; `load` reads them back, read-only ones included;
//   - the open data (service/open_data.h): InOpenData, exactly the public fields, free text
//     scrubbed.
//   - the store's row mappers (storage/sql/row_map.h): the fields with a column, through `put` and
//     `take` (CellOut, CellIn) where the builder set them, else through `encode` and `load`.
// So a field's name, type and limits have one meaning everywhere, and adding a field to an entity
// is one edit in its table (plus a migration for a stored one).
// Thread-safety: tables are built once (function-local statics) and then only read.
#pragma once

#include <algorithm>
#include <cassert>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "base/strings.h"
#include "domain/fields/json_fields.h"

namespace weefsel::domain::fields {

enum class Type { kInteger, kNumber, kString, kBoolean, kEnum, kId, kStringList, kObjectList, kObject, kMap, kAny };
// Who may read a field:
//  kPublic   anyone: the API, exports, audit snapshots and the open data;
//  kInternal the API, exports and audit snapshots, but not published as open data (bookkeeping
//            such as where an imported actor came from);
//  kPersonal the person it belongs to and officers (API, exports), never audit snapshots or open
//            data (a tie's private note, an e-mail address);
//  kAudit    the audit log's readers only (who made a change, the snapshots themselves).
enum class Visibility { kPublic, kInternal, kPersonal, kAudit };
// The form of a string field's value, for files (import checks dates; open data's types).
enum class Format { kText, kDate, kDateTime };

// The typed way between a field and a store's cell, without a JSON value in between (storage/sql/
// row_map.h implements both over its rows, parameters and bulk-write sinks; what form a list takes
// in its column is the store's business). The builders below of plain members (string, integer,
// number, boolean, id, enum, list of strings) set a field's `put` and `take`; a field without
// them (maps, lists of objects, computed values, a ColumnForm) goes through `encode` and `load`.
// Both ways write and read the same column forms: an id 0 is NULL, a boolean 0 or 1, an enum its
// code.
class CellOut {
 public:
  virtual ~CellOut() = default;
  virtual void Null() = 0;
  virtual void Int(int64_t v) = 0;
  virtual void Dbl(double v) = 0;
  virtual void Text(std::string_view v) = 0;
  virtual void List(const std::vector<std::string>& v) = 0;
};
class CellIn {
 public:
  virtual ~CellIn() = default;
  virtual bool IsNull() = 0;
  virtual int64_t Int() = 0;
  virtual double Dbl() = 0;
  virtual std::string Text() = 0;                          // NULL reads as ""; the cell's text may be moved out
  virtual Status List(std::vector<std::string>& out) = 0;  // an error: not a list of strings
};

template <typename T>
struct Field {
  std::string name;
  Type type = Type::kString;
  size_t max_length = 0;  // strings, and the strings of a list (0: no limit)
  size_t max_items = 0;   // lists (0: no limit)
  bool nullable = false;
  bool writable = false;  // a request may set it (Apply reads it)
  // A request must carry it: the decoder refuses its absence with `required_message` (empty: the
  // table's check does, at its own point).
  bool required = false;
  bool always = true;  // present in every encoded object (else see `present`)
  Visibility visibility = Visibility::kPublic;
  Format format = Format::kText;
  bool free_text = false;  // long free text: open data replaces e-mail addresses and phone numbers
  // The entity an id refers to ("municipality"): files name a municipality by its id and, beside
  // it, by its CBS code in "<name>_cbs_code" (see service/field_files.h).
  std::string refers_to;
  std::vector<std::string> item_keys;  // kObjectList: the item table's field names
  std::vector<std::string> codes;      // kEnum: the accepted codes
  std::string ref;                     // kObjectList: the item's component schema name
  Json schema;                         // kMap / kAny / extra keywords (description, minimum, ...)
  std::function<Json(const T&)> encode;
  std::function<Status(Fields&, T&)> decode;    // set when writable
  std::function<Status(Fields&, T&)> load;      // set when stored: reads it back from a file
  std::function<bool(const T&)> present;        // set when not always present
  std::function<Json(bool write)> item_schema;  // kObjectList: the item's schema ($ref)
  std::string required_message = "required";
  // Where the store keeps it. `column`: a column of the entity's own row, which the generic row
  // mapper (storage/sql/row_map.h) writes from `encode` and reads back with `load` (or
  // `stored_load`); empty when the field is not in the row. `child_table`: the table of a list
  // that storage/sql/ writes and reads by hand (a challenge's capability needs).
  std::string column;
  std::string child_table;
  // The column's form when it is not the JSON one (sector_mix as a list of "sector:n" items):
  // from the encoded JSON to the column's JSON value, and back (an error: a corrupt row).
  std::function<Json(const Json&)> to_column;
  std::function<Result<Json>(const Json&)> from_column;
  // Reads the column back when `load` is not set (NotInFiles: stored, but not in files).
  std::function<Status(Fields&, T&)> stored_load;
  // The member to a cell and back (CellOut, CellIn), set by the builders of plain members; the row
  // mapper prefers them to `encode` and `load`. `take` reads what the store wrote: no request
  // limits, and an error (a bad enum code) means a corrupt row. Code that replaces a field's
  // `load` by hand must reset `take` (or set its own), else the store reads by the builder's rule.
  std::function<void(const T&, CellOut&)> put;
  std::function<Status(T&, CellIn&)> take;

  // Builder-style modifiers.
  Field&& ReadOnly() && {  // keeps `load`: a read-only stored field is still exported and imported
    writable = false;
    decode = nullptr;
    return std::move(*this);
  }
  Field&& Internal() && {
    visibility = Visibility::kInternal;
    return std::move(*this);
  }
  Field&& Date() && {
    format = Format::kDate;
    return std::move(*this);
  }
  Field&& DateTime() && {
    format = Format::kDateTime;
    return std::move(*this);
  }
  Field&& RefersTo(std::string entity) && {
    refers_to = std::move(entity);
    return std::move(*this);
  }
  Field&& Personal() && {
    visibility = Visibility::kPersonal;
    return std::move(*this);
  }
  Field&& Audit() && {
    visibility = Visibility::kAudit;
    return std::move(*this);
  }
  Field&& Required(std::string message = "required") && {
    required = true;
    required_message = std::move(message);
    return std::move(*this);
  }
  Field&& Nullable() && {
    nullable = true;
    return std::move(*this);
  }
  Field&& Describe(std::string text) && {
    schema["description"] = std::move(text);
    return std::move(*this);
  }
  Field&& OnlyWhen(std::function<bool(const T&)> p) && {
    always = false;
    present = std::move(p);
    return std::move(*this);
  }
  // Stored in the column `name` of the entity's row (the field's own name when empty).
  Field&& Column(std::string name = "") && {
    column = name.empty() ? this->name : std::move(name);
    return std::move(*this);
  }
  // The column holds `to(encoded)`; `from` reads it back into the encoded form (through JSON:
  // `put` and `take` no longer apply).
  Field&& ColumnForm(std::function<Json(const Json&)> to, std::function<Result<Json>(const Json&)> from) && {
    to_column = std::move(to);
    from_column = std::move(from);
    put = nullptr;
    take = nullptr;
    return std::move(*this);
  }
  // Stored in the child table `table` by storage/sql/'s hand-written writer and reader.
  Field&& Child(std::string table) && {
    child_table = std::move(table);
    return std::move(*this);
  }
  // Stored (its column is read back) but neither exported nor imported: a count the store keeps.
  Field&& NotInFiles() && {
    stored_load = std::move(load);
    load = nullptr;
    return std::move(*this);
  }
};

// Whether the store keeps the field (in a column of the entity's row or in a child table).
template <typename T>
bool Stored(const Field<T>& f) {
  return !f.column.empty() || !f.child_table.empty();
}

template <typename T>
struct FieldTable {
  std::string schema;  // the OpenAPI component name ("Actor")
  std::string entity;  // the prefix of decode errors ("actor")
  std::vector<Field<T>> fields;
  // Checks after every field was read and before unknown fields are refused (cross-field rules).
  std::function<Status(Fields&, const T&)> check;
};

// ---- field builders -------------------------------------------------------------------------

template <typename T, typename M>
Field<T> Str(std::string name, M T::*m, size_t max = kMaxNameLength) {
  Field<T> f{.name = name, .type = Type::kString, .max_length = max, .writable = true};
  f.encode = [m](const T& t) { return Json(t.*m); };
  const size_t limit = max ? max : kMaxStringLength;  // 0: no declared limit
  f.decode = [m, name, limit](Fields& r, T& t) { return r.Str(name.c_str(), t.*m, limit); };
  f.load = f.decode;
  f.free_text = max >= kMaxStringLength;
  f.put = [m](const T& t, CellOut& c) { c.Text(t.*m); };
  f.take = [m](T& t, CellIn& c) {
    t.*m = c.Text();
    return Status::Ok();
  };
  return f;
}

// A string restricted to `codes`, checked after the read with `message` ("must be a or b").
template <typename T>
Field<T> StrEnum(std::string name, std::string T::*m, std::vector<std::string> codes, std::string message,
                 size_t max = 20) {
  Field<T> f = Str(name, m, max);
  f.type = Type::kEnum;
  f.codes = codes;
  f.decode = [m, name, max, codes, message](Fields& r, T& t) -> Status {
    WEEFSEL_RETURN_IF_ERROR(r.Str(name.c_str(), t.*m, max));
    if (std::find(codes.begin(), codes.end(), t.*m) == codes.end()) return r.Error(name, message);
    return Status::Ok();
  };
  f.load = f.decode;
  f.take = [m, codes, message](T& t, CellIn& c) -> Status {
    t.*m = c.Text();
    if (std::find(codes.begin(), codes.end(), t.*m) == codes.end()) return Status::InvalidArgument(message);
    return Status::Ok();
  };
  return f;
}

template <typename T, typename M>
Field<T> Int(std::string name, M T::*m) {
  Field<T> f{.name = name, .type = Type::kInteger, .writable = true};
  f.encode = [m](const T& t) { return Json(t.*m); };
  f.decode = [m, name](Fields& r, T& t) { return r.Int(name.c_str(), t.*m); };
  f.load = f.decode;
  f.put = [m](const T& t, CellOut& c) { c.Int(static_cast<int64_t>(t.*m)); };
  f.take = [m](T& t, CellIn& c) -> Status {
    const int64_t v = c.Int();
    if constexpr (std::is_same_v<M, int>)  // as Fields::Int(name, int&)
      if (v < -1000000000 || v > 1000000000) return Status::InvalidArgument("out of range");
    t.*m = static_cast<M>(v);
    return Status::Ok();
  };
  return f;
}

template <typename T>
Field<T> Num(std::string name, double T::*m) {
  Field<T> f{.name = name, .type = Type::kNumber, .writable = true};
  f.encode = [m](const T& t) { return Json(t.*m); };
  f.decode = [m, name](Fields& r, T& t) { return r.Dbl(name.c_str(), t.*m); };
  f.load = f.decode;
  f.put = [m](const T& t, CellOut& c) { c.Dbl(t.*m); };
  f.take = [m](T& t, CellIn& c) {
    t.*m = c.Dbl();
    return Status::Ok();
  };
  return f;
}

template <typename T>
Field<T> Bool(std::string name, bool T::*m) {
  Field<T> f{.name = name, .type = Type::kBoolean, .writable = true};
  f.encode = [m](const T& t) { return Json(t.*m); };
  f.decode = [m, name](Fields& r, T& t) { return r.Bool(name.c_str(), t.*m); };
  f.load = f.decode;
  f.put = [m](const T& t, CellOut& c) { c.Int(t.*m ? 1 : 0); };
  f.take = [m](T& t, CellIn& c) {
    t.*m = c.Int() != 0;
    return Status::Ok();
  };
  return f;
}

// An id: a number, or null when unset if `nullable` (else the unset id encodes as 0).
template <typename T, typename Tag>
Field<T> IdOf(std::string name, Id<Tag> T::*m, bool nullable) {
  Field<T> f{.name = name, .type = Type::kId, .nullable = nullable, .writable = true};
  f.encode = [m, nullable](const T& t) {
    const Id<Tag>& id = t.*m;
    return (nullable && !id.valid()) ? Json(nullptr) : Json(id.value());
  };
  f.decode = [m, name](Fields& r, T& t) { return r.IdField(name.c_str(), t.*m); };
  f.load = f.decode;
  f.put = [m](const T& t, CellOut& c) {
    if ((t.*m).value() == 0)
      c.Null();  // an unset id
    else
      c.Int((t.*m).value());
  };
  f.take = [m](T& t, CellIn& c) {
    t.*m = c.IsNull() ? Id<Tag>() : Id<Tag>(c.Int());
    return Status::Ok();
  };
  return f;
}

template <typename T>
Field<T> StrList(std::string name, std::vector<std::string> T::*m, size_t max_len = kMaxNameLength) {
  Field<T> f{
      .name = name, .type = Type::kStringList, .max_length = max_len, .max_items = kMaxListItems, .writable = true};
  f.encode = [m](const T& t) { return Json(t.*m); };
  f.decode = [m, name, max_len](Fields& r, T& t) { return r.StrList(name.c_str(), t.*m, max_len); };
  f.load = f.decode;
  f.free_text = max_len >= kMaxStringLength;
  f.put = [m](const T& t, CellOut& c) { c.List(t.*m); };
  f.take = [m](T& t, CellIn& c) { return c.List(t.*m); };
  return f;
}

// An enum member encoded by its code and decoded by its parser; `count` values 0..count-1.
template <typename T, typename E, typename CodeFn, typename ParseFn>
Field<T> Enum(std::string name, E T::*m, int count, CodeFn code, ParseFn parse) {
  Field<T> f{.name = name, .type = Type::kEnum, .writable = true};
  for (int i = 0; i < count; ++i) f.codes.emplace_back(code(static_cast<E>(i)));
  f.encode = [m, code](const T& t) { return Json(std::string(code(t.*m))); };
  f.decode = [m, name, parse](Fields& r, T& t) -> Status {
    if (!r.Has(name.c_str())) return Status::Ok();
    std::string s;
    WEEFSEL_RETURN_IF_ERROR(r.Str(name.c_str(), s));
    auto v = parse(s);
    if (!v.ok()) return r.Error(name, v.status().message());
    t.*m = *v;
    return Status::Ok();
  };
  f.load = f.decode;
  f.put = [m, code](const T& t, CellOut& c) { c.Text(code(t.*m)); };
  f.take = [m, parse](T& t, CellIn& c) -> Status {
    auto v = parse(c.Text());
    if (!v.ok()) return Status::InvalidArgument(v.status().message());
    t.*m = *v;
    return Status::Ok();
  };
  return f;
}

// A read-only value computed from the entity (`type`'s schema; codes for an enum).
template <typename T>
Field<T> Computed(std::string name, Type type, std::function<Json(const T&)> encode,
                  std::vector<std::string> codes = {}) {
  Field<T> f{.name = name, .type = type, .codes = std::move(codes)};
  f.encode = std::move(encode);
  return f;
}

// A field whose JSON Schema is given (maps, free JSON) with its own encoder and decoder.
template <typename T>
Field<T> Custom(std::string name, Type type, Json schema, std::function<Json(const T&)> encode,
                std::function<Status(Fields&, T&)> decode = nullptr) {
  Field<T> f{.name = name, .type = type, .writable = static_cast<bool>(decode), .schema = std::move(schema)};
  f.encode = std::move(encode);
  f.decode = std::move(decode);
  f.load = f.decode;
  return f;
}

// The read-only field `f` of the member `m` (a struct whose JSON extends another's).
template <typename T, typename U>
Field<T> Lift(const Field<U>& f, U T::*m) {
  Field<T> g{.name = f.name,
             .type = f.type,
             .max_length = f.max_length,
             .max_items = f.max_items,
             .nullable = f.nullable,
             .visibility = f.visibility,
             .format = f.format,
             .free_text = f.free_text,
             .refers_to = f.refers_to,
             .item_keys = f.item_keys,
             .codes = f.codes,
             .ref = f.ref,
             .schema = f.schema};
  g.encode = [m, e = f.encode](const T& t) { return e(t.*m); };
  g.item_schema = f.item_schema;
  return g;
}

// Marks every field of `t` read-only (entities the API only ever sends); their loaders stay.
template <typename T>
void AllReadOnly(FieldTable<T>& t) {
  for (auto& f : t.fields) {
    f.writable = false;
    f.decode = nullptr;
  }
}

// Defines `const FieldTable<Type>& Fn()`: the table built by Make##Fn() on first use, then only
// read (a function-local static, never destroyed).
#define WEEFSEL_FIELD_TABLE(Type, Fn)                                        \
  const FieldTable<Type>& Fn() {                                             \
    static const FieldTable<Type>* table = new FieldTable<Type>(Make##Fn()); \
    return *table;                                                           \
  }

// ---- which consumer takes which field -------------------------------------------------------

// The audit snapshot: every field but the personal ones (its readers are officers).
template <typename T>
bool InAudit(const Field<T>& f) {
  return f.visibility != Visibility::kPersonal;
}
// The export and import of files: the stored fields (with a loader) that are not audit-only.
template <typename T>
bool InExport(const Field<T>& f) {
  return static_cast<bool>(f.load) && f.visibility != Visibility::kAudit;
}
// The open data: exactly the public fields.
template <typename T>
bool InOpenData(const Field<T>& f) {
  return f.visibility == Visibility::kPublic;
}

// ---- reading a table ------------------------------------------------------------------------

template <typename T>
Json Encode(const FieldTable<T>& table, const T& t) {
  Json j = Json::object();
  for (const auto& f : table.fields)
    if (f.always || f.present(t)) j[f.name] = f.encode(t);
  return j;
}

// The fields of `t` named in `names`, in the table's order, as Encode writes them: part of an
// entity inside another answer (the fabric map's actors, an actor named in a suggestion). Every
// name must be one of the table's (an assert: a misspelt name is a programmer's error).
template <typename T>
Json EncodeOnly(const FieldTable<T>& table, const T& t, std::initializer_list<std::string_view> names) {
  Json j = Json::object();
  [[maybe_unused]] size_t found = 0;
  for (const auto& f : table.fields)
    if (std::find(names.begin(), names.end(), f.name) != names.end()) {
      ++found;
      if (f.always || f.present(t)) j[f.name] = f.encode(t);
    }
  assert(found == names.size());
  return j;
}

// Applies the writable fields present in `j` onto `t` (in table order; the first error wins),
// runs the table's check, refuses unknown (and read-only) fields. `entity` overrides the error
// prefix (a nested list's items: "proposal.milestones").
template <typename T>
Status Decode(const FieldTable<T>& table, const Json& j, T& t, const std::string& entity = "") {
  Fields r(j, entity.empty() ? table.entity : entity);
  for (const auto& f : table.fields) {
    if (!f.decode) continue;
    if (f.required && !f.required_message.empty() && !r.Has(f.name.c_str())) return r.Error(f.name, f.required_message);
    WEEFSEL_RETURN_IF_ERROR(f.decode(r, t));
  }
  if (table.check) WEEFSEL_RETURN_IF_ERROR(table.check(r, t));
  return r.Done();
}

// A list of objects of `item_table` (encoded with it; decoded item by item, each item's errors
// prefixed with `item_entity`, by default "<entity>.<name>").
template <typename T, typename U>
Field<T> ObjList(std::string name, std::vector<U> T::*m, const FieldTable<U>& (*item_table)(),
                 std::string item_entity = "") {
  Field<T> f{.name = name, .type = Type::kObjectList, .max_items = kMaxListItems, .writable = true};
  f.encode = [m, item_table](const T& t) {
    Json a = Json::array();
    for (const auto& u : t.*m) a.push_back(Encode(item_table(), u));
    return a;
  };
  f.item_schema = [item_table](bool write) {
    return Json{{"$ref", "#/components/schemas/" + item_table().schema + (write ? "Write" : "")}};
  };
  f.decode = [m, name, item_table, item_entity](Fields& r, T& t) -> Status {
    if (!r.Has(name.c_str())) return Status::Ok();
    const Json& v = r.At(name.c_str());
    if (!v.is_array()) return r.Error(name, "must be a list of objects");
    if (v.size() > kMaxListItems) return r.Error(name, "at most " + std::to_string(kMaxListItems) + " items");
    std::vector<U> out;
    const std::string prefix = item_entity.empty() ? r.entity() + "." + name : item_entity;
    for (size_t i = 0; i < v.size(); ++i) {
      if (!v[i].is_object()) return r.Error(name, "item " + std::to_string(i) + " must be an object");
      U u;
      WEEFSEL_RETURN_IF_ERROR(Decode(item_table(), v[i], u, prefix));
      out.push_back(std::move(u));
    }
    t.*m = std::move(out);
    return Status::Ok();
  };
  f.load = f.decode;
  for (const auto& item : item_table().fields) f.item_keys.push_back(item.name);
  return f;
}

// Which schema of a field: as the API answers it (read-only fields marked), as a request carries
// it, or its shape only (ShapeSchema, below).
enum class SchemaOf { kRead, kWrite, kShape };

// The JSON Schema (2020-12) of one field.
template <typename T>
Json FieldSchema(const Field<T>& f, SchemaOf of) {
  const bool limits = of != SchemaOf::kShape;
  Json s = Json::object();
  auto typed = [&](const char* type) { s["type"] = f.nullable ? Json::array({type, "null"}) : Json(type); };
  switch (f.type) {
    case Type::kInteger:
    case Type::kId:
      typed("integer");
      break;
    case Type::kNumber:
      typed("number");
      break;
    case Type::kBoolean:
      typed("boolean");
      break;
    case Type::kString:
      typed("string");
      if (limits && f.max_length) s["maxLength"] = f.max_length;
      break;
    case Type::kEnum:
      typed("string");
      s["enum"] = f.codes;
      break;
    case Type::kStringList: {
      typed("array");
      Json item = {{"type", "string"}};
      if (limits && f.max_length) item["maxLength"] = f.max_length;
      s["items"] = item;
      if (limits && f.max_items) s["maxItems"] = f.max_items;
      break;
    }
    case Type::kObjectList:
      typed("array");
      s["items"] = f.item_schema(of == SchemaOf::kWrite);
      if (limits && f.max_items) s["maxItems"] = f.max_items;
      break;
    case Type::kObject:
    case Type::kMap:
    case Type::kAny:
      break;
  }
  for (auto it = f.schema.begin(); it != f.schema.end(); ++it) s[it.key()] = it.value();
  if (of == SchemaOf::kShape) return s;
  if (of == SchemaOf::kRead && !f.writable) s["readOnly"] = true;
  // To the API's readers an internal field is public; personal and audit-only ones are marked.
  if (f.visibility == Visibility::kPersonal || f.visibility == Visibility::kAudit)
    s["x-visibility"] = f.visibility == Visibility::kPersonal ? "personal" : "audit";
  return s;
}

// The schema of an encoded entity, its fields' schemas of kind `of` (`public_only`: all but
// personal and audit-only), the always-present ones required.
template <typename T>
Json EntitySchema(const FieldTable<T>& table, SchemaOf of, bool public_only = false) {
  Json props = Json::object(), required = Json::array();
  for (const auto& f : table.fields) {
    if (public_only && (f.visibility == Visibility::kPersonal || f.visibility == Visibility::kAudit)) continue;
    props[f.name] = FieldSchema(f, of);
    if (f.always) required.push_back(f.name);
  }
  return {{"type", "object"}, {"properties", props}, {"required", required}};
}

// As the API answers it: read-only fields marked.
template <typename T>
Json ReadSchema(const FieldTable<T>& table, bool public_only = false) {
  return EntitySchema(table, SchemaOf::kRead, public_only);
}

// The schema of a request body: the writable fields only, no others.
template <typename T>
Json WriteSchema(const FieldTable<T>& table) {
  Json props = Json::object(), required = Json::array();
  for (const auto& f : table.fields) {
    if (!f.decode) continue;
    props[f.name] = FieldSchema(f, SchemaOf::kWrite);
    if (f.required) required.push_back(f.name);
  }
  Json s = {{"type", "object"}, {"properties", props}, {"additionalProperties", false}};
  if (!required.empty()) s["required"] = required;
  return s;
}

// The schema of an encoded entity in its shape only: each field's JSON type (with "null" when it
// is nullable), an enum's codes, the items of a list, the schema a map or free-JSON field gives,
// every always-present field required; no limits (maxLength, maxItems) and no readOnly or
// x-visibility marks, which ReadSchema's components carry.
//
// Some answers of the API declared their shape inline, beside their encoder, before their entity
// had a table (a notification, a user's settings, an account block, a fabric snapshot, an item of
// the moderation queue, a line of the Right to Challenge budgets); their routes keep declaring
// this, so the published document stays as it was, while a new field of such an entity is still
// one edit in its table.
template <typename T>
Json ShapeSchema(const FieldTable<T>& table) {
  return EntitySchema(table, SchemaOf::kShape);
}

template <typename T>
bool HasWritable(const FieldTable<T>& table) {
  for (const auto& f : table.fields)
    if (f.decode) return true;
  return false;
}

}  // namespace weefsel::domain::fields
