// base/csv.h: reading and writing CSV (RFC 4180) with the places of errors.
//
// CsvReader reads records from text: a UTF-8 byte-order mark is skipped, CRLF and LF both end a
// record, fields may be quoted ("a ""b"" c", with separators and line breaks inside), and every
// record knows the line it started on, so errors can name "file, line N, column X". The separator
// is configurable (',' by default; ';' for Pabulib). Writing quotes a field only when it must.
// Thread-safety: a reader is used by one thread; the free functions are pure.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/status.h"

namespace weefsel {

struct CsvRecord {
  int line = 0;  // 1-based line on which the record starts
  std::vector<std::string> fields;
};

class CsvReader {
 public:
  // `name` is used in error messages (usually the file path).
  CsvReader(std::string name, std::string text, char sep = ',');
  static Result<CsvReader> FromFile(const std::string& path, char sep = ',');

  // Next record, or nullopt at the end; an unterminated quote is an error naming its line.
  Result<std::optional<CsvRecord>> Next();
  const std::string& name() const { return name_; }
  int line() const { return line_; }

 private:
  std::string name_, text_;
  char sep_;
  size_t pos_ = 0;
  int line_ = 1;
};

// A CSV file with a header: columns by name, in any order.
class CsvTable {
 public:
  // Reads the whole file; `required` columns must be in the header (error names the missing one).
  static Result<CsvTable> Read(const std::string& path, const std::vector<std::string>& required, char sep = ',');
  static Result<CsvTable> Parse(const std::string& name, std::string text, const std::vector<std::string>& required,
                                char sep = ',');

  const std::string& name() const { return name_; }
  const std::vector<std::string>& header() const { return header_; }
  const std::vector<CsvRecord>& rows() const { return rows_; }
  bool Has(const std::string& column) const { return index_.count(column) > 0; }
  // The field of `column` in `row` ("" when the column is absent or the row short).
  const std::string& Get(const CsvRecord& row, const std::string& column) const;
  // "file line N, column X: what"
  Status Error(const CsvRecord& row, const std::string& column, const std::string& what) const;

 private:
  std::string name_;
  std::vector<std::string> header_;
  std::unordered_map<std::string, size_t> index_;
  std::vector<CsvRecord> rows_;
};

// One CSV line (with "\n") from fields, quoting where needed.
std::string CsvLine(const std::vector<std::string>& fields, char sep = ',');
// A text cell that a spreadsheet will not run as a formula (CSV injection, OWASP): a cell starting
// with '=', '+', '-', '@', a tab or a carriage return gets a leading apostrophe. For text only
// (a negative number stays a number): use it for public files opened in spreadsheets.
std::string SpreadsheetSafe(std::string cell);

// Reads a whole file; NotFound / Unavailable naming the path on failure.
Result<std::string> ReadFile(const std::string& path);
// Writes via a temporary file and rename, so a reader never sees half a file.
Status WriteFileAtomic(const std::string& path, std::string_view content);

}  // namespace weefsel
