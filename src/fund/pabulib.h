// fund/pabulib.h: reading and writing Pabulib .pb files (https://pabulib.org/format).
//
// A .pb file has three sections, META, PROJECTS and VOTES, each a ';'-separated table with a header
// and CSV quoting. The reader follows pabutools' parse_pabulib: ids are strings, budgets may have
// decimals (a decimal comma is accepted), a BOM and CRLF line ends are fine, columns come in any
// order, a project listed twice in one ballot counts once (the last entry's points win), and for
// ordinal ballots any `points` column is ignored. Bad input is an InvalidArgument naming the file,
// the line and the field. Writing an instance and reading it back gives the same instance.
// Thread-safety: pure functions.
#pragma once

#include <string>

#include "base/status.h"
#include "fund/instance.h"

namespace weefsel::fund {

// Parses .pb text; `name` (usually the path) prefixes every error message.
Result<Instance> ParsePb(const std::string& name, std::string text);
Result<Instance> ReadPb(const std::string& path);

// The .pb text of an instance (LF line ends, META counts updated to the actual numbers).
std::string FormatPb(const Instance& in);
Status WritePb(const std::string& path, const Instance& in);

}  // namespace weefsel::fund
