// storage/sql/row_map.h: the generic row mapper (internal to storage/sql/): an entity's own row
// read and written through its field table, so that storing a new field is one edit in the table
// (`.Column()`, domain/fields/field_table.h) plus the migration that adds its column.
//
// A RowMap<T> takes the fields of T's table that have a column, in table order, then those of a
// part of T that has a table of its own (Embed: a round's eligibility) and the store's own fields
// that no reader of the table may see (Also: a user's password hash), then the columns derived
// from T that are no field (a search key, written only). From them it builds the SELECT list, the
// INSERT and UPDATE statements and the column list of a bulk write (CopyRows) once, and reads rows
// back; an upsert (Upsert: INSERT ... ON CONFLICT DO UPDATE, a ballot's one row per voter) is
// built from the same columns. A row read with other tables (Join: a comment's author) may add
// fields read from an expression over them (Joined: the author's name), never written. A value
// goes through its field both ways. A field of a plain member (string, integer, number, boolean,
// id, enum, list of strings) has `put` and `take`: the member goes straight to the parameter, the
// bulk-write sink or from the cell (a string moved out of it), with no JSON value in between; that
// is what lets the actors and ties of the national demo, read and written by the hundred thousand,
// go through their tables. Any other field goes through JSON: to the column by `encode` (then
// `to_column`); from the column's cell, typed by the field's type (SQLite keeps types, PostgreSQL
// hands back text), through `from_column` and `load` (or `stored_load`) with the limits off (the
// row was checked on the way in). Both ways write the column forms the hand-written mappers wrote,
// so the database does not change: an unset id is NULL, a boolean 0 or 1, an enum its code, a list
// or an object JSON text. The key is the field stored in the column "id": an INSERT names it only
// when it is set. A table without an "id" column (hidden items, keyed by what they hide) is
// keyless: its rows are inserted (no RETURNING), read and deleted, never updated through the map.
// A cell the field cannot read is a corrupt row (Internal, "<table> row <id>: <entity>.<field>:
// ...", the row's place in the result for a keyless table). A child table (Field::child_table:
// coalition_members, the list of a coalition) is keyless too: Child() adds its parent's id and the
// item's place in the list after the item's own columns. The child tables not mapped so yet stay
// with the hand-written writers and readers of storage/sql/<concept>.cc.
// Thread-safety: built once (a function-local static), then only read.
#pragma once

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cassert>
#include <cstdint>
#include <functional>
#include <iterator>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <variant>
#include <vector>

#include "domain/fields/field_table.h"
#include "storage/sql/sql_connection.h"
#include "storage/sql/sql_util.h"

namespace weefsel::storage::sql {

// The cell (i, k) of a result, as a field's `take` reads it.
class RowCell final : public domain::fields::CellIn {
 public:
  explicit RowCell(SqlRows& rows) : rows_(rows) {}
  void At(size_t i, size_t k) {
    i_ = i;
    k_ = k;
  }
  bool IsNull() override { return rows_.Null(i_, k_); }
  int64_t Int() override { return rows_.Int(i_, k_); }
  double Dbl() override { return rows_.Dbl(i_, k_); }
  std::string Text() override {
    // The text moves out of the row: one copy less for each string of each row.
    if (auto* s = std::get_if<std::string>(&rows_.rows()[i_][k_])) return std::move(*s);
    return rows_.Str(i_, k_);
  }
  Status List(std::vector<std::string>& out) override {
    const std::string* s = std::get_if<std::string>(&rows_.rows()[i_][k_]);
    auto v = s ? DecodeList(*s) : DecodeList(rows_.Str(i_, k_));
    if (!v) return Status::Internal("is not a JSON list of strings");
    out = std::move(*v);
    return Status::Ok();
  }

 private:
  SqlRows& rows_;
  size_t i_ = 0, k_ = 0;
};

// A field's `put` into the parameters of a statement.
class ParamCells final : public domain::fields::CellOut {
 public:
  explicit ParamCells(Params& p) : p_(p) {}
  void Null() override { p_.emplace_back(std::monostate{}); }
  void Int(int64_t v) override { p_.emplace_back(v); }
  void Dbl(double v) override { p_.emplace_back(v); }
  void Text(std::string_view v) override { p_.emplace_back(std::string(v)); }
  void List(const std::vector<std::string>& v) override { p_.emplace_back(EncodeList(v)); }

