#include "base/csv.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace weefsel {

CsvReader::CsvReader(std::string name, std::string text, char sep)
    : name_(std::move(name)), text_(std::move(text)), sep_(sep) {
  if (text_.size() >= 3 && text_.compare(0, 3, "\xEF\xBB\xBF") == 0) pos_ = 3;
}

Result<CsvReader> CsvReader::FromFile(const std::string& path, char sep) {
  WEEFSEL_ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  return CsvReader(path, std::move(text), sep);
}

Result<std::optional<CsvRecord>> CsvReader::Next() {
  // Skip blank lines between records.
  while (pos_ < text_.size() && (text_[pos_] == '\n' || text_[pos_] == '\r')) {
    if (text_[pos_] == '\n') ++line_;
    ++pos_;
  }
  if (pos_ >= text_.size()) return std::optional<CsvRecord>();
  CsvRecord rec;
  rec.line = line_;
  std::string field;
  bool quoted = false, was_quoted = false;
  while (pos_ < text_.size()) {
    char c = text_[pos_];
    if (quoted) {
      if (c == '"') {
        if (pos_ + 1 < text_.size() && text_[pos_ + 1] == '"') {
          field += '"';
          pos_ += 2;
          continue;
        }
        quoted = false;
        ++pos_;
        continue;
      }
      if (c == '\n') ++line_;
      field += c;
      ++pos_;
      continue;
    }
    if (c == '"' && field.empty() && !was_quoted) {
      quoted = was_quoted = true;
      ++pos_;
      continue;
    }
    if (c == sep_) {
      rec.fields.push_back(std::move(field));
      field.clear();
      was_quoted = false;
      ++pos_;
      continue;
    }
    if (c == '\r' || c == '\n') {
      if (c == '\r' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '\n') ++pos_;
      ++pos_;
      ++line_;
      rec.fields.push_back(std::move(field));
      return std::optional<CsvRecord>(std::move(rec));
    }
    field += c;
    ++pos_;
  }
  if (quoted)
    return Status::InvalidArgument(name_ + " line " + std::to_string(rec.line) + ": a quoted field is never closed");
  rec.fields.push_back(std::move(field));
  return std::optional<CsvRecord>(std::move(rec));
}

Result<CsvTable> CsvTable::Read(const std::string& path, const std::vector<std::string>& required, char sep) {
  WEEFSEL_ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  return Parse(path, std::move(text), required, sep);
}

Result<CsvTable> CsvTable::Parse(const std::string& name, std::string text, const std::vector<std::string>& required,
                                 char sep) {
  CsvTable t;
  t.name_ = name;
  CsvReader reader(name, std::move(text), sep);
  WEEFSEL_ASSIGN_OR_RETURN(std::optional<CsvRecord> header, reader.Next());
  if (!header) return Status::InvalidArgument(name + ": the file is empty (expected a header line)");
  for (size_t i = 0; i < header->fields.size(); ++i) {
    std::string col(header->fields[i]);
    while (!col.empty() && (col.back() == ' ' || col.back() == '\t')) col.pop_back();
    if (t.index_.count(col))
      return Status::InvalidArgument(name + " line 1: column '" + col + "' appears twice in the header");
    t.index_[col] = i;
    t.header_.push_back(col);
  }
  for (const auto& r : required)
    if (!t.index_.count(r)) return Status::InvalidArgument(name + " line 1: missing column '" + r + "' in the header");
  while (true) {
    WEEFSEL_ASSIGN_OR_RETURN(std::optional<CsvRecord> rec, reader.Next());
    if (!rec) break;
    if (rec->fields.size() != t.header_.size())
      return Status::InvalidArgument(name + " line " + std::to_string(rec->line) + ": " +
                                     std::to_string(rec->fields.size()) + " fields, expected " +
                                     std::to_string(t.header_.size()) + " as in the header");
    t.rows_.push_back(std::move(*rec));
  }
  return t;
}

const std::string& CsvTable::Get(const CsvRecord& row, const std::string& column) const {
  static const std::string kEmpty;
  auto it = index_.find(column);
  if (it == index_.end() || it->second >= row.fields.size()) return kEmpty;
  return row.fields[it->second];
}

Status CsvTable::Error(const CsvRecord& row, const std::string& column, const std::string& what) const {
  return Status::InvalidArgument(name_ + " line " + std::to_string(row.line) + ", column " + column + ": " + what);
}

std::string CsvLine(const std::vector<std::string>& fields, char sep) {
  std::string out;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i) out += sep;
    const std::string& f = fields[i];
    bool quote = f.find_first_of(std::string("\"\r\n") + sep) != std::string::npos ||
                 (!f.empty() && (f.front() == ' ' || f.back() == ' '));
    if (!quote) {
      out += f;
      continue;
    }
    out += '"';
    for (char c : f) {
      if (c == '"') out += '"';
      out += c;
    }
    out += '"';
  }
  out += '\n';
  return out;
}

Result<std::string> ReadFile(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return Status::NotFound(path + ": no such file");
  if (std::filesystem::is_directory(path, ec))
    return Status::InvalidArgument(path + ": is a directory, expected a file");
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::InvalidArgument(path + ": cannot be read (" + std::strerror(errno) + ")");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Status WriteFileAtomic(const std::string& path, std::string_view content) {
  std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return Status::InvalidArgument(path + ": cannot be written (" + std::strerror(errno) + ")");
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    out.flush();
    if (!out) {
      Status failed = Status::Unavailable(path + ": write failed (" + std::strerror(errno) + ")");
      std::error_code ignored;
      std::filesystem::remove(tmp, ignored);  // no half-written temporary left beside the file
      return failed;
    }
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    std::error_code ignored;
    std::filesystem::remove(tmp, ignored);
    return Status::Unavailable(path + ": rename failed (" + ec.message() + ")");
  }
  return Status::Ok();
}

std::string SpreadsheetSafe(std::string cell) {
  if (!cell.empty() &&
      (cell[0] == '=' || cell[0] == '+' || cell[0] == '-' || cell[0] == '@' || cell[0] == '\t' || cell[0] == '\r'))
    cell.insert(cell.begin(), '\'');
  return cell;
}

}  // namespace weefsel
