// domain/fields/shape_schema.h: the schema of an encoded entity in its shape only, read from its
// field table (field_table.h).
//
// Some answers of the API declared their shape inline, beside their encoder, before their entity
// had a table: a notification, a user's settings, an account block, a fabric snapshot, an item of
// the moderation queue, a line of the Right to Challenge budgets. Their tables now encode them, and
// ShapeSchema gives the schema those routes declared: each field's JSON type (with "null" when it
// is nullable), an enum's codes, the items of a list, the schema a map or free-JSON field gives,
// every always-present field required; no limits (maxLength, maxItems) and no readOnly or
// x-visibility marks, which the OpenAPI components (ReadSchema) carry. So the published document
// stays as it was, while a new field of such an entity is still one edit in its table.
// Thread-safety: pure functions.
#pragma once

#include "domain/fields/field_table.h"

namespace weefsel::domain::fields {

// The JSON Schema of one field in its shape only (see above).
template <typename T>
Json FieldShape(const Field<T>& f) {
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
      break;
    case Type::kEnum:
      typed("string");
      s["enum"] = f.codes;
      break;
    case Type::kStringList:
      typed("array");
      s["items"] = {{"type", "string"}};
      break;
    case Type::kObjectList:
      typed("array");
      s["items"] = f.item_schema(false);
      break;
    case Type::kObject:
    case Type::kMap:
    case Type::kAny:
      break;
  }
  for (auto it = f.schema.begin(); it != f.schema.end(); ++it) s[it.key()] = it.value();
  return s;
}

// {"type": "object", "properties": {...}, "required": [the always-present fields]}.
template <typename T>
Json ShapeSchema(const FieldTable<T>& table) {
  Json props = Json::object(), required = Json::array();
  for (const auto& f : table.fields) {
    props[f.name] = FieldShape(f);
    if (f.always) required.push_back(f.name);
  }
  return {{"type", "object"}, {"properties", props}, {"required", required}};
}

}  // namespace weefsel::domain::fields