 private:
  Params& p_;
};

// A field's `put` into a bulk write's row.
class SinkCells final : public domain::fields::CellOut {
 public:
  explicit SinkCells(RowSink& s) : s_(s) {}
  void Null() override { s_.Null(); }
  void Int(int64_t v) override { s_.Int(v); }
  void Dbl(double v) override { s_.Dbl(v); }
  void Text(std::string_view v) override { s_.Text(v); }
  void List(const std::vector<std::string>& v) override { s_.Text(EncodeList(v)); }

 private:
  RowSink& s_;
};

inline void SinkValue(RowSink& s, const SqlValue& v) {
  if (auto* i = std::get_if<int64_t>(&v))
    s.Int(*i);
  else if (auto* d = std::get_if<double>(&v))
    s.Dbl(*d);
  else if (auto* t = std::get_if<std::string>(&v))
    s.Text(*t);
  else
    s.Null();
}

template <typename T>
class RowMap {
 public:
  // A column written from the entity that is not one of its fields (a search key).
  struct Derived {
    std::string column;
    std::function<SqlValue(const T&)> value;
  };

  RowMap(std::string table, const domain::fields::FieldTable<T>& fields, std::vector<Derived> derived = {})
      : table_(std::move(table)), entity_(fields.entity), derived_(std::move(derived)) {
    for (const auto& f : fields.fields)
      if (!f.column.empty()) Add(f, f.encode, f.load ? f.load : f.stored_load, f.put, f.take);
    Build();
  }

  // Adds the columns of `fields`, a part of T held in its member `m`.
  template <typename U>
  RowMap& Embed(const domain::fields::FieldTable<U>& fields, U T::*m) {
    for (const auto& f : fields.fields) {
      if (f.column.empty()) continue;
      auto load = f.load ? f.load : f.stored_load;
      std::function<void(const T&, domain::fields::CellOut&)> put;
      std::function<Status(T&, domain::fields::CellIn&)> take;
      if (f.put) put = [m, p = f.put](const T& t, domain::fields::CellOut& c) { p(t.*m, c); };
      if (f.take) take = [m, k = f.take](T& t, domain::fields::CellIn& c) { return k(t.*m, c); };
      Add(
          f, [m, e = f.encode](const T& t) { return e(t.*m); },
          [m, load](domain::fields::Fields& r, T& t) { return load(r, t.*m); }, std::move(put), std::move(take));
    }
    Build();
    return *this;
  }

  // Adds `f`, a stored field of T that is not in T's table because no reader of the table may
  // see it (a user's password hash): the store's own, in the row like the others.
  RowMap& Also(const domain::fields::Field<T>& f) {
    assert(!f.column.empty() && "Also() takes a field with a column");
    Add(f, f.encode, f.load ? f.load : f.stored_load, f.put, f.take);
    Build();
    return *this;
  }

  // Reads the rows joined with other tables: Select() names the own columns "<alias>.<column>" and
  // reads FROM "<table> <alias> <join>" (`join`: "LEFT JOIN users u ON u.id = c.author_user_id"), so
  // a read's tail names its columns with the alias. Writes are unchanged.
  RowMap& Join(std::string alias, std::string join) {
    alias_ = std::move(alias);
    join_ = std::move(join);
    Build();
    return *this;
  }

  // Adds `f`, a field of T that is not in T's own row, read from the SQL expression `expr` over a
  // Join ("COALESCE(u.display_name, 'removed user')"): in the SELECT list, never written.
  RowMap& Joined(const domain::fields::Field<T>& f, std::string expr) {
    assert(!join_.empty() && "Joined() reads from a Join()");
    domain::fields::Field<T> g = f;
    g.column = std::move(expr);
    Add(g, g.encode, g.load ? g.load : g.stored_load, g.put, g.take);
    columns_.back().joined = true;
    Build();
    return *this;
  }

