#include "service/voting.h"

#include <sodium.h>

#include <algorithm>
#include <cctype>
#include <map>

#include "base/csv.h"
#include "base/strings.h"

namespace weefsel::service::voting {

namespace {

void EnsureSodium() {
  static const bool ok = sodium_init() >= 0;
  (void)ok;
}

std::string Hex(const unsigned char* p, size_t n) {
  std::string out(n * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), p, n);
  out.pop_back();
  return out;
}

std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

// Drops spaces, dashes and dots (how people write numbers and codes).
std::string Squeeze(std::string_view s) {
  std::string out;
  for (char c : s)
    if (c != ' ' && c != '-' && c != '.' && c != '\t') out += c;
  return out;
}

Status PersonError(std::string_view field, std::string_view what) {
  return Status::InvalidArgument("census." + std::string(field) + ": " + std::string(what));
}

// The checks shared by the file and the voter's form; `field` names what is wrong.
Status CheckPerson(CensusPerson& p, std::string* field) {
  p.identifier = Upper(Squeeze(p.identifier));
  if (p.identifier.size() < 5 || p.identifier.size() > 32 ||
      !std::all_of(p.identifier.begin(), p.identifier.end(),
                   [](char c) { return std::isalnum(static_cast<unsigned char>(c)); })) {
    *field = "identifier";
    return Status::InvalidArgument("must be 5 to 32 letters and digits (a BSN has 9 digits)");
  }
  p.postcode = Upper(Squeeze(p.postcode));
  bool postcode = p.postcode.size() == 6 && p.postcode[0] >= '1' && p.postcode[0] <= '9';
  for (size_t i = 1; postcode && i < 4; ++i) postcode = std::isdigit(static_cast<unsigned char>(p.postcode[i])) != 0;
  for (size_t i = 4; postcode && i < 6; ++i) postcode = p.postcode[i] >= 'A' && p.postcode[i] <= 'Z';
  if (!postcode) {
    *field = "postcode";
    return Status::InvalidArgument("must be a Dutch postcode such as 3511 AB");
  }
  p.birth_date = std::string(Trim(p.birth_date));
  if (!IsIsoDate(p.birth_date)) {
    *field = "birth_date";
    return Status::InvalidArgument("must be a date written YYYY-MM-DD, such as 1980-04-27");
  }
  return Status::Ok();
}

}  // namespace

RandomBytes SystemRandom() {
  return [](unsigned char* out, size_t n) {
    EnsureSodium();
    randombytes_buf(out, n);
  };
}

std::string NewCode(const RandomBytes& random) {
  unsigned char b[kCodeLength];
  random(b, sizeof b);
  std::string out;
  for (size_t i = 0; i < kCodeLength; ++i) {
    if (i && i % 4 == 0) out += '-';
    out += kCodeAlphabet[b[i] & 31];  // 256 is a multiple of 32: every letter equally likely
  }
  sodium_memzero(b, sizeof b);
  return out;
}

Result<std::string> NormalizeCode(std::string_view typed) {
  std::string code = Upper(Squeeze(typed));
  if (code.size() != kCodeLength)
    return Status::InvalidArgument("code: a voting code has 12 letters and digits, such as 7KQM-4XRT-H2PW")
        .WithReason("voting_code_malformed");
  for (char c : code)
    if (kCodeAlphabet.find(c) == std::string_view::npos)
      return Status::InvalidArgument(std::string("code: '") + c +
                                     "' does not occur in voting codes (they have no 0, O, 1 or I)")
          .WithReason("voting_code_malformed");
  return code;
}

std::string NewSecretHex(const RandomBytes& random) {
  unsigned char b[32];
  random(b, sizeof b);
  return Hex(b, sizeof b);
}

std::string RoundKey(std::string_view vote_key, std::string_view salt_hex) {
  EnsureSodium();
  unsigned char key[crypto_generichash_KEYBYTES];
  unsigned char vk[crypto_generichash_KEYBYTES];
  // The vote key may be any length: hash it to a key first (empty: no key).
  crypto_generichash(vk, sizeof vk, reinterpret_cast<const unsigned char*>(vote_key.data()), vote_key.size(), nullptr,
                     0);
  std::string msg = "weefsel-vote-round-v1\n" + std::string(salt_hex);
  crypto_generichash(key, sizeof key, reinterpret_cast<const unsigned char*>(msg.data()), msg.size(), vk, sizeof vk);
  std::string out(reinterpret_cast<const char*>(key), sizeof key);
  sodium_memzero(vk, sizeof vk);
  sodium_memzero(key, sizeof key);
  return out;
}

std::string KeyedHash(std::string_view round_key, std::string_view purpose, std::string_view text) {
  EnsureSodium();
  unsigned char h[32];
  std::string msg = std::string(purpose) + "\n" + std::string(text);
  crypto_generichash(h, sizeof h, reinterpret_cast<const unsigned char*>(msg.data()), msg.size(),
                     reinterpret_cast<const unsigned char*>(round_key.data()), round_key.size());
  return Hex(h, sizeof h);
}

