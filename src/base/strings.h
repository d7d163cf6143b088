// base/strings.h: small string helpers shared by every module: trimming, splitting, lower-casing
// and folding the diacritics of Latin script ("coöperatie" -> "cooperatie", "één" -> "een"),
// decimal parsing that reports what was wrong. All functions are pure and thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace weefsel {

std::string_view Trim(std::string_view s);
std::vector<std::string> Split(std::string_view s, char sep, bool skip_empty = false);
std::string Join(const std::vector<std::string>& parts, std::string_view sep);
std::string ToLowerAscii(std::string_view s);
bool StartsWith(std::string_view s, std::string_view prefix);
// Lower-cases and folds Latin diacritics in UTF-8 text (À-ÿ and common Latin Extended-A letters);
// other characters pass through unchanged.
std::string FoldCase(std::string_view utf8);

// Strict parses: the whole (trimmed) string must be the number.
std::optional<int64_t> ParseInt(std::string_view s);
// A positive id in its one canonical spelling: ASCII digits only, no sign, no spaces, no leading
// zero, at most 18 digits ("5" yes; "05", "+5", " 5", "0" no).
std::optional<int64_t> ParseId(std::string_view s);
std::optional<double> ParseDouble(std::string_view s);
// The whole number a double holds, when it is one inside int64 (|d| < 9e18); nullopt for fractions,
// NaN, infinities and values out of range, whose cast to int64 would be undefined behaviour.
std::optional<int64_t> WholeNumber(double d);
// True when `s` is well-formed UTF-8 (no overlong forms, no surrogates, nothing above U+10FFFF).
bool IsUtf8(std::string_view s);
// "YYYY-MM-DD" with a valid calendar date.
bool IsIsoDate(std::string_view s);
// Text safe inside XML or HTML element content and quoted attributes (& < > " ' escaped; control
// characters other than tab and line breaks, which XML 1.0 forbids, dropped).
std::string XmlEscape(std::string_view s);

}  // namespace weefsel