  // Makes this the map of a child table: each row an item of a list held by a parent entity, keyed
  // by `parent_column` (the parent's id) and `position_column` (the item's place in the list, from
  // 0), both after the item's columns in the row and written by InsertChildren. Its own columns are
  // the item's fields with a column; a child table has no "id" of its own.
  RowMap& Child(std::string parent_column, std::string position_column) {
    parent_column_ = std::move(parent_column);
    position_column_ = std::move(position_column);
    Build();
    return *this;
  }
  // A child table's SELECT list ("<columns>, <parent>"), for a read of the children of many parents
  // (SqlStore::ChildRows); ParentOf(rows, i) is row i's parent.
  std::string ChildColumns() const {
    assert(!parent_column_.empty() && "ChildColumns() is for a Child() map");
    std::string out;
    for (const auto& c : columns_) out += c.name + ", ";
    return out + parent_column_;
  }
  int64_t ParentOf(const SqlRows& rows, size_t i) const { return rows.Int(i, columns_.size()); }
  // The INSERTs of `parent`'s list `items`, each item at its place, in statements of at most
  // `per_statement` VALUES rows ("INSERT INTO <child> (<columns>, <parent>, <position>) VALUES
  // (...), (...)"): a list in one statement or a few, not one statement an item.
  std::vector<std::pair<std::string, Params>> InsertChildren(int64_t parent, const std::vector<T>& items,
                                                             size_t per_statement = 100) const {
    assert(!parent_column_.empty() && per_statement > 0 && "InsertChildren() is for a Child() map");
    std::vector<std::pair<std::string, Params>> out;
    for (size_t from = 0; from < items.size(); from += per_statement) {
      std::string sql = insert_head_;
      Params p;
      for (size_t i = from; i < std::min(items.size(), from + per_statement); ++i) {
        const size_t first = p.size();
        Params v = Values(items[i]);
        v.emplace_back(parent);
        v.emplace_back(static_cast<int64_t>(i));
        sql += i > from ? ", (" : "(";
        for (size_t j = 0; j < v.size(); ++j) sql += (j ? ", $" : "$") + std::to_string(first + j + 1);
        sql += ")";
        std::move(v.begin(), v.end(), std::back_inserter(p));
      }
      out.emplace_back(std::move(sql), std::move(p));
    }
    return out;
  }

  // Reads the rows of a ChildRows(ChildColumns(), ...) query into the list `list` of their parents
  // in `parents`, found by id through `at` (IndexById); the child of a parent written between the
  // two reads is left out.
  template <typename P>
  Status ReadInto(SqlRows& rows, std::vector<P>& parents, const std::unordered_map<int64_t, size_t>& at,
                  std::vector<T> P::*list) const {
    WEEFSEL_ASSIGN_OR_RETURN(std::vector<T> items, Read(rows));
    for (size_t i = 0; i < rows.size(); ++i)
      if (auto found = at.find(ParentOf(rows, i)); found != at.end())
        (parents[found->second].*list).push_back(std::move(items[i]));
    return Status::Ok();
  }

  const std::string& table() const { return table_; }
  // "SELECT <the columns> FROM <table>": a read appends its tail (WHERE, ORDER BY, LIMIT).
  const std::string& Select() const { return select_; }
  // The columns in the order Select() reads them (a joined field: its expression).
  std::vector<std::string> Columns() const {
    std::vector<std::string> out;
    for (const auto& c : columns_) out.push_back(c.name);
    return out;
  }
  // The columns of a bulk write (SqlConnection::CopyRows) in the order Sink() writes them: the
  // key, the other columns, the derived ones.
  const std::vector<std::string>& CopyColumns() const { return copy_columns_; }