Result<CensusPerson> NormalizePerson(std::string_view identifier, std::string_view postcode,
                                     std::string_view birth_date) {
  CensusPerson p{std::string(identifier), std::string(postcode), std::string(birth_date)};
  std::string field;
  Status s = CheckPerson(p, &field);
  if (!s.ok()) return PersonError(field, s.message()).WithReason("census_malformed", {{"field", field}});
  return p;
}

std::string PersonKey(const CensusPerson& p) { return p.identifier + "|" + p.postcode + "|" + p.birth_date; }

Result<std::vector<CensusLine>> ParseCensus(std::string_view text, size_t max_lines) {
  std::string body(text);
  size_t eol = body.find('\n');
  std::string header = body.substr(0, eol);
  char sep = header.find(';') != std::string::npos ? ';' : ',';
  CsvReader reader("census", body, sep);
  WEEFSEL_ASSIGN_OR_RETURN(auto first, reader.Next());
  if (!first) return Status::InvalidArgument("census: the file is empty; it needs a header line and residents");
  // Columns by name, Dutch or English.
  const std::map<std::string, std::string> names = {
      {"identificatie", "identifier"}, {"identifier", "identifier"}, {"bsn", "identifier"}, {"postcode", "postcode"},
      {"geboortedatum", "birth_date"}, {"birth_date", "birth_date"}, {"wijk", "wijk"}};
  std::map<std::string, size_t> col;
  for (size_t i = 0; i < first->fields.size(); ++i) {
    std::string name = ToLowerAscii(Trim(first->fields[i]));
    auto it = names.find(name);
    if (it == names.end())
      return Status::InvalidArgument("census line 1, field " + std::string(Trim(first->fields[i])) +
                                     ": unknown column (expected identificatie, postcode, geboortedatum, wijk)");
    if (!col.emplace(it->second, i).second)
      return Status::InvalidArgument("census line 1, field " + it->second + ": column named twice");
  }
  for (const char* need : {"identifier", "postcode", "birth_date", "wijk"})
    if (!col.count(need))
      return Status::InvalidArgument(std::string("census line 1, field ") + need + ": column missing from the header");

  std::vector<CensusLine> out;
  std::map<std::string, int> seen;  // person key -> line
  for (;;) {
    WEEFSEL_ASSIGN_OR_RETURN(auto rec, reader.Next());
    if (!rec) break;
    if (rec->fields.size() == 1 && Trim(rec->fields[0]).empty()) continue;  // a blank line
    const std::string where = "census line " + std::to_string(rec->line) + ", field ";
    if (rec->fields.size() != first->fields.size())
      return Status::InvalidArgument(where + "*: has " + std::to_string(rec->fields.size()) + " fields, the header " +
                                     std::to_string(first->fields.size()));
    if (out.size() >= max_lines)
      return Status::InvalidArgument(where + "*: more than " + std::to_string(max_lines) + " residents in one file");
    CensusLine line;
    line.line = rec->line;
    line.person = {rec->fields[col["identifier"]], rec->fields[col["postcode"]], rec->fields[col["birth_date"]]};
    std::string field;
    Status s = CheckPerson(line.person, &field);
    if (!s.ok()) return Status::InvalidArgument(where + field + ": " + s.message());
    line.wijk = std::string(Trim(rec->fields[col["wijk"]]));
    if (line.wijk.empty() || line.wijk.size() > 100)
      return Status::InvalidArgument(where + "wijk: must be 1 to 100 characters");
    auto [it, fresh] = seen.emplace(PersonKey(line.person), line.line);
    if (!fresh)
      return Status::InvalidArgument(where + "identifier: the same resident as on line " + std::to_string(it->second));
    out.push_back(std::move(line));
  }
  if (out.empty()) return Status::InvalidArgument("census: the file names no residents, only a header");
  return out;
}

int AgeOn(std::string_view birth_date, std::string_view today) {
  auto num = [](std::string_view s, size_t at, size_t n) { return std::stoi(std::string(s.substr(at, n))); };
  if (birth_date.size() < 10 || today.size() < 10) return 0;
  int age = num(today, 0, 4) - num(birth_date, 0, 4);
  if (today.substr(5, 5) < birth_date.substr(5, 5)) --age;  // "MM-DD" compares as text
  return age;
}

std::string MailMergeCsv(const std::vector<LetterCode>& codes, std::string_view round_name,
                         std::string_view municipality_name) {
  std::string out = CsvLine({"code", "wijk", "brief"}, ';');
  for (const auto& c : codes) {
    std::string letter = "Met deze code stemt u eenmalig in " + std::string(round_name) + " van de gemeente " +
                         std::string(municipality_name) + (c.wijk.empty() ? "" : " (wijk " + c.wijk + ")") +
                         ": ga naar de stemronde, log in en vul de code " + c.code +
                         " in. De code is persoonlijk en werkt maar één keer.";
    out += CsvLine({c.code, SpreadsheetSafe(c.wijk), SpreadsheetSafe(letter)}, ';');
  }
  return out;
}

}  // namespace weefsel::service::voting