  // The rows of a Select(), moved out of `rows`.
  Result<std::vector<T>> Read(SqlRows& rows) const {
    std::vector<T> out(rows.size());
    // One JSON object for every row, with the fields read through JSON only: its keys (the field
    // names) stay, its values are replaced.
    domain::fields::Json row = domain::fields::Json::object();
    for (const auto& c : columns_)
      if (!c.take) row[c.field] = nullptr;
    const bool through_json = !row.empty();
    RowCell cell(rows);
    for (size_t i = 0; i < rows.size(); ++i) {
      const int64_t id = keyless() ? static_cast<int64_t>(i) : rows.Int(i, key_);
      auto it = row.begin();
      for (size_t k = 0; k < columns_.size(); ++k) {
        const Column& c = columns_[k];
        if (c.take) {
          cell.At(i, k);
          Status s = c.take(out[i], cell);
          if (!s.ok()) return Corrupt(table_, id, entity_ + "." + c.field + ": " + s.message());
          continue;
        }
        Result<domain::fields::Json> v = Cell(rows, i, k);
        if (!v.ok()) return Corrupt(table_, id, v.status().message());
        it.value() = std::move(v).value();
        ++it;
      }
      if (!through_json) continue;
      domain::fields::Fields reader(row, entity_, domain::fields::Source::kStoredRow);
      for (const auto& c : columns_) {
        if (c.take) continue;
        Status s = c.load(reader, out[i]);
        if (!s.ok()) return Corrupt(table_, id, s.message());
      }
    }
    return out;
  }

  // Writes the row of `t` with the key `id` into `sink`, in CopyColumns()' order (the caller ends
  // the row).
  void Sink(RowSink& sink, int64_t id, const T& t) const {
    assert(!keyless() && "a bulk write names the key");
    sink.Int(id);
    SinkCells cells(sink);
    for (size_t k = 0; k < columns_.size(); ++k) {
      if (k == key_ || columns_[k].joined) continue;
      const Column& c = columns_[k];
      if (c.put)
        c.put(t, cells);
      else
        SinkValue(sink, ToSql(c.encode(t), c.type));
    }
    for (const auto& d : derived_) SinkValue(sink, d.value(t));
  }

  // "INSERT ... RETURNING id" with its parameters; the key is written only when `t` has one. A
  // keyless table's INSERT returns nothing.
  std::pair<std::string, Params> Insert(const T& t) const {
    Params p = Values(t);
    if (keyless()) return {insert_, std::move(p)};
    SqlValue key = ToSql(columns_[key_].encode(t), domain::fields::Type::kId);
    if (std::holds_alternative<std::monostate>(key)) return {insert_, std::move(p)};
    p.push_back(std::move(key));
    return {insert_with_key_, std::move(p)};
  }

  // An insert-or-update of `t` (its key left to the table), with its parameters: "INSERT INTO <table>
  // (<columns>) SELECT <each parameter cast to its column's type> WHERE <where> ON CONFLICT
  // (<conflict>) DO UPDATE SET <each other column> = excluded.<column> RETURNING id" (a keyless
  // table returns nothing). `where` may name a column's parameter (Param) and parameters of its
  // own from $<ParamCount() + 1> on, which the caller appends; "true" for none (SQLite reads ON
  // CONFLICT after a SELECT only behind a WHERE).
  std::pair<std::string, Params> Upsert(const T& t, const std::vector<std::string>& conflict,
                                        const std::string& where = "true") const {
    std::string names, casts, sets;
    size_t n = 0;
    auto add = [&](const std::string& column, const char* type) {
      const char* sep = n ? ", " : "";
      names += sep + column;
      casts += sep + ("CAST($" + std::to_string(++n) + " AS " + type + ")");
      if (std::find(conflict.begin(), conflict.end(), column) == conflict.end())
        sets += (sets.empty() ? "" : ", ") + column + " = excluded." + column;
    };
    for (size_t k = 0; k < columns_.size(); ++k)
      if (k != key_ && !columns_[k].joined) add(columns_[k].name, SqlType(columns_[k].type));
    for (const auto& d : derived_) add(d.column, "TEXT");
    std::string sql = "INSERT INTO " + table_ + " (" + names + ") SELECT " + casts + " WHERE " + where +
                      " ON CONFLICT (" + CommaList(conflict) + ") DO " +
                      (sets.empty() ? "NOTHING" : "UPDATE SET " + sets) + (keyless() ? "" : " RETURNING id");
    return {std::move(sql), Values(t)};
  }

  // "$<n>": the parameter of `column` in Insert's and Upsert's parameters (the key excepted).
  std::string Param(std::string_view column) const {
    size_t n = 0;
    for (size_t k = 0; k < columns_.size(); ++k) {
      if (k == key_ || columns_[k].joined) continue;
      ++n;
      if (columns_[k].name == column) return "$" + std::to_string(n);
    }
    for (const auto& d : derived_) {
      ++n;
      if (d.column == column) return "$" + std::to_string(n);
    }
    assert(false && "Param() names a column of the row map");
    return "";
  }
  // The number of parameters of Insert (without the key) and Upsert.
  size_t ParamCount() const { return copy_columns_.size() - 1; }

  // "UPDATE ... WHERE id = $n RETURNING id" with its parameters (no row returned: no such key).
  std::pair<std::string, Params> Update(const T& t) const {
    assert(!keyless() && "a keyless table is not updated through its row map");
    Params p = Values(t);
    p.push_back(ToSql(columns_[key_].encode(t), domain::fields::Type::kId));
    return {update_, std::move(p)};
  }

 private:
  struct Column {
    std::string name;   // the SQL column
    std::string field;  // the field's name: the key its `load` reads
    domain::fields::Type type;
    std::function<domain::fields::Json(const T&)> encode;  // to the column's form
    std::function<Result<domain::fields::Json>(const domain::fields::Json&)> from_column;
    std::function<Status(domain::fields::Fields&, T&)> load;
    // The typed way (both set, or neither: then encode and load).
    std::function<void(const T&, domain::fields::CellOut&)> put;
    std::function<Status(T&, domain::fields::CellIn&)> take;
    bool joined = false;  // read from an expression over a Join(), never written
  };

  template <typename U>
  void Add(const domain::fields::Field<U>& f, std::function<domain::fields::Json(const T&)> encode,
           std::function<Status(domain::fields::Fields&, T&)> load,
           std::function<void(const T&, domain::fields::CellOut&)> put,
           std::function<Status(T&, domain::fields::CellIn&)> take) {
    assert(load && "a field stored in a column needs `load` or `stored_load`");
    for ([[maybe_unused]] const auto& c : columns_) assert(c.field != f.name && c.name != f.column);
    if (f.to_column) encode = [e = std::move(encode), to = f.to_column](const T& t) { return to(e(t)); };
    if (!put || !take || f.to_column || f.from_column) {
      put = nullptr;
      take = nullptr;
    }
    columns_.push_back(
        {f.column, f.name, f.type, std::move(encode), f.from_column, std::move(load), std::move(put), std::move(take)});
  }

  void Build() {
    std::string names, values, sets;
    size_t n = 0;
    key_ = columns_.size();
    for (size_t k = 0; k < columns_.size(); ++k) {
      if (columns_[k].joined) continue;
      if (columns_[k].name == "id") {
        key_ = k;
        continue;
      }
      Append(columns_[k].name, ++n, names, values, sets);
    }
    for (const auto& d : derived_) Append(d.column, ++n, names, values, sets);
    const std::string prefix = alias_.empty() ? "" : alias_ + ".";
    select_ = "SELECT ";
    for (size_t k = 0; k < columns_.size(); ++k)
      select_ += (k ? ", " : "") + (columns_[k].joined ? "" : prefix) + columns_[k].name;
    select_ += " FROM " + table_;
    if (!alias_.empty()) select_ += " " + alias_ + " " + join_;
    if (!parent_column_.empty()) {
      Append(parent_column_, ++n, names, values, sets);
      Append(position_column_, ++n, names, values, sets);
    }
    const std::string returning = keyless() ? ")" : ") RETURNING id";
    insert_head_ = "INSERT INTO " + table_ + " (" + names + ") VALUES ";
    insert_ = insert_head_ + "(" + values + returning;
    insert_with_key_ =
        "INSERT INTO " + table_ + " (" + names + ", id) VALUES (" + values + ", $" + std::to_string(n + 1) + returning;
    update_ = "UPDATE " + table_ + " SET " + sets + " WHERE id = $" + std::to_string(n + 1) + " RETURNING id";
    copy_columns_ = {"id"};
    for (size_t k = 0; k < columns_.size(); ++k)
      if (k != key_ && !columns_[k].joined) copy_columns_.push_back(columns_[k].name);
    for (const auto& d : derived_) copy_columns_.push_back(d.column);
  }

  static void Append(const std::string& column, size_t n, std::string& names, std::string& values, std::string& sets) {
    const std::string param = "$" + std::to_string(n);
    const char* sep = n > 1 ? ", " : "";
    names += sep + column;
    values += sep + param;
    sets += sep + column + " = " + param;
  }

  bool keyless() const { return key_ == columns_.size(); }

  // The values of the columns but the key, then the derived ones, in Build()'s order.
  Params Values(const T& t) const {
    Params p;
    p.reserve(columns_.size() + derived_.size() + 1);
    ParamCells cells(p);
    for (size_t k = 0; k < columns_.size(); ++k) {
      if (k == key_ || columns_[k].joined) continue;
      if (columns_[k].put)
        columns_[k].put(t, cells);
      else
        p.push_back(ToSql(columns_[k].encode(t), columns_[k].type));
    }
    for (const auto& d : derived_) p.push_back(d.value(t));
    return p;
  }

  // The type a parameter is cast to where PostgreSQL cannot infer it (Upsert's SELECT list).
  static const char* SqlType(domain::fields::Type type) {
    using domain::fields::Type;
    switch (type) {
      case Type::kId:
      case Type::kInteger:
      case Type::kBoolean:
        return "BIGINT";
      case Type::kNumber:
        return "DOUBLE PRECISION";
      default:
        return "TEXT";
    }
  }

  static std::string CommaList(const std::vector<std::string>& names) {
    std::string out;
    for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
    return out;
  }

  static SqlValue ToSql(const domain::fields::Json& v, domain::fields::Type type) {
    using domain::fields::Type;
    if (v.is_null()) return std::monostate{};
    if (v.is_boolean()) return int64_t{v.get<bool>() ? 1 : 0};
    if (v.is_number_integer()) {
      const int64_t i = v.get<int64_t>();
      if (type == Type::kId && i == 0) return std::monostate{};  // an unset id
      return i;
    }
    if (v.is_number_float()) return v.get<double>();
    if (v.is_string()) return v.get<std::string>();
    return v.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }

  // Cell (i, k) as the JSON value that column k's field loads.
  Result<domain::fields::Json> Cell(SqlRows& rows, size_t i, size_t k) const {
    using domain::fields::Json;
    using domain::fields::Type;
    const Column& c = columns_[k];
    Json v;
    switch (c.type) {
      case Type::kId:
        v = rows.Null(i, k) ? Json(nullptr) : Json(rows.Int(i, k));
        break;
      case Type::kInteger:
        v = rows.Int(i, k);
        break;
      case Type::kNumber:
        v = rows.Dbl(i, k);
        break;
      case Type::kBoolean:
        v = rows.Int(i, k) != 0;
        break;
      case Type::kString:
      case Type::kEnum:
        // The text moves out of the row: one copy less for each string of each row.
        if (auto* s = std::get_if<std::string>(&rows.rows()[i][k]))
          v = std::move(*s);
        else
          v = rows.Str(i, k);
        break;
      case Type::kStringList:
      case Type::kObjectList:
      case Type::kObject:
      case Type::kMap:
      case Type::kAny: {
        const std::string* cell = std::get_if<std::string>(&rows.rows()[i][k]);
        std::string converted;
        if (!cell) {
          converted = rows.Str(i, k);
          cell = &converted;
        }
        const std::string& text = *cell;
        if (text.find_first_not_of(" \n\t") == std::string::npos) {
          // An empty column: an empty list, or nothing.
          if (c.type == Type::kStringList || c.type == Type::kObjectList) v = Json::array();
          break;
        }
        v = Json::parse(text, nullptr, /*allow_exceptions=*/false);
        if (v.is_discarded()) return Status::Internal(c.name + " is not JSON");
        break;
      }
    }
    if (c.from_column) return c.from_column(v);
    return v;
  }

  std::string table_, entity_, alias_, join_, parent_column_, position_column_;
  std::vector<Column> columns_;
  std::vector<Derived> derived_;
  size_t key_ = 0;
  std::string select_, insert_head_, insert_, insert_with_key_, update_;
  std::vector<std::string> copy_columns_;
};

}  // namespace weefsel::storage::sql
